package rdpdoctor.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scans of loopback responders and closed ports into a real SQLite file. */
class ScanStoreTest {
  @TempDir Path dir;
  private final Responders responders = new Responders();
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T22:00:00Z"), ZoneOffset.UTC);

  @AfterEach
  void close() throws Exception {
    responders.close();
  }

  private X224Responder responder(String address, X224Responder.Policy p) throws Exception {
    return responders.start(address, p);
  }

  private String url() {
    return "jdbc:sqlite:" + dir.resolve("store").resolve("scans.db");
  }

  private static Scanner.Options quick() {
    return new Scanner.Options(true, Duration.ofSeconds(5), 100_000, 16);
  }

  @Test
  void eachEndpointIsProbedAndRecordedWithItsPosture() throws Exception {
    X224Responder nla = responder("127.0.0.2", X224Responder.Policy.NLA_REQUIRED);
    X224Responder old = responder("127.0.0.3", X224Responder.Policy.RDP_ONLY);
    int closed = Responders.closedPort();
    Targets targets = Targets.of(List.of(nla.spec(), old.spec(), "127.0.0.1:" + closed, nla.spec()),
        List.of(), List.of(), false);
    try (Store store = Store.open(url())) {
      Store.ScanInfo scan = store.startScan("estate", "quick", targets.description(), CLOCK.instant());
      Scanner.Summary s = new Scanner(quick(), store, CLOCK).run(scan.id(), targets, Set.of(), null);
      assertThat(s).isEqualTo(new Scanner.Summary(3, 0, 1, false));
      List<HostResult> results = store.results(scan.id());
      assertThat(results).extracting(r -> r.target().toString())
          .containsExactly("127.0.0.1:" + closed, nla.spec(), old.spec());
      HostResult down = results.get(0);
      assertThat(down.reachable()).isFalse();
      assertThat(down.failure()).startsWith("CONNECTION_REFUSED");
      assertThat(results.get(1).nla()).isEqualTo("required");
      assertThat(results.get(1).rdpSecurity()).isFalse();
      assertThat(results.get(1).problems()).isEmpty();
      assertThat(results.get(2).nla()).isEqualTo("unavailable");
      assertThat(results.get(2).rdpSecurity()).isTrue();
      assertThat(results.get(2).problems()).anyMatch(p -> p.startsWith("Standard RDP Security is accepted"));
      assertThat(results.get(2).tlsVersions()).isNull(); // quick: not enumerated, not "none"
      assertThat(store.scan(scan.id()).orElseThrow().finishedAt()).isEqualTo(CLOCK.instant());
    }
  }

  @Test
  void aStoppedScanResumedEndsLikeAnUninterruptedOne() throws Exception {
    List<String> specs = new ArrayList<>();
    for (int i = 10; i < 40; i++) {
      specs.add(responder("127.0.0." + i, i % 3 == 0 ? X224Responder.Policy.RDP_ONLY
          : X224Responder.Policy.NLA_REQUIRED).spec());
    }
    Targets targets = Targets.of(specs, List.of(), List.of(), false);
    List<HostResult> whole;
    try (Store store = Store.open("jdbc:sqlite:" + dir.resolve("whole.db"))) {
      long id = store.startScan("t", "quick", targets.description(), CLOCK.instant()).id();
      new Scanner(quick(), store, CLOCK).run(id, targets, Set.of(), null);
      whole = withoutTiming(store.results(id));
    }
    try (Store store = Store.open(url())) {
      long id = store.startScan("t", "quick", targets.description(), CLOCK.instant()).id();
      Scanner.Options one = new Scanner.Options(true, Duration.ofSeconds(5), 100_000, 1);
      Scanner first = new Scanner(one, store, CLOCK);
      List<HostResult> seen = new ArrayList<>();
      Scanner.Summary s = first.run(id, targets, Set.of(), r -> {
        seen.add(r);
        if (seen.size() == 7) {
          first.requestStop(); // what the shutdown hook does on Ctrl-C
        }
      });
      assertThat(s.stopped()).isTrue();
      assertThat(s.scanned()).isEqualTo(7);
      assertThat(store.unfinished("t")).isPresent();
      Set<String> done = store.doneKeys(id);
      Scanner.Summary rest = new Scanner(quick(), store, CLOCK).run(id, targets, done, null);
      assertThat(rest).isEqualTo(new Scanner.Summary(23, 7, 0, false));
      assertThat(withoutTiming(store.results(id))).isEqualTo(whole);
      assertThat(store.unfinished("t")).isEmpty();
    }
  }

