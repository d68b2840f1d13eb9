package rdpdoctor.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One status line on stderr that redraws itself in place ("analyze: 3 of 12 files, 48,210 event
 * records read"), for a person who watches a terminal: nothing when stderr is redirected (a log
 * file, a pipe, a test), nothing for the first second (short runs stay quiet), at most four
 * redraws a second, and {@link #clear()} erases it so the report that follows starts on a clean
 * line. The text is built only when it is drawn.
 */
public final class ProgressLine {
  /** Longer lines wrap on an 80-column terminal, and "\r" then redraws only the last row. */
  static final int MAX_WIDTH = 79;

  private static final long QUIET_NANOS = 1_000_000_000L;
  private static final long REDRAW_NANOS = 250_000_000L;

  private final PrintStream err;
  private final boolean on;
  private final LongSupplier clock;
  private final long start;
  private long last;
  private boolean shown;

  private ProgressLine(PrintStream err, boolean on, LongSupplier clock) {
    this.err = err;
    this.on = on;
    this.clock = clock;
    this.start = clock.getAsLong();
    this.last = start - REDRAW_NANOS;
  }

  /** The line for this process's stderr: on only when stderr is a terminal that can redraw a line. */
  public static ProgressLine stderr() {
    return new ProgressLine(System.err, stderrIsTerminal(System.getenv()), System::nanoTime);
  }

  /** A line on any stream, switched on or off, with a clock in nanoseconds: for tests. */
  public static ProgressLine to(PrintStream err, boolean on, LongSupplier clock) {
    return new ProgressLine(err, on, clock);
  }

  /** An off line, for callers that report no progress (fix, tests). */
  public static ProgressLine off() {
    return new ProgressLine(System.err, false, () -> 0L);
  }

  /** Redraws the line with {@code text} when it is due; cheap to call for every record. */
  public void update(Supplier<String> text) {
    if (!on) {
      return;
    }
    long now = clock.getAsLong();
    if (now - start < QUIET_NANOS || now - last < REDRAW_NANOS) {
      return;
    }
    last = now;
    shown = true;
    err.print(render(text.get()));
    err.flush();
  }

  /** Erases the line if it was ever drawn. */
  public void clear() {
    if (shown) {
      err.print("\r\u001b[K");
      err.flush();
      shown = false;
    }
  }

  /** Carriage return, the text cut to {@link #MAX_WIDTH}, then erase to the end of the row. */
  static String render(String text) {
    String t = text.replaceAll("[\\p{Cntrl}]", "?");
    if (t.length() > MAX_WIDTH) {
      t = t.substring(0, MAX_WIDTH - 3) + "...";
    }
    return "\r" + t + "\u001b[K";
  }

  /**
   * Whether stderr is a terminal. The JDK can only tell about stdin and stdout ({@link
   * System#console()}), and {@code analyze --json > report.json} has a terminal on stderr alone;
   * on Linux the file descriptor's link names the device. Elsewhere the console check is the best
   * the JDK offers. TERM=dumb cannot erase a line, so it gets none.
   */
  static boolean stderrIsTerminal(Map<String, String> env) {
    if ("dumb".equals(env.get("TERM"))) {
      return false;
    }
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return Style.stdoutIsTerminal();
    }
  }
}
