package rdpdoctor.diagnosis.catalog;

import java.util.List;
import java.util.Objects;

/**
 * One likely cause of a code, as the catalog ranks it: what it is, why the code points there, how
 * sure the catalog is, how to confirm it, and how to fix it.
 *
 * @param title short name of the cause, such as "RDP certificate private key unreadable"
 * @param why why this code points at this cause (the reasoning a person can check)
 * @param confidence how often this cause is behind the code, as the catalog judges it
 * @param checks commands that confirm or rule it out: an {@code rdpdoctor} command or a Windows
 *     command, each a line a person can run
 * @param fixes safe remedies, in the order to try them
 */
public record Cause(
    String title, String why, Confidence confidence, List<String> checks, List<String> fixes) {

  public Cause {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(why, "why");
    Objects.requireNonNull(confidence, "confidence");
    checks = List.copyOf(checks);
    fixes = List.copyOf(fixes);
  }

  /** How likely a cause is, coarse on purpose: the sources do not support percentages. */
  public enum Confidence {
    HIGH,
    MEDIUM,
    LOW;

    /** The lowercase word used in files, JSON and reports. */
    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
