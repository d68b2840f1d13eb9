package rdpdoctor.diagnosis.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import rdpdoctor.diagnosis.Phase;
import rdpdoctor.diagnosis.catalog.Catalog;
import rdpdoctor.diagnosis.rules.RuleFileException;
import rdpdoctor.diagnosis.yaml.YamlNode;

/** Runs the correlation file's own examples, and checks the file against the event catalog. */
class CorrelationExamplesTest {

  /** The values an example may expect, by the names {@link CorrelationRules#ATTEMPT_KEYS} lists. */
  static Map<String, Object> view(Attempt a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("side", a.side());
    m.put("client", String.valueOf(a.client()));
    m.put("server", String.valueOf(a.server()));
    m.put("user", String.valueOf(a.user()));
    m.put("phases", a.phases().stream().map(Phase::name).toList());
    m.put("stoppedAt", a.stoppedAt().name());
    m.put("end", a.end().name());
    m.put("code", a.code() == null ? "null" : a.code().family() + ":" + a.code().hex());
    m.put("authenticated", a.authenticated());
    m.put("proof", a.proof().stream().map(p -> (Object) p.recordId()).toList());
    m.put("start", a.start().toString());
    m.put("durationSeconds", a.duration().toSeconds());
    return m;
  }

  static Map<String, Object> view(Session s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sessionId", s.sessionId() == null ? "null" : s.sessionId());
    m.put("name", String.valueOf(s.name()));
    m.put("user", String.valueOf(s.user()));
    m.put("events", s.events().stream().map(e -> (Object) e.kind().name()).toList());
    m.put("addresses", List.copyOf(s.addresses()));
    m.put("proof", s.events().stream().map(e -> (Object) e.proof().recordId()).toList());
    return m;
  }

  /** Expected values compare as text, so 10 and 10L and "10" agree, as in the rule examples. */
  static void check(String what, Map<String, Object> actual, Map<String, Object> expected) {
    for (Map.Entry<String, Object> e : expected.entrySet()) {
      assertThat(text(actual.get(e.getKey()))).as("%s: %s", what, e.getKey()).isEqualTo(text(e.getValue()));
    }
  }

  private static String text(Object v) {
    if (v instanceof List<?> l) {
      return l.stream().map(CorrelationExamplesTest::text).toList().toString();
    }
    if (v instanceof Long || v instanceof Integer) {
      return String.valueOf(((Number) v).longValue());
    }
    return String.valueOf(v);
  }

  @TestFactory
  Stream<DynamicTest> everyCorrelationExample() {
    CorrelationRules rules = CorrelationRules.builtIn();
    List<DynamicTest> tests = new ArrayList<>();
    for (CorrelationRules.Example e : rules.examples()) {
      tests.add(DynamicTest.dynamicTest(e.name(), () -> {
        Timeline t = new Correlator(rules).run(e.observations());
        String where = CorrelationRules.RESOURCE + ":" + e.line() + " '" + e.name() + "'";
        assertThat(t.attempts()).as("%s: attempts %s", where, t.attempts()).hasSize(e.attempts().size());
        for (int i = 0; i < e.attempts().size(); i++) {
          check(where + " attempt " + (i + 1), view(t.attempts().get(i)), e.attempts().get(i));
        }
        if (e.sessions() != null) {
          assertThat(t.sessions()).as("%s: sessions %s", where, t.sessions()).hasSize(e.sessions().size());
          for (int i = 0; i < e.sessions().size(); i++) {
            check(where + " session " + (i + 1), view(t.sessions().get(i)), e.sessions().get(i));
          }
        }
      }));
    }
    return tests.stream();
  }

  @Test
  void thereAreExamplesForBothSidesAndSessions() {
    CorrelationRules rules = CorrelationRules.builtIn();
    assertThat(rules.examples()).hasSizeGreaterThanOrEqualTo(5);
    assertThat(rules.examples()).anyMatch(e -> e.attempts().stream().anyMatch(a -> "client".equals(a.get("side"))));
    assertThat(rules.examples()).anyMatch(e -> e.attempts().stream().anyMatch(a -> "host".equals(a.get("side"))));
    assertThat(rules.examples()).anyMatch(e -> e.sessions() != null && !e.sessions().isEmpty());
  }

  @Test
  void everyCorrelatedEventIsInTheEventCatalog() {
    // The catalog says what an event means and is what the EVTX reader keeps; a timeline rule for
    // an event the catalog lacks would never see its event.
    for (EventRule r : CorrelationRules.builtIn().events()) {
      assertThat(Catalog.events().find(r.channel(), (int) r.eventId()))
          .as("correlation.yaml:%d: %s %d is not in rdpdoctor/catalog/events.yaml", r.line(), r.channel(), r.eventId())
          .isPresent();
    }
  }

  @Test
  void aBadFileIsRefusedWithItsLine() {
    assertThatThrownBy(() -> CorrelationRules.parse("t.yaml", YamlNode.parse("""
        window: 2m
        logs:
          - channel: Security
            side: host
            events:
              - {id: 4625, outcome: lost}
        examples: []
        """)))
        .isInstanceOf(RuleFileException.class)
        .hasMessageContaining("t.yaml:6: unknown outcome 'lost' (expected one of: AUTHENTICATED, LOGGED_ON, FAILED, DISCONNECTED)");
    assertThatThrownBy(() -> CorrelationRules.parse("t.yaml", YamlNode.parse("""
        window: 3d
        logs: []
        examples: []
        """)))
        .hasMessageContaining("t.yaml:1: 'window' must be a duration such as 2m, at most 1d (got: '3d')");
    assertThatThrownBy(() -> CorrelationRules.parse("t.yaml", YamlNode.parse("""
        window: 2m
        logs:
          - channel: Security
            side: host
            events:
              - {id: 4625, code: "status:nosuch"}
        examples: []
        """)))
        .hasMessageContaining("t.yaml:6: unknown code family 'nosuch'");
  }

  @Test
  void theSummarySaysWhatHappened() {
    Timeline t = new Correlator(CorrelationRules.builtIn()).run(CorrelationRules.builtIn().examples().get(2).observations());
    assertThat(t.summary()).isEqualTo("2 attempts from 2 addresses in 3.0 s, none authenticated; 2 failed at CredSSP/NLA");
  }
}
