package rdpdoctor.evidence.regf;

import java.time.Instant;

/** Windows FILETIME: 100-ns intervals since 1601-01-01 UTC. */
final class Filetime {
  private static final long EPOCH_DIFF_SECONDS = 11_644_473_600L;

  private Filetime() {}

  /** Any 64-bit value maps to an instant (unsigned, so garbage never throws). */
  static Instant toInstant(long filetime) {
    long seconds = Long.divideUnsigned(filetime, 10_000_000L) - EPOCH_DIFF_SECONDS;
    long nanos = Long.remainderUnsigned(filetime, 10_000_000L) * 100;
    return Instant.ofEpochSecond(seconds, nanos);
  }
}
