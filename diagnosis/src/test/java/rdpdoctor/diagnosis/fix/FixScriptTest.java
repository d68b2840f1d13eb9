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
