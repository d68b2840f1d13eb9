package rdpdoctor.evidence.reg;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import rdpdoctor.evidence.registry.RegistryValue;

class RegWriterTest {

  /**
   * The writer builds each value's text byte by byte; this is the plain way it was first written
   * (decode the string and encode it back, a StringBuilder per line), kept as the reference.
   */
  static String reference(RegistryValue v) {
    StringBuilder out = new StringBuilder();
    StringBuilder line = new StringBuilder();
    line.append(v.name().isEmpty() ? "@" : "\"" + escape(RegNames.escape(v.name())) + "\"").append('=');
    byte[] d = v.data();
    String text = null;
    if (v.type() == 1 && d.length >= 2 && d.length % 2 == 0) {
      String s = new String(d, 0, d.length - 2, StandardCharsets.UTF_16LE);
      if (Arrays.equals((s + "\0").getBytes(StandardCharsets.UTF_16LE), d) && s.indexOf('\0') < 0
          && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
        text = s;
      }
    }
    if (text != null) {
      line.append('"').append(escape(text)).append('"');
    } else if (v.type() == 4 && d.length == 4) {
      line.append(String.format("dword:%02x%02x%02x%02x", d[3], d[2], d[1], d[0]));
    } else {
      line.append(v.type() == 3 ? "hex:" : "hex(" + Long.toHexString(v.type()) + "):");
      for (int i = 0; i < d.length; i++) {
        if (i > 0) {
          line.append(',');
          if (line.length() > 75) {
            out.append(line).append("\\\r\n");
            line.setLength(0);
            line.append("  ");
          }
        }
        line.append(String.format("%02x", d[i]));
      }
    }
    return out.append(line).append("\r\n").toString();
  }

  static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  static String written(RegistryValue v) {
    StringBuilder sb = new StringBuilder();
    RegWriter.Text t = new RegWriter.CharText(sb);
    RegWriter.value(v, t);
    t.flush();
    return sb.toString();
  }

  static byte[] writtenUtf8(RegistryValue v) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    RegWriter.Text t = new RegWriter.Utf8Text(out);
    RegWriter.value(v, t);
    t.flush();
    return out.toByteArray();
  }

  @Test
  void valuesAreWrittenAsByTheReference() {
    Random rnd = new Random(5);
    // Code units that decide between "text" and hex(1): NUL, line breaks, surrogates, escapes.
    char[] units = {'a', 'Z', ' ', '\\', '"', '\0', '\n', '\r', '\u00e9', '\u0416', '\uD83D',
        '\uDE00', '\uDBFF', '\uDC00', '\uFFFD', '\uFEFF'};
    long[] types = {1, 1, 1, 2, 3, 4, 4, 7, 0, 11, 0xffff0011L, 0x7fffffffL, 0xffffffffL, -1L};
    for (int round = 0; round < 20000; round++) {
      long type = types[rnd.nextInt(types.length)];
      byte[] data;
      if (rnd.nextBoolean()) {
        int n = rnd.nextInt(12);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
          s.append(units[rnd.nextInt(rnd.nextInt(3) == 0 ? units.length : 5)]);
        }
        if (rnd.nextInt(5) != 0) {
          s.append('\0');
        }
        data = utf16leUnits(s);
        if (rnd.nextInt(10) == 0) {
          data = Arrays.copyOf(data, data.length + 1); // odd length
        }
      } else {
        data = new byte[rnd.nextInt(4) == 0 ? 4 : rnd.nextInt(rnd.nextBoolean() ? 8 : 200)];
        rnd.nextBytes(data);
      }
      String name = switch (rnd.nextInt(6)) {
        case 0 -> "";
        case 1 -> "a\\b\"c";
        case 2 -> "x".repeat(rnd.nextInt(120)); // long names wrap hex at the first comma
        case 3 -> "\u00e9\u0416\uD83D\uDE00\"\u20ac"; // 2-, 3- and 4-byte UTF-8, an escape
        case 4 -> "lone \uD83D and \uDE00\u0001\uFFFD"; // RegNames' visible escape, in both encodings
        default -> "Name";
      };
      RegistryValue v = new RegistryValue(name, type, data);
      String want = reference(v);
      assertThat(written(v)).as("round %d: %s", round, v).isEqualTo(want);
      assertThat(writtenUtf8(v)).as("round %d UTF-8: %s", round, v)
          .isEqualTo(want.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** UTF-16LE of each char as it is, lone surrogates included (String.getBytes would replace them). */
  static byte[] utf16leUnits(CharSequence s) {
    byte[] out = new byte[2 * s.length()];
    for (int i = 0; i < s.length(); i++) {
      out[2 * i] = (byte) s.charAt(i);
      out[2 * i + 1] = (byte) (s.charAt(i) >>> 8);
    }
    return out;
  }

  @Test
  void plainStringNeedsPairedSurrogatesAndOneTerminator() {
    assertThat(RegWriter.isPlainString(utf16leUnits("ab\0"))).isTrue();
    assertThat(RegWriter.isPlainString(utf16leUnits("\0"))).isTrue();
    assertThat(RegWriter.isPlainString(utf16leUnits("\uD83D\uDE00\0"))).isTrue();
    assertThat(RegWriter.isPlainString(utf16leUnits("\uD83D\0"))).isFalse();
    assertThat(RegWriter.isPlainString(utf16leUnits("\uDE00x\0"))).isFalse();
    assertThat(RegWriter.isPlainString(utf16leUnits("a\0b\0"))).isFalse();
    assertThat(RegWriter.isPlainString(utf16leUnits("a\r\n\0"))).isFalse();
    assertThat(RegWriter.isPlainString(utf16leUnits("ab"))).isFalse();
    assertThat(RegWriter.isPlainString(new byte[] {'a', 0, 0})).isFalse();
  }

  @Test
  void longOutputIsHandedOnInPiecesAndComplete() {
    StringBuilder direct = new StringBuilder();
    RegWriter.Text t = new RegWriter.CharText(direct);
    byte[] big = new byte[100_000];
    new Random(1).nextBytes(big);
    RegistryValue v = new RegistryValue("Big", 3, big);
    for (int i = 0; i < 5; i++) {
      RegWriter.value(v, t);
      t.flushIfFull();
    }
    t.flush();
    assertThat(direct.toString()).isEqualTo(reference(v).repeat(5));
  }

  /** The stream form is the Appendable form through an OutputStreamWriter in UTF-8, byte for byte. */
  @Test
  void utf8OutputIsTheTextEncoded() throws Exception {
    RegFile f = RegFile.parse(RegFileTest.SAMPLE);
    StringBuilder chars = new StringBuilder();
    RegWriter.write(f.root(), "X\u00e9\uD83D", chars);
    java.io.ByteArrayOutputStream viaWriter = new java.io.ByteArrayOutputStream();
    try (java.io.Writer w = new java.io.OutputStreamWriter(viaWriter, StandardCharsets.UTF_8)) {
      w.write(chars.toString());
    }
    java.io.ByteArrayOutputStream direct = new java.io.ByteArrayOutputStream();
    RegWriter.writeUtf8(f.root(), "X\u00e9\uD83D", direct);
    assertThat(direct.toByteArray()).isEqualTo(viaWriter.toByteArray());
  }
}
