package rdpdoctor.app.fix;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.Main;

class FixCommandTest {
  @TempDir Path tmp;

  private static String[] run(String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int rc = Main.run(new PrintWriter(o, true), new PrintWriter(e, true), args);
    return new String[] {Integer.toString(rc), o.toString(), e.toString()};
  }

  @Test
  void fromASavedReportOnlyTheRemediesTheFindingsCallFor() throws Exception {
    Path checks = tmp.resolve("install-checks.txt");
    Files.writeString(checks, "rdpdoctor install-checks 1\nmstsc-not-readonly\tfail\tC:\\Windows\\System32\\mstsc.exe\tReadOnly\n");
    String[] a = run("analyze", checks.toString(), "--json");
    assertThat(a[0]).isEqualTo(Integer.toString(ExitCodes.FOUND));
    Path report = tmp.resolve("report.json");
    Files.writeString(report, a[1]);
    String[] f = run("fix", "--report", report.toString());
    assertThat(f[0]).as(f[2]).isEqualTo("0");
    assertThat(f[1]).contains("mstsc-clear-readonly").contains("if (-not $Apply)").contains("$f.IsReadOnly = $false")
        .doesNotContain("MSLicensing").doesNotContain("sfc.exe").doesNotContain("ProfileList");
  }

  @Test
  void aSavedReportAndTheEvidenceItCameFromLeaveOutTheSameHardening() throws Exception {
    // The corpus SYSTEM hive has NLA off: a weakness, whose step (nla-enable) only --hardening scripts.
    Path c = rdpdoctor.app.CliRun.corpus();
    org.junit.jupiter.api.Assumptions.assumeTrue(c != null && Files.exists(c.resolve("registry/SYSTEM")),
        "../shared/corpus missing: registry/SYSTEM");
    String system = c.resolve("registry/SYSTEM").toString();
    Path report = tmp.resolve("report.json");
    Files.writeString(report, run("analyze", system, "--json")[1]);
    for (String[] from : new String[][] {{"--report", report.toString()}, {system}}) {
      String[] plain = run(args(from, "fix", "--json"));
      assertThat(plain[0]).as(plain[2]).isEqualTo("0");
      tools.jackson.databind.JsonNode p = rdpdoctor.app.Json.MAPPER.readTree(plain[1]);
      assertThat(p.path("hardeningLeftOut").asInt()).as(String.join(" ", from)).isEqualTo(1);
      assertThat(p.path("script").asString()).doesNotContain("nla-enable");
      String[] hard = run(args(from, "fix", "--json", "--hardening"));
      tools.jackson.databind.JsonNode h = rdpdoctor.app.Json.MAPPER.readTree(hard[1]);
      assertThat(h.path("hardeningLeftOut").asInt()).isZero();
      assertThat(h.path("script").asString()).contains("nla-enable");
    }
  }

  /** The words of {@code head} followed by {@code tail}. */
  private static String[] args(String[] tail, String... head) {
    return java.util.stream.Stream.concat(java.util.Arrays.stream(head), java.util.Arrays.stream(tail)).toArray(String[]::new);
  }

  @Test
  void aFileThatIsNotAReportIsAUsageError() throws Exception {
    Path bad = tmp.resolve("x.json");
    Files.writeString(bad, "{\"schema\":\"other\"}");
    String[] f = run("fix", "--report", bad.toString());
    assertThat(f[0]).isEqualTo(Integer.toString(ExitCodes.USAGE));
    assertThat(f[2]).contains("is not an rdpdoctor report");
  }
}