  private static List<HostResult> withoutTiming(List<HostResult> rs) {
    return rs.stream().map(r -> new HostResult(r.target(), Instant.EPOCH, r.reachable(), r.failure(), r.nla(),
        r.rdpSecurity(), r.tlsVersions(), r.certSha1(), r.certNotAfter(), r.credsspVersion(), r.osBuild(),
        r.problems(), 0)).toList();
  }

  @Test
  void aNewerSchemaIsRefused() throws Exception {
    try (Store ignored = Store.open(url())) {
      // creates the current version
    }
    try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO rdpdoctor_schema_history (installed_rank, version, description, type,"
          + " script, checksum, installed_by, installed_on, execution_time, success) VALUES (99, '99',"
          + " 'from a newer rdpdoctor', 'SQL', 'V99__later.sql', 1, 'x', '2027-01-01 00:00:00', 1, 1)");
    }
    assertThatThrownBy(() -> Store.open(url()))
        .isInstanceOf(Store.StoreException.class)
        .hasMessage("the scan store " + url() + " has schema version 99, newer than this rdpdoctor's 2;"
            + " use a newer rdpdoctor, or another --db");
  }

  @Test
  void aLockedDatabaseFailsAtOpen() throws Exception {
    try (Store ignored = Store.open(url());
        Connection other = DriverManager.getConnection(url());
        Statement s = other.createStatement()) {
      s.execute("BEGIN EXCLUSIVE"); // another rdpdoctor in the middle of a write
      assertThatThrownBy(() -> Store.open(url()))
          .isInstanceOf(Store.StoreException.class)
          .hasMessageContaining("the scan store " + url())
          .hasMessageContaining("locked");
      s.execute("ROLLBACK");
    }
  }

  @Test
  void anUnwritablePathIsAClearError() throws Exception {
    Path file = dir.resolve("plain-file");
    Files.writeString(file, "not a folder");
    String bad = "jdbc:sqlite:" + file.resolve("scans.db");
    assertThatThrownBy(() -> Store.open(bad))
        .isInstanceOf(Store.StoreException.class)
        .hasMessageStartingWith("cannot create the folder of the scan store " + file);
  }

  @Test
  void aPasswordInThePostgresqlUrlIsRefused() {
    assertThatThrownBy(() -> Store.open("jdbc:postgresql://127.0.0.1:1/db?user=a&password=secret"))
        .hasMessage("the --db URL holds a password, which other users could read in the process list;"
            + " remove it and set PGPASSWORD or use ~/.pgpass");
  }

  @Test
  void aStoreThatFailsMidScanKeepsWhatWasWritten() throws Exception {
    List<String> specs = new ArrayList<>();
    for (int i = 50; i < 60; i++) {
      specs.add(responder("127.0.0." + i, X224Responder.Policy.NLA_REQUIRED).spec());
    }
    Targets targets = Targets.of(specs, List.of(), List.of(), false);
    try (Store store = Store.open(url())) {
      long id = store.startScan("t", "quick", targets.description(), CLOCK.instant()).id();
      Scanner one = new Scanner(new Scanner.Options(true, Duration.ofSeconds(5), 100_000, 1), store, CLOCK);
      List<HostResult> seen = new ArrayList<>();
      assertThatThrownBy(() -> one.run(id, targets, Set.of(), r -> {
        seen.add(r);
        if (seen.size() == 4) {
          // the disk fills or the server goes: the next write fails
          try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            s.execute("CREATE TRIGGER full BEFORE INSERT ON host_result BEGIN"
                + " SELECT RAISE(ABORT, 'database or disk is full'); END");
          } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
          }
        }
      })).isInstanceOf(Store.StoreException.class)
          .hasMessageContaining("cannot record the result of 127.0.0.54:")
          .hasMessageContaining("database or disk is full");
      assertThat(store.results(id)).hasSize(4);
      assertThat(store.unfinished("t")).isPresent();
    }
  }
}
