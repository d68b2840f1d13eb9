package rdpdoctor.evidence.even6;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.Hex;

/** Golden bytes: each value's bytes as Windows stores them, and the text evtxexport prints. */
class ValuesTest {

  static String fmt(int type, String hex) {
    byte[] b = Hex.parse(hex);
    return Values.format(type, b, 0, b.length);
  }

  @Test
  void sid() {
    // S-1-5-21-186559946-3925841745-111227986-500 (security.evtx style account SID)
    String bytes = """
        01                  // revision 1
        05                  // 5 sub-authorities
        00 00 00 00 00 05   // authority 5 (NT), big-endian
        15 00 00 00         // 21
        ca ad 1e 0b         // 186559946
        51 97 ff e9         // 3925841745
        52 34 a1 06         // 111227986
        f4 01 00 00         // 500
        """;
    assertThat(fmt(Values.SID, bytes)).isEqualTo("S-1-5-21-186559946-3925841745-111227986-500");
    assertThat(EvtxWriter.Value.sid("S-1-5-21-186559946-3925841745-111227986-500").bytes()).isEqualTo(Hex.parse(bytes));
  }

  @Test
  void truncatedSidIsATypedError() {
    // Claims 5 sub-authorities but holds 1 (HelloForBusiness-style incomplete SID).
    assertThatThrownBy(() -> fmt(Values.SID, "01 05 00 00 00 00 00 05 15 00 00 00"))
        .isInstanceOf(DecodeException.NotEnoughBytes.class)
        .hasMessageContaining("sid sub-authorities");
  }

  @Test
  void guid() {
    // {54849625-5478-4994-A5BA-3E3B0328C30D}: Microsoft-Windows-Security-Auditing
    String bytes = "25 96 84 54 // Data1 LE\n 78 54 // Data2 LE\n 94 49 // Data3 LE\n a5 ba 3e 3b 03 28 c3 0d // Data4";
    assertThat(fmt(Values.GUID, bytes)).isEqualTo("{54849625-5478-4994-A5BA-3E3B0328C30D}");
    assertThat(EvtxWriter.Value.guid("{54849625-5478-4994-A5BA-3E3B0328C30D}").bytes()).isEqualTo(Hex.parse(bytes));
  }

  @Test
  void fileTime() {
    // 2021-10-23T21:50:11.6665197Z as 100 ns intervals since 1601 (0x01d7c857f4461f6d)
    String bytes = "6d 1f 46 f4 57 c8 d7 01";
    assertThat(fmt(Values.FILETIME, bytes)).isEqualTo("2021-10-23T21:50:11.666519700Z");
    assertThat(FileTime.toInstant(0x01d7c857f4461f6dL)).isEqualTo(Instant.parse("2021-10-23T21:50:11.6665197Z"));
    assertThat(FileTime.fromInstant(Instant.parse("2021-10-23T21:50:11.6665197Z"))).isEqualTo(0x01d7c857f4461f6dL);
  }

  @Test
  void fileTimeEdges() {
    assertThat(FileTime.format(0)).isEqualTo("1601-01-01T00:00:00.000000000Z");
    assertThat(FileTime.format(FileTime.fromInstant(Instant.parse("2000-02-29T23:59:59.9999999Z"))))
        .isEqualTo("2000-02-29T23:59:59.999999900Z");
  }

  @Test
  void fileTimePastYear9999IsItsTwoHalves() {
    // Four year digits end at 9999-12-31T23:59:59.9999999Z (0x24c85a5ed1c03fff); past it evtxexport
    // prints the two 32-bit halves. The year used to wrap: 30828 printed as 0828.
    assertThat(fmt(Values.FILETIME, "ff 3f c0 d1 5e 5a c8 24")).isEqualTo("9999-12-31T23:59:59.999999900Z");
    assertThat(fmt(Values.FILETIME, "00 40 c0 d1 5e 5a c8 24")).isEqualTo("(0x24c85a5e 0xd1c04000)");
    assertThat(fmt(Values.FILETIME, "ff ff ff ff ff ff ff 7f")).isEqualTo("(0x7fffffff 0xffffffff)");
    assertThat(fmt(Values.FILETIME, "ff ff ff ff ff ff ff ff")).isEqualTo("(0xffffffff 0xffffffff)");
  }

