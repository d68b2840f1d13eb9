package rdpdoctor.fleet;

import java.util.function.LongSupplier;

/**
 * Paces new connections: at most {@code perSecond} on average, with no burst allowance beyond one
 * host's worth (masscan paces packets the same way, so a scan never floods a firewall's state
 * table or trips an IDS threshold at its start). Time and sleeping are passed in, so the pacing is
 * tested without waiting.
 */
final class RateLimiter {
  /** How the limiter waits; {@link Thread#sleep} in production. */
  interface Sleeper {
    void sleepNanos(long nanos) throws InterruptedException;
  }

  private final long nanosPerConnection;
  private final LongSupplier clock;
  private final Sleeper sleeper;
  private long next;

  RateLimiter(int perSecond, LongSupplier clock, Sleeper sleeper) {
    if (perSecond < 1) {
      throw new IllegalArgumentException("connections per second must be >= 1: " + perSecond);
    }
    this.nanosPerConnection = 1_000_000_000L / perSecond;
    this.clock = clock;
    this.sleeper = sleeper;
    this.next = clock.getAsLong();
  }

  static RateLimiter system(int perSecond) {
    return new RateLimiter(perSecond, System::nanoTime,
        n -> Thread.sleep(n / 1_000_000, (int) (n % 1_000_000)));
  }

  /** Waits until {@code connections} more may start, then books them. */
  synchronized void acquire(int connections) throws InterruptedException {
    long now = clock.getAsLong();
    if (next < now) {
      next = now; // idle time is not saved up for a burst later
    }
    long wait = next - now;
    next += connections * nanosPerConnection;
    if (wait > 0) {
      sleeper.sleepNanos(wait);
    }
  }

  /** Books connections that were opened beyond what {@link #acquire} booked (a full probe's extra ones). */
  synchronized void charge(int connections) {
    if (connections > 0) {
      next += connections * nanosPerConnection;
    }
  }
}
