package rdpdoctor.probe;

import java.time.Instant;
import rdpdoctor.diagnosis.Phase;
import rdpdoctor.protocol.tls.ClientHello;
import rdpdoctor.protocol.tls.ServerHelloReader;
import rdpdoctor.protocol.tls.TlsNames;

/** Sends one {@link ClientHello} and reads the ServerHello or alert that answers it. */
final class TlsHelloStep implements Step<ServerHelloReader.Answer> {
  private final ClientHello hello;
  private final ServerHelloReader reader = new ServerHelloReader();

  TlsHelloStep(ClientHello hello) {
    this.hello = hello;
  }

  @Override
  public Phase phase() {
    return Phase.TLS;
  }

  @Override
  public String name() {
    return "tls hello " + TlsNames.version(hello.version());
  }

  @Override
  public byte[] start() {
    return hello.encode();
  }

  @Override
  public int bytesNeeded() {
    return reader.bytesNeeded();
  }

  @Override
  public byte[] receive(byte[] data, Instant receivedAt) {
    reader.offer(data, 0, data.length);
    return new byte[0];
  }

  @Override
  public ServerHelloReader.Answer result() {
    ServerHelloReader.Answer a = reader.answer();
    if (a == null) {
      throw new IllegalStateException("no answer yet");
    }
    return a;
  }
}
