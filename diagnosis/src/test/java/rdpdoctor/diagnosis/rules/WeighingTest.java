package rdpdoctor.diagnosis.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import rdpdoctor.diagnosis.Diagnosis;
import rdpdoctor.diagnosis.Finding;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.Provenance;
import rdpdoctor.diagnosis.fix.FixScript;

/**
 * How the engine weighs evidence (issue 12 part 3): live facts against typed codes, the reported
 * pair against what a cause can produce, volume and recency, and one record for one finding.
 */
class WeighingTest {
  private static final Instant NOW = Instant.parse("2026-10-03T09:00:00Z");
  private static final Provenance PROBE = new Provenance(Provenance.Source.PROBE, "127.0.0.1:3389", "x224");
  private static final Provenance USER = new Provenance(Provenance.Source.USER_INPUT, "user input", null);

  private static Observation code(String family, long v) {
    return Observation.of("code", USER).with("family", family).with("value", v).summary(family + " " + v);
  }

  private static Observation answered(String requested) {
    return Observation.of("probe.negotiation", PROBE).with("requested", requested).with("outcome", "SELECTED")
        .with("selectedName", "PROTOCOL_SSL").summary(requested + " -> PROTOCOL_SSL");
  }

  private static Observation failure(Instant at, long record, long logonType, String ip, long subStatus) {
    Provenance p = new Provenance(Provenance.Source.EVTX, "Security.evtx", "record " + record);
    return Observation.of("event", p).at(at).with("channel", "Security").with("eventId", 4625L)
        .with("logonType", logonType).with("LogonType", Long.toString(logonType))
        .with("IpAddress", ip).with("ipAddress", ip).with("TargetUserName", "alice").with("user", "alice")
        .with("Status", "0xc000006d").with("SubStatus", "0x" + Long.toHexString(subStatus))
        .summary("4625 record " + record);
  }

  private static Diagnosis diagnose(List<Observation> obs) {
    return new RuleEngine(RuleSet.builtIn()).diagnose(obs, NOW);
  }

  private static Finding find(Diagnosis d, String id) {
    return d.findings().stream().filter(f -> f.id().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError(id + " not among " + d.findings().stream().map(Finding::id).toList()));
  }

  @Test
  void aProbeThatConnectedContradictsTheTypedRefusal() {
    List<Observation> obs = new ArrayList<>(List.of(code("disconnectReason", 0x204)));
    for (String r : List.of("SSL", "SSL|HYBRID", "HYBRID_EX")) {
      obs.add(answered(r));
    }
    Diagnosis d = diagnose(obs);
    Finding closed = find(d, "port-closed");
    assertThat(closed.title()).startsWith("Contradicted: ");
    assertThat(closed.confidence().value()).isLessThanOrEqualTo(RuleEngine.CONTRADICTED_MAX);
    assertThat(closed.confidence().level()).isEqualTo("low");
    assertThat(closed.explanation())
        .contains("disconnectReason:0x204")
        .contains("answered 3 X.224 request(s)")
        .contains("what fits instead")
        .contains("client's path");
    assertThat(closed.proof()).anyMatch(p -> p.role().equals("contradicts: answered")
        && p.observation().provenance().source() == Provenance.Source.PROBE);
    // No fix for a cause the probe ruled out: the script must not "enable Remote Desktop".
    assertThat(closed.remediation()).isEmpty();
    assertThat(FixScript.requests(d.findings(), true)).noneMatch(r -> r.fix().equals("rdp-enable"));
    // A contradicted finding is never the cause: with nothing else, no cause is found.
    assertThat(closed.contradicted()).isTrue();
    assertThat(d.top()).isEmpty();
    assertThat(d.brokenPhase()).isEmpty();
  }

  private static Observation security() {
    return Observation.of("probe.security", PROBE).with("tlsRequired", false).with("tlsOffered", true)
        .with("rdpSecurityAccepted", true).with("rdpSecurityForTlsClient", true)
        .summary("Standard RDP Security accepted, even for clients that offer TLS");
  }

  private static Observation nlaOff() {
    return Observation.of("probe.nla", PROBE).with("nla", "unavailable").summary("NLA (CredSSP) is not offered");
  }

