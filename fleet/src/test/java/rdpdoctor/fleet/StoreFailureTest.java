package rdpdoctor.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store that fails mid-scan for real: the disk under SQLite fills (a 1 MiB tmpfs, mounted and
 * unmounted by the test, which needs root), and the PostgreSQL server goes away. Each is a clear
 * error that names the host whose result could not be written, and every result written before
 * it is still there afterwards.
 */
class StoreFailureTest {
  @TempDir Path dir;
  private final Responders responders = new Responders();
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T22:00:00Z"), ZoneOffset.UTC);

  @AfterEach
  void close() throws Exception {
    responders.close();
  }

  private Targets targets(int from) throws Exception {
    List<String> specs = new ArrayList<>();
    for (int i = from; i < from + 12; i++) {
      specs.add(responders.start("127.0.0." + i, X224Responder.Policy.RDP_ONLY).spec());
    }
    return Targets.of(specs, List.of(), List.of(), false);
  }

  private static Scanner oneAtATime(Store store) {
    return new Scanner(new Scanner.Options(true, Duration.ofSeconds(5), 100_000, 1), store, CLOCK);
  }

  private static int run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }

  @Test
  void aFullDiskStopsTheScanAndKeepsEveryResultWrittenBeforeIt() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")),
        "not root: the full-disk test mounts a 1 MiB tmpfs (CI runs as root)");
    Path mnt = Files.createDirectories(dir.resolve("small-disk"));
    assertThat(run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt.toString())).as("mount tmpfs").isZero();
    try {
      String url = "jdbc:sqlite:" + mnt.resolve("scans.db");
      Targets targets = targets(170);
      Path filler = mnt.resolve("filler");
      long id;
      try (Store store = Store.open(url)) {
        id = store.startScan("t", "quick", targets.description(), CLOCK.instant()).id();
        List<HostResult> seen = new ArrayList<>();
        assertThatThrownBy(() -> oneAtATime(store).run(id, targets, Set.of(), r -> {
          seen.add(r);
          if (seen.size() == 4) {
            fill(filler); // the disk is full from the fifth result on
          }
        })).isInstanceOf(Store.StoreException.class)
            .hasMessageContaining("cannot record the result of 127.0.0.174:")
            .hasMessageContaining("in the scan store " + url)
            .hasMessageContaining("full");
      }
      Files.delete(filler);
      try (Store again = Store.open(url)) {
        assertThat(again.results(id)).hasSize(4);
        assertThat(again.unfinished("t")).isPresent(); // --resume continues it
      }
    } finally {
      assertThat(run("umount", mnt.toString())).as("umount tmpfs").isZero();
    }
  }

  private static void fill(Path filler) {
    byte[] block = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      // no space left on the device: what the test wants
    }
    try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.APPEND)) {
      for (int i = 0; i < 64 * 1024; i++) {
        out.write(0); // the last bytes, one at a time
        out.flush();
      }
    } catch (IOException full) {
      // now not one byte is left
    }
  }

  @Test
  void aDroppedPostgresqlConnectionStopsTheScanAndKeepsEveryResultWrittenBeforeIt() throws Exception {
    try (PgCluster pg = PgCluster.start(dir)) {
      Targets targets = targets(185);
      long id;
      try (Store store = Store.open(pg.url())) {
        id = store.startScan("t", "quick", targets.description(), CLOCK.instant()).id();
        List<HostResult> seen = new ArrayList<>();
        assertThatThrownBy(() -> oneAtATime(store).run(id, targets, Set.of(), r -> {
          seen.add(r);
          if (seen.size() == 4) {
            try {
              pg.stop(); // the server goes away mid-scan
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }
        })).isInstanceOf(Store.StoreException.class)
            .hasMessageContaining("cannot record the result of 127.0.0.189:")
            .hasMessageContaining("in the scan store " + pg.url());
      }
      pg.restart();
      try (Store again = Store.open(pg.url())) {
        assertThat(again.results(id)).hasSize(4);
        assertThat(again.unfinished("t")).isPresent();
      }
    }
  }
}
