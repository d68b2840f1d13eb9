package rdpdoctor.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same scans into SQLite and into a real PostgreSQL: the same history and the same diff. */
class PostgresStoreTest {
  @TempDir static Path dir;
  private static PgCluster pg;
  private static final List<X224Responder> RESPONDERS = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    pg = PgCluster.start(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    for (X224Responder r : RESPONDERS) {
      r.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  private static List<HostResult> twoScans(String url, X224Responder changing, Targets targets) {
    try (Store store = Store.open(url)) {
      Scanner.Options quick = new Scanner.Options(true, Duration.ofSeconds(5), 100_000, 8);
      changing.policy(X224Responder.Policy.NLA_REQUIRED);
      Clock first = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
      long a = store.startScan("pg", "quick", targets.description(), first.instant()).id();
      new Scanner(quick, store, first).run(a, targets, Set.of(), null);
      changing.policy(X224Responder.Policy.RDP_ONLY);
      Clock second = Clock.fixed(Instant.parse("2026-12-02T00:00:00Z"), ZoneOffset.UTC);
      long b = store.startScan("pg", "quick", targets.description(), second.instant()).id();
      new Scanner(quick, store, second).run(b, targets, Set.of(), null);
      List<HostResult> all = new ArrayList<>(store.results(a));
      all.addAll(store.results(b));
      return all;
    }
  }

  private static List<Object> withoutTiming(List<?> rows) {
    return rows.stream().map(o -> o instanceof HostResult r ? new HostResult(r.target(), r.finishedAt(), r.reachable(),
        r.failure(), r.nla(), r.rdpSecurity(), r.tlsVersions(), r.certSha1(), r.certNotAfter(), r.credsspVersion(),
        r.osBuild(), r.problems(), 0) : o).toList();
  }

  @Test
  void sqliteAndPostgresqlKeepTheSameHistoryAndDiff() throws Exception {
    X224Responder steady = new X224Responder("127.0.0.91", X224Responder.Policy.NLA_REQUIRED);
    X224Responder changing = new X224Responder("127.0.0.92", X224Responder.Policy.NLA_REQUIRED);
    RESPONDERS.add(steady);
    RESPONDERS.add(changing);
    Targets targets = Targets.of(List.of(steady.spec(), changing.spec(), "127.0.0.93:1"), List.of(), List.of(), false);
    String sqlite = "jdbc:sqlite:" + dir.resolve("same.db");
    List<HostResult> inSqlite = twoScans(sqlite, changing, targets);
    List<HostResult> inPg = twoScans(pg.url(), changing, targets);
    assertThat(withoutTiming(inPg)).isEqualTo(withoutTiming(inSqlite)).hasSize(6);
    try (Store s = Store.open(sqlite); Store p = Store.open(pg.url())) {
      assertThat(p.scans("pg")).extracting(Store.ScanInfo::startedAt, Store.ScanInfo::finishedAt)
          .isEqualTo(s.scans("pg").stream().map(i -> org.assertj.core.groups.Tuple.tuple(i.startedAt(), i.finishedAt())).toList());
      List<ScanDiff.Change> d = ScanDiff.of(p.results(1), p.results(2), 30);
      assertThat(d).isEqualTo(ScanDiff.of(s.results(1), s.results(2), 30));
      assertThat(d).extracting(c -> c.kind().word()).containsExactly("nla-off", "rdp-security-allowed");
      assertThat(withoutTiming(p.history(Targets.one(changing.spec()))
          .stream().map(Store.Entry::result).toList()))
          .isEqualTo(withoutTiming(s.history(Targets.one(changing.spec())).stream().map(Store.Entry::result).toList()));
    }
    // a second open finds the schema in place and migrates nothing
    try (Store again = Store.open(pg.url())) {
      assertThat(again.scans("pg")).hasSize(2);
    }
  }

  @Test
  void aWrongPasswordIsAClearErrorBeforeAnyTraffic() {
    String url = pg.url().replace("user=" + PgCluster.USER, "user=nobody_here");
    assertThatThrownBy(() -> Store.open(url))
        .isInstanceOf(Store.StoreException.class)
        .hasMessageStartingWith("cannot prepare the scan store " + url + ":");
  }
}
