package rdpdoctor.app.evtx;

import java.io.PrintStream;

/**
 * "reading chunk 812 of 4000 (20%)" on stderr, at most once a second, only when the console is a
 * terminal and only after the first second, so short runs and pipes stay quiet.
 */
final class Progress {
  private final PrintStream err;
  private final int total;
  private final boolean on;
  private final long start = System.nanoTime();
  private long last = start;
  private boolean shown;

  Progress(int total, boolean terminal) {
    this.err = System.err;
    this.total = total;
    this.on = terminal && total > 0;
  }

  /** Progress is drawn only when the user watches a terminal; Style decides that for all commands. */
  static boolean terminal() {
    return rdpdoctor.app.Style.stdoutIsTerminal();
  }

  void chunkDone(int index) {
    if (!on) {
      return;
    }
    long now = System.nanoTime();
    if (now - start < 1_000_000_000L || now - last < 1_000_000_000L) {
      return;
    }
    last = now;
    shown = true;
    err.print("\rreading chunk " + (index + 1) + " of " + total + " (" + (100L * (index + 1) / total) + "%)  ");
    err.flush();
  }

  void done() {
    if (shown) {
      err.print("\r" + " ".repeat(48) + "\r");
      err.flush();
    }
  }
}
