package rdpdoctor.probe.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import rdpdoctor.probe.Target;

/**
 * freerdp-shadow-cli on 127.0.0.1 under its own Xvfb, with {@code /sec:nla|tls|rdp} and, for NLA,
 * a SAM file made with {@code winpr-hash}. HOME points into a temporary folder so the server's
 * generated certificate and config stay there.
 */
public final class ShadowServer implements AutoCloseable {
  /** A SAM account: a user with a password, or with an empty one. Test data only. */
  public record Account(String user, String domain, String password) {}

  private final Process process;
  private final Xvfb xvfb;
  private final int port;
  private final Path dir;

  private ShadowServer(Process process, Xvfb xvfb, int port, Path dir) {
    this.process = process;
    this.xvfb = xvfb;
    this.port = port;
    this.dir = dir;
  }

  /**
   * Starts the server (skipping the calling test when a binary is missing).
   *
   * @param security "nla", "tls" or "rdp"
   * @param accounts SAM accounts for NLA; may be empty
   */
  public static ShadowServer start(String security, List<Account> accounts) throws IOException, InterruptedException {
    Path shadow = Bench.require("freerdp-shadow-cli", "freerdp2-shadow-x11");
    Path dir = Files.createTempDirectory("rdpdoctor-shadow-");
    Path sam = accounts.isEmpty() ? null : writeSam(dir, accounts);
    Xvfb x = Xvfb.start();
    List<String> failures = new ArrayList<>();
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = Bench.freePort();
      List<String> cmd = new ArrayList<>(List.of(
          shadow.toString(), "/port:" + port, "/bind-address:127.0.0.1", "/sec:" + security, "-auth"));
      if (sam != null) {
        cmd.add("/sam-file:" + sam);
      }
      Path log = dir.resolve("shadow-" + attempt + ".log");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("DISPLAY", x.display());
      pb.environment().put("HOME", dir.toString());
      pb.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString());
      Process p = pb.start();
      if (Bench.waitListening(port, p, Duration.ofSeconds(15))) {
        return new ShadowServer(p, x, port, dir);
      }
      Bench.stop(p);
      failures.add("port " + port + ": " + Bench.tail(log));
    }
    x.close();
    Bench.deleteTree(dir);
    throw new IOException("freerdp-shadow-cli did not start after 5 attempts: " + failures);
  }

  /**
   * Writes a SAM file with {@code winpr-hash -f sam} lines. The test password goes to winpr-hash on
   * its command line because that tool has no other input; it is throwaway bench data.
   */
  static Path writeSam(Path dir, List<Account> accounts) throws IOException, InterruptedException {
    Path hash = Bench.require("winpr-hash", "winpr-utils");
    StringBuilder sam = new StringBuilder();
    for (Account a : accounts) {
      List<String> cmd = new ArrayList<>(List.of(hash.toString(), "-u", a.user(), "-p", a.password(), "-f", "sam"));
      if (!a.domain().isEmpty()) {
        cmd.addAll(List.of("-d", a.domain()));
      }
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.waitFor() != 0 || !line.contains(":")) {
        throw new IOException("winpr-hash failed for user " + a.user() + ": " + line);
      }
      sam.append(line).append('\n');
    }
    Path f = dir.resolve("sam");
    Files.writeString(f, sam.toString());
    return f;
  }

  public int port() {
    return port;
  }

  public Target target() {
    return new Target("127.0.0.1", port);
  }

  public String display() {
    return xvfb.display();
  }

  public @Nullable String log() {
    return Bench.tail(dir.resolve("shadow-0.log"));
  }

  @Override
  public void close() {
    Bench.stop(process);
    xvfb.close();
    Bench.deleteTree(dir);
  }
}
