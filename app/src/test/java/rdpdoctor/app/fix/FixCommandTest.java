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
  void aFileThatIsNotAReportIsAUsageError() throws Exception {
    Path bad = tmp.resolve("x.json");
    Files.writeString(bad, "{\"schema\":\"other\"}");
    String[] f = run("fix", "--report", bad.toString());
    assertThat(f[0]).isEqualTo(Integer.toString(ExitCodes.USAGE));
    assertThat(f[2]).contains("is not an rdpdoctor report");
  }
}
