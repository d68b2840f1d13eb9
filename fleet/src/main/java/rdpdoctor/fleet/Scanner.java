package rdpdoctor.fleet;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import rdpdoctor.probe.Probe;
import rdpdoctor.probe.ProbeOptions;
import rdpdoctor.probe.ProbeReport;
import rdpdoctor.probe.Stage;
import rdpdoctor.probe.Target;

/**
 * Runs {@code rdpdoctor.probe.Probe} on each endpoint of a scan, several hosts at a time, paced by
 * new connections per second, and records each result in the {@link Store} as soon as it is done.
 * {@link #requestStop()} (Ctrl-C) lets the hosts in flight finish and be recorded, starts no more,
 * and leaves the scan unfinished, for {@code --resume}.
 */
public final class Scanner {
  /** Connections a quick probe opens: one per request of the negotiation sweep. */
  static final int SWEEP_CONNECTIONS = Probe.SWEEP.size();

  /**
   * How to scan.
   *
   * @param quick the negotiation sweep only; otherwise also TLS, certificate, NTLM/CredSSP, RDP security
   * @param hostTimeout each host's whole budget (the probe's deadline)
   * @param connectionsPerSecond new TCP connections per second, over all hosts
   * @param parallel hosts in flight at once; each has at most 8 sockets open (ProbeOptions.parallelism)
   */
  public record Options(boolean quick, Duration hostTimeout, int connectionsPerSecond, int parallel) {
    /** The default pace: 1,000 new connections per second, about 125 quick hosts per second. */
    public static final int DEFAULT_RATE = 1000;
    public static final int DEFAULT_PARALLEL = 64;

    public Options {
      if (parallel < 1 || parallel > 1024) {
        throw new IllegalArgumentException("--parallel must be 1..1024: " + parallel);
      }
      if (connectionsPerSecond < 1 || connectionsPerSecond > 1_000_000) {
        throw new IllegalArgumentException("--rate must be 1..1000000 connections per second: " + connectionsPerSecond);
      }
    }

    ProbeOptions probeOptions() {
      Duration step = hostTimeout.compareTo(Duration.ofSeconds(5)) < 0 ? hostTimeout : Duration.ofSeconds(5);
      List<Stage> stages = quick ? List.of() : rdpdoctor.probe.FullProbe.stages();
      return new ProbeOptions(quick, hostTimeout, step, 8, null, stages);
    }
  }

  /** Told of each result as it is recorded (the progress line). */
  public interface Listener {
    void recorded(HostResult result);

    /**
     * The same, with the probe's whole report, for a caller that keeps more than the store does
     * (serve runs the diagnosis rules on it for its findings).
     */
    default void recorded(HostResult result, ProbeReport report) {
      recorded(result);
    }
  }

  /** How a run ended. */
  public record Summary(long scanned, long skipped, long unreachable, boolean stopped) { }

  private final Options options;
  private final Store store;
  private final Clock clock;
  private final RateLimiter limiter;
  private volatile boolean stop;
  private final CountDownLatch over = new CountDownLatch(1);

  public Scanner(Options options, Store store, Clock clock) {
    this(options, store, clock, RateLimiter.system(options.connectionsPerSecond()));
  }

  Scanner(Options options, Store store, Clock clock, RateLimiter limiter) {
    this.options = options;
    this.store = store;
    this.clock = clock;
    this.limiter = limiter;
  }

  /** Starts no more hosts; those in flight finish and are recorded. Safe from a shutdown hook. */
  public void requestStop() {
    stop = true;
  }

  /** Waits until {@link #run} has recorded its last result and returned (for a shutdown hook). */
  public boolean awaitOver(Duration d) throws InterruptedException {
    return over.await(d.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Scans {@code targets} into {@code scanId}, skipping endpoints in {@code done} (a resumed scan).
   *
   * @throws Store.StoreException when a result cannot be written: the scan stops there, and every
   *     result written before it stays
   */
  public Summary run(long scanId, Iterable<Target> targets, Set<String> done, @Nullable Listener listener) {
    return run(scanId, targets, done, listener, null);
  }

  /**
   * Scans one worker's part of a sharded scan ({@code shard} null: the whole scan): only the
   * shard's endpoints of {@code targets} are probed, and the scan is finished in the store when
   * the last of its shards is.
   */
  public Summary run(long scanId, Iterable<Target> all, Set<String> done, @Nullable Listener listener,
      @Nullable Shard shard) {
    Iterable<Target> targets = shard == null ? all : shard.of(all);
    ProbeOptions probeOptions = options.probeOptions();
    Probe probe = new Probe(probeOptions);
    Semaphore inFlight = new Semaphore(options.parallel());
    AtomicLong scanned = new AtomicLong();
    AtomicLong unreachable = new AtomicLong();
    AtomicReference<RuntimeException> broken = new AtomicReference<>();
    long skipped = 0;
    Object writeLock = new Object();
    // Platform threads (DEVELOPERS.md: a virtual thread's socket wait delays the JVM's exit).
    ExecutorService pool = Executors.newThreadPerTaskExecutor(
        Thread.ofPlatform().daemon().name("rdpdoctor-scan-", 0).factory());
    try {
      for (Target t : targets) {
        if (stop || broken.get() != null) {
          break;
        }
        if (done.contains(Targets.key(t))) {
          skipped++;
          continue;
        }
        inFlight.acquire();
        if (stop || broken.get() != null) {
          inFlight.release();
          break;
        }
        limiter.acquire(SWEEP_CONNECTIONS);
        pool.execute(() -> {
          try {
            ProbeReport report = probe.run(t);
            limiter.charge(report.connections() - SWEEP_CONNECTIONS);
            HostResult r = HostResult.of(report, clock.instant());
            synchronized (writeLock) {
              if (broken.get() != null) {
                return; // the store is gone: a result now would only hide the first error
              }
              store.record(scanId, r);
            }
            scanned.incrementAndGet();
            if (!r.reachable()) {
              unreachable.incrementAndGet();
            }
            if (listener != null) {
              listener.recorded(r, report);
            }
          } catch (RuntimeException e) {
            broken.compareAndSet(null, e);
          } finally {
            inFlight.release();
          }
        });
      }
      inFlight.acquire(options.parallel()); // every host in flight has been recorded
      inFlight.release(options.parallel());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop = true;
    } finally {
      pool.shutdown();
      over.countDown();
    }
    if (broken.get() != null) {
      throw broken.get();
    }
    boolean stopped = stop;
    if (!stopped && shard == null) {
      store.finish(scanId, clock.instant());
    } else if (!stopped) {
      store.finishShard(scanId, shard.index(), shard.count(), clock.instant());
    }
    return new Summary(scanned.get(), skipped, unreachable.get(), stopped);
  }
}
