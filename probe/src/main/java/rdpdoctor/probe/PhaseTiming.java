package rdpdoctor.probe;

import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Phase;

/**
 * One timed piece of the probe, for the waterfall: "TCP connect (SSL|HYBRID) 0.4 ms ok".
 *
 * @param name what ran, e.g. "x224 SSL|HYBRID"
 * @param phase the connection phase it belongs to
 * @param connection which connection of the probe it ran on (1-based; 0 for name resolution)
 * @param startMicros start, in microseconds since the probe began
 * @param micros how long it took
 * @param ok whether it succeeded
 * @param error the failure in one line, when it did not
 * @param failure the failure kind, when it did not
 */
public record PhaseTiming(
    String name,
    Phase phase,
    int connection,
    long startMicros,
    long micros,
    boolean ok,
    @Nullable String error,
    @Nullable FailureKind failure) {

  /** Duration in milliseconds with microsecond precision, for reports. */
  public double millis() {
    return micros / 1000.0;
  }
}
