package rdpdoctor.diagnosis.fix;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FixScriptTest {
  private static final Instant AT = Instant.parse("2026-10-03T09:00:00Z");

  @Test
  void checksComeFirstAndChangesOnlyWithApply() {
    FixScript.Result r = FixScript.build(
        List.of(new FixScript.Request("profilelist-bak-twin", "profilelist-repair", Map.of("Sid", "S-1-5-21-1-2-3-1001")),
            new FixScript.Request("mslicensing-corrupt", "mslicensing-recreate", Map.of())),
        FixCatalog.builtIn(), AT);
    String s = r.script();
    assertThat(r.included()).containsExactly("profilelist-repair", "mslicensing-recreate");
    int checks = s.indexOf("# ---- 1. Read-only checks");
    int gate = s.indexOf("if (-not $Apply)");
    int backup = s.indexOf("reg.exe export 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList'");
    int change = s.indexOf("Rename-Item \"$root\\$Sid.bak\"");
    assertThat(checks).isPositive();
    assertThat(gate).isGreaterThan(checks);
    assertThat(backup).isGreaterThan(gate);
    assertThat(change).isGreaterThan(backup);
    assertThat(s).contains("$Sid = 'S-1-5-21-1-2-3-1001'").contains("undo-step1-profilelist-repair.ps1")
        .contains("Test-RdpdoctorAdmin").contains("param([switch]$Apply)");
  }

  @Test
  void aValueThatDoesNotMatchItsPatternIsNeverWrittenIntoTheScript() {
    String evil = "S-1-5-21-1-2-3-1001'; Remove-Item C:\\ -Recurse; '";
    FixScript.Result r = FixScript.build(
        List.of(new FixScript.Request("profilelist-bak-twin", "profilelist-repair", Map.of("Sid", evil))),
        FixCatalog.builtIn(), AT);
    assertThat(r.included()).isEmpty();
    assertThat(r.refused()).singleElement().asString().contains("does not have the expected form");
    assertThat(r.script()).doesNotContain("Remove-Item C:").doesNotContain("$Sid =");
  }

  @Test
  void aScriptForOneComputerStopsOnAnyOtherBeforeItsFirstCheck() {
    FixScript.Result r = FixScript.build(
        List.of(new FixScript.Request("mslicensing-corrupt", "mslicensing-recreate", Map.of())), FixCatalog.builtIn(), AT, "HOST01");
    String s = r.script();
    int param = s.indexOf("param([switch]$Apply)");
    int guard = s.indexOf("if ($env:COMPUTERNAME -ne 'HOST01') {");
    int exit = s.indexOf("  exit 3\n}", guard);
    int checks = s.indexOf("# ---- 1. Read-only checks");
    assertThat(param).isPositive();
    assertThat(guard).isGreaterThan(param);
    assertThat(exit).isGreaterThan(guard);
    assertThat(checks).isGreaterThan(exit);
    assertThat(s.substring(guard, exit)).contains("[Console]::Error.WriteLine('This script was made from the evidence of computer HOST01; this is ' + $env:COMPUTERNAME");
    assertThat(s).contains("For computer HOST01 only");

    String none = FixScript.build(List.of(), FixCatalog.builtIn(), AT, null).script();
    assertThat(none).doesNotContain("$env:COMPUTERNAME").contains("the evidence named no computer");
  }

  @Test
  void aComputerNameThatIsNotANetbiosNameIsRefused() {
    for (String bad : List.of("HOST01'; Remove-Item C:\\ -Recurse; '", "", "SIXTEEN-CHARS-XX", "a b")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> FixScript.build(List.of(), FixCatalog.builtIn(), AT, bad))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a NetBIOS name");
    }
  }

  @Test
  void quotingDoublesSingleQuotes() {
    assertThat(FixScript.quote("it's")).isEqualTo("'it''s'");
    assertThat(FixScript.comment("a\r\nb #> c")).isEqualTo("a b # > c");
  }

  @Test
  void everySnippetHasItsParts() {
    assertThat(FixCatalog.builtIn().all()).hasSizeGreaterThanOrEqualTo(10);
    FixCatalog.builtIn().all().values().forEach(s -> {
      assertThat(s.check()).isNotBlank();
      assertThat(s.backup()).contains("$BackupDir");
      assertThat(s.undo()).isNotBlank();
    });
  }
}
