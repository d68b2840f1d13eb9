package rdpdoctor.evidence.reg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import rdpdoctor.evidence.regf.Hive;
import rdpdoctor.evidence.registry.RegistryCorpus;
import rdpdoctor.evidence.registry.RegistryKey;
import rdpdoctor.evidence.registry.RegistryValue;
import rdpdoctor.evidence.registry.RegistryWalker;
import rdpdoctor.protocol.DecodeException;

class RegFileTest {

  /** What regedit writes for a Terminal Server key (CRLF, continuation, comment, all forms). */
  static final String SAMPLE = String.join("\r\n",
      "Windows Registry Editor Version 5.00",
      "",
      "; exported by hand for the test",
      "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server]",
      "\"fDenyTSConnections\"=dword:00000000",
      "@=\"default \\\"quoted\\\" C:\\\\path\"",
      "",
      "[HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp]",
      "\"PortNumber\"=dword:00000d3d",
      "\"SSLCertificateSHA1Hash\"=hex:01,02,03,04,05,06,07,08,09,0a,0b,0c,0d,0e,0f,10,11,\\",
      "  12,13,14",
      "\"Path\"=hex(2):25,00,53,00,00,00",
      "\"Names\"=hex(7):61,00,00,00,62,00,00,00,00,00",
      "\"Big\"=hex(b):01,00,00,00,00,00,00,00",
      "\"Odd\"=hex(1234abcd):ff",
      "\"Gone\"=\"x\"",
      "\"Gone\"=-",
      "",
      "[HKEY_CURRENT_USER\\Software\\Old]",
      "[-HKEY_CURRENT_USER\\Software\\Old]",
      "");

  @Test
  void readsEveryValueFormOfVersion5() {
    RegFile f = RegFile.parse(SAMPLE);
    assertThat(f.version()).isEqualTo(5);
    RegistryKey ts = f.root().find("HKEY_LOCAL_MACHINE\\system\\CurrentControlSet\\Control\\Terminal Server");
    assertThat(ts).isNotNull();
    assertThat(ts.value("fdenytsconnections").asNumber()).isZero();
    assertThat(ts.value("").asString()).isEqualTo("default \"quoted\" C:\\path");
    RegistryKey tcp = ts.find("WinStations\\RDP-Tcp");
    assertThat(tcp.value("PortNumber").asNumber()).isEqualTo(3389L);
    assertThat(tcp.value("SSLCertificateSHA1Hash").data()).hasSize(20).startsWith(1, 2, 3);
    assertThat(tcp.value("Path").type()).isEqualTo(2);
    assertThat(tcp.value("Path").asString()).isEqualTo("%S");
    assertThat(tcp.value("Names").asStrings()).containsExactly("a", "b");
    assertThat(tcp.value("Big").asNumber()).isEqualTo(1L);
    assertThat(tcp.value("Odd").type()).isEqualTo(0x1234abcdL);
    assertThat(tcp.value("Gone")).isNull();
    assertThat(f.deletedValues()).hasSize(1);
    assertThat(f.root().find("HKEY_CURRENT_USER\\Software\\Old")).isNull();
    assertThat(f.deletedKeys()).containsExactly("HKEY_CURRENT_USER\\Software\\Old");
  }

  @Test
  void readsUtf16WithBomAsRegeditWritesIt() {
    byte[] body = SAMPLE.getBytes(StandardCharsets.UTF_16LE);
    byte[] file = new byte[body.length + 2];
    file[0] = (byte) 0xFF;
    file[1] = (byte) 0xFE;
    System.arraycopy(body, 0, file, 2, body.length);
    RegFile f = RegFile.parse(file);
    assertThat(f.root().find("HKLM\\SYSTEM")).isNull(); // abbreviations are expanded when read
    assertThat(f.root().find("HKEY_LOCAL_MACHINE\\SYSTEM")).isNotNull();
  }

  @Test
  void readsUtf8WithBom() {
    byte[] body = SAMPLE.getBytes(StandardCharsets.UTF_8);
    byte[] file = new byte[body.length + 3];
    file[0] = (byte) 0xEF;
    file[1] = (byte) 0xBB;
    file[2] = (byte) 0xBF;
    System.arraycopy(body, 0, file, 3, body.length);
    assertThat(RegFile.parse(file).version()).isEqualTo(5);
  }

  @Test
  void regedit4HexStringsAreAnsi() {
    byte[] file = ("REGEDIT4\n\n[HKEY_LOCAL_MACHINE\\X]\n\"E\"=hex(2):25,53,e9,00\n\"S\"=\"caf\u00e9\"\n")
        .getBytes(StandardCharsets.ISO_8859_1);
    RegFile f = RegFile.parse(file);
    assertThat(f.version()).isEqualTo(4);
    RegistryKey x = f.root().find("HKEY_LOCAL_MACHINE\\X");
    assertThat(x.value("E").asString()).isEqualTo("%S\u00e9");
    assertThat(x.value("S").asString()).isEqualTo("caf\u00e9");
  }

