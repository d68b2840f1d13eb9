package rdpdoctor.protocol.der;

import java.math.BigInteger;
import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.ByteWriter;
import rdpdoctor.protocol.DecodeException;

/**
 * [X.690] 8 Basic/Distinguished Encoding Rules, the small subset CredSSP, SPNEGO and T.125 need:
 * identifier octets (with high tag numbers), definite lengths, and the primitive types.
 *
 * <p>Written here rather than taken from BouncyCastle's ASN.1 classes so that every failure is a
 * typed {@link DecodeException} naming the field and every length is bounded by the caller before a
 * byte is copied. Indefinite lengths are refused: none of the protocols read here allow them.
 */
public final class Der {
  /** Class bits of the first identifier octet. */
  public static final int UNIVERSAL = 0x00;

  public static final int APPLICATION = 0x40;
  public static final int CONTEXT = 0x80;
  public static final int CONSTRUCTED = 0x20;

  public static final int INTEGER = 0x02;
  public static final int BIT_STRING = 0x03;
  public static final int OCTET_STRING = 0x04;
  public static final int OID = 0x06;
  public static final int ENUMERATED = 0x0A;
  public static final int BOOLEAN = 0x01;
  public static final int SEQUENCE = 0x30;

  private Der() {}

  /** A decoded identifier: class + constructed bits as in the first octet, and the tag number. */
  public record Tag(int classAndForm, long number) {
    public static Tag context(int n, boolean constructed) {
      return new Tag(CONTEXT | (constructed ? CONSTRUCTED : 0), n);
    }

    public boolean constructed() {
      return (classAndForm & CONSTRUCTED) != 0;
    }

    /** The single identifier octet for tags below 31, the way hex dumps show them. */
    @Override
    public String toString() {
      return number < 31
          ? "0x" + Integer.toHexString(classAndForm | (int) number)
          : "[class 0x" + Integer.toHexString(classAndForm) + " tag " + number + "]";
    }
  }

  /** One TLV: its tag and a reader over exactly its content. */
  public record Element(Tag tag, ByteReader content) {}

  /** Reads identifier octets ([X.690] 8.1.2); high tag numbers take base-128 continuation bytes. */
  public static Tag readTag(ByteReader r, String field) {
    int first = r.u8(field + " tag");
    int number = first & 0x1F;
    if (number != 0x1F) {
      return new Tag(first & 0xE0, number);
    }
    long n = 0;
    for (int i = 0; ; i++) {
      // Four continuation bytes (28 bits) cover every tag any of our protocols uses.
      if (i == 4) {
        throw new DecodeException.InvalidField(field + " tag", "tag number longer than 4 bytes");
      }
      int b = r.u8(field + " tag");
      n = n << 7 | (b & 0x7F);
      if ((b & 0x80) == 0) {
        return new Tag(first & 0xE0, n);
      }
    }
  }

  /**
   * Reads length octets ([X.690] 8.1.3) and checks the value against {@code max} and against the
   * bytes that are left, so a hostile length never sizes an allocation.
   */
  public static int readLength(ByteReader r, String field, long max) {
    int len = lengthValue(r, field, max);
    r.require(field, len);
    return len;
  }

  /**
   * Reads length octets and checks the value against {@code max} only, for framers that learn
   * how many content bytes are still to come (a {@link DecodeException.NotEnoughBytes} here means
   * the length octets themselves are incomplete).
   */
  public static int lengthValue(ByteReader r, String field, long max) {
    int first = r.u8(field + " length");
    long len;
    if (first < 0x80) {
      len = first;
    } else if (first == 0x80) {
      throw new DecodeException.InvalidField(field + " length", "indefinite length is not allowed");
    } else {
      int count = first & 0x7F;
      if (count > 4) {
        throw new DecodeException.InvalidField(
            field + " length", count + " length octets (expected: <= 4)");
      }
      len = 0;
      for (int i = 0; i < count; i++) {
        len = len << 8 | r.u8(field + " length");
      }
    }
    DecodeException.checkBound(field + " length", len, max);
    return (int) len;
  }

