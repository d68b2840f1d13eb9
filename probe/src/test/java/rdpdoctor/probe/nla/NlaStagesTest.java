package rdpdoctor.probe.nla;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import rdpdoctor.probe.Probe;
import rdpdoctor.probe.ProbeOptions;
import rdpdoctor.probe.ProbeReport;
import rdpdoctor.probe.Stage;
import rdpdoctor.protocol.cssp.TsRequest;
import rdpdoctor.protocol.nlmp.ChallengeMessage;
import rdpdoctor.protocol.nlmp.NtlmCredentials;
import rdpdoctor.protocol.nlmp.NtlmVersion;
import rdpdoctor.protocol.nlmp.TargetInfo;

/** The NLA stages against in-process servers: honest, wrong, hostile. */
class NlaStagesTest {
  static final char[] PASSWORD = "Correct-Horse-7".toCharArray();

  static ProbeReport probe(FakeNlaServer server, Stage stage, Duration timeout) {
    ProbeOptions o = ProbeOptions.defaults().withTimeout(timeout).withStepTimeout(Duration.ofSeconds(3))
        .withStages(List.of(stage));
    return new Probe(o).run(server.target());
  }

  static CredentialReport check(FakeNlaServer.Mode mode, String password, long serverVersion) throws Exception {
    try (FakeNlaServer server = new FakeNlaServer("CORP", "alice", PASSWORD, mode, Duration.ZERO, serverVersion)) {
      CredentialCheckStage stage = new CredentialCheckStage(
          NtlmCredentials.fromPassword("CORP", "alice", password.toCharArray()), "CORP\\alice", true);
      ProbeReport r = probe(server, stage, Duration.ofSeconds(20));
      assertThat(r.sections()).containsKey("credentials");
      // Whatever happened, no TSRequest the server saw carried authInfo (TSCredentials).
      assertThat(server.received).allSatisfy(m -> assertThat(TsRequest.decode(m).authInfo()).isNull());
      return (CredentialReport) r.sections().get("credentials");
    }
  }

  @Test
  void infoStageReportsNamesVersionAndClockSkew() throws Exception {
    try (FakeNlaServer server = new FakeNlaServer("CORP", "alice", PASSWORD, FakeNlaServer.Mode.HONEST,
        Duration.ofMinutes(7), 6)) {
      ProbeReport r = probe(server, new NlaInfoStage(), Duration.ofSeconds(20));
      NtlmInfo info = (NtlmInfo) r.sections().get("ntlm");
      assertThat(info).isNotNull();
      assertThat(info.credsspVersion()).isEqualTo(6);
      assertThat(info.dnsComputer()).isEqualTo("rds01.corp.example");
      assertThat(info.netbiosDomain()).isEqualTo("CORP");
      assertThat(info.osVersion()).isEqualTo("10.0.17763");
      assertThat(info.osProduct()).isEqualTo("Windows 10 1809 / Server 2019");
      assertThat(info.clockSkewSeconds()).isBetween(7 * 60L - 5, 7 * 60L + 5);
      assertThat(info.kerberosSkewProblem()).isTrue();
      assertThat(r.observations()).anySatisfy(o -> assertThat(o.type()).isEqualTo("probe.ntlm"));
      assertThat(r.observations()).anySatisfy(o -> assertThat(o.type()).isEqualTo("probe.credssp"));
    }
  }

  @Test
  void clockSkewUsesTheMidpointOfTheRoundTrip() {
    Instant local = Instant.parse("2026-11-24T12:00:00Z");
    ChallengeMessage c = new ChallengeMessage(0x02000000L, "X", new byte[8],
        new TargetInfo(List.of()).with(TargetInfo.MSV_AV_TIMESTAMP,
            new rdpdoctor.protocol.ByteWriter(8).u64le(TargetInfo.epochMillisToFileTime(
                local.minusSeconds(30).toEpochMilli())).toByteArray()),
        new NtlmVersion(6, 1, 7601, 15));
    // Received at local + 1 s after a 2 s round trip: the server stamped at about local.
    NtlmInfo info = NtlmInfo.of(2, c, false, local.plusSeconds(1), 2000);
    assertThat(info.clockSkewSeconds()).isEqualTo(-30L);
    assertThat(info.skewUncertaintyMillis()).isEqualTo(1000);
    assertThat(info.kerberosSkewProblem()).isFalse();
    assertThat(info.osProduct()).isEqualTo("Windows 7 / Server 2008 R2");
    assertThat(info.updatedClientsRefuse()).isTrue();
  }

