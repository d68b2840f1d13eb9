package rdpdoctor.probe;

import java.time.Duration;

/**
 * A point on the monotonic clock after which work must stop. Steps get a child deadline that is
 * never later than their parent's, so the whole probe cannot outlive the user's {@code --timeout}.
 */
public final class Deadline {
  private final long endNanos;

  private Deadline(long endNanos) {
    this.endNanos = endNanos;
  }

  public static Deadline in(Duration d) {
    return new Deadline(System.nanoTime() + d.toNanos());
  }

  /** A child that ends after {@code d} or with this one, whichever is first. */
  public Deadline within(Duration d) {
    long child = System.nanoTime() + d.toNanos();
    return child - endNanos < 0 ? new Deadline(child) : this;
  }

  public long remainingNanos() {
    return endNanos - System.nanoTime();
  }

  /** Milliseconds left, rounded up so a positive remainder never becomes 0 (an infinite socket timeout). */
  public int remainingMillis() {
    long nanos = remainingNanos();
    if (nanos <= 0) {
      return 0;
    }
    return (int) Math.min(Integer.MAX_VALUE, (nanos + 999_999) / 1_000_000);
  }

  public boolean expired() {
    return remainingNanos() <= 0;
  }
}
