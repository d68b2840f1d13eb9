package rdpdoctor.app.hive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.util.ArrayList;
import java.util.List;
import rdpdoctor.app.CliRun;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.Json;
import rdpdoctor.evidence.regf.HiveWriter;

class HiveCommandTest {

  static CliRun run(String... args) {
    return CliRun.run(args);
  }


  static Path corpus(String name) {
    Path p = Path.of("").toAbsolutePath();
    for (; p != null; p = p.getParent()) {
      Path c = p.resolve("shared/corpus/registry").resolve(name);
      if (Files.exists(c)) {
        return c;
      }
    }
    Assumptions.assumeTrue(false, "../shared/corpus/registry/" + name + " missing");
    return null;
  }

  @Test
  void rdpOnTheCorpusSystemHiveSaysRdpOnAndNlaOff() {
    CliRun r = run("hive", "rdp", corpus("SYSTEM").toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("RDP enabled, NLA off (SecurityLayer=1, UserAuthentication=0), port 3389");
    assertThat(r.out()).contains("HKLM\\SYSTEM\\ControlSet001\\Control\\Terminal Server\\fDenyTSConnections");
  }

  @Test
  void rdpJsonHasTheSummaryAndObservations() {
    CliRun r = run("hive", "rdp", "--json", corpus("SYSTEM").toString());
    assertThat(r.out()).contains("\"rdpEnabled\" : true").contains("\"nlaRequired\" : false")
        .contains("\"type\" : \"registry.setting\"").contains("\"type\" : \"registry.hive\"");
  }

  @Test
  void jsonDumpSaysOnStderrWhatItDidNotWrite(@TempDir Path dir) throws Exception {
    Path hive = dir.resolve("SHARED");
    Files.write(hive, rdpdoctor.evidence.regf.DamagedHiveTest.sharedNode());
    CliRun r = run("hive", "dump", hive.toString(), "--json");
    assertThat(r.out()).contains("\"path\":\"A\\\\sub\"").doesNotContain("B\\\\sub");
    assertThat(r.err()).containsPattern("rdpdoctor hive dump: B\\\\sub not written: it is key node 0x[0-9a-f]+,"
        + " already written under another key \\(the hive lists it twice\\)");
  }

  @Test
  void checkExitCodesFollowTheVerdict() {
    assertThat(run("hive", "check", corpus("SAM").toString()).exit()).isZero();
    CliRun dirty = run("hive", "check", corpus("SYSTEM_WIN_10_1709").toString());
    assertThat(dirty.exit()).isEqualTo(1);
    assertThat(dirty.out()).contains("dirty: the transaction logs are needed");
    CliRun broken = run("hive", "check", "--json", corpus("corrupted_system_hive").toString());
    assertThat(broken.exit()).isEqualTo(1);
    assertThat(broken.out()).contains("\"verdict\" : \"REFUSED\"").contains("hive bin chain broken");
  }

  @Test
  void missingFileIsAnIoError() {
    CliRun r = run("hive", "check", "/no/such/hive");
    assertThat(r.exit()).isEqualTo(ExitCodes.IO);
    assertThat(r.err()).contains("no such file");
  }

  @Test
  void dumpOfAKeyReadsBackAsReg(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("ts.reg");
    CliRun r = run("hive", "dump", corpus("SYSTEM").toString(), "controlset001\\control\\terminal server",
        "-o", out.toString());
    assertThat(r.exit()).isZero();
    byte[] bytes = Files.readAllBytes(out);
    assertThat(bytes[0] & 0xFF).isEqualTo(0xFF);
    assertThat(bytes[1] & 0xFF).isEqualTo(0xFE);
    var reg = rdpdoctor.evidence.reg.RegFile.parse(bytes);
    var ts = reg.root().find("HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Control\\Terminal Server");
    assertThat(ts.value("fDenyTSConnections").asNumber()).isZero();
    assertThat(new String(bytes, StandardCharsets.UTF_16LE)).contains("[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Control\\Terminal Server\\WinStations\\RDP-Tcp]");
  }

  @Test
  void dumpOfAMissingKeyExitsOne() {
    CliRun r = run("hive", "dump", corpus("SAM").toString(), "No\\Such\\Key");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("no key No\\Such\\Key");
  }

  @Test
  void rdpReadsRegExports(@TempDir Path tmp) throws Exception {
    Path reg = tmp.resolve("x.reg");
    Files.writeString(reg, "Windows Registry Editor Version 5.00\r\n\r\n"
        + "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server]\r\n"
        + "\"fDenyTSConnections\"=dword:00000001\r\n");
    CliRun r = run("hive", "rdp", reg.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("RDP disabled");
  }

  /** Two keys whose names differ only in half a surrogate pair stay two keys in every output. */
  @Test
  void dumpKeepsKeysWhoseNamesDifferOnlyInAnUnreadableUnit(@TempDir Path tmp) throws Exception {
    HiveWriter.Key root = new HiveWriter.Key("ROOT");
    root.key("K\uD800").dword("V", 1);
    root.key("K\uD801").dword("V", 2);
    Path hive = tmp.resolve("ODD");
    Files.write(hive, HiveWriter.write(root));
    CliRun json = run("hive", "dump", "--json", hive.toString());
    assertThat(json.exit()).isZero();
    List<String> paths = new ArrayList<>();
    for (String line : json.out().split("\n")) {
      paths.add(Json.LINES.readTree(line).get("path").asText());
    }
    assertThat(paths).containsExactly("", "K\uFFFD{d800}", "K\uFFFD{d801}");
    CliRun reg = run("hive", "dump", hive.toString());
    assertThat(reg.out()).contains("[HKEY_LOCAL_MACHINE\\ODD\\K\uFFFD{d800}]\r\n\"V\"=dword:00000001",
        "[HKEY_LOCAL_MACHINE\\ODD\\K\uFFFD{d801}]\r\n\"V\"=dword:00000002");
    // The escaped name as typed finds the raw key.
    assertThat(run("hive", "dump", hive.toString(), "K\uFFFD{d801}").out()).contains("dword:00000002")
        .doesNotContain("dword:00000001");
  }

  /** A base block whose hive bins size is damaged: every key is dumped, and check gives both numbers. */
  @Test
  void aDamagedBinsSizeLosesNoKey(@TempDir Path tmp) throws Exception {
    HiveWriter.Key root = new HiveWriter.Key("ROOT");
    for (int i = 0; i < 100; i++) {
      root.key("Software\\S\\Key" + i).dword("Index", i);
    }
    byte[] f = HiveWriter.writeSmallBins(root);
    int bins = (f.length - 4096) / 4096;
    f[40] = 0; // Hive bins data size: 4096 + 512, inside the second bin
    f[41] = 0x12;
    f[42] = 0;
    f[43] = 0;
    HiveWriter.fixChecksum(f);
    Path hive = tmp.resolve("SIZE");
    Files.write(hive, f);
    CliRun check = run("hive", "check", hive.toString());
    assertThat(check.exit()).isEqualTo(1);
    assertThat(check.out()).contains("BINS_SIZE @0x28: the base block says 4608 bytes of hive bins, the file"
        + " holds an unbroken chain of " + bins + " hive bins with " + 4096 * bins + " bytes: reading the bins present");
    Path out = tmp.resolve("size.reg");
    assertThat(run("hive", "dump", hive.toString(), "-o", out.toString()).exit()).isZero();
    var s = rdpdoctor.evidence.reg.RegFile.parse(Files.readAllBytes(out)).root()
        .find("HKEY_LOCAL_MACHINE\\SIZE\\Software\\S");
    assertThat(s.subkeys()).hasSize(100);
    assertThat(s.subkey("Key99").value("Index").asNumber()).isEqualTo(99L);
  }

  /** A key whose subkeys list is unreadable: its subkeys come back in .reg and JSON, marked as recovered. */
  @Test
  void dumpWritesRecoveredSubkeysMarked(@TempDir Path tmp) throws Exception {
    HiveWriter.Key root = new HiveWriter.Key("ROOT");
    for (int i = 0; i < 40; i++) {
      root.key("Software\\T\\Key" + i).dword("Index", i);
    }
    byte[] f = HiveWriter.write(root);
    long t = rdpdoctor.evidence.regf.Hive.of(f).root().subkey("Software").subkey("T").cellOffset();
    int field = 4096 + (int) t + 4 + 28; // the key node's Subkeys list offset
    f[field] = (byte) 0xF8;
    f[field + 1] = (byte) 0xFF;
    f[field + 2] = (byte) 0xFF;
    f[field + 3] = 0x7F;
    Path hive = tmp.resolve("LOST");
    Files.write(hive, f);
    CliRun reg = run("hive", "dump", hive.toString());
    assertThat(reg.exit()).isZero();
    assertThat(reg.out()).contains("; 40 subkey(s) of Software\\T recovered: key nodes in the hive bins that name it as their parent")
        .contains("[HKEY_LOCAL_MACHINE\\LOST\\Software\\T\\Key39]\r\n\"Index\"=dword:00000027");
    CliRun json = run("hive", "dump", "--json", hive.toString());
    int marked = 0;
    for (String line : json.out().split("\n")) {
      var k = Json.LINES.readTree(line);
      if (k.get("path").asText().startsWith("Software\\T\\")) {
        assertThat(k.path("recovered").asText()).isEqualTo("parent field");
        marked++;
      }
    }
    assertThat(marked).isEqualTo(40);
    assertThat(json.err()).contains("40 subkey(s) of Software\\T recovered");
    CliRun check = run("hive", "check", hive.toString());
    assertThat(check.out()).contains("RECOVERED @0x").contains("40 of the 40 subkeys of key Software\\T");
  }

  @Test
  void helpShowsExamples() {
    assertThat(run("hive", "check", "--help").out()).contains("Examples:").contains("Exit codes");
    assertThat(run("hive", "rdp", "--help").out()).contains("Examples:");
    assertThat(run("hive", "dump", "--help").out()).contains("Examples:");
  }
}