  /** Reads one element whose content is at most {@code max} bytes. */
  public static Element read(ByteReader r, String field, long max) {
    Tag tag = readTag(r, field);
    int len = readLength(r, field, max);
    return new Element(tag, r.slice(field, len));
  }

  /** Reads one element and fails unless it has the expected tag. */
  public static ByteReader expect(ByteReader r, Tag expected, String field, long max) {
    Element e = read(r, field, max);
    if (!e.tag().equals(expected)) {
      throw new DecodeException.UnexpectedValue(
          field, "tag", e.tag().classAndForm() | e.tag().number(), expected.toString());
    }
    return e.content();
  }

  public static ByteReader expect(ByteReader r, int singleOctetTag, String field, long max) {
    return expect(r, new Tag(singleOctetTag & 0xE0, singleOctetTag & 0x1F), field, max);
  }

  /** True when the next identifier octet equals {@code singleOctetTag} (no bytes consumed). */
  public static boolean next(ByteReader r, int singleOctetTag) {
    return r.hasRemaining() && r.peekU8("tag") == (singleOctetTag & 0xFF);
  }

  /**
   * An INTEGER's content as a two's-complement value; more than 8 content octets are refused
   * except for a leading zero octet that only makes a 64-bit value positive.
   */
  public static long integerValue(ByteReader content, String field) {
    int n = content.remaining();
    if (n == 0) {
      throw new DecodeException.InvalidField(field, "empty integer");
    }
    if (n > 9 || (n == 9 && content.peekU8(field) != 0)) {
      throw new DecodeException.InvalidField(field, n + " integer octets (expected: <= 8)");
    }
    long v = (byte) content.u8(field); // sign-extend the first octet
    for (int i = 1; i < n; i++) {
      v = v << 8 | content.u8(field);
    }
    return v;
  }

  public static long readInteger(ByteReader r, String field) {
    return integerValue(expect(r, INTEGER, field, 9), field);
  }

  /** An ENUMERATED's value (at most 4 content octets: every enumeration here is small). */
  public static long readEnumerated(ByteReader r, String field) {
    return integerValue(expect(r, ENUMERATED, field, 4), field);
  }

  /** An OCTET STRING's content, copied, at most {@code max} bytes. */
  public static byte[] readOctetString(ByteReader r, String field, long max) {
    ByteReader v = expect(r, OCTET_STRING, field, max);
    return v.bytes(field, v.remaining());
  }

  /** An OBJECT IDENTIFIER as dotted text (64 content octets are far more than any OID here). */
  public static String readOid(ByteReader r, String field) {
    return oidValue(expect(r, OID, field, 64), field);
  }

  /**
   * An INTEGER read as unsigned: T.125 encoders (Windows among them) write 65535 as {@code 02 02 ff ff},
   * which strict DER would read as -1. At most 4 content octets (5 with a leading zero).
   */
  public static long readUnsigned(ByteReader r, String field) {
    ByteReader c = expect(r, INTEGER, field, 5);
    int n = c.remaining();
    if (n == 0 || n > 5 || (n == 5 && c.peekU8(field) != 0)) {
      throw new DecodeException.InvalidField(field, n + " integer octets (expected: 1..4)");
    }
    long v = 0;
    for (int i = 0; i < n; i++) {
      v = v << 8 | c.u8(field);
    }
    return v;
  }

