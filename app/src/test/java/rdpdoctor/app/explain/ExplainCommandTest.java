package rdpdoctor.app.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.Json;
import rdpdoctor.app.CliRun;
import tools.jackson.databind.JsonNode;

class ExplainCommandTest {

  private static final Path SCHEMA = Path.of("..", "docs", "schema", "explain.schema.json");


  private static JsonNode schema() throws Exception {
    return Json.MAPPER.readTree(Files.readString(SCHEMA));
  }

  private static CliRun run(String... args) {
    return CliRun.run(args);
  }

  @Test
  void theAcceptanceInputDecodesBothCodesAndThePair() {
    CliRun r = run("explain", "Error code: 0x904, Extended error code: 0x7");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("0x904  disconnectReason  disconnectReasonAtClientWinsockFDCLOSE")
        .contains("0x7  extendedReason  exDiscReasonServerDeniedConnection")
        .contains("ERRINFO_SERVER_DENIED_CONNECTION")
        .contains("Together (0x904 + 0x7): server actively refused after negotiation")
        .contains("Likely causes")
        .contains("Not supported by the authoritative tables")
        .doesNotContain("\u001b["); // not a terminal: no colour
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Error code: 0x904, Extended error code: 0x7",
        "0x904 0x0",
        "2308",
        "-2146893022",
        "0x80090327",
        "ERRINFO_SERVER_DENIED_CONNECTION",
        "4625 0xC000006E",
        "event 1026 reason 2308",
        "event 36888 alert 40",
        "ERRCONNECT_TLS_CONNECT_FAILED [0x00020008]",
        "7"
      })
  void jsonOutputValidatesAgainstTheDocumentedSchema(String input) throws Exception {
    CliRun r = run("explain", "--json", "--", input);
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode doc = Json.MAPPER.readTree(r.out());
    assertThat(SchemaValidator.validate(schema(), doc)).isEmpty();
    assertThat(doc.get("schemaVersion").asInt()).isEqualTo(ExplainJson.SCHEMA_VERSION);
    assertThat(doc.get("codes").size()).isPositive();
  }

  @Test
  void jsonCarriesTheDecodingAndRankedCauses() throws Exception {
    JsonNode doc = Json.MAPPER.readTree(run("explain", "--json", "0x904", "0x7").out());
    JsonNode first = doc.get("codes").get(0);
    assertThat(first.get("family").asString()).isEqualTo("disconnectReason");
    assertThat(first.get("value").asLong()).isEqualTo(2308);
    assertThat(first.get("hex").asString()).isEqualTo("0x904");
    assertThat(first.get("phase").asString()).isEqualTo("TCP");
    assertThat(doc.get("combined").get(0).get("title").asString()).isEqualTo("server actively refused after negotiation");
    JsonNode cause = doc.get("causes").get(0);
    assertThat(cause.get("confidence").asString()).isEqualTo("high");
    assertThat(cause.get("checks").size()).isPositive();
    assertThat(cause.get("fixes").size()).isPositive();
    JsonNode hr = Json.MAPPER.readTree(run("explain", "--json", "--", "-2146893022").out()).get("codes").get(0);
    assertThat(hr.get("signed").asInt()).isEqualTo(-2146893022);
    assertThat(hr.get("hex").asString()).isEqualTo("0x80090322");
  }

  /** The validator itself must catch drift, or the schema test proves nothing. */
  @Test
  void theValidatorRejectsDrift() throws Exception {
    JsonNode good = Json.MAPPER.readTree(run("explain", "--json", "0x904", "0x7").out());
    String text = good.toString();
    List<String> renamed = SchemaValidator.validate(schema(), Json.MAPPER.readTree(text.replace("\"phaseLabel\"", "\"phaseName\"")));
    assertThat(renamed).anyMatch(e -> e.contains("phaseName")).anyMatch(e -> e.contains("missing property phaseLabel"));
    List<String> badEnum = SchemaValidator.validate(schema(), Json.MAPPER.readTree(text.replace("\"high\"", "\"certain\"")));
    assertThat(badEnum).anyMatch(e -> e.contains("certain"));
    List<String> badType = SchemaValidator.validate(schema(), Json.MAPPER.readTree(text.replace("\"value\":2308", "\"value\":\"2308\"")));
    assertThat(badType).anyMatch(e -> e.contains("value"));
  }

  @Test
  void markdownIsForTickets() {
    CliRun r = run("explain", "--markdown", "0x904", "0x7");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("## RDP error explained").contains("| `0x904` | disconnectReason |").contains("### Likely causes");
  }

  @Test
  void unknownInputIsAUsageErrorWithoutAStackTrace() {
    CliRun r = run("explain", "hello", "world");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("no RDP code recognised").doesNotContain("Exception").doesNotContain("\tat ");
    CliRun n = run("explain", "0x12345678");
    assertThat(n.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(n.err()).contains("not in the catalog: 0x12345678");
  }

  @Test
  void jsonAndMarkdownTogetherIsAUsageError() {
    assertThat(run("explain", "--json", "--markdown", "0x7").exit()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void helpShowsExamples() {
    CliRun r = run("explain", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("Examples:").contains("rdpdoctor explain \"Error code: 0x904, Extended error code: 0x7\"");
  }

  private static final Path PASTED =
      Path.of("..", "diagnosis", "src", "test", "resources", "rdpdoctor", "diagnosis", "catalog", "pasted");

  private static String pasted(String name) throws Exception {
    return Files.readString(PASTED.resolve(name + ".txt"));
  }

  @Test
  void theWholeWindows11DialogWithItsTimestampGivesOnlyThePair() throws Exception {
    CliRun r = run("explain", pasted("mstsc-win11-0x904-0x7-timestamp"));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("Together (0x904 + 0x7): server actively refused after negotiation")
        .contains("Not codes, not decoded: date and time 04/17/24 09:23:11 PM")
        .doesNotContain("ERRINFO_SERVER_CSRSS_CRASH")
        .doesNotContain("disconnectReasonTotalLogonTimeLimit")
        .doesNotContain("0x11:")
        .doesNotContain("0x17:");
  }

  /** The README's "xfreerdp ... | grep ERRCONNECT | rdpdoctor explain -", on real xfreerdp output. */
  @Test
  void theReadmeFreerdpPipeOnRealOutputReadsTheErrorNotThePrefix() throws Exception {
    CliRun r = run("explain", pasted("freerdp2-closed-port-grep"));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .startsWith("0xD  freerdpConnect  ERRCONNECT_CONNECT_TRANSPORT_FAILED")
        .contains("FreeRDP process:thread id 11789:11790 (x2)")
        .doesNotContain("Not recognised");
    assertThat(r.out().lines().filter(l -> l.contains("ERRCONNECT_CONNECT_TRANSPORT_FAILED") && l.startsWith("0x"))).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "mstsc-credssp-encryption-oracle|CredSSP encryption oracle remediation|CVE-2018-0886",
        "mstsc-nla-required|The remote computer requires Network Level Authentication|did not offer CredSSP",
        "windows-security-credentials-did-not-work|Your credentials did not work|could not validate the account",
        "mstsc-no-license-servers|No Remote Desktop License Servers available|license server",
        "mstsc-no-client-access-licenses|No Remote Desktop client access licenses available|client access license",
        "mstsc-licensing-protocol|An error in the licensing protocol|licensing exchange",
        "mstsc-internal-error|An internal error has occurred|security negotiation",
        "mstsc-not-authorized-remote-login|not authorized for remote login|Remote Desktop Users",
        "mstsc-cannot-find-computer|can't find the computer|DNS lookup failed",
        "mstsc-certificate-name-mismatch|name mismatch|not in the certificate",
      })
  void explainOnTheFullTextOfEachCodelessDialogNamesItsMeaningAndCauses(String spec) throws Exception {
    String[] p = spec.split("\\|");
    CliRun r = run("explain", pasted(p[0]));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("message  ").containsIgnoringCase(p[1]).contains(p[2])
        .contains("Likely causes, most likely first").contains("check: ").contains("fix: ");
    JsonNode doc = Json.MAPPER.readTree(run("explain", "--json", "--", pasted(p[0])).out());
    assertThat(SchemaValidator.validate(schema(), doc)).isEmpty();
    assertThat(doc.get("messages").size()).isEqualTo(1);
    assertThat(doc.get("messages").get(0).get("sources").size()).isPositive();
    assertThat(doc.get("causes").get(0).get("from").asString()).startsWith("message: ");
  }

  @Test
  void jsonSaysWhatWasSkipped() throws Exception {
    JsonNode doc = Json.MAPPER.readTree(run("explain", "--json", "--", pasted("event-viewer-security-4625")).out());
    assertThat(SchemaValidator.validate(schema(), doc)).isEmpty();
    List<String> kinds = new java.util.ArrayList<>();
    doc.get("skipped").forEach(k -> kinds.add(k.get("kind").asString() + "=" + k.get("text").asString()));
    assertThat(kinds).contains("logon type=3", "IPv4 address=10.0.0.23", "source port=0", "date and time=4/17/2024 9:23:11 PM");
    assertThat(doc.get("codes")).extracting(c -> c.get("name").asString()).containsExactly("STATUS_LOGON_FAILURE", "STATUS_WRONG_PASSWORD");
  }

  @Test
  void markdownCarriesTheMessageAndTheSkippedNumbers() throws Exception {
    CliRun r = run("explain", "--markdown", pasted("mstsc-credssp-encryption-oracle"));
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("**Message: CredSSP encryption oracle remediation.**")
        .contains("corresponds to `0x80090302` hresult `SEC_E_UNSUPPORTED_FUNCTION`")
        .contains("Not codes, not decoded: IPv4 address 10.0.0.5");
  }
}
