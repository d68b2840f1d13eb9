package rdpdoctor.probe;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How to probe.
 *
 * @param quick only the negotiation sweep (no TLS, no CredSSP)
 * @param timeout the whole probe's budget
 * @param stepTimeout the most any one step (connect, one exchange, one handshake) may take
 * @param parallelism how many connections may be open at once
 * @param cookie an mstshash cookie to send (a user name; some brokers route by it), or null
 * @param stages extra stages run after the built-in ones (CredSSP, Standard RDP Security...)
 */
public record ProbeOptions(
    boolean quick,
    Duration timeout,
    Duration stepTimeout,
    int parallelism,
    @Nullable String cookie,
    List<Stage> stages) {

  public ProbeOptions {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1: " + parallelism);
    }
    stages = List.copyOf(stages);
  }

  /** A full probe with a 10 s budget, 5 s per step, 8 connections at a time. */
  public static ProbeOptions defaults() {
    return new ProbeOptions(false, Duration.ofSeconds(10), Duration.ofSeconds(5), 8, null, List.of());
  }

  public ProbeOptions withQuick(boolean q) {
    return new ProbeOptions(q, timeout, stepTimeout, parallelism, cookie, stages);
  }

  /** The whole budget; steps get at most half of it each, so one silent step leaves time for the rest. */
  public ProbeOptions withTimeout(Duration t) {
    Duration step = stepTimeout.compareTo(t) > 0 ? t : stepTimeout;
    return new ProbeOptions(quick, t, step, parallelism, cookie, stages);
  }

  public ProbeOptions withStepTimeout(Duration t) {
    return new ProbeOptions(quick, timeout, t, parallelism, cookie, stages);
  }

  public ProbeOptions withStages(List<Stage> s) {
    return new ProbeOptions(quick, timeout, stepTimeout, parallelism, cookie, s);
  }
}
