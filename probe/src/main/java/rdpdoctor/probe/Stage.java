package rdpdoctor.probe;

/**
 * A part of a full probe that runs after the negotiation sweep (and after TLS, when TLS works):
 * CredSSP without credentials, Standard RDP Security, a credential check. A stage opens its own
 * connections through {@link ProbeContext}, runs {@link Step}s on them, records observations and
 * puts its result in the report as a named section.
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
