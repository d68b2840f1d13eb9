package rdpdoctor.evidence.even6;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import rdpdoctor.protocol.DecodeException;

/**
 * [MS-EVEN6] 3.1.4.7.3 / libevtx "Value types": decodes one substitution value and formats it the
 * way {@code evtxexport} prints it (hex integers {@code 0x%08x}/{@code 0x%016x}, GUIDs in braces
 * upper case, FILETIME with 100 ns digits, binary as upper-case hex, booleans other than 0 as
 * {@code true}, reals as {@code %.6e} with three exponent digits), except where evtxexport is
 * demonstrably wrong; each such place says why. {@code EvtxValueTypesConformanceTest} compares every
 * type against evtxexport and python-evtx.
 */
public final class Values {
  public static final int NULL = 0x00;
  public static final int STRING = 0x01;
  public static final int ANSI_STRING = 0x02;
  public static final int INT8 = 0x03;
  public static final int UINT8 = 0x04;
  public static final int INT16 = 0x05;
  public static final int UINT16 = 0x06;
  public static final int INT32 = 0x07;
  public static final int UINT32 = 0x08;
  public static final int INT64 = 0x09;
  public static final int UINT64 = 0x0A;
  public static final int REAL32 = 0x0B;
  public static final int REAL64 = 0x0C;
  public static final int BOOL = 0x0D;
  public static final int BINARY = 0x0E;
  public static final int GUID = 0x0F;
  public static final int SIZE_T = 0x10;
  public static final int FILETIME = 0x11;
  public static final int SYSTEMTIME = 0x12;
  public static final int SID = 0x13;
  public static final int HEX_INT32 = 0x14;
  public static final int HEX_INT64 = 0x15;
  public static final int EVT_HANDLE = 0x20;
  public static final int BINXML = 0x21;
  public static final int EVT_XML = 0x23;
  public static final int ARRAY = 0x80;

  /** ANSI strings: Windows-1252 like evtxexport's default codepage; never fails on a byte. */
  private static final Charset ANSI = windows1252();

  private static final char[] HEX_LOWER = "0123456789abcdef".toCharArray();
  private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();

  private Values() {}

  private static Charset windows1252() {
    try {
      return Charset.forName("windows-1252");
    } catch (RuntimeException e) {
      return StandardCharsets.ISO_8859_1;
    }
  }

  /** The fixed size of a scalar type, or -1 when the size comes from the data. */
  public static int fixedSize(int type) {
    return switch (type) {
      case INT8, UINT8 -> 1;
      case INT16, UINT16 -> 2;
      case INT32, UINT32, REAL32, BOOL, HEX_INT32 -> 4;
      case INT64, UINT64, REAL64, FILETIME, HEX_INT64 -> 8;
      case GUID, SYSTEMTIME -> 16;
      default -> -1;
    };
  }

  /** A short name of the value type for messages and JSON. */
  public static String typeName(int type) {
    String base =
        switch (type & 0x7F) {
          case NULL -> "null";
          case STRING -> "string";
          case ANSI_STRING -> "ansi";
          case INT8 -> "int8";
          case UINT8 -> "uint8";
          case INT16 -> "int16";
          case UINT16 -> "uint16";
          case INT32 -> "int32";
          case UINT32 -> "uint32";
          case INT64 -> "int64";
          case UINT64 -> "uint64";
          case REAL32 -> "real32";
          case REAL64 -> "real64";
          case BOOL -> "bool";
          case BINARY -> "binary";
          case GUID -> "guid";
          case SIZE_T -> "size_t";
          case FILETIME -> "filetime";
          case SYSTEMTIME -> "systemtime";
          case SID -> "sid";
          case HEX_INT32 -> "hexint32";
          case HEX_INT64 -> "hexint64";
          case EVT_HANDLE -> "evthandle";
          case BINXML -> "binxml";
          case EVT_XML -> "evtxml";
          default -> "0x" + Integer.toHexString(type & 0x7F);
        };
    return (type & ARRAY) != 0 ? base + "[]" : base;
  }

