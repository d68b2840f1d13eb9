package rdpdoctor.evidence.cases;

import java.util.List;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Observation;

/**
 * The evidence of one computer: what the rule engine diagnoses as a whole, so that facts from two
 * computers never combine into one finding.
 *
 * @param computer the computer, or null when no file said which it is and there were several
 *     computers to choose from ("computer unknown")
 * @param files its files in the order they were read
 * @param observations every observation of those files; registry settings come from one
 *     extraction over the case's hives, so a SOFTWARE policy overrides the same case's SYSTEM value
 */
public record Case(@Nullable Computer computer, List<EvidenceFile> files, List<Observation> observations) {
  public Case {
    files = List.copyOf(files);
    observations = List.copyOf(observations);
  }

  /** The computer's name, or "computer unknown". */
  public String label() {
    return computer == null ? "computer unknown" : computer.name();
  }
}
