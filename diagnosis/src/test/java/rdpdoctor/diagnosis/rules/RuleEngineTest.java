package rdpdoctor.diagnosis.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import rdpdoctor.diagnosis.Diagnosis;
import rdpdoctor.diagnosis.Finding;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.Provenance;

class RuleEngineTest {
  private static final Instant NOW = Instant.parse("2026-10-03T09:00:00Z");
  private static final Provenance PROBE = new Provenance(Provenance.Source.PROBE, "host01:3389", "tls");
  private static final Provenance EVTX = new Provenance(Provenance.Source.EVTX, "System.evtx", "record 9");
  private static final Provenance USER = new Provenance(Provenance.Source.USER_INPUT, "user input", null);
  private static final Provenance HIVE = new Provenance(Provenance.Source.REGISTRY_HIVE, "SOFTWARE", null);

  private static Observation cert(String notAfter) {
    return Observation.of("probe.tls.certificate", PROBE)
        .with("subject", "CN=host01").with("sha1", "0123456789abcdef0123456789abcdef01234567")
        .with("notAfter", Instant.parse(notAfter)).with("selfSigned", true).summary("certificate");
  }

  private static Observation code(String family, long v) {
    return Observation.of("code", USER).with("family", family).with("value", v).summary(family + " " + v);
  }

  @Test
  void expiredCertificateWithHostEventAndCodesRanksFirstWithCorroboration() {
    List<Observation> obs = List.of(
        cert("2026-10-02T00:00:00Z"),
        Observation.of("event", EVTX).with("provider", "Microsoft-Windows-TerminalServices-RemoteConnectionManager")
            .with("eventId", 1053L).summary("RCM 1053 certificate expired"),
        code("disconnectReason", 0x904), code("extendedReason", 7));
    Diagnosis d = new RuleEngine(RuleSet.builtIn()).diagnose(obs, NOW);
    Finding top = d.top().orElseThrow();
    assertThat(top.id()).isEqualTo("cert-expired");
    assertThat(top.independentSources()).isEqualTo(2);
    assertThat(top.explainsObserved()).contains("disconnectReason:0x904", "extendedReason:0x7");
    assertThat(top.confidence().reasons()).anyMatch(r -> r.contains("corroborated by independent sources (probe + event log)"));
    assertThat(top.explanation()).contains("CN=host01").contains("2026-10-02T00:00:00Z");
    assertThat(top.remediation().get(0).parameters()).containsEntry("Thumbprint", "0123456789abcdef0123456789abcdef01234567");
    // The generic "server denied" reading is still listed, lower, as an alternative.
    assertThat(d.findings()).extracting(Finding::id).contains("server-denied-connection");
    assertThat(top.alternatives()).contains("server-denied-connection");
    assertThat(top.proof()).extracting(p -> p.observation().provenance().source())
        .contains(Provenance.Source.PROBE, Provenance.Source.EVTX);
  }

  @Test
  void aCauseThatDoesNotExplainTheReportedCodeIsRankedDown() {
    List<Observation> obs = List.of(
        Observation.of("registry.setting", HIVE).with("setting", "rdp-tcp.PortNumber").with("name", "PortNumber")
            .with("value", 3390L).summary("PortNumber 3390"),
        code("ntstatus", 0xC000006EL));
    Diagnosis d = new RuleEngine(RuleSet.builtIn()).diagnose(obs, NOW);
    assertThat(d.findings()).extracting(Finding::id).startsWith("account-restriction");
    Finding port = d.findings().stream().filter(f -> f.id().equals("port-changed")).findFirst().orElseThrow();
    assertThat(port.confidence().reasons()).anyMatch(r -> r.contains("does not explain"));
  }