  /**
   * The bench xrdp with the user's 0x204: the probe connected (so the refusal is contradicted) and
   * saw Standard RDP Security and no NLA. Those are true of a host that connects fine: they are
   * listed as weaknesses, never the cause, never the phase that broke, and not in the fix script.
   */
  @Test
  void weaknessesAreNeverTheCauseNorScriptedUnasked() {
    List<Observation> obs = new ArrayList<>(List.of(code("disconnectReason", 0x204), security(), nlaOff()));
    for (String r : List.of("SSL", "SSL|HYBRID", "HYBRID_EX")) {
      obs.add(answered(r));
    }
    Diagnosis d = diagnose(obs);
    Finding rdpSec = find(d, "rdp-security-accepted");
    assertThat(rdpSec.kind()).isEqualTo(Finding.Kind.WEAKNESS);
    assertThat(find(d, "nla-off-on-host").kind()).isEqualTo(Finding.Kind.WEAKNESS);
    assertThat(rdpSec.confidence().value()).isGreaterThan(find(d, "port-closed").confidence().value());
    assertThat(d.top()).isEmpty();
    assertThat(d.brokenPhase()).isEmpty();
    // Ranked by kind first: the (contradicted) cause of the reported code before the weaknesses.
    assertThat(d.findings().get(0).id()).isEqualTo("port-closed");
    assertThat(rdpSec.alternatives()).doesNotContain("port-closed");
    assertThat(FixScript.requests(d.findings(), false)).isEmpty();
    assertThat(FixScript.requests(d.findings(), true)).extracting(FixScript.Request::fix)
        .contains("tls-security-layer", "nla-enable");
  }

  /** Without reported codes a weakness is still no cause: "no cause found", the weakness listed. */
  @Test
  void aWeaknessAloneIsNoCause() {
    Diagnosis d = diagnose(List.of(security()));
    assertThat(d.findings()).extracting(Finding::id).containsExactly("rdp-security-accepted");
    assertThat(d.top()).isEmpty();
  }

  @Test
  void withoutTheProbeTheTypedRefusalStillPointsToTheClosedPort() {
    Diagnosis d = diagnose(List.of(code("disconnectReason", 0x204)));
    Finding closed = find(d, "port-closed");
    assertThat(closed.title()).doesNotStartWith("Contradicted");
    assertThat(closed.confidence().level()).isEqualTo("high");
    assertThat(closed.remediation()).anyMatch(r -> "rdp-enable".equals(r.fix()));
  }

  @Test
  void aNameMismatchOnAnIpTargetIsNotRankedOnTheReportedPair() {
    Observation cert = Observation.of("probe.tls.certificate", PROBE).with("position", 0L)
        .with("subject", "CN=bench-host").with("sans", List.of("bench-host")).with("expectedName", "127.0.0.1")
        .with("nameMatches", false).with("selfSigned", false).with("notAfter", NOW.plus(Duration.ofDays(300)))
        .summary("certificate CN=bench-host");
    Diagnosis d = diagnose(List.of(cert, code("disconnectReason", 0x904), code("extendedReason", 7)));
    Finding mismatch = find(d, "cert-name-mismatch");
    assertThat(mismatch.explainsObserved()).isEmpty();
    assertThat(mismatch.confidence().reasons())
        .anyMatch(r -> r.startsWith("-0.20: the client was given an IP address"))
        .anyMatch(r -> r.contains("does not explain the code(s) reported"));
    assertThat(d.top().orElseThrow().id()).isNotEqualTo("cert-name-mismatch");
    // The generic reading of the pair outranks it.
    assertThat(d.findings().indexOf(find(d, "server-denied-connection"))).isLessThan(d.findings().indexOf(mismatch));
  }

  @Test
  void aCauseThatGivesTheDisconnectReasonWithoutTheExtendedOneCannotProduceThePair() {
    Observation cert = Observation.of("probe.tls.certificate", PROBE).with("position", 0L)
        .with("subject", "CN=host01").with("issuer", "CN=host01").with("selfSigned", true)
        .with("nameMatches", true).with("notAfter", NOW.plus(Duration.ofDays(300))).summary("self-signed");
    Observation untrusted = Observation.of("event", new Provenance(Provenance.Source.EVTX, "System.evtx", "record 7"))
        .with("provider", "Schannel").with("eventId", 36882L).summary("Schannel 36882");
    Diagnosis pair = diagnose(List.of(cert, untrusted, code("disconnectReason", 0x904), code("extendedReason", 7)));
    Finding f = find(pair, "cert-self-signed-untrusted");
    assertThat(f.explainsObserved()).isEmpty();
    assertThat(f.confidence().reasons()).anyMatch(r -> r.contains("cannot produce the reported pair")
        && r.contains("disconnectReason:0x904"));
    // 0x904 alone (or with extended 0, no server reason) is still explained by it.
    Diagnosis alone = diagnose(List.of(cert, untrusted, code("disconnectReason", 0x904), code("extendedReason", 0)));
    assertThat(find(alone, "cert-self-signed-untrusted").explainsObserved()).containsExactly("disconnectReason:0x904");
  }

