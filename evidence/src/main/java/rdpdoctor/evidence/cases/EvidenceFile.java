package rdpdoctor.evidence.cases;

import java.util.List;

/**
 * One file of a case.
 *
 * @param location the file as the user gave it: the path under the folder they named, or
 *     {@code bundle.zip!/registry/SYSTEM} for a bundle entry; never a temporary extraction path
 * @param kind what its content is
 * @param logs for a registry hive, the locations of the transaction logs (.LOG, .LOG1, .LOG2)
 *     that were checked and replayed with it; empty otherwise
 * @param observations how many observations it gave this case
 */
public record EvidenceFile(String location, FileKind kind, List<String> logs, int observations) {
  public EvidenceFile {
    logs = List.copyOf(logs);
  }

  /** "location: kind, N observation(s)", with the hive's logs. */
  public String describe() {
    StringBuilder b = new StringBuilder(location).append(": ").append(kind.label());
    if (!logs.isEmpty()) {
      b.append(" with ").append(String.join(", ", logs.stream().map(EvidenceFile::fileName).toList()));
    }
    return b.append(", ").append(observations).append(" observation(s)").toString();
  }

  private static String fileName(String location) {
    int i = Math.max(location.lastIndexOf('/'), location.lastIndexOf('\\'));
    return location.substring(i + 1);
  }
}
