package rdpdoctor.fleet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.jspecify.annotations.Nullable;
import rdpdoctor.probe.Target;

/**
 * The scan store: every scan and every endpoint's result, in SQLite (one file, the default) or
 * PostgreSQL (a team's shared database), with one schema for both that Flyway migrates
 * ({@code rdpdoctor/fleet/migration}). Each result is committed on its own as it is recorded, so
 * a crash or Ctrl-C loses nothing already done.
 */
public final class Store implements AutoCloseable {
  /** Why the store cannot be used; the message says what to do. */
  public static final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }

  /** One scan. */
  public record ScanInfo(long id, String tag, String mode, String targets, Instant startedAt,
      @Nullable Instant finishedAt) { }

  /** A result with the scan it belongs to, for {@code history}. */
  public record Entry(ScanInfo scan, HostResult result) { }

  private final Connection db;
  private final String url;

  private Store(Connection db, String url) {
    this.db = db;
    this.url = url;
  }

  /** {@code jdbc:sqlite:$XDG_DATA_HOME/rdpdoctor/scans.db} ({@code ~/.local/share} without XDG_DATA_HOME). */
  public static String defaultUrl(Map<String, String> env) {
    String xdg = env.get("XDG_DATA_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
        : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".local", "share");
    return "jdbc:sqlite:" + base.resolve("rdpdoctor").resolve("scans.db");
  }

  /**
   * Opens the store, runs any migration it lacks, and proves that it can write, all before the
   * caller sends any traffic.
   *
   * @throws StoreException unreachable, locked, unwritable, or with a newer schema than this build's
   */
  public static Store open(String url) {
    DataSource ds = dataSource(url);
    Flyway flyway = Flyway.configure()
        .dataSource(ds)
        .locations("classpath:rdpdoctor/fleet/migration")
        .table("rdpdoctor_schema_history")
        .loggers(QuietFlywayLog.class.getName())
        .load();
    try {
      refuseNewerSchema(flyway, url);
      flyway.migrate();
    } catch (FlywayException e) {
      throw new StoreException("cannot prepare the scan store " + url + ": " + rootMessage(e), e);
    }
    try {
      Connection c = ds.getConnection();
      Store s = new Store(c, url);
      s.proveWritable();
      return s;
    } catch (SQLException e) {
      throw new StoreException("cannot write to the scan store " + url + ": " + rootMessage(e), e);
    }
  }

  private static DataSource dataSource(String url) {
    if (url.startsWith("jdbc:sqlite:")) {
      String file = url.substring("jdbc:sqlite:".length());
      int q = file.indexOf('?');
      Path p = Path.of(q >= 0 ? file.substring(0, q) : file).toAbsolutePath();
      try {
        Files.createDirectories(p.getParent());
      } catch (java.io.IOException e) {
        throw new StoreException("cannot create the folder of the scan store " + p.getParent() + ": " + e, e);
      }
      org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
      // Another writer holds the file: wait this long, then fail (before any traffic, see open).
      config.setBusyTimeout(2000);
      // Write-ahead log, synced at checkpoints: a result's commit is an append to the log, not
      // an fsync of the database and its journal (measured on the 5,000-endpoint bench: the
      // rollback journal's fsync per result held the scan to 85 hosts/s). A crash of rdpdoctor
      // still loses no committed result; only a crash of the machine may lose the last ones.
      config.setJournalMode(org.sqlite.SQLiteConfig.JournalMode.WAL);
      config.setSynchronous(org.sqlite.SQLiteConfig.SynchronousMode.NORMAL);
      config.enforceForeignKeys(true);
      org.sqlite.SQLiteDataSource ds = new org.sqlite.SQLiteDataSource(config);
      ds.setUrl(url);
      return ds;
    }
    if (url.startsWith("jdbc:postgresql:")) {
      if (url.toLowerCase(java.util.Locale.ROOT).contains("password=")) {
        // the URL is on the command line, where every user of the machine can read it (ps)
        throw new StoreException("the --db URL holds a password, which other users could read in the"
            + " process list; remove it and set PGPASSWORD or use ~/.pgpass", null);
      }
      org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
      ds.setURL(url);
      String password = System.getenv("PGPASSWORD");
      if (password != null) {
        ds.setPassword(password); // otherwise the driver reads PGPASSFILE or ~/.pgpass itself
      }
      return ds;
    }
    throw new StoreException("--db must be jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB: " + url, null);
  }

  /**
   * Flyway ignores migrations the database has and this build does not ("future" ones) by
   * default; for a scan store that means writing rows a newer schema may not expect.
   */
  private static void refuseNewerSchema(Flyway flyway, String url) {
    MigrationInfo[] applied = flyway.info().applied();
    for (MigrationInfo m : applied) {
      if (m.getState() == MigrationState.FUTURE_SUCCESS || m.getState() == MigrationState.FUTURE_FAILED) {
        MigrationInfo[] known = flyway.info().all();
        String ours = Arrays.stream(known).filter(k -> k.getState().isResolved())
            .map(k -> k.getVersion().toString()).reduce((a, b) -> b).orElse("none");
        throw new StoreException("the scan store " + url + " has schema version " + m.getVersion()
            + ", newer than this rdpdoctor's " + ours + "; use a newer rdpdoctor, or another --db", null);
      }
    }
  }

  /** A write that is rolled back: a locked SQLite file or a read-only database fails here. */
  private void proveWritable() throws SQLException {
    db.setAutoCommit(false);
    try (Statement s = db.createStatement()) {
      s.executeUpdate("DELETE FROM scan WHERE id = -1");
    } finally {
      db.rollback();
      db.setAutoCommit(true);
    }
  }

  /** Starts a scan; its id is the next number, so ids give the order scans started in. */
  public ScanInfo startScan(String tag, String mode, String targets, Instant now) {
    Instant at = now.truncatedTo(ChronoUnit.SECONDS);
    try {
      db.setAutoCommit(false);
      long id = insertScan(tag, mode, targets, at, null, 0);
      db.commit();
      return new ScanInfo(id, tag, mode, targets, at, null);
    } catch (SQLException e) {
      throw failed("start a scan", e);
    } finally {
      autoCommit();
    }
  }

  /**
   * Inserts a scan row with the next id (ids give the order scans started in), inside the
   * caller's transaction; {@code run} is null and {@code shards} 0 for a scan one process makes.
   */
  private long insertScan(String tag, String mode, String targets, Instant at, @Nullable String run, int shards)
      throws SQLException {
    long id;
    try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM scan")) {
      rs.next();
      id = rs.getLong(1);
    }
    try (PreparedStatement p = db.prepareStatement(
        "INSERT INTO scan (id, tag, mode, targets, started_at, run, shards) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      p.setLong(1, id);
      p.setString(2, tag);
      p.setString(3, mode);
      p.setString(4, targets);
      p.setString(5, at.toString());
      p.setString(6, run);
      if (run == null) {
        p.setNull(7, java.sql.Types.INTEGER); // as before sharding: no shard count
      } else {
        p.setInt(7, shards);
      }
      p.executeUpdate();
    }
    return id;
  }

  /**
   * The scan that the workers of one sharded run share, created by whichever worker comes first
   * ({@code scan --shard K/N --run ID}): found by tag and run id, which the schema keeps unique,
   * so workers that start at the same moment still write one scan. A worker that finds the run
   * with other targets, mode or shard count is refused: it would mix two scans.
   */
  public ScanInfo joinScan(String tag, String mode, String targets, String run, int shards, Instant now) {
    Instant at = now.truncatedTo(ChronoUnit.SECONDS);
    for (int attempt = 0; ; attempt++) {
      try {
        try (PreparedStatement p = db.prepareStatement("SELECT id, tag, mode, targets, started_at, finished_at, shards"
            + " FROM scan WHERE tag = ? AND run = ?")) {
          p.setString(1, tag);
          p.setString(2, run);
          try (ResultSet rs = p.executeQuery()) {
            if (rs.next()) {
              ScanInfo s = scan(rs, 0);
              int n = rs.getInt(7);
              if (!s.mode().equals(mode) || !s.targets().equals(targets) || n != shards) {
                throw new StoreException("run '" + run + "' of tag '" + tag + "' is scan " + s.id() + " of '" + s.mode()
                    + " " + s.targets() + "' in " + n + " shards, not '" + mode + " " + targets + "' in " + shards
                    + "; give every shard the same targets, mode and N, or another --run", null);
              }
              return s;
            }
          }
        }
        db.setAutoCommit(false);
        long id = insertScan(tag, mode, targets, at, run, shards);
        db.commit();
        return new ScanInfo(id, tag, mode, targets, at, null);
      } catch (SQLException e) {
        rollback();
        // another worker took the id or created the run first: look again (a few times at most)
        if (attempt >= 20) {
          throw failed("join run '" + run + "' of tag '" + tag + "'", e);
        }
      } finally {
        autoCommit();
      }
    }
  }

  /**
   * Records that one shard of a sharded scan is done, and finishes the scan when every shard is.
   * Each worker counts after its own row is committed, so the last one to finish sees them all.
   */
  public void finishShard(long scanId, int shard, int shards, Instant now) {
    String at = now.truncatedTo(ChronoUnit.SECONDS).toString();
    try {
      boolean known;
      try (PreparedStatement p = db.prepareStatement("SELECT 1 FROM scan_shard WHERE scan_id = ? AND shard = ?")) {
        p.setLong(1, scanId);
        p.setInt(2, shard);
        try (ResultSet rs = p.executeQuery()) {
          known = rs.next();
        }
      }
      if (!known) {
        try (PreparedStatement p = db.prepareStatement("INSERT INTO scan_shard (scan_id, shard, finished_at) VALUES (?, ?, ?)")) {
          p.setLong(1, scanId);
          p.setInt(2, shard);
          p.setString(3, at);
          p.executeUpdate();
        }
      }
      long done;
      try (PreparedStatement p = db.prepareStatement("SELECT COUNT(*) FROM scan_shard WHERE scan_id = ?")) {
        p.setLong(1, scanId);
        try (ResultSet rs = p.executeQuery()) {
          rs.next();
          done = rs.getLong(1);
        }
      }
      if (done >= shards) {
        try (PreparedStatement p = db.prepareStatement("UPDATE scan SET finished_at = ? WHERE id = ? AND finished_at IS NULL")) {
          p.setString(1, at);
          p.setLong(2, scanId);
          p.executeUpdate();
        }
      }
    } catch (SQLException e) {
      throw failed("finish shard " + shard + " of scan " + scanId, e);
    }
  }

  /** Records one endpoint's result, committed at once. */
  public void record(long scanId, HostResult r) {
    try (PreparedStatement p = db.prepareStatement("INSERT INTO host_result (scan_id, host_key, host, port,"
        + " finished_at, reachable, failure, nla, rdp_security, tls_versions, cert_sha1, cert_not_after,"
        + " credssp_version, os_build, problems, millis) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      p.setLong(1, scanId);
      p.setString(2, Targets.key(r.target()));
      p.setString(3, r.target().host());
      p.setInt(4, r.target().port());
      p.setString(5, r.finishedAt().toString());
      p.setInt(6, r.reachable() ? 1 : 0);
      p.setString(7, r.failure());
      p.setString(8, r.nla());
      if (r.rdpSecurity() == null) {
        p.setNull(9, Types.INTEGER);
      } else {
        p.setInt(9, r.rdpSecurity() ? 1 : 0);
      }
      p.setString(10, r.tlsVersions() == null ? null : String.join(",", r.tlsVersions()));
      p.setString(11, r.certSha1());
      p.setString(12, r.certNotAfter() == null ? null : r.certNotAfter().toString());
      if (r.credsspVersion() == null) {
        p.setNull(13, Types.BIGINT);
      } else {
        p.setLong(13, r.credsspVersion());
      }
      p.setString(14, r.osBuild());
      p.setString(15, String.join("\n", r.problems()));
      p.setLong(16, r.millis());
      p.executeUpdate();
    } catch (SQLException e) {
      throw failed("record the result of " + r.target(), e);
    }
  }

  /** Marks a scan complete: {@code diff} compares complete scans only. */
  public void finish(long scanId, Instant now) {
    try (PreparedStatement p = db.prepareStatement("UPDATE scan SET finished_at = ? WHERE id = ?")) {
      p.setString(1, now.truncatedTo(ChronoUnit.SECONDS).toString());
      p.setLong(2, scanId);
      p.executeUpdate();
    } catch (SQLException e) {
      throw failed("finish scan " + scanId, e);
    }
  }

  /** The tag's last scan, if it did not finish: what {@code --resume} continues. */
  public Optional<ScanInfo> unfinished(String tag) {
    List<ScanInfo> all = scans(tag);
    if (all.isEmpty() || all.get(all.size() - 1).finishedAt() != null) {
      return Optional.empty();
    }
    return Optional.of(all.get(all.size() - 1));
  }

  /**
   * The run id and shard count of a sharded scan ({@code scan --shard K/N --run ID}), or empty for
   * a scan one process made: a sharded scan is continued by running its shards again, not by
   * {@code --resume}, which would probe every shard's endpoints in one process.
   */
  public Optional<String> shardedRun(long scanId) {
    try (PreparedStatement p = db.prepareStatement("SELECT run, shards FROM scan WHERE id = ?")) {
      p.setLong(1, scanId);
      try (ResultSet rs = p.executeQuery()) {
        if (rs.next() && rs.getString(1) != null) {
          return Optional.of("run '" + rs.getString(1) + "' in " + rs.getInt(2) + " shards");
        }
      }
      return Optional.empty();
    } catch (SQLException e) {
      throw failed("read scan " + scanId, e);
    }
  }

  /** The endpoints a scan has a result for. */
  public Set<String> doneKeys(long scanId) {
    Set<String> keys = new HashSet<>();
    try (PreparedStatement p = db.prepareStatement("SELECT host_key FROM host_result WHERE scan_id = ?")) {
      p.setLong(1, scanId);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          keys.add(rs.getString(1));
        }
      }
      return keys;
    } catch (SQLException e) {
      throw failed("read scan " + scanId, e);
    }
  }

  /** The scans of a tag (every tag when null), oldest first. */
  public List<ScanInfo> scans(@Nullable String tag) {
    String sql = "SELECT id, tag, mode, targets, started_at, finished_at FROM scan"
        + (tag == null ? "" : " WHERE tag = ?") + " ORDER BY id";
    try (PreparedStatement p = db.prepareStatement(sql)) {
      if (tag != null) {
        p.setString(1, tag);
      }
      List<ScanInfo> out = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(scan(rs, 0));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failed("list scans", e);
    }
  }

  public Optional<ScanInfo> scan(long id) {
    try (PreparedStatement p = db.prepareStatement(
        "SELECT id, tag, mode, targets, started_at, finished_at FROM scan WHERE id = ?")) {
      p.setLong(1, id);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? Optional.of(scan(rs, 0)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failed("read scan " + id, e);
    }
  }

  private static ScanInfo scan(ResultSet rs, int o) throws SQLException {
    String fin = rs.getString(o + 6);
    return new ScanInfo(rs.getLong(o + 1), rs.getString(o + 2), rs.getString(o + 3), rs.getString(o + 4),
        Instant.parse(rs.getString(o + 5)), fin == null ? null : Instant.parse(fin));
  }

  private static final String RESULT_COLUMNS = "r.host, r.port, r.finished_at, r.reachable, r.failure, r.nla,"
      + " r.rdp_security, r.tls_versions, r.cert_sha1, r.cert_not_after, r.credssp_version, r.os_build,"
      + " r.problems, r.millis";

  /** A scan's results, by endpoint. */
  public List<HostResult> results(long scanId) {
    List<HostResult> out = new ArrayList<>();
    forEachResult(scanId, out::add);
    return out;
  }

  /**
   * A scan's results one at a time, by endpoint, so that a report of 100,000 hosts holds one
   * host at a time rather than all of them.
   */
  public void forEachResult(long scanId, java.util.function.Consumer<HostResult> each) {
    try (PreparedStatement p = db.prepareStatement("SELECT " + RESULT_COLUMNS
        + " FROM host_result r WHERE r.scan_id = ? ORDER BY r.host_key")) {
      p.setLong(1, scanId);
      p.setFetchSize(500); // PostgreSQL streams in batches only with a fetch size (and no auto-commit)
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          each.accept(result(rs));
        }
      }
    } catch (SQLException e) {
      throw failed("read the results of scan " + scanId, e);
    }
  }

  /** Every result for an endpoint, oldest scan first. */
  public List<Entry> history(Target t) {
    try (PreparedStatement p = db.prepareStatement("SELECT " + RESULT_COLUMNS
        + ", s.id, s.tag, s.mode, s.targets, s.started_at, s.finished_at FROM host_result r"
        + " JOIN scan s ON s.id = r.scan_id WHERE r.host_key = ? ORDER BY s.id")) {
      p.setString(1, Targets.key(t));
      List<Entry> out = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(new Entry(scan(rs, 14), result(rs)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failed("read the history of " + t, e);
    }
  }

  /**
   * Each endpoint's newest result, whatever scan (and tag) it came from, one at a time by
   * endpoint: what serve's overview and /metrics show. The (host_key, scan_id) index answers the
   * inner query without reading the rows.
   */
  public void forEachLatest(java.util.function.Consumer<Entry> each) {
    try (PreparedStatement p = db.prepareStatement("SELECT " + RESULT_COLUMNS
        + ", s.id, s.tag, s.mode, s.targets, s.started_at, s.finished_at FROM host_result r"
        + " JOIN (SELECT host_key, MAX(scan_id) AS newest FROM host_result GROUP BY host_key) l"
        + " ON l.host_key = r.host_key AND l.newest = r.scan_id JOIN scan s ON s.id = r.scan_id ORDER BY r.host_key")) {
      p.setFetchSize(500);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          each.accept(new Entry(scan(rs, 14), result(rs)));
        }
      }
    } catch (SQLException e) {
      throw failed("read the newest result of each endpoint", e);
    }
  }

  private static HostResult result(ResultSet rs) throws SQLException {
    int rdpSec = rs.getInt(7);
    Boolean rdp = rs.wasNull() ? null : rdpSec != 0;
    String versions = rs.getString(8);
    String notAfter = rs.getString(10);
    long credssp = rs.getLong(11);
    Long cred = rs.wasNull() ? null : credssp;
    String problems = rs.getString(13);
    return new HostResult(new Target(rs.getString(1), rs.getInt(2)), Instant.parse(rs.getString(3)),
        rs.getInt(4) != 0, rs.getString(5), rs.getString(6), rdp,
        versions == null ? null : versions.isEmpty() ? List.of() : List.of(versions.split(",")),
        rs.getString(9), notAfter == null ? null : Instant.parse(notAfter), cred, rs.getString(12),
        problems.isEmpty() ? List.of() : List.of(problems.split("\n")), rs.getLong(14));
  }

  private void rollback() {
    try {
      if (!db.getAutoCommit()) {
        db.rollback();
      }
    } catch (SQLException ignored) {
      // the connection is gone; the next statement says so
    }
  }

  private void autoCommit() {
    try {
      db.setAutoCommit(true);
    } catch (SQLException ignored) {
      // the connection is gone; the next statement says so
    }
  }

  private StoreException failed(String what, SQLException e) {
    return new StoreException("cannot " + what + " in the scan store " + url + ": " + rootMessage(e), e);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.toString() : t.getMessage();
    return m.strip().replaceAll("\\s+", " ");
  }

  @Override
  public void close() {
    try {
      db.close();
    } catch (SQLException ignored) {
      // closing: nothing is pending, every result was committed when recorded
    }
  }
}
