package rdpdoctor.protocol.tsgu;

import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.DecodeException;

/**
 * Sans-I/O reading of [RFC 6455] 5.2 frames: {@link #bytesNeeded()} says how much to read next
 * (2 header bytes, then the extended length and masking key, then the payload), {@link #offer} takes
 * it. A payload length is checked against the bound before the payload buffer exists, so a frame
 * that claims 2^63 bytes fails after its 10 header bytes.
 *
 * <p>Which side reads decides the masking rule (5.1): a server must get masked frames, a client
 * must not.
 */
public final class WebSocketFramer {
  private final boolean expectMasked;
  private final int maxPayload;
  private final byte[] header = new byte[2 + 8 + 4];
  private int headerFilled;
  private int headerLength = 2;
  private byte @org.jspecify.annotations.Nullable [] payload;
  private int payloadFilled;
  private byte[] mask = new byte[0];

  /**
   * @param expectMasked true on the server side (frames from a client are masked)
   * @param maxPayload the largest payload accepted
   */
  public WebSocketFramer(boolean expectMasked, int maxPayload) {
    this.expectMasked = expectMasked;
    this.maxPayload = maxPayload;
  }

  public int bytesNeeded() {
    if (payload == null) {
      return headerLength - headerFilled;
    }
    return payload.length - payloadFilled;
  }

  /** Takes up to {@link #bytesNeeded()} bytes; returns how many it took. */
  public int offer(byte[] data, int offset, int count) {
    int take = Math.min(count, bytesNeeded());
    if (payload == null) {
      System.arraycopy(data, offset, header, headerFilled, take);
      headerFilled += take;
      if (headerFilled == headerLength) {
        try {
          headerDone();
        } catch (DecodeException e) {
          throw e.in("cannot read WebSocket frame header");
        }
      }
    } else {
      System.arraycopy(data, offset, payload, payloadFilled, take);
      payloadFilled += take;
    }
    return take;
  }

  private void headerDone() {
    int b1 = header[1] & 0xFF;
    boolean masked = (b1 & 0x80) != 0;
    int len7 = b1 & 0x7F;
    if (headerFilled == 2) {
      if (masked != expectMasked) {
        throw new DecodeException.InvalidField("MASK", masked
            ? "a server frame is masked (RFC 6455 5.1: a server must not mask)"
            : "a client frame is not masked (RFC 6455 5.1: a client must mask)");
      }
      if ((header[0] & 0x70) != 0) {
        throw new DecodeException.InvalidField("RSV", "0x" + Integer.toHexString(header[0] & 0x70)
            + " (expected: 0, no extension was negotiated)");
      }
      headerLength = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + (masked ? 4 : 0);
      if (headerLength > 2) {
        return; // the extended length and the masking key come first
      }
    }
    int opcode = header[0] & 0x0F;
    ByteReader r = ByteReader.of(header, 2, headerLength - 2);
    long length;
    if (len7 == 126) {
      length = r.u16be("extended payload length");
    } else if (len7 == 127) {
      long hi = r.u32be("extended payload length (high)");
      long lo = r.u32be("extended payload length (low)");
      if ((hi & 0x80000000L) != 0) {
        throw new DecodeException.InvalidField("extended payload length",
            "the most significant bit is set (RFC 6455 5.2: it must be 0)");
      }
      length = hi << 32 | lo;
    } else {
      length = len7;
    }
    if ((opcode & 0x8) != 0) {
      if (length > WebSocketFrame.MAX_CONTROL_PAYLOAD) {
        throw new DecodeException.InvalidField("payload length",
            length + " in a control frame (expected: <= " + WebSocketFrame.MAX_CONTROL_PAYLOAD + ")");
      }
      if ((header[0] & 0x80) == 0) {
        throw new DecodeException.InvalidField("FIN",
            "0 in a control frame (expected: 1, control frames are not fragmented)");
      }
    }
    DecodeException.checkBound("payload length", length, maxPayload);
    mask = masked ? r.bytes("masking key", 4) : new byte[0];
    payload = new byte[(int) length];
  }

  public boolean complete() {
    return payload != null && payloadFilled == payload.length;
  }

  /** The frame, unmasked; starts the next one. */
  public WebSocketFrame frame() {
    if (!complete() || payload == null) {
      throw new IllegalStateException("frame incomplete: " + bytesNeeded() + " bytes missing");
    }
    byte[] p = payload;
    for (int i = 0; i < mask.length && i < 4; i++) {
      for (int j = i; j < p.length; j += 4) {
        p[j] ^= mask[i];
      }
    }
    WebSocketFrame f = new WebSocketFrame((header[0] & 0x80) != 0, header[0] & 0x0F, p);
    payload = null;
    payloadFilled = 0;
    headerFilled = 0;
    headerLength = 2;
    return f;
  }

  /** Whether part of a frame is buffered. */
  public boolean partial() {
    return headerFilled > 0;
  }
}
