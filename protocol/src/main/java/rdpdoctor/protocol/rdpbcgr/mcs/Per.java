package rdpdoctor.protocol.rdpbcgr.mcs;

import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.ByteWriter;
import rdpdoctor.protocol.DecodeException;

/**
 * [X.691] ALIGNED PER primitives used by T.124 GCC and the T.125 domain PDUs: length determinants
 * (8.9), constrained whole numbers in octets, and the UserID offset of 1001.
 */
public final class Per {
  /** T.125 UserId / DynamicChannelId lower bound: PER carries the value minus this. */
  public static final int USER_ID_BASE = 1001;

  private Per() {}

  /**
   * A length determinant: one octet below 128, two octets "10xxxxxx xxxxxxxx" up to 16383;
   * fragmented lengths (11xxxxxx) never occur in RDP and are refused.
   */
  public static int readLength(ByteReader r, String field) {
    int b = r.u8(field + " length");
    if ((b & 0x80) == 0) {
      return b;
    }
    if ((b & 0xC0) == 0x80) {
      return (b & 0x3F) << 8 | r.u8(field + " length");
    }
    throw new DecodeException.InvalidField(field + " length", "fragmented PER length 0x" + Integer.toHexString(b));
  }

  public static void writeLength(ByteWriter w, int len) {
    if (len < 0x80) {
      w.u8(len);
    } else if (len < 0x4000) {
      w.u16be(0x8000 | len);
    } else {
      throw new IllegalArgumentException("PER length " + len + " needs fragmentation");
    }
  }

  /** An unconstrained INTEGER: a length determinant then that many two's-complement octets (<= 4). */
  public static long readInteger(ByteReader r, String field) {
    int n = readLength(r, field);
    if (n < 1 || n > 4) {
      throw new DecodeException.InvalidField(field, n + " integer octets (expected: 1..4)");
    }
    long v = 0;
    for (int i = 0; i < n; i++) {
      v = v << 8 | r.u8(field);
    }
    return v;
  }
}