  @Test
  void systemTime() {
    String bytes = "e8 07 // 2024\n 05 00 // May\n 03 00 // Wednesday\n 01 00 // 1st\n 0a 00 0b 00 0c 00 // 10:11:12\n 7b 00 // 123 ms";
    assertThat(fmt(Values.SYSTEMTIME, bytes)).isEqualTo("2024-05-01T10:11:12.123Z");
    // 2024-02-29T23:59:59.005 (a leap day), 0000-01-01 (year 0 is a four-digit year, as for evtxexport)
    assertThat(fmt(Values.SYSTEMTIME, "e8 07 02 00 04 00 1d 00 17 00 3b 00 3b 00 05 00"))
        .isEqualTo("2024-02-29T23:59:59.005Z");
    assertThat(fmt(Values.SYSTEMTIME, "00 00 01 00 00 00 01 00 00 00 00 00 00 00 00 00"))
        .isEqualTo("0000-01-01T00:00:00.000Z");
  }

  @Test
  void systemTimeThatIsNotATimeIsItsEightFields() {
    // Not printed as a date that was never written: fields in stored order, 0x%04x each (the form
    // libfdatetime means; it shifts each field by two bits too many).
    String monthThirteen = """
        e8 07  // year 2024
        0d 00  // month 13
        09 00  // day of week 9
        20 00  // day 32
        19 00 3d 00 3d 00  // 25:61:61
        e8 03  // 1000 ms
        """;
    assertThat(fmt(Values.SYSTEMTIME, monthThirteen))
        .isEqualTo("(0x07e8 0x000d 0x0009 0x0020 0x0019 0x003d 0x003d 0x03e8)");
    assertThat(fmt(Values.SYSTEMTIME, "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00")) // all zero: month 0
        .isEqualTo("(0x0000 0x0000 0x0000 0x0000 0x0000 0x0000 0x0000 0x0000)");
    assertThat(fmt(Values.SYSTEMTIME, "e7 07 02 00 03 00 1d 00 00 00 00 00 00 00 00 00")) // 2023-02-29
        .isEqualTo("(0x07e7 0x0002 0x0003 0x001d 0x0000 0x0000 0x0000 0x0000)");
    assertThat(fmt(Values.SYSTEMTIME, "e8 07 05 00 03 00 00 00 00 00 00 00 00 00 00 00")) // day 0
        .isEqualTo("(0x07e8 0x0005 0x0003 0x0000 0x0000 0x0000 0x0000 0x0000)");
    assertThat(fmt(Values.SYSTEMTIME, "e8 07 05 00 07 00 01 00 00 00 00 00 00 00 00 00")) // day of week 7
        .isEqualTo("(0x07e8 0x0005 0x0007 0x0001 0x0000 0x0000 0x0000 0x0000)");
    assertThat(fmt(Values.SYSTEMTIME, "6b 78 0c 00 06 00 1f 00 17 00 3b 00 3b 00 e7 03")) // 30827: 5 digits
        .isEqualTo("(0x786b 0x000c 0x0006 0x001f 0x0017 0x003b 0x003b 0x03e7)");
  }

  @Test
  void hexIntegersAndSizeT() {
    assertThat(fmt(Values.HEX_INT32, "6e 00 00 c0")).isEqualTo("0xc000006e");
    assertThat(fmt(Values.HEX_INT64, "e7 03 00 00 00 00 00 00")).isEqualTo("0x00000000000003e7");
    assertThat(fmt(Values.SIZE_T, "10 13 00 00")).isEqualTo("0x00001310");
    assertThat(fmt(Values.SIZE_T, "10 13 00 00 00 00 00 00")).isEqualTo("0x0000000000001310");
  }

  @Test
  void sizeTAndEvtHandleOfAnotherWidthAreTypedErrors() {
    // A pointer-sized value is 4 or 8 bytes; other sizes used to print as raw hex (SIZE_T) or as
    // nothing at all (EVT_HANDLE).
    assertThatThrownBy(() -> fmt(Values.SIZE_T, "10 13"))
        .isInstanceOf(DecodeException.InvalidField.class)
        .hasMessage("invalid field size_t value size: 2 (expected: 4 or 8)");
    assertThatThrownBy(() -> fmt(Values.EVT_HANDLE, "01 02 03 04 05 06"))
        .isInstanceOf(DecodeException.InvalidField.class)
        .hasMessage("invalid field evthandle value size: 6 (expected: 4 or 8)");
  }

