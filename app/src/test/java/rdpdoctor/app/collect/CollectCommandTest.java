package rdpdoctor.app.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.Main;
import rdpdoctor.evidence.text.InstallChecks;

class CollectCommandTest {

  @Test
  void powershellScriptIsReadOnlyAndWritesTheFormatsAnalyzeReads() throws Exception {
    StringWriter o = new StringWriter();
    int rc = Main.run(new PrintWriter(o, true), new PrintWriter(new StringWriter(), true), "collect", "--powershell");
    assertThat(rc).isZero();
    String s = o.toString();
    assertThat(s).contains("reg.exe save", "reg.exe export", "wevtutil.exe epl", "Cert:\\LocalMachine\\Remote Desktop",
        "CBS.log", InstallChecks.HEADER, "manifest.json", "Compress-Archive");
    for (String check : new String[] {"mstsc-not-readonly", "tsclient-key-writable", "volume-writable", "temp-writable"}) {
      assertThat(s).contains("'" + check + "'");
    }
    // Nothing that changes a setting: no registry writes, no service or ACL changes.
    String lower = s.toLowerCase(Locale.ROOT);
    for (String verb : new String[] {"set-itemproperty", "new-itemproperty", "remove-itemproperty", "reg.exe add", "reg.exe delete",
        "reg.exe import", "icacls", "restart-service", "stop-service", "set-acl", "bcdedit"}) {
      assertThat(lower).as("collector must not use " + verb).doesNotContain(verb);
    }
    assertThat(s.lines().filter(l -> l.contains("Remove-Item")).toList()).allMatch(l -> l.contains("$work"));
  }

  @Test
  void notOnWindowsWithoutPowershellSaysWhatToDo() {
    if (System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("windows")) {
      return;
    }
    StringWriter e = new StringWriter();
    int rc = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(e, true), "collect");
    assertThat(rc).isEqualTo(ExitCodes.USAGE);
    assertThat(e.toString()).contains("--powershell");
  }
}
