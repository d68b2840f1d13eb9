package rdpdoctor.probe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import rdpdoctor.probe.Target;

/**
 * xrdp on 127.0.0.1 with its own xrdp.ini in a temporary folder, run in the foreground
 * ({@code xrdp --nodaemon --config INI}). xrdp cannot listen on port 0, so a free ephemeral port is
 * picked and the start retried on a clash.
 */
public final class XrdpServer implements AutoCloseable {
  /**
   * The settings that change what a probe sees.
   *
   * @param securityLayer negotiate, tls or rdp
   * @param cryptLevel none, low, medium, high or fips (Standard RDP Security)
   * @param sslProtocols e.g. "TLSv1.2, TLSv1.3", "TLSv1.2", "TLSv1.3"
   * @param certificate PEM certificate, or null for xrdp's default (/etc/xrdp/cert.pem)
   * @param key PEM key for it
   */
  public record Config(
      String securityLayer, String cryptLevel, String sslProtocols, @Nullable Path certificate, @Nullable Path key) {

    public static Config defaults() {
      return new Config("negotiate", "high", "TLSv1.2, TLSv1.3", null, null);
    }

    public Config securityLayer(String s) {
      return new Config(s, cryptLevel, sslProtocols, certificate, key);
    }

    public Config cryptLevel(String c) {
      return new Config(securityLayer, c, sslProtocols, certificate, key);
    }

    public Config sslProtocols(String p) {
      return new Config(securityLayer, cryptLevel, p, certificate, key);
    }

    public Config certificate(Path cert, Path k) {
      return new Config(securityLayer, cryptLevel, sslProtocols, cert, k);
    }
  }

  private final Process process;
  private final int port;
  private final Path dir;

  private XrdpServer(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /** Starts xrdp (skipping the calling test when it is not installed). */
  public static XrdpServer start(Config config) throws IOException, InterruptedException {
    Path xrdp = Bench.require("xrdp", "xrdp");
    Path dir = Files.createTempDirectory("rdpdoctor-xrdp-");
    List<String> failures = new ArrayList<>();
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = Bench.freePort();
      Path ini = dir.resolve("xrdp.ini");
      Files.writeString(ini, ini(config, port, dir));
      Path log = dir.resolve("stdout-" + attempt + ".log");
      Process p = launch(xrdp, ini, log, port);
      if (p != null) {
        return new XrdpServer(p, port, dir);
      }
      failures.add("port " + port + ": " + Bench.tail(log) + Bench.tail(dir.resolve("xrdp.log")));
    }
    Bench.deleteTree(dir);
    throw new IOException("xrdp did not start after 5 attempts: " + failures);
  }

  /**
   * Stops this xrdp, rewrites its .ini with {@code config} on the same port, and starts it again:
   * what an admin's change of xrdp.ini and a service restart look like to a scanner.
   */
  public XrdpServer restart(Config config) throws IOException, InterruptedException {
    Bench.stop(process);
    Path xrdp = Bench.require("xrdp", "xrdp");
    Files.writeString(dir.resolve("xrdp.ini"), ini(config, port, dir));
    List<String> failures = new ArrayList<>();
    for (int attempt = 0; attempt < 5; attempt++) {
      Path log = dir.resolve("restart-" + System.nanoTime() + ".log");
      Process p = launch(xrdp, dir.resolve("xrdp.ini"), log, port);
      if (p != null) {
        return new XrdpServer(p, port, dir);
      }
      failures.add(Bench.tail(log) + Bench.tail(dir.resolve("xrdp.log")));
      Thread.sleep(500); // the old listener's port may still be held for a moment
    }
    throw new IOException("xrdp did not restart on port " + port + " after 5 attempts: " + failures);
  }

  /** Runs xrdp on {@code ini}, output to {@code log}; null (and stopped) unless it listens on {@code port} within 10 s. */
  private static @Nullable Process launch(Path xrdp, Path ini, Path log, int port) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(xrdp.toString(), "--nodaemon", "--config", ini.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    if (Bench.waitListening(port, p, Duration.ofSeconds(10))) {
      return p;
    }
    Bench.stop(p);
    return null;
  }

  static String ini(Config c, int port, Path dir) {
    StringBuilder b = new StringBuilder();
    b.append("[Globals]\n")
        .append("ini_version=1\n")
        .append("fork=true\n")
        .append("port=tcp://127.0.0.1:").append(port).append('\n')
        .append("tcp_nodelay=true\n")
        .append("security_layer=").append(c.securityLayer()).append('\n')
        .append("crypt_level=").append(c.cryptLevel()).append('\n')
        .append("certificate=").append(c.certificate() == null ? "" : c.certificate()).append('\n')
        .append("key_file=").append(c.key() == null ? "" : c.key()).append('\n')
        .append("ssl_protocols=").append(c.sslProtocols()).append('\n')
        .append("[Logging]\n")
        .append("LogFile=").append(dir.resolve("xrdp.log")).append('\n')
        .append("LogLevel=DEBUG\n")
        .append("EnableSyslog=false\n")
        .append("[Xvnc]\n")
        .append("name=Xvnc\nlib=libvnc.so\nusername=ask\npassword=ask\nip=127.0.0.1\nport=-1\n");
    return b.toString();
  }

  public int port() {
    return port;
  }

  public Target target() {
    return new Target("127.0.0.1", port);
  }

  /** xrdp's own log, for assertion messages. */
  public String log() {
    return Bench.tail(dir.resolve("xrdp.log"));
  }

  @Override
  public void close() {
    Bench.stop(process);
    Bench.deleteTree(dir);
  }
}