  static int u16(byte[] b, int o) {
    return (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8;
  }

  static int i32(byte[] b, int o) {
    return (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8 | (b[o + 2] & 0xFF) << 16 | (b[o + 3] & 0xFF) << 24;
  }

  static long u32(byte[] b, int o) {
    return i32(b, o) & 0xFFFFFFFFL;
  }

  static long i64(byte[] b, int o) {
    return (i32(b, o) & 0xFFFFFFFFL) | ((long) i32(b, o + 4)) << 32;
  }

  /** UTF-16LE text; each unpaired surrogate becomes one U+FFFD. */
  static String utf16(byte[] b, int off, int chars) {
    return utf16(b, off, chars, false);
  }

  /**
   * UTF-16LE text of at most {@code chars} characters; with {@code untilNul} it ends before the
   * first NUL character.
   */
  private static String utf16(byte[] b, int off, int chars, boolean untilNul) {
    if (chars == 0) {
      return "";
    }
    // Plain ASCII is by far the most common content: copy it in one pass, falling back on the
    // first character that is not (a NUL falls back too, so the common path tests nothing more).
    byte[] a = new byte[chars];
    int ascii = 0;
    for (; ascii < chars; ascii++) {
      byte lo = b[off + 2 * ascii];
      if (b[off + 2 * ascii + 1] != 0 || lo <= 0) {
        break;
      }
      a[ascii] = lo;
    }
    if (ascii == chars) {
      return new String(a, StandardCharsets.ISO_8859_1);
    }
    if (untilNul) {
      int n = ascii;
      while (n < chars && (b[off + 2 * n] | b[off + 2 * n + 1]) != 0) {
        n++;
      }
      if (n == ascii) {
        return new String(a, 0, ascii, StandardCharsets.ISO_8859_1);
      }
      chars = n;
    }
    // Decoded by hand: the JDK decoder swallows the character after an unpaired surrogate.
    char[] c = new char[chars];
    for (int i = 0; i < chars; i++) {
      c[i] = (char) ((b[off + 2 * i] & 0xFF) | (b[off + 2 * i + 1] & 0xFF) << 8);
    }
    for (int i = 0; i < chars; i++) {
      if (Character.isHighSurrogate(c[i]) && i + 1 < chars && Character.isLowSurrogate(c[i + 1])) {
        i++;
      } else if (Character.isSurrogate(c[i])) {
        c[i] = '\ufffd'; // an unpaired surrogate (python-evtx issue 43) becomes U+FFFD, alone
      }
    }
    return new String(c);
  }

  /**
   * Formats a scalar value of {@code type} held in {@code b[off, off + len)}.
   *
   * @throws DecodeException when the value's size does not fit its type
   */
  public static String format(int type, byte[] b, int off, int len) {
    int fixed = fixedSize(type);
    if (fixed > 0 && len < fixed) {
      throw new DecodeException.NotEnoughBytes(typeName(type) + " value", len, fixed);
    }
    return switch (type) {
      case NULL -> "";
      // Windows hands these values out as C strings (EVT_VARIANT_TYPE: "a null-terminated Unicode
      // string"), so the text ends at the first NUL: writers often add one, and what follows it is
      // not part of the value (the Rust evtx crate cuts there too; evtxexport's output ends there).
      // A NUL kept in the text would also make the XML not well-formed.
      case STRING, EVT_XML -> utf16(b, off, len / 2, true);
      case ANSI_STRING -> {
        int n = 0;
        while (n < len && b[off + n] != 0) {
          n++;
        }
        yield new String(b, off, n, ANSI);
      }
      case INT8 -> Integer.toString(b[off]);
      case UINT8 -> Integer.toString(b[off] & 0xFF);
      case INT16 -> Integer.toString((short) u16(b, off));
      case UINT16 -> Integer.toString(u16(b, off));
      case INT32 -> Integer.toString(i32(b, off));
      case UINT32 -> Long.toString(u32(b, off));
      case INT64 -> Long.toString(i64(b, off));
      case UINT64 -> Long.toUnsignedString(i64(b, off));
      case REAL32 -> real32(i32(b, off));
      case REAL64 -> real64(i64(b, off));
      // [MS-EVEN6] says 0 or 1; real logs hold other values (omerbenamram issue #206): non-zero is true.
      case BOOL -> i32(b, off) == 0 ? "false" : "true";
      case BINARY -> hex(b, off, len);
      case GUID -> guid(b, off);
      // A pointer-sized value: its width is the writer's. Windows renders it like the hex integer
      // of that width (Security 4907's HandleId/ProcessId are SIZE_T and Microsoft's example shows
      // 0x2f8), libevtx's format documentation says so, and libfwevt prints exactly this since June
      // 2026 (commit 05e6c90; evtxexport 20181227 and python-evtx print decimal).
      case SIZE_T -> switch (len) {
        case 4 -> hex32(i32(b, off));
        case 8 -> hex64(i64(b, off));
        default -> throw new DecodeException.InvalidField("size_t value size", len + " (expected: 4 or 8)");
      };
      case FILETIME -> FileTime.format(i64(b, off));
      case SYSTEMTIME -> systemTime(b, off);
      case SID -> sid(b, off, len);
      case HEX_INT32 -> hex32(i32(b, off));
      case HEX_INT64 -> hex64(i64(b, off));
      // No peer renders an EVT_HANDLE (evtxexport: "unsupported value type: 0x20", python-evtx:
      // KeyError) and Windows writes none to a log: the handle's number, unsigned, of its width.
      case EVT_HANDLE -> switch (len) {
        case 4 -> Long.toString(u32(b, off));
        case 8 -> Long.toUnsignedString(i64(b, off));
        default -> throw new DecodeException.InvalidField("evthandle value size", len + " (expected: 4 or 8)");
      };
      default -> throw new DecodeException.UnexpectedValue("substitution", "value type", type, "a known value type");
    };
  }

  static String hex32(int v) {
    char[] c = new char[10];
    c[0] = '0';
    c[1] = 'x';
    for (int i = 9; i >= 2; i--) {
      c[i] = HEX_LOWER[v & 0xF];
      v >>>= 4;
    }
    return new String(c);
  }

  static String hex64(long v) {
    char[] c = new char[18];
    c[0] = '0';
    c[1] = 'x';
    for (int i = 17; i >= 2; i--) {
      c[i] = HEX_LOWER[(int) (v & 0xF)];
      v >>>= 4;
    }
    return new String(c);
  }

  /** Upper-case hex of the bytes, two digits each. */
  private static String hex(byte[] b, int off, int len) {
    char[] c = new char[len * 2];
    for (int i = 0; i < len; i++) {
      c[2 * i] = HEX_UPPER[(b[off + i] >> 4) & 0xF];
      c[2 * i + 1] = HEX_UPPER[b[off + i] & 0xF];
    }
    return new String(c);
  }

  /** REAL32 from its IEEE 754 bits; see {@link #real}. */
  static String real32(int bits) {
    int magnitude = bits & 0x7FFFFFFF;
    if (magnitude > 0x7F800000) {
      return bits == 0xFFC00000 ? "Ind" : "NaN";
    }
    // float to double is exact, so the digits are the float's own
    return real(bits < 0, magnitude == 0x7F800000, Math.abs((double) Float.intBitsToFloat(bits)));
  }

  /** REAL64 from its IEEE 754 bits; see {@link #real}. */
  static String real64(long bits) {
    long magnitude = bits & 0x7FFFFFFFFFFFFFFFL;
    if (magnitude > 0x7FF0000000000000L) {
      return bits == 0xFFF8000000000000L ? "Ind" : "NaN";
    }
    return real(bits < 0, magnitude == 0x7FF0000000000000L, Math.abs(Double.longBitsToDouble(bits)));
  }

  /**
   * A real as libfwevt (evtxexport) prints it: C's {@code %.6e} with at least three exponent digits,
   * the form Microsoft's C runtime printed ({@code 1.500000e+000}, {@code -0.000000e+000},
   * {@code 4.940656e-324}); {@code Inf}/{@code -Inf}; {@code Ind} for the x86 "indefinite" NaN (sign
   * and quiet bit set, no payload: what 0/0 gives) and {@code NaN} for any other NaN. Windows' own
   * text for reals could not be established, so evtxexport is the reference, but not its bugs: it
   * drops the sign of -Inf, and it makes the digits by dividing by ten in binary floating point, so
   * 1e-5f comes out as {@code :.000000e-006} and an exact tie such as 1234567.5 is not rounded.
   * Here the seven digits are the exact binary value rounded half-even, as printf rounds.
   */
  private static String real(boolean negative, boolean infinite, double magnitude) {
    if (infinite) {
      return negative ? "-Inf" : "Inf";
    }
    String digits = "0";
    int exponent = 0;
    if (magnitude != 0) {
      BigDecimal d = new BigDecimal(magnitude).round(new MathContext(7, RoundingMode.HALF_EVEN));
      digits = d.unscaledValue().toString(); // 1 to 7 digits: round() keeps no more, adds none
      exponent = digits.length() - 1 - d.scale();
    }
    char[] c = new char[(negative ? 1 : 0) + 8 + 2 + Math.max(3, Integer.toString(Math.abs(exponent)).length())];
    int i = 0;
    if (negative) {
      c[i++] = '-';
    }
    c[i++] = digits.charAt(0);
    c[i++] = '.';
    for (int k = 1; k < 7; k++) {
      c[i++] = k < digits.length() ? digits.charAt(k) : '0';
    }
    c[i++] = 'e';
    c[i++] = exponent < 0 ? '-' : '+';
    for (int v = Math.abs(exponent), k = c.length - 1; k >= i; k--, v /= 10) {
      c[k] = (char) ('0' + v % 10);
    }
    return new String(c);
  }

  /** {Data1-Data2-Data3-Data4[0..1]-Data4[2..7]}, the first three little-endian. */
  static String guid(byte[] b, int off) {
    StringBuilder sb = new StringBuilder(38);
    sb.append('{');
    hexRev(b, off, 4, sb);
    sb.append('-');
    hexRev(b, off + 4, 2, sb);
    sb.append('-');
    hexRev(b, off + 6, 2, sb);
    sb.append('-');
    sb.append(hex(b, off + 8, 2));
    sb.append('-');
    sb.append(hex(b, off + 10, 6));
    sb.append('}');
    return sb.toString();
  }

  private static void hexRev(byte[] b, int off, int n, StringBuilder sb) {
    for (int i = n - 1; i >= 0; i--) {
      sb.append(HEX_UPPER[(b[off + i] >> 4) & 0xF]).append(HEX_UPPER[b[off + i] & 0xF]);
    }
  }

  /** [MS-DTYP] 2.4.2 SID: revision, sub-authority count, 6-byte big-endian authority, sub-authorities. */
  static String sid(byte[] b, int off, int len) {
    if (len < 8) {
      throw new DecodeException.NotEnoughBytes("sid value", len, 8);
    }
    int revision = b[off] & 0xFF;
    int count = b[off + 1] & 0xFF;
    if (8 + 4L * count > len) {
      throw new DecodeException.NotEnoughBytes("sid sub-authorities", len - 8, 4L * count);
    }
    long authority = 0;
    for (int i = 0; i < 6; i++) {
      authority = authority << 8 | (b[off + 2 + i] & 0xFF);
    }
    StringBuilder sb = new StringBuilder(48);
    sb.append("S-").append(revision).append('-');
    if (authority >= 1L << 32) {
      // [MS-DTYP] 2.4.2.1: an authority of 2^32 or more is "0x" 12HEXDIG, all twelve digits,
      // lower case as Microsoft's GetTextualSid sample and RtlConvertSidToUnicodeString write
      // them ("0x%02hx" six times). evtxexport and python-evtx print it in decimal.
      sb.append("0x");
      for (int shift = 44; shift >= 0; shift -= 4) {
        sb.append(HEX_LOWER[(int) (authority >>> shift) & 0xF]);
      }
    } else {
      sb.append(authority);
    }
    for (int i = 0; i < count; i++) {
      sb.append('-').append(u32(b, off + 8 + 4 * i));
    }
    return sb.toString();
  }

  /**
   * [MS-DTYP] 2.3.13 SYSTEMTIME: year, month, day of week, day, hour, minute, second, milliseconds
   * (u16 each), as {@code yyyy-MM-ddTHH:mm:ss.fffZ} like evtxexport. A value that is not a time
   * (a field out of its range, a day the month does not have, a year past 9999) is printed as its
   * eight fields, {@code (0x07e8 0x000d ...)}, the form libfdatetime means to print: a diagnostic
   * must not show a time that was never written, and rules read ISO text as instants. (libfdatetime
   * shifts each field by 2 bits too many, so evtxexport's numbers there are a quarter of the truth.)
   */
  static String systemTime(byte[] b, int off) {
    int year = u16(b, off);
    int month = u16(b, off + 2);
    int dayOfWeek = u16(b, off + 4);
    int day = u16(b, off + 6);
    int hour = u16(b, off + 8);
    int minute = u16(b, off + 10);
    int second = u16(b, off + 12);
    int milli = u16(b, off + 14);
    if (year > 9999 || month < 1 || month > 12 || dayOfWeek > 6 || day < 1 || day > daysInMonth(year, month)
        || hour > 23 || minute > 59 || second > 59 || milli > 999) {
      StringBuilder sb = new StringBuilder(8 * 7 + 1);
      for (int i = 0; i < 8; i++) {
        sb.append(i == 0 ? "(0x" : " 0x");
        int v = u16(b, off + 2 * i);
        for (int shift = 12; shift >= 0; shift -= 4) {
          sb.append(HEX_LOWER[(v >>> shift) & 0xF]);
        }
      }
      return sb.append(')').toString();
    }
    char[] c = "0000-00-00T00:00:00.000Z".toCharArray();
    digits(c, 0, 4, year);
    digits(c, 5, 2, month);
    digits(c, 8, 2, day);
    digits(c, 11, 2, hour);
    digits(c, 14, 2, minute);
    digits(c, 17, 2, second);
    digits(c, 20, 3, milli);
    return new String(c);
  }

  /** Days in {@code month} (1-12) of the proleptic Gregorian {@code year}. */
  private static int daysInMonth(int year, int month) {
    return switch (month) {
      case 2 -> (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /** Writes {@code v} as {@code n} decimal digits at {@code c[at]} (FileTime's too). */
  static void digits(char[] c, int at, int n, int v) {
    for (int i = at + n - 1; i >= at; i--, v /= 10) {
      c[i] = (char) ('0' + v % 10);
    }
  }
}
