package rdpdoctor.app;

import java.time.Duration;

/** The durations the command line takes ({@code --timeout 10s}): one reading for every command. */
public final class Durations {
  private Durations() {}

  /** "10s", "500ms", "2m", or a number of seconds. */
  public static Duration parse(String text) {
    String s = text.strip().toLowerCase(java.util.Locale.ROOT);
    try {
      Duration d;
      if (s.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      } else if (s.endsWith("s")) {
        d = Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
      } else if (s.endsWith("m")) {
        d = Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)) * 60);
      } else {
        d = Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
      }
      if (d.isNegative() || d.isZero()) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new UserError(ExitCodes.USAGE, "--timeout: not a duration: '" + text + "' (expected: 10s, 500ms, 2m)");
    }
  }
}
