package rdpdoctor.probe;

/**
 * A part of a full probe that runs after the negotiation sweep: CredSSP without credentials,
 * Standard RDP Security, a credential check. Stages run side by side, and beside the TLS
 * enumeration, so a stage must depend only on the sweep's results and on connections of its own.
 * A stage opens those through {@link ProbeContext}, runs {@link Step}s on them, records
 * observations and puts its result in the report as a named section; sections appear in the
 * order of {@link ProbeOptions#stages()}, whichever stage finishes first.
 */
public interface Stage {
  /** The section name in the report and JSON ("ntlm", "rdpSecurity"). */
  String name();

  /** Whether the sweep's results make this stage worth running (e.g. HYBRID was selected). */
  boolean appliesTo(ProbeContext context);

  /**
   * Runs the stage. A {@link ProbeFailure} is recorded as this stage's failure; the probe goes on.
   */
  void run(ProbeContext context) throws ProbeFailure;
}