  @Test
  void rightPasswordIsAuthenticatedAndTheKeyIsBound() throws Exception {
    CredentialReport r = check(FakeNlaServer.Mode.HONEST, "Correct-Horse-7", 6);
    assertThat(r.verdict()).isEqualTo(CredentialReport.Verdict.AUTHENTICATED);
    assertThat(r.authenticated()).isTrue();
    assertThat(r.tlsKeyBound()).isTrue();
    assertThat(r.serverCredsspVersion()).isEqualTo(6);
    assertThat(r.updatedClientsRefused()).isFalse();
    assertThat(r.outdatedClientsRefused()).isFalse(); // the fake accepts CredSSP 4 clients
    assertThat(r.via()).contains("HYBRID_EX");
    assertThat(r.earlyUserAuthorizationNote()).contains("only after TSCredentials");
    assertThat(r.tsCredentialsSent()).isFalse();
  }

  @Test
  void wrongPasswordGivesTheStatusAndTheClientCode() throws Exception {
    CredentialReport r = check(FakeNlaServer.Mode.HONEST, "wrong", 6);
    assertThat(r.verdict()).isEqualTo(CredentialReport.Verdict.REJECTED);
    assertThat(r.ntstatus()).isEqualTo("STATUS_LOGON_FAILURE");
    assertThat(r.ntstatusHex()).isEqualTo("0xC000006D");
    assertThat(r.clientCode()).isEqualTo("0x807");
    assertThat(r.clientCodeName()).isEqualTo("SSL_ERR_LOGON_FAILURE");
    assertThat(r.outdatedClientsRefused()).isNull(); // not tested after a failure
  }

  @Test
  void oldServerIsOneUpdatedClientsRefuse() throws Exception {
    CredentialReport r = check(FakeNlaServer.Mode.HONEST, "Correct-Horse-7", 3);
    assertThat(r.verdict()).isEqualTo(CredentialReport.Verdict.AUTHENTICATED);
    assertThat(r.effectiveCredsspVersion()).isEqualTo(3);
    assertThat(r.updatedClientsRefused()).isTrue();
  }

  @Test
  void silentRefusalIsARejection() throws Exception {
    CredentialReport r = check(FakeNlaServer.Mode.CLOSE_ON_FAILURE, "wrong", 6);
    assertThat(r.verdict()).isEqualTo(CredentialReport.Verdict.REJECTED);
    assertThat(r.ntstatus()).isNull();
    assertThat(r.detail()).contains("without saying why");
  }

  @Test
  void wrongEchoIsInterception() throws Exception {
    CredentialReport r = check(FakeNlaServer.Mode.WRONG_ECHO, "Correct-Horse-7", 6);
    assertThat(r.verdict()).isEqualTo(CredentialReport.Verdict.INTERCEPTED);
    assertThat(r.tlsKeyBound()).isFalse();
    assertThat(r.authenticated()).isFalse();
  }

  @Test
  void serverThatNeverAnswersTheAuthenticateEndsWithinTheDeadline() throws Exception {
    CredentialReport r = check(FakeNlaServer.Mode.SILENT_AFTER_AUTHENTICATE, "Correct-Horse-7", 6);
    assertThat(r.verdict()).isEqualTo(CredentialReport.Verdict.NO_ANSWER);
    assertThat(r.authenticated()).isFalse();
  }

  @Test
  void oversizedTsRequestIsRefusedFromItsHeader() throws Exception {
    try (FakeNlaServer server = new FakeNlaServer("CORP", "alice", PASSWORD, FakeNlaServer.Mode.OVERSIZED_TSREQUEST,
        Duration.ZERO, 6)) {
      ProbeReport r = probe(server, new NlaInfoStage(), Duration.ofSeconds(20));
      assertThat(r.stageFailures()).containsKey("ntlm");
      assertThat(r.stageFailures().get("ntlm").getMessage())
          .contains("invalid field TSRequest length: 2147483647 (expected: <= 262144)");
    }
  }
}
