package rdpdoctor.app.hive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.CliRun;

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

  @Test
  void helpShowsExamples() {
    assertThat(run("hive", "check", "--help").out()).contains("Examples:").contains("Exit codes");
    assertThat(run("hive", "rdp", "--help").out()).contains("Examples:");
    assertThat(run("hive", "dump", "--help").out()).contains("Examples:");
  }
}
