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
        // the gateway's events write the low word in decimal: a named gateway code beats the
        // extended-reason range that holds every number from 4096 to 32767
        "23002|tsgu|E_PROXY_RAP_ACCESSDENIED",
        "RPC error 23014|tsgu|E_PROXY_MAXCONNECTIONSREACHED",
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

    // a gateway event's ErrorCode decodes as the E_PROXY_* low word in decimal
    Explanation gw = CodeQuery.explain("event 301 ErrorCode 23002");
    assertThat(gw.events()).extracting(EventEntry::id).containsExactly(301);
    assertThat(names(gw)).containsExactly("tsgu:E_PROXY_RAP_ACCESSDENIED");
    assertThat(gw.codes().get(0).why()).contains("event 301 field ErrorCode").contains("low word");
    assertThat(names(CodeQuery.explain("event 304 23005"))).containsExactly("tsgu:E_PROXY_TS_CONNECTFAILED");

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
    // skipped pieces are pieces of the input, at their place, and never overlap
    int end = 0;
    for (Skipped s : x.skipped()) {
      assertThat(s.start()).isGreaterThanOrEqualTo(end);
      assertThat(text.substring(s.start(), s.end())).isEqualTo(s.text());
      end = s.end();
    }
    java.util.Set<CodeEntry> typed = new java.util.HashSet<>();
    x.codes().forEach(r -> typed.add(r.entry()));
    int fromMessages = x.messages().stream().mapToInt(m -> 1 + (int) m.codes().stream().filter(c -> !typed.contains(c)).count()).sum();
    assertThat(x.observations()).hasSize(x.codes().size() + fromMessages);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Timestamp (UTC): 04/17/24 09:23:11 PM|date and time|04/17/24 09:23:11 PM",
        "at 21:23:11 the client|time|21:23:11",
        "Date: 2024-04-17T21:23:11.5+02:00|date and time|2024-04-17T21:23:11.5+02:00",
        "[21:23:11:123] [12345:12346] [ERROR][com.freerdp.core] - x|FreeRDP log time|21:23:11:123",
        "[22:21:55:702] [727954:000b1b92] [WARN][com.freerdp.client] - x|FreeRDP process:thread id|727954:000b1b92",
        "server 10.0.0.4 answered|IPv4 address|10.0.0.4",
        "connect to 10.0.0.4:3390 failed|IPv4 address:port|10.0.0.4:3390",
        "peer fe80::1c2b:3aff:fe4d:5e6f closed|IPv6 address|fe80::1c2b:3aff:fe4d:5e6f",
        "peer [::1]:3389 closed|IPv6 address:port|[::1]:3389",
        "from ::ffff:10.0.0.5 now|IPv6 address|::ffff:10.0.0.5",
        "full 2001:0db8:0000:0000:0000:ff00:0042:8329 one|IPv6 address|2001:0db8:0000:0000:0000:ff00:0042:8329",
        "xfreerdp /v:rds01:3390 /u:x|port|3390",
        "rds01.corp.example:3389 refused|port|3389",
        "TSpkg.dll 10.0.14393.2248 is patched|version|10.0.14393.2248",
        "OS Build 19045.3803 here|build number|OS Build 19045.3803",
        "install KB4103718 first|KB number|KB4103718",
        "Activity ID: {9a1c1f3e-6d2b-4c71-b0a8-5f3e2d1c0b9a}|GUID|{9a1c1f3e-6d2b-4c71-b0a8-5f3e2d1c0b9a}",
        "Security ID: S-1-5-21-3623811015-3361044348-30300820-1013|SID|S-1-5-21-3623811015-3361044348-30300820-1013",
        "Session 2 has been disconnected|session|2",
        "Process ID: 0x1f4|process id|0x1f4",
      })
  void notCodesAreSkippedAndSaySo(String input, String kind, String text) {
    Explanation x = CodeQuery.explain(input);
    assertThat(x.skipped()).extracting(Skipped::kind, Skipped::text).contains(org.assertj.core.groups.Tuple.tuple(kind, text));
    assertThat(x.codes()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Status: 5|5",
        "reason:7|7",
        "alert 70|70",
        "0x904:0x7|0x904",
        "Error code: 0x904|0x904",
      })
  void labelledCodesAreStillCodes(String input, String token) {
    // "reason:7" is a label and its code, not a host and port
    Explanation x = CodeQuery.explain(input);
    assertThat(x.skipped()).isEmpty();
    assertThat(x.codes()).first().extracting(Reading::token).isEqualTo(token);
  }

  @Test
  void theWholeWindows11DialogReadsOnlyItsTwoCodes() {
    Explanation x =
        CodeQuery.explain(
            "This computer can't connect to the remote computer.\n\nTry connecting again. If the problem continues,"
                + " contact the owner of the remote computer or your network administrator.\n\nError code: 0x904\n"
                + "Extended error code: 0x7\n\nTimestamp (UTC): 04/17/24 09:23:11 PM");
    assertThat(names(x)).containsExactly(
        "disconnectReason:disconnectReasonAtClientWinsockFDCLOSE", "extendedReason:exDiscReasonServerDeniedConnection");
    assertThat(x.alternatives()).extracting(Reading::token).doesNotContain("04", "17", "24", "09", "23", "11");
    assertThat(x.causes().get(0).from()).isEqualTo("0x904 + 0x7");
  }

  @Test
  void aCodelessDialogIsExplainedByItsMessageWithCodeObservations() {
    Explanation x =
        CodeQuery.explain(
            "An authentication error has occurred. The function requested is not supported. Remote computer: rds01."
                + " This could be due to CredSSP encryption oracle remediation.");
    assertThat(x.understood()).isTrue();
    assertThat(x.codes()).isEmpty();
    assertThat(x.messages()).singleElement().satisfies(m -> {
      assertThat(m.entry().id()).isEqualTo("credssp-encryption-oracle");
      assertThat(m.entry().phase()).isEqualTo(Phase.NLA);
      assertThat(m.codes()).extracting(CodeEntry::name).containsExactly("SEC_E_UNSUPPORTED_FUNCTION");
    });
    assertThat(x.causes()).isNotEmpty();
    assertThat(x.causes().get(0).from()).isEqualTo("message: CredSSP encryption oracle remediation");

    List<Observation> obs = x.observations();
    assertThat(obs).extracting(Observation::type).containsExactly("message", "code");
    assertThat(obs.get(0).string("message")).isEqualTo("credssp-encryption-oracle");
    assertThat(obs.get(0).get("codes")).isEqualTo(List.of("hresult:0x80090302"));
    assertThat(obs.get(1).string("family")).isEqualTo("hresult");
    assertThat(obs.get(1).number("value")).isEqualTo(0x80090302L);
    assertThat(obs.get(1).string("message")).isEqualTo("credssp-encryption-oracle");
  }

  @Test
  void aMessageWithoutLinkedCodesGivesItsOwnCauses() {
    Explanation x = CodeQuery.explain("Windows Security\nYour credentials did not work");
    assertThat(x.messages()).extracting(m -> m.entry().id()).containsExactly("credentials-did-not-work");
    assertThat(x.observations()).extracting(Observation::type).containsExactly("message");
    assertThat(x.causes()).extracting(rc -> rc.cause().confidence()).first().isEqualTo(Cause.Confidence.HIGH);
  }

  @Test
  void messageWordingsMatchAcrossLineBreaksQuotesAndCase() {
    assertThat(CodeQuery.explain("REMOTE DESKTOP CAN\u2019T FIND THE\n   COMPUTER \"x\"").messages()).hasSize(1);
    assertThat(CodeQuery.explain("Remotedesktop kann den Computer \u201Erds01\u201C nicht finden.").messages())
        .singleElement().satisfies(m -> assertThat(m.pattern().language()).isEqualTo("de"));
    assertThat(CodeQuery.explain("Remotedesktop kann den Computer nie mehr finden").messages()).isEmpty();
  }

  /**
   * A repeated regex group recurses once per repetition in java.util.regex: an unbounded one
   * overflowed the stack on a long computer-name-like paste ("a-1-a-1-..."), so every repetition
   * in the layouts is bounded.
   */
  @ParameterizedTest
  @CsvSource({"a-1-", "S-1-", "1.", "At ", "::", "1) A ", "(1 of "})
  void aLongPasteOfOneShapeIsReadWithoutThrowing(String unit) {
    String text = unit.repeat(200_000 / unit.length());
    Explanation x = CodeQuery.explain(text);
    assertThat(x.input()).hasSize(text.length());
  }

  /**
   * Labels in a language the reader does not know (placeholders here: no other-language dialog
   * label could be sourced) still give the pair by position, because the time stamp no longer
   * counts as two more numbers.
   */
  @Test
  void unknownLabelsStillGiveThePairOnceTheTimeStampIsSkipped() {
    Explanation x = CodeQuery.explain("Xcode: 0x904\nYcode: 0x7\nZstamp (UTC): 17.04.24 21:23:11");
    assertThat(x.pairs()).singleElement().satisfies(p -> assertThat(p.label()).isEqualTo("0x904 + 0x7"));
    assertThat(x.skipped()).extracting(Skipped::kind).containsExactly("date and time");
  }
}
