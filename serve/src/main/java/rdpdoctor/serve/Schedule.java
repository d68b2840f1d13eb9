package rdpdoctor.serve;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import rdpdoctor.fleet.HostResult;
import rdpdoctor.fleet.Scanner;
import rdpdoctor.fleet.Store;
import rdpdoctor.fleet.Targets;
import rdpdoctor.probe.ProbeReport;

/**
 * The config's scheduled scans: each tag is scanned by fleet's {@link Scanner}, as
 * {@code rdpdoctor scan} does, on a connection of its own to the store, the first time at start
 * and then {@code interval} after the previous one ended (so a slow scan never overlaps itself).
 * Each probe's report goes to {@link ProbeMemory} for its findings.
 */
final class Schedule implements AutoCloseable {
  private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(1,
      Thread.ofPlatform().daemon().name("rdpdoctor-serve-schedule-", 0).factory());

  Schedule(List<ServeConfig.ScheduledScan> scans, String dbUrl, ProbeMemory memory, Metrics metrics, Clock clock,
      Runnable afterScan) throws java.io.IOException {
    for (ServeConfig.ScheduledScan s : scans) {
      Targets targets = Targets.of(s.targets(), List.of(), List.of(), false); // a bad spec stops the start
      Scanner.Options options = new Scanner.Options(s.mode().equals("quick"), Duration.ofSeconds(10),
          Scanner.Options.DEFAULT_RATE, Scanner.Options.DEFAULT_PARALLEL);
      timer.scheduleWithFixedDelay(() -> {
        try (Store store = Store.open(dbUrl)) {
          long id = store.startScan(s.tag(), s.mode(), targets.description(), clock.instant()).id();
          new Scanner(options, store, clock).run(id, targets, Set.of(), new Scanner.Listener() {
            @Override
            public void recorded(HostResult result) {
              // recorded(result, report) below is the one the scanner calls
            }

            @Override
            public void recorded(HostResult result, ProbeReport report) {
              memory.keep(report, clock.instant());
            }
          });
          metrics.scans.labelValues(s.tag(), "finished").inc();
        } catch (RuntimeException e) {
          // the next run tries again; the counter and stderr say this one failed
          metrics.scans.labelValues(s.tag(), "failed").inc();
          System.err.println("serve: scheduled scan of tag " + s.tag() + " failed: " + e.getMessage());
        }
        afterScan.run();
      }, 0, s.every().toSeconds(), TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
