package rdpdoctor.app.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.app.CliRun;
import rdpdoctor.fleet.HostResult;
import rdpdoctor.fleet.PgCluster;
import rdpdoctor.fleet.Store;
import rdpdoctor.probe.Target;

/**
 * Acceptance: the same scans kept in SQLite and in a real PostgreSQL give byte-for-byte the same
 * {@code history} and {@code diff} output, as text and as JSON (the stores round-trip nulls,
 * empty lists, times and numbers alike).
 */
class StoresAgreeTest {
  @TempDir Path dir;

  private static final Instant T1 = Instant.parse("2026-11-01T08:00:00Z");
  private static final Instant T2 = Instant.parse("2026-12-01T08:00:00Z");

  private static HostResult r(String host, Instant at, boolean up, String nla, Boolean rdp, List<String> tls,
      String sha1, Instant notAfter, Long credssp, String os, List<String> problems) {
    return new HostResult(new Target(host, 3389), at.plusSeconds(3), up, up ? null : "CONNECTION_REFUSED: refused",
        nla, rdp, tls, sha1, notAfter, credssp, os, problems, 17);
  }

  /** Two scans of four endpoints: one keeps still, one changes everything, one goes down, one is new. */
  private static void fill(String url) {
    try (Store s = Store.open(url)) {
      long a = s.startScan("prod", "full", "10.0.0.0/30", T1).id();
      s.record(a, r("10.0.0.1", T1, true, "required", false, List.of("TLS 1.2", "TLS 1.3"), "AA", T1.plus(Duration.ofDays(300)),
          6L, "10.0.20348", List.of()));
      s.record(a, r("10.0.0.2", T1, true, "required", false, List.of("TLS 1.2"), "BB", T1.plus(Duration.ofDays(40)),
          6L, "10.0.17763", List.of()));
      s.record(a, r("10.0.0.3", T1, true, "required", false, List.of(), null, null, null, null, List.of()));
      s.finish(a, T1.plusSeconds(60));
      long b = s.startScan("prod", "full", "10.0.0.0/30", T2).id();
      s.record(b, r("10.0.0.1", T2, true, "required", false, List.of("TLS 1.2", "TLS 1.3"), "AA", T1.plus(Duration.ofDays(300)),
          6L, "10.0.20348", List.of()));
      s.record(b, r("10.0.0.2", T2, true, "optional", true, List.of("TLS 1.0", "TLS 1.2"), "CC", T2.plus(Duration.ofDays(5)),
          4L, "10.0.17763", List.of("NLA is offered but not required: clients can connect without CredSSP",
              "Standard RDP Security is accepted: the server is not authenticated, so a man-in-the-middle can read the session",
              "obsolete TLS versions accepted: TLS 1.0")));
      s.record(b, r("10.0.0.3", T2, false, null, null, null, null, null, null, null, List.of("the connection was refused (x)")));
      s.record(b, r("10.0.0.4", T2, true, "unavailable", true, null, null, null, null, null, List.of()));
      s.finish(b, T2.plusSeconds(60));
    }
  }

  @Test
  void historyAndDiffReadTheSameFromSqliteAndPostgresql() throws Exception {
    String sqlite = "jdbc:sqlite:" + dir.resolve("agree.db");
    try (PgCluster pg = PgCluster.start(dir)) {
      fill(sqlite);
      fill(pg.url());
      List<List<String>> commands = List.of(
          List.of("diff", "--tag", "prod"), List.of("diff", "--tag", "prod", "--json"),
          List.of("diff", "2", "1", "--days", "3"),
          List.of("history", "10.0.0.2"), List.of("history", "10.0.0.2", "--json"),
          List.of("history", "10.0.0.3"), List.of("history", "10.0.0.4:3389", "--json"));
      for (List<String> c : commands) {
        CliRun a = CliRun.run(with(c, sqlite));
        CliRun b = CliRun.run(with(c, pg.url()));
        assertThat(b.out()).as(String.join(" ", c)).isEqualTo(a.out()).isNotEmpty();
        assertThat(b.exit()).as(String.join(" ", c)).isEqualTo(a.exit());
      }
      CliRun diff = CliRun.run(with(List.of("diff", "--tag", "prod"), pg.url()));
      assertThat(diff.exit()).isEqualTo(1);
      assertThat(diff.out()).isEqualTo("scan 1 (2026-11-01T08:00:00Z) -> scan 2 (2026-12-01T08:00:00Z): 8 changes\n"
          + "  10.0.0.2:3389  certificate-renewed  BB (until 2026-12-11T08:00:00Z) -> CC (until 2026-12-06T08:00:00Z)\n"
          + "  10.0.0.2:3389  certificate-expiring  expires 2026-12-06T08:00:00Z (4 days, within 30)  (worse)\n"
          + "  10.0.0.2:3389  nla-off  required -> optional  (worse)\n"
          + "  10.0.0.2:3389  tls-enabled  TLS 1.0  (worse)\n"
          + "  10.0.0.2:3389  rdp-security-allowed  refused -> accepted  (worse)\n"
          + "  10.0.0.2:3389  credssp-changed  6 -> 4  (worse)\n"
          + "  10.0.0.3:3389  down  up -> CONNECTION_REFUSED: refused  (worse)\n"
          + "  10.0.0.4:3389  new  up\n"); // and nothing of 10.0.0.1, which kept still
    }
  }

  private static String[] with(List<String> c, String url) {
    List<String> all = new java.util.ArrayList<>(c);
    all.add("--db");
    all.add(url);
    return all.toArray(String[]::new);
  }
}
