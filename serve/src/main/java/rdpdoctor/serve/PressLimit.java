package rdpdoctor.serve;

import java.util.function.LongSupplier;

/**
 * "Probe now" presses per minute over all users: a token bucket of {@code perMinute} tokens that
 * refills evenly. A press beyond it is refused (429), not queued, so a held-down button cannot
 * become a scan. The clock is passed in, so a test steps it instead of waiting.
 */
final class PressLimit {
  private final int perMinute;
  private final LongSupplier nanos;
  private double tokens;
  private long last;

  PressLimit(int perMinute, LongSupplier nanos) {
    this.perMinute = perMinute;
    this.nanos = nanos;
    this.tokens = perMinute;
    this.last = nanos.getAsLong();
  }

  synchronized boolean tryPress() {
    long now = nanos.getAsLong();
    tokens = Math.min(perMinute, tokens + (now - last) * perMinute / 60e9);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
