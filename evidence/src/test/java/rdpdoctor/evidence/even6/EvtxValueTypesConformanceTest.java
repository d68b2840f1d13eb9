package rdpdoctor.evidence.even6;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.evidence.even6.EvtxWriter.Value;
import rdpdoctor.protocol.ByteWriter;

/**
 * Every [MS-EVEN6] substitution value type with its edge values, rendered by our reader and by the
 * two peers installed here: libevtx's {@code evtxexport -f xml} (20181227) and python-evtx's
 * {@code evtx_dump.py} (0.6.1).
 *
 * <p>Each case is one event holding one {@code <Data Name="case">} (an array value repeats the
 * element once per item, as libevtx's format documentation says). The table gives our
 * text and, for each peer, whether it prints the same, prints something else (and why we differ),
 * or cannot print the case among others ({@link Alone}: it refuses the record, or its output breaks
 * there), in which case the peer runs on a file holding that case alone and its output must show
 * exactly that. So a peer release that changes its rendering fails here and gets looked at.
 *
 * <p>Who is right: Windows' own rendering where it can be established (Microsoft's published event
 * XML, [MS-DTYP]); otherwise evtxexport, which the corpus conformance test also follows, except
 * where it is demonstrably wrong. python-evtx renders most types in Python's own forms and is
 * compared so that its differences are known, not followed.
 */
class EvtxValueTypesConformanceTest {

  static final Path EVTXEXPORT = Path.of("/usr/bin/evtxexport");
  static final Path EVTX_DUMP = Path.of("/usr/bin/evtx_dump.py");
  static final long PEER_TIMEOUT_SECONDS = 60;

  /** What a peer does with a case. */
  sealed interface Peer permits Same, Prints, Alone {}

  /** The peer prints our text. */
  record Same() implements Peer {}

  /** The peer prints {@code texts} (one per element); {@code why} says why ours differs. */
  record Prints(String why, List<String> texts) implements Peer {}

  /**
   * The peer cannot print the case beside others; run alone, its stdout and stderr hold
   * {@code evidence}.
   */
  record Alone(String why, String evidence) implements Peer {}

  static final Peer SAME = new Same();

  static Peer prints(String why, String... texts) {
    return new Prints(why, List.of(texts));
  }

  static Peer alone(String why, String evidence) {
    return new Alone(why, evidence);
  }

  /** One value: its Data name, the value, our text per element, and what each peer prints. */
  record Case(String name, Value value, List<String> ours, Peer evtxexport, Peer python) {
    Case ee(Peer p) {
      return new Case(name, value, ours, p, python);
    }

    Case py(Peer p) {
      return new Case(name, value, ours, evtxexport, p);
    }
  }

  static Case c(String name, Value value, String... ours) {
    return new Case(name, value, List.of(ours), SAME, SAME);
  }

  // ---- why we differ ------------------------------------------------------------------------

  static final String EE_SIGN_MAGNITUDE = "evtxexport (libfwevt, HEAD too) prints a negative integer as minus its"
      + " magnitude bits (0xff -> -127); Windows integers are two's complement ([MS-DTYP] 2.2), python-evtx agrees";
  static final String EE_SIZE_T_DECIMAL = "evtxexport 20181227 prints SIZE_T in decimal; Windows prints it as hex"
      + " (Security 4907 HandleId/ProcessId are SIZE_T, Microsoft's example shows 0x2f8) and libfwevt since June"
      + " 2026 prints exactly our 0x%08x/0x%016x, as libevtx's format documentation says";
  static final String EE_REAL_CARRY = "evtxexport makes the digits by dividing by ten in binary floating point:"
      + " 9.99999975e-6 rounds to ten without a carry, a ':' digit and the exponent of the unrounded value";
  static final String EE_REAL_TIE = "an exact tie at the seventh digit: evtxexport's binary divisions lose the"
      + " half, we round the exact value half-even as printf does";
  static final String EE_INF_SIGN = "evtxexport writes the minus sign of finite values only: -Inf prints as Inf";
  static final String EE_SYSTEMTIME_SHIFT = "not a valid SYSTEMTIME: both print the eight fields, but libfdatetime"
      + " shifts each field two bits too far (byte_shift 14, not 12), so its numbers are a quarter of the truth";
  static final String EE_NO_BOOL_ARRAY = "evtxexport has no renderer for bool[] (EVT_VARIANT BooleanArr)";
  static final String EE_NO_SID_ARRAY = "evtxexport has no renderer for sid[] (EVT_VARIANT SidArr)";
  static final String EE_NO_SIZE_T_ARRAY = "evtxexport has no renderer for size_t[] (EVT_VARIANT SizeTArr)";
  static final String EE_NO_EVT_HANDLE = "evtxexport has no renderer for EVT_HANDLE; nor does python-evtx or the"
      + " Rust evtx crate, and Windows does not write one to a log: ours is the handle's number";
  static final String EE_EMPTY_ARRAY = "evtxexport 20181227 refuses a zero-length array; libevtx's format"
      + " documentation says it is one empty element, as we print";
  static final String EE_NUL_INSIDE = "Windows reads string values as C strings (EVT_VARIANT_TYPE: null-terminated),"
      + " so the text ends at the first NUL; evtxexport ends the whole record there";
  static final String EE_ANSI_UNESCAPED = "evtxexport writes ANSI text without XML escaping (its document is not"
      + " well-formed); the text itself is the same";
  static final String EE_SURROGATES = "evtxexport 20181227 decodes a surrogate pair to the wrong code point"
      + " (U+1F600 as U+1F201)";
  static final String EE_SID_AUTHORITY = "[MS-DTYP] 2.4.2.1: an identifier authority of 2^32 or more is \"0x\""
      + " 12HEXDIG; evtxexport and python-evtx print decimal";

