package rdpdoctor.diagnosis.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.Phase;

/** Every kind of input the issue lists, and how it must be read. */
class CodeQueryTest {

  private static List<String> names(Explanation x) {
    return x.codes().stream().map(r -> r.family() + ":" + r.entry().name()).toList();
  }

  @Test
  void theDialogTextGivesBothCodesAndTheCombinedReading() {
    Explanation x =
        CodeQuery.explain(
            "This computer can't connect to the remote computer. Try connecting again. "
                + "Error code: 0x904, Extended error code: 0x7");
    assertThat(names(x))
        .containsExactly(
            "disconnectReason:disconnectReasonAtClientWinsockFDCLOSE",
            "extendedReason:exDiscReasonServerDeniedConnection");
    assertThat(x.pairs()).hasSize(1);
    PairReading p = x.pairs().get(0);
    assertThat(p.label()).isEqualTo("0x904 + 0x7");
    assertThat(p.combination().title()).isEqualTo("server actively refused after negotiation");
    assertThat(p.combination().phase()).isEqualTo(Phase.MCS);
    assertThat(x.codes().get(1).related()).extracting(CodeEntry::name).contains("ERRINFO_SERVER_DENIED_CONNECTION");
    assertThat(x.causes()).isNotEmpty();
    assertThat(x.causes().get(0).from()).isEqualTo("0x904 + 0x7");
    assertThat(x.contested()).anySatisfy(c -> assertThat(c.dispute().claim()).containsIgnoringCase("profile"));
  }

  @Test
  void barePairIsReadByPosition() {
    Explanation x = CodeQuery.explain("0x904 0x7");
    assertThat(names(x)).containsExactly(
        "disconnectReason:disconnectReasonAtClientWinsockFDCLOSE", "extendedReason:exDiscReasonServerDeniedConnection");
    assertThat(x.pairs()).singleElement().satisfies(p -> assertThat(p.combination().title()).contains("refused"));
  }

