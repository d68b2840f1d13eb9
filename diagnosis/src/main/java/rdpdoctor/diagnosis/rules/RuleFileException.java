package rdpdoctor.diagnosis.rules;

/**
 * A rule or fix file that cannot be used, with the file, the line and the problem:
 * {@code cert-expired.yaml:14: unknown operator 'equals' (expected one of: eq, ne, ...)}.
 */
public final class RuleFileException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String file;
  private final int line;
  private final String problem;

  public RuleFileException(String file, int line, String problem) {
    super(file + ":" + line + ": " + problem, null, false, false);
    this.file = file;
    this.line = line;
    this.problem = problem;
  }

  public String file() {
    return file;
  }

  public int line() {
    return line;
  }

  public String problem() {
    return problem;
  }
}
