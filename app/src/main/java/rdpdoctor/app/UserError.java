package rdpdoctor.app;

/**
 * A failure that is the input's fault, not rdpdoctor's: printed as one line with what to do next,
 * never as a stack trace.
 */
public final class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  public UserError(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