  static final String PY_REPR = "python-evtx prints Python's repr() of the value widened to a double";
  static final String PY_BOOL = "python-evtx prints Python's True/False";
  static final String PY_BOOL_SIGN = "python-evtx tests the value > 0, so -1 is False; evtxexport and the Rust"
      + " crate (issue 206, irregular bools) print any non-zero as true";
  static final String PY_BASE64 = "python-evtx prints binary as base64; evtxexport and Windows print hex";
  static final String PY_GUID = "python-evtx prints GUIDs in lower case; evtxexport and Windows upper case";
  static final String PY_SIZE_T = "python-evtx prints SIZE_T in decimal";
  static final String PY_FILETIME = "python-evtx prints datetime.isoformat(' '): microseconds, no Z";
  static final String PY_FILETIME_MIN = "python-evtx prints datetime.min when its conversion overflows";
  static final String PY_SYSTEMTIME = "python-evtx prints datetime.isoformat(' ') and puts the milliseconds"
      + " in the microseconds";
  static final String PY_SYSTEMTIME_INVALID = "python-evtx's datetime() refuses the fields and the dump stops";
  static final String PY_DAY_OF_WEEK = "python-evtx ignores the day of week; libfdatetime and we require 0-6"
      + " ([MS-DTYP] 2.3.13)";
  static final String PY_NO_ARRAYS = "python-evtx renders no array but string[] (KeyError on the type)";
  static final String PY_STRING_ARRAY = "python-evtx renders string[] as <string> elements inside one Data";
  static final String PY_ASCII = "python-evtx decodes ANSI strings as ASCII and stops on any other byte";
  static final String PY_NUL = "python-evtx keeps a NUL inside (it drops only the last one of an ANSI string),"
      + " and no XML document may contain one";
  static final String PY_CONTROL = "python-evtx drops C0 controls other than tab, CR and LF (XML 1.0 has no"
      + " place for them); EventXML is not XML 1.0 and we keep the text, as evtxexport does";
  static final String PY_SID_AUTHORITY = EE_SID_AUTHORITY;

  // ---- the cases ------------------------------------------------------------------------------

  static final Instant WHEN = Instant.parse("2021-10-23T21:50:11.6665197Z");

  static Value fileTime(long raw) {
    return new Value(Values.FILETIME, new ByteWriter().u64le(raw).toByteArray());
  }

  static Value st(int year, int month, int dayOfWeek, int day, int hour, int minute, int second, int ms) {
    return Value.systemTime(year, month, dayOfWeek, day, hour, minute, second, ms);
  }