  @Test
  void evtHandleIsItsUnsignedNumber() {
    assertThat(fmt(Values.EVT_HANDLE, "10 13 00 00")).isEqualTo("4880");
    assertThat(fmt(Values.EVT_HANDLE, "ff ff ff ff")).isEqualTo("4294967295");
    assertThat(fmt(Values.EVT_HANDLE, "ff ff ff ff ff ff ff ff")).isEqualTo("18446744073709551615");
  }

  @Test
  void sidWithALargeAuthorityHasTwelveHexDigits() {
    // [MS-DTYP] 2.4.2.1: an identifier authority >= 2^32 is "0x" 12HEXDIG (it was 0x10203040506).
    String bytes = "01 // revision\n 01 // 1 sub-authority\n 01 02 03 04 05 06 // authority, big-endian\n 07 00 00 00";
    assertThat(fmt(Values.SID, bytes)).isEqualTo("S-1-0x010203040506-7");
    assertThat(fmt(Values.SID, "01 00 00 00 00 00 00 05")).isEqualTo("S-1-5"); // no sub-authorities
  }

  @Test
  void reals() {
    // C's %.6e with three exponent digits, as evtxexport (libfwevt) prints; this used to be "1.500000"
    // for 1.5f and "10" for 10.0, a form no peer prints.
    assertThat(fmt(Values.REAL32, "00 00 c0 3f")).isEqualTo("1.500000e+000"); // 1.5f
    assertThat(fmt(Values.REAL64, "00 00 00 00 00 00 24 40")).isEqualTo("1.000000e+001"); // 10.0
    assertThat(fmt(Values.REAL64, "00 00 00 00 00 00 f8 bf")).isEqualTo("-1.500000e+000"); // -1.5
    assertThat(fmt(Values.REAL32, "00 00 00 80")).isEqualTo("-0.000000e+000"); // -0.0f: the sign bit alone
    assertThat(fmt(Values.REAL32, "cd cc cc 3d")).isEqualTo("1.000000e-001"); // 0.1f = 0.100000001490116...
    // 1e-5f is 9.99999974737875e-6: rounding carries into the exponent (evtxexport: ":.000000e-006")
    assertThat(fmt(Values.REAL32, "ac c5 27 37")).isEqualTo("1.000000e-005");
    assertThat(fmt(Values.REAL64, "01 00 00 00 00 00 00 00")).isEqualTo("4.940656e-324"); // least subnormal
    assertThat(fmt(Values.REAL64, "ff ff ff ff ff ff ef 7f")).isEqualTo("1.797693e+308"); // greatest
    assertThat(fmt(Values.REAL64, "9c 75 00 88 3c e4 37 7e")).isEqualTo("1.000000e+300");
    // exact ties at the seventh digit round half-even, as printf does: 1234567.5 up, 1234568.5 down
    assertThat(fmt(Values.REAL64, "00 00 00 80 87 d6 32 41")).isEqualTo("1.234568e+006");
    assertThat(fmt(Values.REAL64, "00 00 00 80 88 d6 32 41")).isEqualTo("1.234568e+006");
  }

  @Test
  void realsThatAreNotNumbers() {
    // evtxexport's names (it drops the sign of -Inf; we keep it). "Ind" is only the x86 "indefinite"
    // NaN that 0/0 gives (sign, quiet bit, no payload); these all used to print "-1.#IND"/"1.#INF".
    assertThat(fmt(Values.REAL32, "00 00 80 7f")).isEqualTo("Inf");
    assertThat(fmt(Values.REAL32, "00 00 80 ff")).isEqualTo("-Inf");
    assertThat(fmt(Values.REAL64, "00 00 00 00 00 00 f0 7f")).isEqualTo("Inf");
    assertThat(fmt(Values.REAL64, "00 00 00 00 00 00 f0 ff")).isEqualTo("-Inf");
    assertThat(fmt(Values.REAL32, "00 00 c0 ff")).isEqualTo("Ind");
    assertThat(fmt(Values.REAL64, "00 00 00 00 00 00 f8 ff")).isEqualTo("Ind");
    assertThat(fmt(Values.REAL32, "00 00 c0 7f")).isEqualTo("NaN"); // quiet, positive
    assertThat(fmt(Values.REAL32, "01 00 80 7f")).isEqualTo("NaN"); // signalling
    assertThat(fmt(Values.REAL64, "01 00 00 00 00 00 f8 ff")).isEqualTo("NaN"); // negative with a payload
  }

