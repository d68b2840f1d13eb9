package rdpdoctor.protocol.tsgu;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import rdpdoctor.protocol.ByteWriter;

/**
 * [RFC 6455] 5.2 one WebSocket frame, as the RD Gateway's upgraded RDG_OUT_DATA channel carries
 * the MS-TSGU packets (binary frames), pings, pongs and the close.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-------+-+-------------+-------------------------------+
 * |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 * |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 * |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 * +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 * |     Extended payload length continued, if payload len == 127  |
 * + - - - - - - - - - - - - - - - +-------------------------------+
 * |                               | Masking-key, if MASK set to 1 |
 * +-------------------------------+-------------------------------+
 * </pre>
 *
 * @param fin the final fragment of a message
 * @param opcode the frame's opcode (kept as its number when unknown)
 * @param payload the unmasked payload
 */
public record WebSocketFrame(boolean fin, int opcode, byte[] payload) {
  public static final int CONTINUATION = 0x0;
  public static final int TEXT = 0x1;
  public static final int BINARY = 0x2;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;
  public static final int PONG = 0xA;
  /** 5.5: a control frame's payload is at most 125 bytes and never fragmented. */
  public static final int MAX_CONTROL_PAYLOAD = 125;
  /** 7.4.1 status code 1000, normal closure. */
  public static final int CLOSE_NORMAL = 1000;

  public WebSocketFrame {
    if (opcode < 0 || opcode > 0xF) {
      throw new IllegalArgumentException("opcode is 4 bits: " + opcode);
    }
    payload = payload.clone();
  }

  public static WebSocketFrame binary(byte[] payload) {
    return new WebSocketFrame(true, BINARY, payload);
  }

  /** A close frame with a status code (5.5.1). */
  public static WebSocketFrame close(int status) {
    return new WebSocketFrame(true, CLOSE, new ByteWriter(2).u16be(status).toByteArray());
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  public boolean control() {
    return (opcode & 0x8) != 0;
  }

  /** The close status code, when this is a close frame that carries one. */
  public @Nullable Integer closeStatus() {
    return opcode == CLOSE && payload.length >= 2 ? (payload[0] & 0xFF) << 8 | (payload[1] & 0xFF) : null;
  }

  /**
   * Encodes the frame. A client masks every frame (5.3) with a fresh key; a server never masks.
   *
   * @param maskKey the 4-byte masking key, or null for an unmasked (server) frame
   */
  public byte[] encode(byte @Nullable [] maskKey) {
    if (maskKey != null && maskKey.length != 4) {
      throw new IllegalArgumentException("masking key is 4 bytes: " + maskKey.length);
    }
    int n = payload.length;
    ByteWriter w = new ByteWriter(n + 14);
    w.u8((fin ? 0x80 : 0) | opcode);
    int mask = maskKey != null ? 0x80 : 0;
    if (n < 126) {
      w.u8(mask | n);
    } else if (n <= 0xFFFF) {
      w.u8(mask | 126).u16be(n);
    } else {
      w.u8(mask | 127).u32be(0).u32be(n); // Java arrays stay below 2^31, so the high word is 0
    }
    if (maskKey == null) {
      return w.bytes(payload).toByteArray();
    }
    w.bytes(maskKey);
    byte[] masked = new byte[n];
    for (int i = 0; i < n; i++) {
      masked[i] = (byte) (payload[i] ^ maskKey[i & 3]);
    }
    return w.bytes(masked).toByteArray();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WebSocketFrame f && f.fin == fin && f.opcode == opcode && Arrays.equals(f.payload, payload);
  }

  @Override
  public int hashCode() {
    return opcode * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "WebSocketFrame[fin=" + fin + ", opcode=0x" + Integer.toHexString(opcode) + ", " + payload.length + " bytes]";
  }
}
