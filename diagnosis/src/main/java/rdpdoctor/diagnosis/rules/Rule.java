package rdpdoctor.diagnosis.rules;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Finding;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.Phase;

/**
 * One rule file, parsed and validated: which observations point to which cause, how sure that is,
 * what to say, and how to fix it. See README "Adding a rule" for the file format.
 *
 * @param id stable id, equal to the file name without {@code .yaml}
 * @param file the resource name, for messages
 * @param title the cause in one line
 * @param phase where in the connection this cause breaks it
 * @param kind {@code cause} (the default), {@code weakness} or {@code fact}: see {@link Finding.Kind}
 * @param confidence the base confidence in (0, 1)
 * @param explains codes this cause produces, as {@code family:0xVALUE}
 * @param when the condition
 * @param boosts extra evidence that raises (or lowers) confidence when present
 * @param contradictedBy live facts that rule this cause out even when a reported code or a file
 *     points to it (a probe that connected contradicts "nothing listens on the port")
 * @param explanation template with {@code {name.field}} placeholders
 * @param remediation steps, in order
 * @param ruledOutBy what would show this is not the cause
 * @param references sources for the facts the rule relies on
 * @param examples the rule's own tests
 * @param specificity how many field tests the condition has (ranking tie-break)
 */
public record Rule(
    String id,
    String file,
    String title,
    Phase phase,
    Finding.Kind kind,
    double confidence,
    List<CodeRef> explains,
    Condition when,
    List<Boost> boosts,
    List<Contradiction> contradictedBy,
    String explanation,
    List<RemedyTemplate> remediation,
    List<String> ruledOutBy,
    List<String> references,
    List<Example> examples,
    int specificity) {

  /**
   * A code a cause explains.
   *
   * @param family the code family ({@code disconnectReason}, {@code extendedReason}, {@code
   *     errinfo}, {@code ntstatus}, ...), or {@code *} for any family
   * @param value the numeric value
   */
  public record CodeRef(String family, long value) {
    @Override
    public String toString() {
      return family + ":0x" + Long.toHexString(value).toUpperCase(java.util.Locale.ROOT);
    }
  }

  /** Evidence that moves confidence by {@code by} when {@code when} also holds. */
  public record Boost(Condition when, double by, String because) {}

  /**
   * A fact that rules the cause out: when {@code when} holds, the finding stays in the report (the
   * user's code usually means this cause, so the report must say why not) with low confidence, no
   * fix, and an explanation that names the contradicting observation and what fits instead.
   *
   * @param because why the observation contradicts the cause, with placeholders of {@code when}
   * @param instead what fits the reported code instead
   */
  public record Contradiction(Condition when, String because, String instead) {}

  /** A remediation step before its placeholders are filled from a finding's proof. */
  public record RemedyTemplate(
      String title,
      String detail,
      @Nullable String fix,
      Map<String, String> with,
      @Nullable String safety) {}

  /**
   * An embedded example: observations on which the rule must fire (positive) or must not.
   *
   * @param now the time treated as the present while running it
   * @param expectText for a positive example, text the explanation must contain
   */
  public record Example(
      String name,
      boolean positive,
      List<Observation> observations,
      Instant now,
      @Nullable String expectText,
      int line) {}

  /** Binding names the condition defines outside {@code not}, in order. */
  public Set<String> bindings() {
    Set<String> out = new java.util.LinkedHashSet<>();
    collect(when, out);
    return out;
  }

  private static void collect(Condition c, Set<String> out) {
    switch (c) {
      case Condition.All a -> a.children().forEach(x -> collect(x, out));
      case Condition.Any a -> a.children().forEach(x -> collect(x, out));
      case Condition.Not n -> {}
      case Condition.Match m -> out.add(m.name());
      case Condition.Count k -> out.add(k.name());
    }
  }
}
