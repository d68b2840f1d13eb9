package rdpdoctor.diagnosis;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A cause that a rule named, with everything a person needs to believe it and act on it: how sure
 * rdpdoctor is and why, where in the connection it belongs, the observations that prove it (each
 * with its provenance), the codes it explains, what would rule it out, and how to fix it safely.
 *
 * @param id the rule's stable id, such as {@code cert-expired}
 * @param title the cause in one line
 * @param phase where in the connection it breaks
 * @param kind whether it is a reason a connection fails or a weakness or fact beside it (the
 *     rule's {@code kind}); only a cause can be the verdict or mark the phase that broke
 * @param confidence how sure, with the reasoning that set the number
 * @param explanation the rule's explanation template filled from the proof
 * @param proof the observations that made the rule fire, each under the role the rule gave it
 * @param explains the codes this cause produces, as {@code family:0xVALUE}
 * @param explainsObserved the subset of {@link #explains} that the user actually reported
 * @param ruledOutBy what, if seen, would show this is not the cause
 * @param remediation the steps, in order
 * @param references where the facts come from
 * @param alternatives ids of lower-ranked findings that compete with this one (same phase or same
 *     reported code), so a report can say "or else"
 * @param independentSources how many independent kinds of source back the proof (probe, event
 *     log, registry, certificate file, command output)
 * @param specificity how many field tests the proof passed; breaks ties in the ranking
 * @param contradicted a live fact rules this cause out (the rule's {@code contradictedBy}): it is
 *     listed to say why the reported code does not mean it here, never as the cause
 */
public record Finding(
    String id,
    String title,
    Phase phase,
    Kind kind,
    Confidence confidence,
    String explanation,
    List<Proof> proof,
    List<String> explains,
    List<String> explainsObserved,
    List<String> ruledOutBy,
    List<Remedy> remediation,
    List<String> references,
    List<String> alternatives,
    int independentSources,
    int specificity,
    boolean contradicted) {

  public Finding {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(kind, "kind");
    proof = List.copyOf(proof);
    explains = List.copyOf(explains);
    explainsObserved = List.copyOf(explainsObserved);
    ruledOutBy = List.copyOf(ruledOutBy);
    remediation = List.copyOf(remediation);
    references = List.copyOf(references);
    alternatives = List.copyOf(alternatives);
  }

  /** The same finding with a different list of alternatives (set once the ranking is known). */
  public Finding withAlternatives(List<String> alternatives) {
    return new Finding(
        id, title, phase, kind, confidence, explanation, proof, explains, explainsObserved, ruledOutBy,
        remediation, references, alternatives, independentSources, specificity, contradicted);
  }

  /**
   * What a finding says about a failed connection. A help-desk engineer keeps these apart: "the
   * host accepts Standard RDP Security" is true of a host that connects fine, so it can never be
   * the answer to "why did my connection fail", however sure the probe is of it.
   */
  public enum Kind {
    /** a reason a connection fails: can be the verdict and the phase that broke */
    CAUSE,
    /** a posture problem (a downgrade, NLA off, obsolete TLS): worth fixing, never why it failed */
    WEAKNESS,
    /** a fact that changes how to read the rest (the server is xrdp), neither cause nor weakness */
    FACT;

    /** The rule-file and JSON word: {@code cause}, {@code weakness}, {@code fact}. */
    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Whether this finding can be the answer: a cause that no live fact contradicts. */
  public boolean isCause() {
    return kind == Kind.CAUSE && !contradicted;
  }

  /**
   * How sure a finding is: a number in (0, 1), its word, and each reason that moved it, in the
   * order they were applied ("rule base 0.80", "+0.05: corroborated by probe and event log").
   */
  public record Confidence(double value, List<String> reasons) {
    public Confidence {
      reasons = List.copyOf(reasons);
    }

    /** high (≥ 0.8), medium (≥ 0.5) or low. */
    public String level() {
      return value >= 0.8 ? "high" : value >= 0.5 ? "medium" : "low";
    }
  }

  /**
   * One observation in a finding's proof.
   *
   * @param role the name the rule bound it to ("cert", "failedLogon")
   * @param observation the fact, with its provenance
   */
  public record Proof(String role, Observation observation) {}

  /**
   * One remediation step.
   *
   * @param title what to do, as an imperative sentence
   * @param detail how, in words
   * @param fix the id of the PowerShell snippet {@code rdpdoctor fix} uses, if there is one
   * @param parameters values for that snippet taken from the proof (a SID, a thumbprint)
   * @param safety what can go wrong and how to undo it
   */
  public record Remedy(
      String title,
      String detail,
      @Nullable String fix,
      Map<String, String> parameters,
      @Nullable String safety) {
    public Remedy {
      parameters = Map.copyOf(parameters);
    }
  }
}