  @Test
  void stringsEndAtTheFirstNul() {
    // EVT_VARIANT_TYPE: "a null-terminated Unicode string"; the rest used to be kept, NUL and all,
    // which no XML document may contain.
    assertThat(fmt(Values.STRING, "61 00 62 00 00 00 63 00 64 00")).isEqualTo("ab"); // "ab\0cd"
    assertThat(fmt(Values.STRING, "e9 00 00 00 63 00")).isEqualTo("é"); // not ASCII before the NUL
    assertThat(fmt(Values.STRING, "00 00 61 00")).isEqualTo("");
    assertThat(fmt(Values.ANSI_STRING, "61 62 00 63 00")).isEqualTo("ab"); // "ab\0c\0"
  }

  @Test
  void integersSignedAndUnsigned() {
    assertThat(fmt(Values.INT8, "ff")).isEqualTo("-1");
    assertThat(fmt(Values.UINT8, "ff")).isEqualTo("255");
    assertThat(fmt(Values.INT16, "ff ff")).isEqualTo("-1");
    assertThat(fmt(Values.UINT16, "ff ff")).isEqualTo("65535");
    assertThat(fmt(Values.INT32, "ff ff ff ff")).isEqualTo("-1");
    assertThat(fmt(Values.UINT32, "ff ff ff ff")).isEqualTo("4294967295");
    assertThat(fmt(Values.INT64, "ff ff ff ff ff ff ff ff")).isEqualTo("-1");
    assertThat(fmt(Values.UINT64, "ff ff ff ff ff ff ff ff")).isEqualTo("18446744073709551615");
  }

  @Test
  void booleansBinaryStrings() {
    assertThat(fmt(Values.BOOL, "00 00 00 00")).isEqualTo("false");
    assertThat(fmt(Values.BOOL, "01 00 00 00")).isEqualTo("true");
    assertThat(fmt(Values.BOOL, "05 00 00 00")).isEqualTo("true"); // irregular bool: not 0 is true
    assertThat(fmt(Values.BINARY, "0a bc ff")).isEqualTo("0ABCFF");
    assertThat(fmt(Values.STRING, "41 00 e9 00 00 00")).isEqualTo("Aé"); // trailing NUL dropped
    assertThat(fmt(Values.ANSI_STRING, "41 80 00")).isEqualTo("A€"); // Windows-1252
    assertThat(fmt(Values.STRING, "3d d8 41 00")).isEqualTo("\ufffdA"); // unpaired surrogate
  }

  @Test
  void shortFixedValueIsATypedError() {
    assertThatThrownBy(() -> fmt(Values.FILETIME, "01 02 03"))
        .isInstanceOf(DecodeException.NotEnoughBytes.class)
        .hasMessage("not enough bytes for filetime value: 3 (expected: 8)");
  }

  @Test
  void unknownTypeIsATypedError() {
    assertThatThrownBy(() -> fmt(0x30, "00"))
        .isInstanceOf(DecodeException.UnexpectedValue.class)
        .hasMessageContaining("value type");
  }

  @Test
  void fileHeaderGoldenBytes() {
    byte[] h = new byte[4096];
    byte[] fields = Hex.parse("""
        45 6c 66 46 69 6c 65 00   // "ElfFile\\0"
        00 00 00 00 00 00 00 00   // first chunk 0
        0a 00 00 00 00 00 00 00   // last chunk 10
        53 05 00 00 00 00 00 00   // next record id 1363
        80 00 00 00               // header size 128
        01 00 03 00               // version 3.1
        00 10                     // header block size 4096
        04 00                     // 4 chunks (a dirty file: 11 are there)
        """);
    System.arraycopy(fields, 0, h, 0, fields.length);
    h[120] = 1; // flags: dirty
    java.util.zip.CRC32 c = new java.util.zip.CRC32();
    c.update(h, 0, 120);
    EvtxWriter.putU32(h, 124, c.getValue());
    FileHeader fh = FileHeader.parse(h);
    assertThat(fh).isEqualTo(new FileHeader(0, 10, 1363, 1, 3, 4096, 4, 1, c.getValue(), c.getValue()));
    assertThat(fh.dirty()).isTrue();
    assertThat(fh.crcOk()).isTrue();
    h[124] ^= 1;
    assertThat(FileHeader.parse(h).crcOk()).isFalse();
  }

  @Test
  void fileHeaderWithWrongSignatureIsRefused() {
    assertThatThrownBy(() -> FileHeader.parse(new byte[4096]))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("cannot read EVTX file header").hasMessageContaining("signature");
  }
}