  /** An INTEGER with the unsigned minimal content octets T.125 peers expect (65535 = ff ff). */
  public static byte[] unsigned(long v) {
    if (v < 0) {
      throw new IllegalArgumentException("negative: " + v);
    }
    int n = 1;
    while (n < 8 && (v >>> (8 * n)) != 0) {
      n++;
    }
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[n - 1 - i] = (byte) (v >>> (8 * i));
    }
    return tlv(INTEGER, b);
  }

  /** Dotted text of an OBJECT IDENTIFIER's content ([X.690] 8.19). */
  public static String oidValue(ByteReader content, String field) {
    if (!content.hasRemaining()) {
      throw new DecodeException.InvalidField(field, "empty object identifier");
    }
    StringBuilder sb = new StringBuilder();
    boolean first = true;
    while (content.hasRemaining()) {
      long v = 0;
      int b;
      int count = 0;
      do {
        if (++count > 9) {
          throw new DecodeException.InvalidField(field, "object identifier arc longer than 9 octets");
        }
        b = content.u8(field);
        v = v << 7 | (b & 0x7F);
      } while ((b & 0x80) != 0);
      if (first) {
        long a = Math.min(v / 40, 2);
        sb.append(a).append('.').append(v - a * 40);
        first = false;
      } else {
        sb.append('.').append(v);
      }
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- encoding

  /** Appends a TLV with a single-octet tag. */
  public static void write(ByteWriter w, int singleOctetTag, byte[] content) {
    w.u8(singleOctetTag);
    writeLength(w, content.length);
    w.bytes(content);
  }

  /** Appends a TLV with any tag (high tag numbers for T.125's [APPLICATION 101] and friends). */
  public static void write(ByteWriter w, Tag tag, byte[] content) {
    if (tag.number() < 31) {
      w.u8(tag.classAndForm() | (int) tag.number());
    } else {
      w.u8(tag.classAndForm() | 0x1F);
      long n = tag.number();
      int groups = 1;
      while ((n >>> (7 * groups)) != 0) {
        groups++;
      }
      for (int g = groups - 1; g >= 0; g--) {
        int b = (int) (n >>> (7 * g)) & 0x7F;
        w.u8(g == 0 ? b : b | 0x80);
      }
    }
    writeLength(w, content.length);
    w.bytes(content);
  }

  /** Definite length in the shortest form. */
  public static void writeLength(ByteWriter w, int len) {
    if (len < 0x80) {
      w.u8(len);
    } else if (len <= 0xFF) {
      w.u8(0x81).u8(len);
    } else if (len <= 0xFFFF) {
      w.u8(0x82).u16be(len);
    } else if (len <= 0xFFFFFF) {
      w.u8(0x83).u8(len >>> 16).u16be(len & 0xFFFF);
    } else {
      w.u8(0x84).u32be(len);
    }
  }

  public static byte[] tlv(int singleOctetTag, byte[] content) {
    ByteWriter w = new ByteWriter(content.length + 6);
    write(w, singleOctetTag, content);
    return w.toByteArray();
  }

  /** A SEQUENCE or context-tagged wrapper around already-encoded elements. */
  public static byte[] tlv(int singleOctetTag, byte[]... parts) {
    ByteWriter body = new ByteWriter();
    for (byte[] p : parts) {
      body.bytes(p);
    }
    return tlv(singleOctetTag, body.toByteArray());
  }

  /** The minimal two's-complement content octets of an INTEGER. */
  public static byte[] integer(long v) {
    return tlv(INTEGER, BigInteger.valueOf(v).toByteArray());
  }

  public static byte[] octetString(byte[] v) {
    return tlv(OCTET_STRING, v);
  }

  /** Encodes dotted OID text. */
  public static byte[] oid(String dotted) {
    String[] parts = dotted.split("\\.");
    ByteWriter w = new ByteWriter();
    writeBase128(w, Long.parseLong(parts[0]) * 40 + Long.parseLong(parts[1]));
    for (int i = 2; i < parts.length; i++) {
      writeBase128(w, Long.parseLong(parts[i]));
    }
    return tlv(OID, w.toByteArray());
  }

  private static void writeBase128(ByteWriter w, long v) {
    int groups = 1;
    while ((v >>> (7 * groups)) != 0) {
      groups++;
    }
    for (int g = groups - 1; g >= 0; g--) {
      int b = (int) (v >>> (7 * g)) & 0x7F;
      w.u8(g == 0 ? b : b | 0x80);
    }
  }
}
