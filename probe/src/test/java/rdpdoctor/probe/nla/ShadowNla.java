package rdpdoctor.probe.nla;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import rdpdoctor.probe.bench.Bench;

/**
 * freerdp-shadow-cli under its own Xvfb display, on 127.0.0.1 with ephemeral ports, one listener
 * per security layer asked for, with a SAM file made by winpr-hash. Tests that need it skip with
 * the name of the missing peer.
 */
public final class ShadowNla implements AutoCloseable {
  /** MD4 of the empty password: winpr-hash refuses to make it ("Hash creation failed"). */
  public static final String EMPTY_NT_HASH = "31d6cfe0d16ae931b73c59d7e0c089c0";

  public final Path dir;
  public final String display;
  private final List<Process> processes = new ArrayList<>();

  /**
   * @param samLines "user:domain:password" triples; an empty password is written with its known hash
   */
  public ShadowNla(Path dir, List<String[]> accounts) throws Exception {
    Bench.require("freerdp-shadow-cli", "freerdp2-shadow-x11");
    Bench.require("Xvfb", "xvfb");
    Bench.require("winpr-hash", "winpr-utils");
    this.dir = dir;
    StringBuilder sam = new StringBuilder();
    for (String[] a : accounts) {
      if (a[2].isEmpty()) {
        sam.append(a[0]).append(':').append(a[1]).append("::").append(EMPTY_NT_HASH).append(":::\n");
        continue;
      }
      // The password goes to winpr-hash on its command line: a throwaway bench password, local only.
      Process h = new ProcessBuilder("winpr-hash", "-u", a[0], "-p", a[2], "-d", a[1], "-f", "sam")
          .redirectErrorStream(true).start();
      sam.append(new String(h.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip()).append('\n');
      h.waitFor();
    }
    Files.writeString(dir.resolve("sam"), sam);
    display = ":" + (90 + (int) (ProcessHandle.current().pid() % 300));
    processes.add(new ProcessBuilder("Xvfb", display, "-screen", "0", "800x600x24")
        .redirectErrorStream(true).redirectOutput(dir.resolve("xvfb.log").toFile()).start());
    // The shadow server exits at once when its display is not there yet: wait for the X socket.
    Path socket = Path.of("/tmp/.X11-unix/X" + display.substring(1));
    for (int i = 0; i < 100 && !Files.exists(socket); i++) {
      Thread.sleep(100);
    }
  }

  /** Starts a listener with /sec:{@code sec} and returns its port once it accepts connections. */
  public int listen(String sec) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path log = dir.resolve("shadow-" + sec + "-" + port + ".log");
    ProcessBuilder pb = new ProcessBuilder("freerdp-shadow-cli", "/bind-address:127.0.0.1", "/port:" + port,
        "/sec:" + sec, "/sam-file:" + dir.resolve("sam"))
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("DISPLAY", display);
    pb.environment().put("HOME", dir.toString());
    // On a loaded machine the server can take seconds to listen, or die early: one retry.
    for (int attempt = 0; attempt < 2 && !listening(port); attempt++) {
      Process p = pb.start();
      processes.add(p);
      for (int i = 0; i < 300 && p.isAlive() && !listening(port); i++) {
        Thread.sleep(100);
      }
    }
    if (!listening(port)) {
      String tail = Files.exists(log) ? Files.readString(log).lines().reduce((a, b) -> b).orElse("") : "";
      Assumptions.abort("freerdp-shadow-cli /sec:" + sec + " did not start: " + tail);
    }
    return port;
  }

  static boolean listening(int p) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), p)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    for (Process p : processes.reversed()) {
      p.destroy();
    }
  }
}
