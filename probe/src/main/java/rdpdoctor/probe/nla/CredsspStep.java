package rdpdoctor.probe.nla;

import java.time.Instant;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Phase;
import rdpdoctor.probe.Step;
import rdpdoctor.protocol.cssp.CredsspClient;
import rdpdoctor.protocol.cssp.TsRequest;

/**
 * Runs a {@link CredsspClient} over a connection whose TLS layer is up: frames each TSRequest by its
 * DER length (a TSRequest may span TLS records, as Windows Server 2008 R2 splits it) and feeds it
 * to the state machine. The length is bounded by {@link TsRequest#MAX_SIZE} before it sizes a buffer.
 */
public final class CredsspStep implements Step<CredsspClient.Result> {
  private final CredsspClient client;
  private final String name;
  private byte[] buf = new byte[8];
  private int have;
  private int frame = -1;
  private @Nullable Instant firstAnswerAt;

  public CredsspStep(CredsspClient client, String name) {
    this.client = client;
    this.name = name;
  }

  public CredsspClient client() {
    return client;
  }

  /** When the server's first TSRequest (the CHALLENGE) arrived, for the clock-skew estimate. */
  public @Nullable Instant firstAnswerAt() {
    return firstAnswerAt;
  }

  @Override
  public Phase phase() {
    return Phase.NLA;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte[] start() {
    return client.start().send();
  }

  @Override
  public int bytesNeeded() {
    if (client.done()) {
      return 0;
    }
    if (frame >= 0) {
      return frame - have;
    }
    if (have < 2) {
      return 2 - have;
    }
    // Long-form DER length: 0x8N then N length octets.
    int first = buf[1] & 0xFF;
    return first < 0x80 ? 1 : Math.max(1, 2 + Math.min(first & 0x7F, 4) - have);
  }

  @Override
  public byte[] receive(byte[] data, Instant receivedAt) {
    if (firstAnswerAt == null) {
      firstAnswerAt = receivedAt;
    }
    if (have + data.length > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(have + data.length, frame > 0 ? frame : buf.length * 2));
    }
    System.arraycopy(data, 0, buf, have, data.length);
    have += data.length;
    if (frame < 0) {
      frame = TsRequest.frameLength(buf, have); // throws on a hostile length before any allocation
      if (frame > buf.length) {
        buf = Arrays.copyOf(buf, frame);
      }
    }
    if (frame < 0 || have < frame) {
      return new byte[0];
    }
    byte[] message = Arrays.copyOf(buf, frame);
    // Anything past the frame would be a second message in the same read: keep it.
    byte[] rest = Arrays.copyOfRange(buf, frame, have);
    buf = Arrays.copyOf(rest, Math.max(8, rest.length));
    have = rest.length;
    frame = -1;
    return client.step(message).send();
  }

  @Override
  public CredsspClient.Result result() {
    CredsspClient.Result r = client.result();
    if (r == null) {
      throw new IllegalStateException("CredSSP exchange not finished");
    }
    return r;
  }
}