  @Test
  void joinOnTheSameSid() {
    Observation live = Observation.of("registry.profile", HIVE).with("sid", "S-1-5-21-1-2-3-1001")
        .with("keyName", "S-1-5-21-1-2-3-1001").with("bak", false).with("profileImagePath", "C:\\Users\\TEMP").summary("live");
    Observation bakOther = Observation.of("registry.profile", HIVE).with("sid", "S-1-5-21-1-2-3-1002")
        .with("keyName", "S-1-5-21-1-2-3-1002.bak").with("bak", true).with("profileImagePath", "C:\\Users\\bob").summary("bak");
    Rule rule = RuleSet.builtIn().stream().filter(r -> r.id().equals("profilelist-bak-twin")).findFirst().orElseThrow();
    assertThat(RuleEngine.fire(rule, List.of(live, bakOther), NOW)).isNull();
    Observation bakSame = Observation.of("registry.profile", HIVE).with("sid", "S-1-5-21-1-2-3-1001")
        .with("keyName", "S-1-5-21-1-2-3-1001.bak").with("bak", true).with("profileImagePath", "C:\\Users\\alice").summary("bak");
    Finding f = RuleEngine.fire(rule, List.of(live, bakOther, bakSame), NOW);
    assertThat(f).isNotNull();
    assertThat(f.explanation()).contains("C:\\Users\\alice").contains("C:\\Users\\TEMP");
    assertThat(f.remediation().get(0).parameters()).containsEntry("Sid", "S-1-5-21-1-2-3-1001");
  }

  @Test
  void countWithinAWindowPicksTheDensestGroup() {
    Rule rule = RuleSet.builtIn().stream().filter(r -> r.id().equals("repeated-failed-logons")).findFirst().orElseThrow();
    List<Observation> obs = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      obs.add(Observation.of("event", EVTX).at(NOW.plusSeconds(60L * i)).with("eventId", 4625L).with("logonType", 10L)
          .with("IpAddress", "10.0.0.9").with("TargetUserName", "alice").summary("4625 #" + i));
    }
    obs.add(Observation.of("event", EVTX).at(NOW.plusSeconds(3600)).with("eventId", 4625L).with("logonType", 10L)
        .with("IpAddress", "10.0.0.9").summary("4625 much later"));
    Finding f = RuleEngine.fire(rule, obs, NOW);
    assertThat(f).isNotNull();
    assertThat(f.explanation()).startsWith("6 failed logons came from 10.0.0.9");
    assertThat(f.proof()).filteredOn(p -> p.role().equals("failures")).hasSize(6);
  }

  @Test
  void numbersCompareAcrossNotations() {
    assertThat(Values.same("0xc000006e", 0xC000006EL)).isTrue();
    assertThat(Values.same(-1073741714L, "0xC000006E")).isTrue();
    assertThat(Values.same("3221225582", 0xC000006EL)).isTrue();
    assertThat(Values.same("TRUE", true)).isTrue();
    assertThat(Values.same("Alice", "alice")).isTrue();
    assertThat(Values.same(List.of("a.example", "b.example"), "B.example")).isTrue();
    assertThat(Values.same("0x10", 17L)).isFalse();
    assertThat(Values.order("2026-10-02T00:00:00Z", Instant.parse("2026-10-03T00:00:00Z")).getAsInt()).isNegative();
    assertThat(Values.order("abc", 1L)).isEmpty();
  }

  @Test
  void missingFieldFailsEvenNotEquals() throws Exception {
    Rule r = RuleSet.parse("xx.yaml", new ByteArrayInputStream("""
        id: xx
        title: X
        phase: host
        confidence: 0.5
        when: {observation: s, type: registry.setting, where: {value: {ne: 3389}}}
        explanation: port {s.value}
        remediation: [{title: t, detail: d}]
        ruledOutBy: [r]
        references: [ref]
        examples:
          positive: [{name: p, observations: [{type: registry.setting, fields: {value: 1}}]}]
          negative: [{name: n, observations: [{type: registry.setting, fields: {name: PortNumber}}]}]
        """.getBytes(StandardCharsets.UTF_8)));
    for (Rule.Example e : r.examples()) {
      assertThat(RuleEngine.fire(r, e.observations(), e.now()) != null).isEqualTo(e.positive());
    }
  }

  @Test
  void theRulesNameTheEventsTheyUse() {
    assertThat(RuleSet.eventIds(RuleSet.builtIn())).contains(1053L, 1057L, 36870L, 4625L, 4825L, 4740L, 1511L, 1552L, 71L);
  }

  @Test
  void nothingFiresOnNoEvidence() {
    Diagnosis d = new RuleEngine(RuleSet.builtIn()).diagnose(List.of(), NOW);
    assertThat(d.findings()).isEmpty();
    assertThat(d.rulesEvaluated()).isEqualTo(RuleSet.builtIn().size());
  }
}