  @Test
  void zeroExtendedCodeIsADifferentProblem() {
    Explanation x = CodeQuery.explain("Error code: 0x904 Extended error code: 0x0");
    assertThat(x.pairs()).singleElement()
        .satisfies(p -> assertThat(p.combination().title()).isEqualTo("socket closed with no reason from the server"));
    assertThat(x.contested()).noneSatisfy(c -> assertThat(c.dispute().claim()).containsIgnoringCase("profile"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "2308|disconnectReason|disconnectReasonAtClientWinsockFDCLOSE",
        "-2146893022|hresult|SEC_E_WRONG_PRINCIPAL",
        "0x80090327|hresult|SEC_E_CERT_UNKNOWN",
        "80090327|-|-",
        "ERRINFO_SERVER_DENIED_CONNECTION|errinfo|ERRINFO_SERVER_DENIED_CONNECTION",
        "0x7|extendedReason|exDiscReasonServerDeniedConnection",
        "C000006E|ntstatus|STATUS_ACCOUNT_RESTRICTION",
        "Status: 0xC0000234|ntstatus|STATUS_ACCOUNT_LOCKED_OUT",
        "alert 48|tlsAlert|unknown_ca",
        "xfreerdp exit code 131|xfreerdpExit|XF_EXIT_CONN_FAILED",
        "0x59DD|tsgu|E_PROXY_TS_CONNECTFAILED",
        "0x800759DA|tsgu|E_PROXY_RAP_ACCESSDENIED",
        "failureCode 5|negFailure|HYBRID_REQUIRED_BY_SERVER",
        "protocol error (code: 0x112f)|errinfo|ERRINFO_GRAPHICS_SUBSYSTEM_FAILED",
        "0x00010009|errinfo|ERRINFO_SERVER_INSUFFICIENT_PRIVILEGES",
      })
  void oneCode(String input, String family, String name) {
    Explanation x = CodeQuery.explain(input);
    if (family.equals("-")) {
      assertThat(x.understood()).isFalse();
      return;
    }
    assertThat(x.codes()).first().satisfies(r -> {
      assertThat(r.family()).isEqualTo(family);
      assertThat(r.entry().name()).isEqualTo(name);
    });
  }

  @Test
  void eventIdDecidesTheFamilyOfItsFields() {
    Explanation x = CodeQuery.explain("4625 0xC000006E");
    assertThat(x.events()).extracting(EventEntry::id).containsExactly(4625);
    assertThat(names(x)).containsExactly("ntstatus:STATUS_ACCOUNT_RESTRICTION");
    assertThat(x.codes().get(0).why()).contains("event 4625 field Status");

    Explanation y = CodeQuery.explain("4625 Status 0xC000006D SubStatus 0xC000006A");
    assertThat(names(y)).containsExactly("ntstatus:STATUS_LOGON_FAILURE", "ntstatus:STATUS_WRONG_PASSWORD");

    Explanation z = CodeQuery.explain("event 1026 reason 2308");
    assertThat(z.events()).extracting(EventEntry::id).containsExactly(1026);
    assertThat(names(z)).containsExactly("disconnectReason:disconnectReasonAtClientWinsockFDCLOSE");

    Explanation lsm = CodeQuery.explain("event 40 reason code 5");
    assertThat(names(lsm)).containsExactly("lsmReason:ReplacedByOtherConnection");

    Explanation alert = CodeQuery.explain("event 36888 alert 70");
    assertThat(names(alert)).containsExactly("tlsAlert:protocol_version");
  }

  @Test
  void freerdpLogLines() {
    Explanation x =
        CodeQuery.explain(
            "[ERROR][com.freerdp.core] - transport_connect_tls:freerdp_set_last_error_ex "
                + "ERRCONNECT_TLS_CONNECT_FAILED [0x00020008]");
    assertThat(names(x)).containsExactly("freerdpConnect:ERRCONNECT_TLS_CONNECT_FAILED");

    Explanation y =
        CodeQuery.explain("[INFO][com.freerdp.core] - rdp_print_errinfo: ERRINFO_LOGOFF_BY_USER (0x0000000C): The disconnection was initiated by the user");
    assertThat(names(y)).containsExactly("errinfo:ERRINFO_LOGOFF_BY_USER");
  }

  @Test
  void aNumberInSeveralFamiliesListsTheOthersAsAlternatives() {
    Explanation x = CodeQuery.explain("7");
    assertThat(x.codes()).first().extracting(Reading::family).isEqualTo("extendedReason");
    assertThat(x.alternatives()).extracting(Reading::family).contains("errinfo", "xfreerdpExit", "lsmReason");
  }

  @Test
  void addressesAndVersionsAreNotCodes() {
    Explanation x = CodeQuery.explain("server 10.0.0.4 version 2.3");
    assertThat(x.codes()).isEmpty();
  }

  @Test
  void unknownInputIsNotUnderstood() {
    assertThat(CodeQuery.explain("hello world").understood()).isFalse();
    assertThat(CodeQuery.explain("").understood()).isFalse();
    Explanation x = CodeQuery.explain("0x12345678");
    assertThat(x.understood()).isFalse();
    assertThat(x.unrecognised()).containsExactly("0x12345678");
    assertThat(CodeQuery.explain("ERRINFO_NO_SUCH_THING").unrecognised()).containsExactly("ERRINFO_NO_SUCH_THING");
  }

  @Test
  void extendedCausesRankAboveTheClientViewWithoutASpecificPairReading() {
    Explanation x = CodeQuery.explain("Error code: 0x204 Extended error code: 0x9");
    assertThat(x.pairs()).singleElement().satisfies(p -> assertThat(p.combination().causes()).isEmpty());
    assertThat(x.causes().get(0).from()).isEqualTo("extendedReason 0x9");
  }

  @Test
  void emitsCodeObservations() {
    List<Observation> obs = CodeQuery.observations("Error code: 0x904, Extended error code: 0x7");
    assertThat(obs).hasSize(2);
    Observation first = obs.get(0);
    assertThat(first.type()).isEqualTo("code");
    assertThat(first.string("family")).isEqualTo("disconnectReason");
    assertThat(first.number("value")).isEqualTo(0x904L);
    assertThat(first.string("hex")).isEqualTo("0x904");
    assertThat(first.string("name")).isEqualTo("disconnectReasonAtClientWinsockFDCLOSE");
    assertThat(first.string("phase")).isEqualTo("TCP");
    assertThat(first.provenance().detail()).isEqualTo("0x904");
  }

  /** Whatever a user pastes, explain returns an answer and never throws. */
  @FuzzTest(maxDuration = "30s")
  void anyTextIsExplainedWithoutThrowing(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    Explanation x = CodeQuery.explain(text);
    // every reading comes from a piece of the input, and each becomes one observation
    for (Reading r : x.codes()) {
      assertThat(text).contains(r.token());
    }
    assertThat(x.observations()).hasSameSizeAs(x.codes());
  }
}
