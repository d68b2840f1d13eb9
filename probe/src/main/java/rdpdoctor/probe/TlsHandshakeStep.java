package rdpdoctor.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsClientProtocol;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Phase;

/**
 * The full TLS handshake of {@link TlsHandshake} as a sans-I/O {@link Step}, for transports that are
 * not a probe {@link Connection}: the gateway tunnel runs it over its channel after X.224 selected
 * TLS. Same client (versions, suites, SNI, any certificate accepted), same {@link TlsHandshake.Result}.
 *
 * <p>A TLS alert or a broken record surfaces from {@link #receive} as an {@link UncheckedIOException}
 * (BouncyCastle's {@code TlsFatalAlert}), which the driver reports as the handshake's failure.
 */
public final class TlsHandshakeStep implements Step<TlsHandshake.Result> {
  /** One TLS record with its header, the most BouncyCastle needs to make progress. */
  private static final int RECORD = 16 * 1024 + 2048 + 5;

  private final TlsHandshake.ProbeClient client;
  private final TlsClientProtocol protocol = new TlsClientProtocol();

  /** @param serverName the name for SNI, or null (an IP address never goes into SNI) */
  public TlsHandshakeStep(@Nullable String serverName) {
    client = new TlsHandshake.ProbeClient(serverName, ProtocolVersion.TLSv13.downTo(ProtocolVersion.TLSv10),
        TlsHandshake.OFFER);
  }

  @Override
  public Phase phase() {
    return Phase.TLS;
  }

  @Override
  public String name() {
    return "tls handshake";
  }

  @Override
  public byte[] start() {
    try {
      protocol.connect(client);
      return output();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public int bytesNeeded() {
    return client.done || protocol.isClosed() ? 0 : RECORD;
  }

  @Override
  public byte[] receive(byte[] data, Instant receivedAt) {
    try {
      protocol.offerInput(data, 0, data.length);
      return output();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] output() {
    int n = protocol.getAvailableOutputBytes();
    byte[] b = new byte[n];
    protocol.readOutput(b, 0, n);
    return b;
  }

  @Override
  public TlsHandshake.Result result() {
    if (!client.done) {
      throw new UncheckedIOException(new IOException("the TLS layer closed before the handshake finished"));
    }
    return new TlsHandshake.Result(client.version, client.suite, client.chain);
  }
}