  static final List<Case> CASES = List.of(
      // Integers: decimal, two's complement.
      c("int8 -128", Value.int8(-128), "-128"),
      c("int8 -1", Value.int8(-1), "-1").ee(prints(EE_SIGN_MAGNITUDE, "-127")),
      c("int8 127", Value.int8(127), "127"),
      c("uint8 255", Value.uint8(255), "255"),
      c("int16 -32768", Value.int16(-32768), "-32768"),
      c("int16 -1", Value.int16(-1), "-1").ee(prints(EE_SIGN_MAGNITUDE, "-32767")),
      c("int16 32767", Value.int16(32767), "32767"),
      c("uint16 65535", Value.uint16(65535), "65535"),
      c("int32 min", Value.int32(Integer.MIN_VALUE), "-2147483648"),
      c("int32 -1", Value.int32(-1), "-1").ee(prints(EE_SIGN_MAGNITUDE, "-2147483647")),
      c("int32 max", Value.int32(Integer.MAX_VALUE), "2147483647"),
      c("uint32 max", Value.uint32(0xFFFFFFFFL), "4294967295"),
      c("int64 min", Value.int64(Long.MIN_VALUE), "-9223372036854775808"),
      c("int64 -1", Value.int64(-1), "-1").ee(prints(EE_SIGN_MAGNITUDE, "-9223372036854775807")),
      c("int64 max", Value.int64(Long.MAX_VALUE), "9223372036854775807"),
      c("uint64 max", Value.uint64(-1L), "18446744073709551615"),
      c("uint64 2^63", Value.uint64(Long.MIN_VALUE), "9223372036854775808"),
      // Hex integers: evtxexport's zero-padded lower case (Windows does not pad: see Values).
      c("hexint32 0", Value.hex32(0), "0x00000000"),
      c("hexint32 0xc000006e", Value.hex32(0xC000006EL), "0xc000006e"),
      c("hexint32 max", Value.hex32(0xFFFFFFFFL), "0xffffffff"),
      c("hexint64 0", Value.hex64(0), "0x0000000000000000"),
      c("hexint64 0x3e7", Value.hex64(0x3E7), "0x00000000000003e7"),
      c("hexint64 max", Value.hex64(-1L), "0xffffffffffffffff"),
      // REAL32: %.6e with three exponent digits (libfwevt's form); the float's exact value.
      c("real32 0", Value.real32(0f), "0.000000e+000").py(prints(PY_REPR, "0.0")),
      c("real32 -0", Value.real32(-0f), "-0.000000e+000").py(prints(PY_REPR, "-0.0")),
      c("real32 1.5", Value.real32(1.5f), "1.500000e+000").py(prints(PY_REPR, "1.5")),
      c("real32 -2.5", Value.real32(-2.5f), "-2.500000e+000").py(prints(PY_REPR, "-2.5")),
      c("real32 0.1", Value.real32(0.1f), "1.000000e-001").py(prints(PY_REPR, "0.10000000149011612")),
      c("real32 1/3", Value.real32(1f / 3), "3.333333e-001").py(prints(PY_REPR, "0.3333333432674408")),
      c("real32 2^24", Value.real32(16777216f), "1.677722e+007").py(prints(PY_REPR, "16777216.0")),
      c("real32 123456.789", Value.real32(123456.789f), "1.234568e+005").py(prints(PY_REPR, "123456.7890625")),
      c("real32 1e-5", Value.real32(1e-5f), "1.000000e-005")
          .ee(prints(EE_REAL_CARRY, ":.000000e-006")).py(prints(PY_REPR, "9.999999747378752e-06")),
      c("real32 max", Value.real32(Float.MAX_VALUE), "3.402823e+038").py(prints(PY_REPR, "3.4028234663852886e+38")),
      c("real32 min normal", Value.real32(Float.MIN_NORMAL), "1.175494e-038")
          .py(prints(PY_REPR, "1.1754943508222875e-38")),
      c("real32 min subnormal", Value.real32(Float.MIN_VALUE), "1.401298e-045")
          .py(prints(PY_REPR, "1.401298464324817e-45")),
      c("real32 +Inf", Value.real32(Float.POSITIVE_INFINITY), "Inf").py(prints(PY_REPR, "inf")),
      c("real32 -Inf", Value.real32(Float.NEGATIVE_INFINITY), "-Inf")
          .ee(prints(EE_INF_SIGN, "Inf")).py(prints(PY_REPR, "-inf")),
      c("real32 NaN", Value.real32Bits(0x7FC00000), "NaN").py(prints(PY_REPR, "nan")),
      c("real32 indefinite", Value.real32Bits(0xFFC00000), "Ind").py(prints(PY_REPR, "nan")),
      c("real32 signalling NaN", Value.real32Bits(0x7F800001), "NaN").py(prints(PY_REPR, "nan")),
      // REAL64
      c("real64 0", Value.real64(0), "0.000000e+000").py(prints(PY_REPR, "0.0")),
      c("real64 -0", Value.real64(-0.0), "-0.000000e+000").py(prints(PY_REPR, "-0.0")),
      c("real64 0.1", Value.real64(0.1), "1.000000e-001").py(prints(PY_REPR, "0.1")),
      c("real64 1/3", Value.real64(1.0 / 3), "3.333333e-001").py(prints(PY_REPR, "0.3333333333333333")),
      c("real64 -1.5", Value.real64(-1.5), "-1.500000e+000").py(prints(PY_REPR, "-1.5")),
      c("real64 1e16", Value.real64(1e16), "1.000000e+016").py(prints(PY_REPR, "1e+16")),
      c("real64 2^53+1", Value.real64(9007199254740993.0), "9.007199e+015")
          .py(prints(PY_REPR, "9007199254740992.0")),
      c("real64 9.9999995", Value.real64(9.9999995), "9.999999e+000").py(prints(PY_REPR, "9.9999995")),
      c("real64 tie 1234568.5", Value.real64(1234568.5), "1.234568e+006").py(prints(PY_REPR, "1234568.5")),
      c("real64 tie 1234567.5", Value.real64(1234567.5), "1.234568e+006")
          .ee(prints(EE_REAL_TIE, "1.234567e+006")).py(prints(PY_REPR, "1234567.5")),
      c("real64 tie 99999995", Value.real64(99999995), "1.000000e+008")
          .ee(prints(EE_REAL_TIE, "9.999999e+007")).py(prints(PY_REPR, "99999995.0")),
      c("real64 1e300", Value.real64(1e300), "1.000000e+300").py(prints(PY_REPR, "1e+300")),
      c("real64 max", Value.real64(Double.MAX_VALUE), "1.797693e+308").py(prints(PY_REPR, "1.7976931348623157e+308")),
      c("real64 min normal", Value.real64(Double.MIN_NORMAL), "2.225074e-308")
          .py(prints(PY_REPR, "2.2250738585072014e-308")),
      c("real64 min subnormal", Value.real64(Double.MIN_VALUE), "4.940656e-324").py(prints(PY_REPR, "5e-324")),
      c("real64 +Inf", Value.real64(Double.POSITIVE_INFINITY), "Inf").py(prints(PY_REPR, "inf")),
      c("real64 -Inf", Value.real64(Double.NEGATIVE_INFINITY), "-Inf")
          .ee(prints(EE_INF_SIGN, "Inf")).py(prints(PY_REPR, "-inf")),
      c("real64 NaN", Value.real64Bits(0x7FF8000000000000L), "NaN").py(prints(PY_REPR, "nan")),
      c("real64 indefinite", Value.real64Bits(0xFFF8000000000000L), "Ind").py(prints(PY_REPR, "nan")),
      c("real64 -NaN payload", Value.real64Bits(0xFFF8000000000001L), "NaN").py(prints(PY_REPR, "nan")),
      // BOOL: any non-zero is true ([MS-EVEN6] says 0 or 1; sample-with-irregular-bool-values.evtx holds others).
      c("bool 0", Value.bool(0), "false").py(prints(PY_BOOL, "False")),
      c("bool 1", Value.bool(1), "true").py(prints(PY_BOOL, "True")),
      c("bool 2", Value.bool(2), "true").py(prints(PY_BOOL, "True")),
      c("bool -1", Value.bool(-1), "true").py(prints(PY_BOOL_SIGN, "False")),
      // BINARY, GUID
      c("binary 3 bytes", Value.binary(new byte[] {0x0A, (byte) 0xBC, (byte) 0xFF}), "0ABCFF")
          .py(prints(PY_BASE64, "Crz/")),
      c("binary empty", Value.binary(new byte[0]), ""),
      c("guid zero", Value.guid("{00000000-0000-0000-0000-000000000000}"), "{00000000-0000-0000-0000-000000000000}"),
      c("guid Security-Auditing", Value.guid("{54849625-5478-4994-A5BA-3E3B0328C30D}"),
          "{54849625-5478-4994-A5BA-3E3B0328C30D}")
          .py(prints(PY_GUID, "{54849625-5478-4994-a5ba-3e3b0328c30d}")),
      // SIZE_T: hex of its width.
      c("size_t 4 0", Value.sizeT(0, 4), "0x00000000").ee(prints(EE_SIZE_T_DECIMAL, "0")).py(prints(PY_SIZE_T, "0")),
      c("size_t 4 0x1310", Value.sizeT(0x1310, 4), "0x00001310")
          .ee(prints(EE_SIZE_T_DECIMAL, "4880")).py(prints(PY_SIZE_T, "4880")),
      c("size_t 4 max", Value.sizeT(0xFFFFFFFFL, 4), "0xffffffff")
          .ee(prints(EE_SIZE_T_DECIMAL, "4294967295")).py(prints(PY_SIZE_T, "4294967295")),
      c("size_t 8 0x7eec", Value.sizeT(0x7EEC, 8), "0x0000000000007eec")
          .ee(prints(EE_SIZE_T_DECIMAL, "32492")).py(prints(PY_SIZE_T, "32492")),
      c("size_t 8 max", Value.sizeT(-1L, 8), "0xffffffffffffffff")
          .ee(prints(EE_SIZE_T_DECIMAL, "18446744073709551615")).py(prints(PY_SIZE_T, "18446744073709551615")),
      // EVT_HANDLE
      c("evthandle 4", Value.evtHandle(0x1310, 4), "4880")
          .ee(alone(EE_NO_EVT_HANDLE, "unsupported value type: 0x20")).py(alone(EE_NO_EVT_HANDLE, "KeyError: 32")),
      c("evthandle 8 max", Value.evtHandle(-1L, 8), "18446744073709551615")
          .ee(alone(EE_NO_EVT_HANDLE, "unsupported value type: 0x20")).py(alone(EE_NO_EVT_HANDLE, "KeyError: 32")),
      // FILETIME
      c("filetime 0", fileTime(0), "1601-01-01T00:00:00.000000000Z").py(prints(PY_FILETIME, "1601-01-01 00:00:00")),
      c("filetime 2021", Value.fileTime(WHEN), "2021-10-23T21:50:11.666519700Z")
          .py(prints(PY_FILETIME, "2021-10-23 21:50:11.666519")),
      c("filetime last of 9999", fileTime(FileTime.MAX_FOUR_DIGIT_YEAR), "9999-12-31T23:59:59.999999900Z")
          .py(prints(PY_FILETIME_MIN, "0001-01-01 00:00:00")),
      c("filetime year 10000", fileTime(FileTime.MAX_FOUR_DIGIT_YEAR + 1), "(0x24c85a5e 0xd1c04000)")
          .py(prints(PY_FILETIME_MIN, "0001-01-01 00:00:00")),
      c("filetime int64 max", fileTime(Long.MAX_VALUE), "(0x7fffffff 0xffffffff)")
          .py(prints(PY_FILETIME_MIN, "0001-01-01 00:00:00")),
      c("filetime uint64 max", fileTime(-1L), "(0xffffffff 0xffffffff)")
          .py(prints(PY_FILETIME_MIN, "0001-01-01 00:00:00")),
      // SYSTEMTIME: ISO with milliseconds when it is a time, its eight fields when not.
      c("systemtime 2024", st(2024, 5, 3, 1, 10, 11, 12, 123), "2024-05-01T10:11:12.123Z")
          .py(prints(PY_SYSTEMTIME, "2024-05-01 10:11:12.000123")),
      c("systemtime 1601", st(1601, 1, 1, 1, 0, 0, 0, 0), "1601-01-01T00:00:00.000Z")
          .py(prints(PY_SYSTEMTIME, "1601-01-01 00:00:00")),
      c("systemtime leap day", st(2024, 2, 4, 29, 23, 59, 59, 5), "2024-02-29T23:59:59.005Z")
          .py(prints(PY_SYSTEMTIME, "2024-02-29 23:59:59.000005")),
      c("systemtime 9999", st(9999, 12, 5, 31, 23, 59, 59, 999), "9999-12-31T23:59:59.999Z")
          .py(prints(PY_SYSTEMTIME, "9999-12-31 23:59:59.000999")),
      c("systemtime year 0", st(0, 1, 0, 1, 0, 0, 0, 0), "0000-01-01T00:00:00.000Z")
          .py(alone(PY_SYSTEMTIME_INVALID, "ValueError: year 0 is out of range")),
      c("systemtime zero", st(0, 0, 0, 0, 0, 0, 0, 0),
          "(0x0000 0x0000 0x0000 0x0000 0x0000 0x0000 0x0000 0x0000)")
          .py(alone(PY_SYSTEMTIME_INVALID, "ValueError: year 0 is out of range")),
      c("systemtime 30827", st(30827, 12, 6, 31, 23, 59, 59, 999),
          "(0x786b 0x000c 0x0006 0x001f 0x0017 0x003b 0x003b 0x03e7)")
          .ee(prints(EE_SYSTEMTIME_SHIFT, "(0x1e1a 0x0003 0x0001 0x0007 0x0005 0x000e 0x000e 0x00f9)"))
          .py(alone(PY_SYSTEMTIME_INVALID, "ValueError: year 30827 is out of range")),
      c("systemtime fields out of range", st(2024, 13, 9, 32, 25, 61, 61, 1000),
          "(0x07e8 0x000d 0x0009 0x0020 0x0019 0x003d 0x003d 0x03e8)")
          .ee(prints(EE_SYSTEMTIME_SHIFT, "(0x01fa 0x0003 0x0002 0x0008 0x0006 0x000f 0x000f 0x00fa)"))
          .py(alone(PY_SYSTEMTIME_INVALID, "ValueError: month must be in 1..12")),
      c("systemtime day 0", st(2024, 5, 3, 0, 10, 11, 12, 123),
          "(0x07e8 0x0005 0x0003 0x0000 0x000a 0x000b 0x000c 0x007b)")
          .ee(prints(EE_SYSTEMTIME_SHIFT, "(0x01fa 0x0001 0x0000 0x0000 0x0002 0x0002 0x0003 0x001e)"))
          .py(alone(PY_SYSTEMTIME_INVALID, "ValueError: day is out of range for month")),
      c("systemtime 2023-02-29", st(2023, 2, 3, 29, 0, 0, 0, 0),
          "(0x07e7 0x0002 0x0003 0x001d 0x0000 0x0000 0x0000 0x0000)")
          .ee(prints(EE_SYSTEMTIME_SHIFT, "(0x01f9 0x0000 0x0000 0x0007 0x0000 0x0000 0x0000 0x0000)"))
          .py(alone(PY_SYSTEMTIME_INVALID, "ValueError: day is out of range for month")),
      c("systemtime day of week 7", st(2024, 5, 7, 1, 0, 0, 0, 0),
          "(0x07e8 0x0005 0x0007 0x0001 0x0000 0x0000 0x0000 0x0000)")
          .ee(prints(EE_SYSTEMTIME_SHIFT, "(0x01fa 0x0001 0x0001 0x0000 0x0000 0x0000 0x0000 0x0000)"))
          .py(prints(PY_DAY_OF_WEEK, "2024-05-01 00:00:00")),
      // SID
      c("sid S-1-5-18", Value.sid("S-1-5-18"), "S-1-5-18"),
      c("sid without sub-authorities", Value.sid("S-1-5"), "S-1-5"),
      c("sid account", Value.sid("S-1-5-21-186559946-3925841745-111227986-500"),
          "S-1-5-21-186559946-3925841745-111227986-500"),
      c("sid authority 2^32+", new Value(Values.SID, new byte[] {1, 1, 1, 2, 3, 4, 5, 6, 7, 0, 0, 0}),
          "S-1-0x010203040506-7")
          .ee(prints(EE_SID_AUTHORITY, "S-1-1108152157446-7")).py(prints(PY_SID_AUTHORITY, "S-1-1108152157446-7")),
      // Strings
      c("string markup", Value.string("a<b>&\"'c"), "a<b>&\"'c"),
      c("string trailing NUL", Value.string("ab\0"), "ab"),
      c("string NUL inside", Value.string("ab\0cd"), "ab")
          .ee(alone(EE_NUL_INSIDE, "<Data Name=\"string NUL inside\">ab\n")).py(prints(PY_NUL, "ab\0cd")),
      c("string surrogate pair", Value.string("x\uD83D\uDE00y"), "x\uD83D\uDE00y")
          .ee(prints(EE_SURROGATES, "x\uD83C\uDE01y")),
      c("string unpaired surrogate", Value.string("x\uD83Dy"), "x\uFFFDy"),
      c("string control", Value.string("a\u0001b\tc"), "a\u0001b\tc").py(prints(PY_CONTROL, "ab\tc")),
      c("string spaces", Value.string("  pad  "), "  pad  "),
      c("string empty", Value.string(""), ""),
      c("ansi cp1252", Value.ansi((byte) 'A', (byte) 0x80, (byte) 'z'), "A\u20ACz")
          .py(alone(PY_ASCII, "UnicodeDecodeError: 'ascii' codec can't decode byte 0x80")),
      c("ansi markup", Value.ansi("x<y>&".getBytes(StandardCharsets.US_ASCII)), "x<y>&")
          .ee(alone(EE_ANSI_UNESCAPED, "<Data Name=\"ansi markup\">x<y>&</Data>")),
      c("ansi NUL inside", Value.ansi((byte) 'a', (byte) 'b', (byte) 0, (byte) 'c', (byte) 0), "ab")
          .ee(alone(EE_NUL_INSIDE, "<Data Name=\"ansi NUL inside\">ab\n")).py(prints(PY_NUL, "ab\0c")),
      // Arrays (type | 0x80): one element per item.
      c("uint8[]", Value.array(Value.uint8(255), Value.uint8(7)), "255", "7")
          .py(alone(PY_NO_ARRAYS, "KeyError: 132")),
      c("int8[]", Value.array(Value.int8(-1), Value.int8(2)), "-1", "2")
          .ee(prints(EE_SIGN_MAGNITUDE, "-127", "2")).py(alone(PY_NO_ARRAYS, "KeyError: 131")),
      c("int16[]", Value.array(Value.int16(-1), Value.int16(7)), "-1", "7")
          .ee(prints(EE_SIGN_MAGNITUDE, "-32767", "7")).py(alone(PY_NO_ARRAYS, "KeyError: 133")),
      c("uint16[]", Value.array(Value.uint16(65535), Value.uint16(7)), "65535", "7")
          .py(alone(PY_NO_ARRAYS, "KeyError: 134")),
      c("int32[]", Value.array(Value.int32(-1), Value.int32(7)), "-1", "7")
          .ee(prints(EE_SIGN_MAGNITUDE, "-2147483647", "7")).py(alone(PY_NO_ARRAYS, "KeyError: 135")),
      c("uint32[]", Value.array(Value.uint32(1), Value.uint32(0xFFFFFFFFL)), "1", "4294967295")
          .py(alone(PY_NO_ARRAYS, "KeyError: 136")),
      c("int64[]", Value.array(Value.int64(-1), Value.int64(7)), "-1", "7")
          .ee(prints(EE_SIGN_MAGNITUDE, "-9223372036854775807", "7")).py(alone(PY_NO_ARRAYS, "KeyError: 137")),
      c("uint64[]", Value.array(Value.uint64(-1L), Value.uint64(7)), "18446744073709551615", "7")
          .py(alone(PY_NO_ARRAYS, "KeyError: 138")),
      c("real32[]", Value.array(Value.real32(0.5f), Value.real32(3f)), "5.000000e-001", "3.000000e+000")
          .py(alone(PY_NO_ARRAYS, "KeyError: 139")),
      c("real64[]", Value.array(Value.real64(1.5), Value.real64(-0.25)), "1.500000e+000", "-2.500000e-001")
          .py(alone(PY_NO_ARRAYS, "KeyError: 140")),
      c("bool[]", Value.array(Value.bool(0), Value.bool(1)), "false", "true")
          .ee(alone(EE_NO_BOOL_ARRAY, "unsupported value type: 0x8d")).py(alone(PY_NO_ARRAYS, "KeyError: 141")),
      c("guid[]", Value.array(Value.guid("{54849625-5478-4994-A5BA-3E3B0328C30D}"),
              Value.guid("{00000000-0000-0000-0000-000000000001}")),
          "{54849625-5478-4994-A5BA-3E3B0328C30D}", "{00000000-0000-0000-0000-000000000001}")
          .py(alone(PY_NO_ARRAYS, "KeyError: 143")),
      c("size_t[] 8", Value.array(Value.sizeT(1, 8), Value.sizeT(-1L, 8)), "0x0000000000000001", "0xffffffffffffffff")
          .ee(alone(EE_NO_SIZE_T_ARRAY, "unsupported value type: 0x90")).py(alone(PY_NO_ARRAYS, "KeyError: 144")),
      // Three 4-byte items: 12 bytes cannot be 8-byte items (two could: see BinXml.arrayItems).
      c("size_t[] 4", Value.array(Value.sizeT(1, 4), Value.sizeT(0xFFFFFFFFL, 4), Value.sizeT(2, 4)),
          "0x00000001", "0xffffffff", "0x00000002")
          .ee(alone(EE_NO_SIZE_T_ARRAY, "unsupported value type: 0x90")).py(alone(PY_NO_ARRAYS, "KeyError: 144")),
      c("filetime[]", Value.array(Value.fileTime(WHEN), fileTime(0)),
          "2021-10-23T21:50:11.666519700Z", "1601-01-01T00:00:00.000000000Z")
          .py(alone(PY_NO_ARRAYS, "KeyError: 145")),
      c("systemtime[]", Value.array(st(2024, 5, 3, 1, 10, 11, 12, 123), st(2000, 1, 6, 1, 0, 0, 0, 0)),
          "2024-05-01T10:11:12.123Z", "2000-01-01T00:00:00.000Z")
          .py(alone(PY_NO_ARRAYS, "KeyError: 146")),
      c("sid[]", Value.array(Value.sid("S-1-5-18"), Value.sid("S-1-5-32-544")), "S-1-5-18", "S-1-5-32-544")
          .ee(alone(EE_NO_SID_ARRAY, "unsupported value type: 0x93")).py(alone(PY_NO_ARRAYS, "KeyError: 147")),
      c("hexint32[]", Value.array(Value.hex32(1), Value.hex32(0xC000006EL)), "0x00000001", "0xc000006e")
          .py(alone(PY_NO_ARRAYS, "KeyError: 148")),
      c("hexint64[]", Value.array(Value.hex64(-1L), Value.hex64(7)), "0xffffffffffffffff", "0x0000000000000007")
          .py(alone(PY_NO_ARRAYS, "KeyError: 149")),
      c("string[]", Value.strings("a", "", "b"), "a", "", "b")
          .py(prints(PY_STRING_ARRAY, "<string>a</string>\n<string></string>\n<string>b</string>\n")),
      c("ansi[]", new Value(Values.ANSI_STRING | Values.ARRAY, "x\0y\0".getBytes(StandardCharsets.US_ASCII)),
          "x", "y")
          .py(alone(PY_NO_ARRAYS, "KeyError: 130")),
      c("uint32[] empty", new Value(Values.UINT32 | Values.ARRAY, new byte[0]), "")
          .ee(alone(EE_EMPTY_ARRAY, "invalid template value size value out of bounds"))
          .py(alone(PY_NO_ARRAYS, "KeyError: 136")));

