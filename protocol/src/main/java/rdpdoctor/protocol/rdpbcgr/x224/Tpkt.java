package rdpdoctor.protocol.rdpbcgr.x224;

import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.ByteWriter;
import rdpdoctor.protocol.DecodeException;

/**
 * [T.123] section 8 TPKT header: the 4-byte frame every X.224 TPDU travels in on TCP.
 *
 * <pre>
 *  0        1        2        3
 * +--------+--------+--------+--------+
 * | version| reserved|   length (BE)   |   length counts the header itself
 * +--------+--------+--------+--------+
 * </pre>
 */
public final class Tpkt {
  /** version (1) + reserved (1) + length (2). */
  public static final int HEADER_LENGTH = 1 /* version */ + 1 /* reserved */ + 2 /* length */;

  /** [T.123] 8: the only version defined. */
  public static final int VERSION = 3;

  /**
   * The largest frame a probe accepts by default. The field allows 65535, but nothing a server
   * sends before the session starts comes near it (a Windows MCS Connect Response is about 2 KB),
   * so a larger value is treated as hostile instead of allocated.
   */
  public static final int DEFAULT_MAX_LENGTH = 16 * 1024;

  private Tpkt() {}

  /** Wraps {@code payload} (an X.224 TPDU) in a TPKT header. */
  public static byte[] encode(byte[] payload) {
    int length = HEADER_LENGTH + payload.length;
    if (length > 0xFFFF) {
      throw new IllegalArgumentException("tpkt payload too long: " + payload.length + " (expected: <= 65531)");
    }
    return new ByteWriter(length)
        .u8(VERSION) //          version (1)
        .u8(0) //                reserved (1)
        .u16be(length) //        length (2), header included
        .bytes(payload)
        .toByteArray();
  }

  /**
   * Reads a header and returns the total frame length it announces, checked against
   * {@code [HEADER_LENGTH, maxLength]}.
   */
  public static int frameLength(ByteReader r, int maxLength) {
    int version = r.u8("tpkt version"); //    version (1)
    if (version != VERSION) {
      throw new DecodeException.UnexpectedValue("tpkt header", "version", version, "0x3");
    }
    r.u8("tpkt reserved"); //                  reserved (1), ignored as receivers must
    int length = r.u16be("tpkt length"); //    length (2)
    if (length < HEADER_LENGTH) {
      throw new DecodeException.InvalidField(
          "tpkt length", length + " (expected: >= " + HEADER_LENGTH + ")");
    }
    DecodeException.checkBound("tpkt length", length, maxLength);
    return length;
  }

  /** Decodes one whole frame and returns its payload; trailing bytes are an error. */
  public static byte[] decode(byte[] frame, int maxLength) {
    try {
      ByteReader r = ByteReader.of(frame);
      int length = frameLength(r, maxLength);
      if (length != frame.length) {
        throw new DecodeException.InvalidField(
            "tpkt length", length + " (expected: " + frame.length + ", the bytes given)");
      }
      return r.bytes("tpkt payload", length - HEADER_LENGTH);
    } catch (DecodeException e) {
      throw e.in("cannot read TPKT frame");
    }
  }
}
