package rdpdoctor.diagnosis.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import rdpdoctor.diagnosis.Diagnosis;
import rdpdoctor.diagnosis.Finding;
import rdpdoctor.diagnosis.catalog.CodeQuery;

/**
 * The observations {@code explain} makes of whole pasted texts reach the rule engine as the rules
 * expect them: a code-less dialog fires the rule of the code it corresponds to, and the rest of a
 * whole paste (time stamps, process ids, addresses) adds no finding to what its codes give.
 */
class PastedTextRulesTest {
  private static final Path PASTED =
      Path.of("src", "test", "resources", "rdpdoctor", "diagnosis", "catalog", "pasted");
  private static final RuleEngine ENGINE = new RuleEngine(RuleSet.builtIn());
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @ParameterizedTest
  @CsvSource({
    "mstsc-credssp-encryption-oracle, credssp-oracle-mismatch",
    "mstsc-nla-required, nla-required-client-cannot",
  })
  void aCodelessDialogFiresTheRuleOfItsCode(String name, String rule) throws IOException {
    Diagnosis d = diagnose(name);
    assertThat(d.findings()).extracting(Finding::id).contains(rule);
  }

  /** The whole paste gives the diagnosis its codes alone give: the rest of the text adds nothing. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "mstsc-win11-0x904-0x7-timestamp|Error code: 0x904 Extended error code: 0x7",
        "freerdp2-closed-port-grep|ERRCONNECT_CONNECT_TRANSPORT_FAILED",
        "freerdp3-transport-failed|ERRCONNECT_CONNECT_TRANSPORT_FAILED",
        "event-viewer-security-4625|4625 Status 0xC000006D SubStatus 0xC000006A",
      })
  void theWholePasteDiagnosesLikeItsCodes(String name, String codesAlone) throws IOException {
    assertThat(diagnose(name).findings()).extracting(Finding::id)
        .isEqualTo(ENGINE.diagnose(CodeQuery.observations(codesAlone), NOW).findings().stream().map(Finding::id).toList());
  }

  private static Diagnosis diagnose(String name) throws IOException {
    String text = Files.readString(PASTED.resolve(name + ".txt"));
    return ENGINE.diagnose(CodeQuery.observations(text), NOW);
  }
}