  @Test
  void volumeOutranksTheAlphabet() {
    List<Observation> obs = new ArrayList<>();
    Instant t = NOW.minus(Duration.ofHours(12));
    for (int i = 0; i < 3558; i++) {
      obs.add(failure(t.plusSeconds(10L * i), i, 10, "10.0.0.9", 0xC000006AL));
    }
    obs.add(failure(t.plusSeconds(5), 90001, 10, "10.0.0.8", 0xC0000072L));
    obs.add(failure(t.plusSeconds(6), 90002, 10, "10.0.0.8", 0xC0000072L));
    Diagnosis d = diagnose(obs);
    Finding wrong = find(d, "wrong-password");
    Finding disabled = find(d, "account-disabled");
    assertThat(d.findings().indexOf(wrong)).isLessThan(d.findings().indexOf(disabled));
    assertThat(wrong.confidence().reasons()).anyMatch(r -> r.equals("+0.10: 3558 matching event records"));
    assertThat(disabled.confidence().reasons()).anyMatch(r -> r.endsWith(": 2 matching event records"));
  }

  @Test
  void aRecentBurstOutranksAnOldOne() {
    List<Observation> obs = new ArrayList<>();
    Instant old = NOW.minus(Duration.ofDays(30));
    Instant recent = NOW.minus(Duration.ofHours(1));
    for (int i = 0; i < 40; i++) {
      obs.add(failure(old.plusSeconds(i), i, 10, "10.0.0.9", 0xC0000234L));
      obs.add(failure(recent.plusSeconds(i), 100 + i, 10, "10.0.0.9", 0xC0000064L));
    }
    Diagnosis d = diagnose(obs);
    Finding locked = find(d, "account-locked");
    Finding noUser = find(d, "no-such-user");
    assertThat(d.findings().indexOf(noUser)).isLessThan(d.findings().indexOf(locked));
    assertThat(locked.confidence().reasons()).anyMatch(r -> r.contains("day(s) older than the newest event"));
    assertThat(noUser.confidence().reasons()).noneMatch(r -> r.contains("older than the newest event"));
  }

  @Test
  void oneRecordProvesOneFinding() {
    List<Observation> obs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      obs.add(failure(NOW.plusSeconds(30L * i), i, 10, "10.0.0.9", 0xC000006AL));
    }
    Diagnosis d = diagnose(obs);
    // The same six records are also "many failed logons from one address": reported once, under
    // the more specific reading, which says so.
    assertThat(d.findings()).extracting(Finding::id).contains("wrong-password").doesNotContain("repeated-failed-logons");
    assertThat(find(d, "wrong-password").confidence().reasons())
        .anyMatch(r -> r.startsWith("reported once: repeated-failed-logons"));
    // Alone, the burst rule fires on them: it was the sharing that removed it.
    Rule burst = RuleSet.builtIn().stream().filter(r -> r.id().equals("repeated-failed-logons")).findFirst().orElseThrow();
    assertThat(RuleEngine.fire(burst, obs, NOW)).isNotNull();
  }

  @Test
  void failedLogonsCountOnlyWhenTheyAreRdpLogons() {
    List<Observation> obs = new ArrayList<>();
    // Console (2) and SMB (3 from an address with no RDP connection) failures: not this connection's.
    for (int i = 0; i < 50; i++) {
      obs.add(failure(NOW.plusSeconds(i), i, 2, "127.0.0.1", 0xC000006AL));
      obs.add(failure(NOW.plusSeconds(i), 100 + i, 3, "10.0.0.50", 0xC0000072L));
    }
    Diagnosis none = diagnose(obs);
    assertThat(none.findings()).extracting(Finding::id).doesNotContain("wrong-password", "account-disabled");
    // Once 10.0.0.50 is seen as an RDP client (a type 10 logon), its type 3 failures are NLA's.
    obs.add(Observation.of("event", new Provenance(Provenance.Source.EVTX, "Security.evtx", "record 999"))
        .at(NOW).with("eventId", 4624L).with("logonType", 10L).with("ipAddress", "10.0.0.50").summary("4624 type 10"));
    Diagnosis nla = diagnose(obs);
    assertThat(nla.findings()).extracting(Finding::id).contains("account-disabled").doesNotContain("wrong-password");
    assertThat(find(nla, "account-disabled").confidence().reasons()).anyMatch(r -> r.contains(": 50 matching event records"));
  }
}