  @Test
  void refusesAFileWithoutTheHeader() {
    assertThatThrownBy(() -> RegFile.parse("[HKEY_LOCAL_MACHINE\\X]\n"))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("line 1").hasMessageContaining("expected: \"Windows Registry Editor");
  }

  @Test
  void refusesAValueBeforeAnyKey() {
    assertThatThrownBy(() -> RegFile.parse("REGEDIT4\n\"a\"=dword:1\n"))
        .hasMessageContaining("line 2").hasMessageContaining("value outside a key");
  }

  @Test
  void refusesBadHex() {
    assertThatThrownBy(() -> RegFile.parse("REGEDIT4\n[HKLM\\A]\n\"a\"=hex:zz\n"))
        .hasMessageContaining("line 3").hasMessageContaining("\"zz\"");
    assertThatThrownBy(() -> RegFile.parse("REGEDIT4\n[HKLM\\A]\n\"a\"=dword:123456789\n"))
        .hasMessageContaining("1 to 8 hex digits");
    assertThatThrownBy(() -> RegFile.parse("REGEDIT4\n[HKLM\\A]\n\"a\"=hex(zz):00\n"))
        .hasMessageContaining("not a hex number");
  }

  @Test
  void refusesAKeyLineWithoutBracket() {
    assertThatThrownBy(() -> RegFile.parse("REGEDIT4\n[HKLM\\A\n"))
        .hasMessageContaining("closing ']'");
  }

  @Test
  void writerOutputReadsBackToTheSameValues() {
    RegFile f = RegFile.parse(SAMPLE);
    StringBuilder out = new StringBuilder();
    RegWriter.write(f.root().find("HKEY_LOCAL_MACHINE"), "HKEY_LOCAL_MACHINE", out);
    RegFile back = RegFile.parse(out.toString());
    assertThat(tree(back.root().find("HKEY_LOCAL_MACHINE"))).isEqualTo(tree(f.root().find("HKEY_LOCAL_MACHINE")));
    assertThat(out.toString()).contains("\"PortNumber\"=dword:00000d3d")
        .contains("\"SSLCertificateSHA1Hash\"=hex:01,02");
    for (String line : out.toString().split("\r\n")) {
      if (!line.startsWith("[")) { // key lines are never wrapped, as in regedit
        assertThat(line.length()).isLessThanOrEqualTo(80);
      }
    }
  }

  static Map<String, List<RegistryValue>> tree(RegistryKey top) {
    Map<String, List<RegistryValue>> out = new LinkedHashMap<>();
    String base = top.path();
    RegistryWalker.walk(top, (k, d) -> out.put(
        k.path().substring(base.length()).replaceFirst("^\\\\", "").toUpperCase(java.util.Locale.ROOT),
        k.values().stream().sorted(java.util.Comparator.comparing(v -> v.name().toUpperCase(java.util.Locale.ROOT))).toList()));
    return out;
  }

  /** Every corpus hive dumped as .reg and read back: the same keys, value types and bytes. */
  @ParameterizedTest
  @ValueSource(strings = {"SYSTEM", "SAM", "NTUSER.DAT", "yarp/BigDataHive", "yarp/MultiSzHive",
      "yarp/ExtendedASCIIHive", "yarp/EmptyHive"})
  void hiveDumpRoundTrips(String name) throws Exception {
    Path p = RegistryCorpus.file(name);
    RegistryKey root = Hive.open(p).root();
    StringBuilder out = new StringBuilder();
    RegWriter.write(root, "HKEY_LOCAL_MACHINE\\TEST", out);
    RegFile back = RegFile.parse(out.toString());
    Map<String, List<RegistryValue>> want = tree(root);
    Map<String, List<RegistryValue>> got = tree(back.root().find("HKEY_LOCAL_MACHINE\\TEST"));
    assertThat(got.keySet()).containsExactlyElementsOf(want.keySet());
    assertThat(got).isEqualTo(want);
    System.out.printf("round trip %s: %d keys, %d chars of .reg%n", name, got.size(), out.length());
  }

  /** Any text either parses or fails with a DecodeException. */
  @FuzzTest(maxDuration = "30s")
  void anyTextParsesOrFailsCleanly(byte[] input) {
    byte[] withHeader = new byte[input.length + 40];
    byte[] header = "Windows Registry Editor Version 5.00\r\n".getBytes(StandardCharsets.US_ASCII);
    boolean prefix = input.length > 0 && (input[0] & 1) == 1;
    try {
      if (prefix) {
        System.arraycopy(header, 0, withHeader, 0, header.length);
        System.arraycopy(input, 1, withHeader, header.length, input.length - 1);
        RegFile f = RegFile.parse(java.util.Arrays.copyOf(withHeader, header.length + input.length - 1));
        RegistryWalker.walk(f.root(), (k, d) -> k.values().forEach(RegistryValue::display));
      } else {
        RegFile.parse(input);
      }
    } catch (DecodeException expected) {
      // the documented failure
    }
  }
}
