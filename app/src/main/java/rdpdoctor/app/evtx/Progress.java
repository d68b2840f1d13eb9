package rdpdoctor.app.evtx;

import java.io.PrintStream;

/**
 * "reading chunk 812 of 4000 (20%)" on stderr, at most once a second, only when stderr is a
 * terminal and only after the first second, so short runs and pipes stay quiet; {@code dump > file}
 * on a terminal shows it, since the output going to a file is no reason to hide where it is.
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

  /**
   * True when stderr is a terminal. Java has no isatty for one stream: on Linux, descriptor 2's
   * link in /proc names the terminal device; elsewhere the console decides (stdout's terminal).
   */
  static boolean terminal() {
    try {
      String target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
      return rdpdoctor.app.Style.stdoutIsTerminal();
    }
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
