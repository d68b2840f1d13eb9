package rdpdoctor.diagnosis.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Every refusal of a rule file names the file, the line and the problem. */
class RuleParserTest {

  private static final String GOOD = """
      id: demo
      title: Demo
      phase: tls
      confidence: high
      explains: [disconnectReason:0x904]
      when:
        observation: cert
        type: probe.tls.certificate
        where:
          notAfter: {lt: $now}
      explanation: expired on {cert.notAfter}
      remediation:
        - title: Renew
          detail: renew it
      ruledOutBy: [a valid certificate]
      references: [RFC 5280]
      examples:
        positive:
          - name: expired
            now: 2026-10-03T00:00:00Z
            observations:
              - type: probe.tls.certificate
                fields: {notAfter: 2026-10-02T00:00:00Z}
        negative:
          - name: valid
            now: 2026-10-01T00:00:00Z
            observations:
              - type: probe.tls.certificate
                fields: {notAfter: 2026-10-02T00:00:00Z}
      """;

  private static Rule parse(String text) throws Exception {
    return RuleSet.parse("demo.yaml", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aWellFormedRuleParses() throws Exception {
    Rule r = parse(GOOD);
    assertThat(r.id()).isEqualTo("demo");
    assertThat(r.explains()).extracting(Object::toString).containsExactly("disconnectReason:0x904");
    assertThat(r.examples()).hasSize(2);
    assertThat(r.specificity()).isEqualTo(2);
  }

  private static final String CONTRADICTED = GOOD.replace("explanation: expired on", """
      contradictedBy:
        - when: {observation: fresh, type: probe.tls.certificate, context: true, where: {notAfter: {gt: $now}}}
          because: a valid one was served ({fresh.notAfter})
          instead: another listener
      explanation: expired on""".strip());

  @Test
  void contradictionsAndContextParseAndAreChecked() throws Exception {
    Rule r = parse(CONTRADICTED);
    assertThat(r.contradictedBy()).hasSize(1);
    assertThat(r.contradictedBy().get(0).instead()).isEqualTo("another listener");
    assertThat(((Condition.Match) r.contradictedBy().get(0).when()).context()).isTrue();
    assertThatThrownBy(() -> parse(CONTRADICTED.replace("    instead: another listener\n", "")))
        .hasMessageContaining("demo.yaml:").hasMessageContaining("instead");
    assertThatThrownBy(() -> parse(CONTRADICTED.replace("context: true", "context: maybe")))
        .hasMessageContaining("'context' must be true or false");
    assertThatThrownBy(() -> parse(CONTRADICTED.replace("({fresh.notAfter})", "({stale.notAfter})")))
        .hasMessageContaining("stale");
  }

  @Test
  void kindIsACauseUnlessTheFileSaysWeaknessOrFact() throws Exception {
    assertThat(parse(GOOD).kind()).isEqualTo(rdpdoctor.diagnosis.Finding.Kind.CAUSE);
    assertThat(parse(GOOD.replace("phase: tls", "phase: tls\nkind: weakness")).kind())
        .isEqualTo(rdpdoctor.diagnosis.Finding.Kind.WEAKNESS);
    assertThat(parse(GOOD.replace("phase: tls", "phase: tls\nkind: fact")).kind())
        .isEqualTo(rdpdoctor.diagnosis.Finding.Kind.FACT);
    assertThatThrownBy(() -> parse(GOOD.replace("phase: tls", "phase: tls\nkind: hardening")))
        .isInstanceOf(RuleFileException.class)
        .hasMessageStartingWith("demo.yaml:4: unknown kind 'hardening' (expected one of: cause, weakness, fact)");
  }

  @Test
  void unknownTopLevelKeyNamesItsLine() {
    assertThatThrownBy(() -> parse(GOOD.replace("phase: tls", "phase: tls\nseverity: high")))
        .isInstanceOf(RuleFileException.class)
        .hasMessageStartingWith("demo.yaml:4: unknown key 'severity' in the rule");
  }

  @Test
  void badOperatorNamesItsLineAndTheChoices() {
    assertThatThrownBy(() -> parse(GOOD.replace("{lt: $now}", "{before: $now}")))
        .isInstanceOf(RuleFileException.class)
        .hasMessageContaining("demo.yaml:10: unknown operator 'before' for field 'notAfter'")
        .hasMessageContaining("hasBits");
  }

  @Test
  void missingNegativeExampleIsRefused() {
    String noNegative = GOOD.substring(0, GOOD.indexOf("  negative:"));
    assertThatThrownBy(() -> parse(noNegative))
        .isInstanceOf(RuleFileException.class)
        .hasMessageContaining("needs at least one negative example");
  }

  @Test
  void placeholderWithoutBindingIsRefused() {
    assertThatThrownBy(() -> parse(GOOD.replace("{cert.notAfter}", "{probe.notAfter}")))
        .isInstanceOf(RuleFileException.class)
        .hasMessageContaining("demo.yaml:11: placeholder {probe.notAfter} names no observation 'probe'");
  }

  @Test
  void badRegexNamesItsLine() {
    assertThatThrownBy(() -> parse(GOOD.replace("notAfter: {lt: $now}", "subject: {matches: '(unclosed'}")))
        .isInstanceOf(RuleFileException.class)
        .hasMessageContaining("demo.yaml:10: regular expression does not compile");
  }

  @Test
  void referenceToUnknownNameIsRefused() {
    assertThatThrownBy(() -> parse(GOOD.replace("{lt: $now}", "{lt: $other.notAfter}")))
        .isInstanceOf(RuleFileException.class)
        .hasMessageContaining("refers to no observation named 'other'");
  }

  @Test
  void idMustMatchFileName() {
    assertThatThrownBy(() -> parse(GOOD.replace("id: demo", "id: other")))
        .isInstanceOf(RuleFileException.class)
        .hasMessageContaining("demo.yaml:1: id 'other' does not match the file name");
  }

  @Test
  void invalidYamlNamesItsLine() {
    assertThatThrownBy(() -> parse("id: demo\ntitle: [unclosed\n"))
        .isInstanceOf(RuleFileException.class)
        .hasMessageStartingWith("demo.yaml:")
        .hasMessageContaining("not valid YAML");
  }

  @Test
  void duplicateKeyIsRefused() {
    assertThatThrownBy(() -> parse(GOOD.replace("title: Demo", "title: Demo\ntitle: Again")))
        .isInstanceOf(RuleFileException.class)
        .hasMessageContaining("demo.yaml:3: key 'title' appears twice");
  }

  @Test
  void confidenceOutOfRangeIsRefused() {
    assertThatThrownBy(() -> parse(GOOD.replace("confidence: high", "confidence: 1.5")))
        .isInstanceOf(RuleFileException.class)
        .hasMessageContaining("demo.yaml:4: confidence");
  }

  @Test
  void aConditionThatHoldsOnNoEvidenceIsRefused() {
    String notAlone = GOOD.replace("""
        when:
          observation: cert
          type: probe.tls.certificate
          where:
            notAfter: {lt: $now}
        explanation: expired on {cert.notAfter}""", """
        when:
          not:
            observation: cert
            type: probe.tls.certificate
        explanation: expired""");
    assertThatThrownBy(() -> parse(notAlone))
        .isInstanceOf(RuleFileException.class)
        .hasMessageContaining("demo.yaml:7: 'when' can hold without any observation");
  }

  @Test
  void fixWithoutSafetyIsRefused() {
    assertThatThrownBy(() -> parse(GOOD.replace("detail: renew it", "detail: renew it\n    fix: rdp-cert-bind")))
        .isInstanceOf(RuleFileException.class)
        .hasMessageContaining("needs 'safety'");
  }
}
