package rdpdoctor.probe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/** A virtual X display for freerdp-shadow-cli and xfreerdp, on a free display number, no TCP. */
public final class Xvfb implements AutoCloseable {
  private final Process process;
  private final int display;

  private Xvfb(Process process, int display) {
    this.process = process;
    this.display = display;
  }

  public static Xvfb start() throws IOException, InterruptedException {
    Path xvfb = Bench.require("Xvfb", "xvfb");
    for (int attempt = 0; attempt < 10; attempt++) {
      int n = 100 + ThreadLocalRandom.current().nextInt(800);
      Path socket = Path.of("/tmp/.X11-unix/X" + n);
      if (Files.exists(socket) || Files.exists(Path.of("/tmp/.X" + n + "-lock"))) {
        continue;
      }
      Process p = new ProcessBuilder(xvfb.toString(), ":" + n, "-screen", "0", "1024x768x24", "-nolisten", "tcp")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      for (int i = 0; i < 100 && p.isAlive(); i++) {
        if (Files.exists(socket)) {
          return new Xvfb(p, n);
        }
        Thread.sleep(30);
      }
      Bench.stop(p);
    }
    throw new IOException("Xvfb did not start on any of 10 display numbers");
  }

  /** The DISPLAY value, ":123". */
  public String display() {
    return ":" + display;
  }

  @Override
  public void close() {
    Bench.stop(process);
  }
}
