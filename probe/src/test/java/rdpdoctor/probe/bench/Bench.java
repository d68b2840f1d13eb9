package rdpdoctor.probe.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Shared pieces of the loopback bench: finding peer binaries, free ports on 127.0.0.1, waiting for
 * a listener, and stopping a process with every child it forked. Everything listens on 127.0.0.1
 * with ephemeral ports; nothing leaves the machine.
 */
public final class Bench {
  private Bench() {}

  /**
   * Deletes a bench server's scratch folder (its ini, certificate copies and logs) once the server
   * has stopped; a folder left behind is noted on stderr, never a test failure.
   */
  public static void deleteTree(Path dir) {
    try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      System.err.println("bench: could not delete " + dir + ": " + e);
    }
  }

  /** The binary's path on PATH or in the usual sbin folders, if installed. */
  public static Optional<Path> which(String name) {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/local/sbin";
    for (String dir : path.split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Skips the calling test, naming the missing binary and the package that provides it. */
  public static Path require(String name, String debianPackage) {
    Optional<Path> p = which(name);
    Assumptions.assumeTrue(p.isPresent(),
        "peer binary missing: " + name + " (apt-get install " + debianPackage + "); bench test skipped");
    return p.orElseThrow();
  }

  /**
   * An ephemeral port that was free a moment ago on 127.0.0.1. Servers that cannot bind port 0
   * (xrdp, freerdp-shadow) get one of these and the harness retries on a clash.
   */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Waits until something accepts TCP on 127.0.0.1:port, or the process dies, or time runs out. */
  public static boolean waitListening(int port, Process process, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (!process.isAlive()) {
        return false;
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return true;
      } catch (IOException e) {
        Thread.sleep(25);
      }
    }
    return false;
  }

  /** Stops a process and every descendant (xrdp forks one child per connection). */
  public static void stop(Process p) {
    p.descendants().forEach(ProcessHandle::destroy);
    p.destroy();
    try {
      if (!p.waitFor(3, java.util.concurrent.TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor(3, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The last lines of a log file, for failure messages. */
  public static String tail(Path log) {
    try {
      String s = Files.readString(log);
      return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
