package rdpdoctor.diagnosis;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the engine concluded from a set of observations: the ranked findings (best first), every
 * observation it was given, the rules it ran, and when.
 *
 * @param findings ranked, most likely cause first
 * @param observations every input fact, so a report can show the evidence that proved nothing too
 * @param rulesEvaluated how many rules were run
 * @param at the time the rules treated as "now" (certificate validity, for instance)
 */
public record Diagnosis(
    List<Finding> findings, List<Observation> observations, int rulesEvaluated, Instant at) {

  public Diagnosis {
    findings = List.copyOf(findings);
    observations = List.copyOf(observations);
  }

  /**
   * The most likely cause, if any cause rule fired that no live fact contradicts. Weaknesses and
   * facts are never the top: they are true of hosts that connect fine. When the user reported
   * codes, the top must produce one of them: a cause whose codes are all others (a certificate
   * name mismatch, for a 0x204) is listed, but it does not answer "why did I get this code".
   */
  public Optional<Finding> top() {
    boolean reported = codesReported();
    return findings.stream().filter(Finding::isCause)
        .filter(f -> !reported || !f.explainsObserved().isEmpty()).findFirst();
  }

  /** Whether the user gave codes (typed, or carried by a recognised message). */
  public boolean codesReported() {
    return observations.stream().anyMatch(o -> o.type().equals("code"));
  }

  /** The phase where the connection broke according to the top finding. */
  public Optional<Phase> brokenPhase() {
    return top().map(Finding::phase);
  }
}
