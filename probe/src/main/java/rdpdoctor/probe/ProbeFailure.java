package rdpdoctor.probe;

import rdpdoctor.diagnosis.Phase;

/**
 * A step could not finish: what kind of failure, in which phase, and a one-line detail with the
 * numbers ("no answer after 2000 ms, 3 bytes received").
 */
public final class ProbeFailure extends Exception {
  private static final long serialVersionUID = 1L;
  private final FailureKind kind;
  private final Phase phase;

  public ProbeFailure(FailureKind kind, Phase phase, String detail, Throwable cause) {
    super(detail, cause, false, false);
    this.kind = kind;
    this.phase = phase;
  }

  public ProbeFailure(FailureKind kind, Phase phase, String detail) {
    this(kind, phase, detail, null);
  }

  public FailureKind kind() {
    return kind;
  }

  public Phase phase() {
    return phase;
  }

  /** "the connection was refused (connect to 127.0.0.1:1: Connection refused)". */
  public String describe() {
    return kind.description() + " (" + getMessage() + ")";
  }
}
