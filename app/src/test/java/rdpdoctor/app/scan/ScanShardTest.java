package rdpdoctor.app.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.app.CliRun;
import rdpdoctor.fleet.HostResult;
import rdpdoctor.fleet.PgCluster;
import rdpdoctor.fleet.Store;
import rdpdoctor.fleet.X224Responder;

/**
 * Acceptance: four {@code scan --shard K/4} processes started at once into one real PostgreSQL
 * write one scan whose results are those of an unsharded scan of the same list.
 */
class ScanShardTest {
  @TempDir Path dir;
  private final List<X224Responder> responders = new ArrayList<>();
  private PgCluster pg;

  @AfterEach
  void close() throws Exception {
    for (X224Responder r : responders) {
      r.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  @Test
  void fourShardsAtOnceEqualOneUnshardedScan() throws Exception {
    pg = PgCluster.start(dir); // its own folder must be the one PgCluster opens to the server's user
    StringBuilder list = new StringBuilder("# the estate\n");
    for (int i = 120; i < 160; i++) {
      X224Responder r = new X224Responder("127.0.0." + i,
          i % 3 == 0 ? X224Responder.Policy.RDP_ONLY : X224Responder.Policy.NLA_REQUIRED);
      responders.add(r);
      list.append(r.spec()).append('\n');
    }
    list.append("127.0.0.160-163:1\n"); // four closed ports
    list.append(responders.get(0).spec()).append("  # a duplicate, scanned once\n");
    Path estate = dir.resolve("estate.txt");
    Files.writeString(estate, list);

    List<Process> workers = new ArrayList<>();
    for (int k = 0; k < 4; k++) {
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), "rdpdoctor.app.Main", "scan", "-iL", estate.toString(),
          "--db", pg.url(), "--tag", "estate", "--shard", k + "/4", "--run", "job-1", "--rate", "100000"));
      ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(dir.resolve("shard-" + k + ".txt").toFile());
      b.environment().put("PGPASSFILE", pg.pgpass().toString()); // the password never in argv
      workers.add(b.start());
    }
    for (int k = 0; k < 4; k++) {
      Process p = workers.get(k);
      try {
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("shard %d ends", k).isTrue();
      } finally {
        p.destroyForcibly();
      }
      assertThat(p.exitValue()).as(Files.readString(dir.resolve("shard-" + k + ".txt"))).isEqualTo(1); // problems found
    }

    CliRun whole = CliRun.run("scan", "-iL", estate.toString(), "--db", pg.url(), "--tag", "whole", "--rate", "100000");
    assertThat(whole.exit()).as(whole.err()).isEqualTo(1);

    try (Store s = Store.open(pg.url())) {
      List<Store.ScanInfo> sharded = s.scans("estate");
      assertThat(sharded).as("the four workers wrote one scan").hasSize(1);
      assertThat(sharded.get(0).finishedAt()).as("finished when the last shard was").isNotNull();
      Store.ScanInfo unsharded = s.scans("whole").get(0);
      List<HostResult> a = withoutTiming(s.results(sharded.get(0).id()));
      assertThat(a).hasSize(44).isEqualTo(withoutTiming(s.results(unsharded.id())));
      assertThat(a.stream().filter(r -> !r.reachable()).count()).isEqualTo(4);
    }
    // a worker run again finds its part done and probes nothing
    CliRun again = CliRun.run("scan", "-iL", estate.toString(), "--db", pg.url(), "--tag", "estate", "--shard", "2/4",
        "--run", "job-1");
    assertThat(again.out()).contains("44 hosts", "11 from before the resume"); // its part: every 4th of 44
  }

  private static List<HostResult> withoutTiming(List<HostResult> rs) {
    return rs.stream().map(r -> new HostResult(r.target(), Instant.EPOCH, r.reachable(), r.failure(), r.nla(),
        r.rdpSecurity(), r.tlsVersions(), r.certSha1(), r.certNotAfter(), r.credsspVersion(), r.osBuild(),
        r.problems(), 0)).toList();
  }
}