  // ---- the tests ------------------------------------------------------------------------------

  /** All cases in one file, read by our reader: the text the table chose, with or without peers. */
  @Test
  void oursIsTheChosenRendering(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("values.evtx");
    write(CASES, file);
    Map<String, List<String>> ours = ours(file);
    SoftAssertions soft = new SoftAssertions();
    for (Case c : CASES) {
      soft.assertThat(ours.get(c.name())).as("ours: %s", c.name()).isEqualTo(c.ours());
    }
    soft.assertThat(ours.keySet()).as("Data names").containsExactlyElementsOf(CASES.stream().map(Case::name).toList());
    soft.assertAll();
  }

  @Test
  void evtxexportPrintsOursOrTheRecordedDifference(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(EVTXEXPORT),
        "evtxexport missing (apt-get install libevtx-utils): value-type conformance skipped");
    comparePeer(dir, "evtxexport", Case::evtxexport, f -> List.of(EVTXEXPORT.toString(), "-f", "xml", f.toString()));
  }

  @Test
  void pythonEvtxPrintsOursOrTheRecordedDifference(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(EVTX_DUMP),
        "evtx_dump.py missing (apt-get install python3-evtx): value-type conformance skipped");
    comparePeer(dir, "evtx_dump.py", Case::python, f -> List.of(EVTX_DUMP.toString(), f.toString()));
  }

  /**
   * Runs the peer on one file of every case it prints (it must succeed), compares each case, then
   * runs it on each {@link Alone} case by itself and looks for the recorded evidence.
   */
  private static void comparePeer(
      Path dir, String peer, Function<Case, Peer> outcome, Function<Path, List<String>> command) throws Exception {
    List<Case> together = CASES.stream().filter(c -> !(outcome.apply(c) instanceof Alone)).toList();
    Path file = dir.resolve("together.evtx");
    write(together, file);
    Run run = run(dir, command.apply(file));
    assertThat(run.exit()).as("%s exit code on %d cases; stderr:%n%s", peer, together.size(), run.err()).isZero();
    Map<String, List<String>> theirs = dataTexts(run.out());
    SoftAssertions soft = new SoftAssertions();
    for (Case c : together) {
      List<String> expected = outcome.apply(c) instanceof Prints p ? p.texts() : c.ours();
      soft.assertThat(theirs.get(c.name())).as("%s: %s", peer, c.name()).isEqualTo(expected);
    }
    for (Case c : CASES) {
      if (outcome.apply(c) instanceof Alone alone) {
        Path single = dir.resolve("alone.evtx");
        write(List.of(c), single);
        Run r = run(dir, command.apply(single));
        soft.assertThat(r.out() + r.err()).as("%s alone on %s (%s)", peer, c.name(), alone.why())
            .contains(alone.evidence());
      }
    }
    soft.assertAll();
  }

  // ---- plumbing -------------------------------------------------------------------------------

  /** Each case as its own event, in one file. */
  static void write(List<Case> cases, Path file) throws IOException {
    EvtxWriter w = new EvtxWriter();
    int id = 1;
    for (Case c : cases) {
      w.add(EvtxWriter.Event.of("Application", "rdpdoctor-value-types", id++).data(c.name(), c.value()));
    }
    w.write(file);
  }

  /** Our reader's XML of every record, as Data name to texts; a record it cannot read fails. */
  static Map<String, List<String>> ours(Path file) throws IOException {
    StringBuilder xml = new StringBuilder();
    List<EvtxIssue> issues = new ArrayList<>();
    try (EvtxReader r = EvtxReader.open(file)) {
      r.forEachChunk(chunk -> {
        issues.addAll(chunk.issues());
        chunk.records().forEach(rec -> xml.append(rec.xml()).append('\n'));
      });
    }
    assertThat(issues).as("issues reading %s", file).isEmpty();
    return dataTexts(xml.toString());
  }

  record Run(int exit, String out, String err) {}

  /** Runs a peer with a time limit; its output goes to files so no pipe can fill. */
  static Run run(Path dir, List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "peer", ".out");
    Path err = Files.createTempFile(dir, "peer", ".err");
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(PEER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      throw new AssertionError(command + " did not finish in " + PEER_TIMEOUT_SECONDS + " s");
    }
    return new Run(p.exitValue(), new String(Files.readAllBytes(out), StandardCharsets.UTF_8),
        new String(Files.readAllBytes(err), StandardCharsets.UTF_8));
  }

  /**
   * {@code <Data Name="n">text</Data>} (or {@code <Data Name="n"/>}) as n to its texts in order,
   * unescaped. Values are escaped by all three (but for the cases run {@link Alone}), so a value's
   * text holds no {@code <}.
   */
  static Map<String, List<String>> dataTexts(String xml) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    Matcher m = DATA.matcher(xml);
    while (m.find()) {
      out.computeIfAbsent(unescape(m.group(1)), k -> new ArrayList<>())
          .add(m.group(2) == null ? "" : unescape(m.group(2)));
    }
    return out;
  }

  private static final Pattern DATA = Pattern.compile("<Data Name=\"([^\"]*)\"(?:/>|>([^<]*)</Data>)");
  private static final Pattern ENTITY = Pattern.compile("&(lt|gt|amp|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);");

  /** The five XML entities and character references; any other {@code &} is text. */
  static String unescape(String s) {
    Matcher m = ENTITY.matcher(s);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String e = m.group(1);
      String text = switch (e) {
        case "lt" -> "<";
        case "gt" -> ">";
        case "amp" -> "&";
        case "quot" -> "\"";
        case "apos" -> "'";
        default -> Character.toString(e.startsWith("#x")
            ? Integer.parseInt(e.substring(2), 16) : Integer.parseInt(e.substring(1)));
      };
      m.appendReplacement(sb, Matcher.quoteReplacement(text));
    }
    return m.appendTail(sb).toString();
  }

  @Test
  void everyValueTypeIsCovered() {
    // Every value type but BinXml (a nested document, not text: the corpus logs are full of it)
    // and EvtXml (in no log we have) has a case, and so has every array type but binary[], which
    // Windows does not have (EVT_VARIANT has no BinaryArr).
    List<Integer> types = CASES.stream().map(c -> c.value().type()).distinct().toList();
    assertThat(types).containsAll(Arrays.asList(Values.STRING, Values.ANSI_STRING, Values.INT8, Values.UINT8,
        Values.INT16, Values.UINT16, Values.INT32, Values.UINT32, Values.INT64, Values.UINT64, Values.REAL32,
        Values.REAL64, Values.BOOL, Values.BINARY, Values.GUID, Values.SIZE_T, Values.FILETIME, Values.SYSTEMTIME,
        Values.SID, Values.HEX_INT32, Values.HEX_INT64, Values.EVT_HANDLE));
    for (int t = Values.STRING; t <= Values.HEX_INT64; t++) {
      if (t != Values.BINARY) {
        assertThat(types).as("a case of %s", Values.typeName(t | Values.ARRAY)).contains(t | Values.ARRAY);
      }
    }
  }
}
