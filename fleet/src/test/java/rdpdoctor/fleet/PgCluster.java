package rdpdoctor.fleet;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A throwaway PostgreSQL server for one test: initdb + pg_ctl from Debian's {@code postgresql}
 * package, listening on 127.0.0.1 only with an ephemeral port, its data in the test's folder,
 * password authentication (SCRAM) for user {@code rdpdoctor}, the password in a pgpass file that
 * the driver reads ({@code org.postgresql.pgpassfile}), never in a URL. PostgreSQL refuses to run
 * as root, so as root the server runs as {@code nobody}.
 */
public final class PgCluster implements AutoCloseable {
  public static final String USER = "rdpdoctor";
  private final Path data;
  private final Path bin;
  private final int port;

  private PgCluster(Path bin, Path data, int port) {
    this.bin = bin;
    this.data = data;
    this.port = port;
  }

  static @Nullable Path binaries() throws IOException {
    Path base = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(base)) {
      return null;
    }
    try (var versions = Files.list(base)) {
      return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
          .sorted().reduce((a, b) -> b).orElse(null);
    }
  }

  /** Starts a cluster in {@code dir}, or skips the test naming the missing package. */
  public static PgCluster start(Path dir) throws Exception {
    Path bin = binaries();
    assumeTrue(bin != null, "PostgreSQL server binaries not installed (Debian package postgresql:"
        + " /usr/lib/postgresql/*/bin/initdb)");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path data = dir.resolve("pgdata");
    Path pwfile = dir.resolve("pw");
    String password = "pw-" + Long.toHexString(System.nanoTime());
    Files.writeString(pwfile, password + "\n");
    Files.setPosixFilePermissions(pwfile, PosixFilePermissions.fromString("rw-r--r--"));
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    PgCluster c = new PgCluster(bin, data, port);
    c.run(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--auth=scram-sha-256",
        "--pwfile=" + pwfile, "-E", "UTF8", "--no-sync");
    Files.delete(pwfile);
    c.startCommand = new String[] {bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "-l",
        dir.resolve("pg.log").toString(), "-o",
        "-c listen_addresses=127.0.0.1 -p " + port + " -k " + dir + " -c fsync=off", "start"};
    c.run(c.startCommand);
    Path pgpass = dir.resolve("pgpass");
    Files.writeString(pgpass, "127.0.0.1:" + port + ":*:" + USER + ":" + password + "\n");
    Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
    System.setProperty("org.postgresql.pgpassfile", pgpass.toString());
    c.pgpass = pgpass;
    return c;
  }

  private Path pgpass;
  private String[] startCommand;

  /** Starts the server again after {@link #stop()}, on the same port with the same data. */
  public void restart() throws Exception {
    run(startCommand);
  }

  /** The pgpass file with the password: a child process gets it as PGPASSFILE, never as an argument. */
  public Path pgpass() {
    return pgpass;
  }

  public String url() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=" + USER;
  }

  /** Stops the server as a crash would not: what a test of a dropped connection needs. */
  public void stop() throws Exception {
    run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
  }

  private void run(String... command) throws Exception {
    List<String> cmd = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      cmd.addAll(List.of("runuser", "-u", "nobody", "--"));
    }
    cmd.addAll(List.of(command));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
  }

  @Override
  public void close() throws Exception {
    if (Files.exists(data.resolve("postmaster.pid"))) {
      stop();
    }
  }
}
