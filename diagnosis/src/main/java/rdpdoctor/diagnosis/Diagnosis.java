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

  /** The most likely cause, if any rule fired that no live fact contradicts. */
  public Optional<Finding> top() {
    return findings.stream().filter(f -> !f.contradicted()).findFirst();
  }

  /** The phase where the connection broke according to the top finding. */
  public Optional<Phase> brokenPhase() {
    return top().map(Finding::phase);
  }
}
