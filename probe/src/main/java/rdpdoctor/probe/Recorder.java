package rdpdoctor.probe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.Phase;
import rdpdoctor.diagnosis.Provenance;
import rdpdoctor.diagnosis.Texts;

/**
 * Collects the timed phases and the observations of one probe. Connections of the sweep run in
 * parallel, so every method is thread-safe; reports sort phases by start time.
 */
public final class Recorder {
  private final Target target;
  private final long originNanos = System.nanoTime();
  private final Instant startedAt = Instant.now();
  private final AtomicInteger connections = new AtomicInteger();
  /**
   * Connections opened but not yet answered by the server. xrdp listens with a backlog of 2 (a queue
   * of 3 on Linux): more unanswered SYNs than that are dropped and retried by the kernel a second later, so the probe
   * keeps at most this many connections waiting for the server's first byte.
   */
  final java.util.concurrent.Semaphore unanswered = new java.util.concurrent.Semaphore(3);
  /**
   * Of the connections holding an {@link #unanswered} slot, how many the server has accepted (TCP
   * done, first byte still awaited). A request that times out waiting for a slot while this is above
   * 0 waited on a server that accepts and stays silent; at 0 it waited behind unanswered SYNs.
   */
  final AtomicInteger acceptedUnanswered = new AtomicInteger();
  private final List<PhaseTiming> phases = new ArrayList<>();
  private final List<Observation> observations = new ArrayList<>();

  public Recorder(Target target) {
    this.target = target;
  }

  public Target target() {
    return target;
  }

  public Instant startedAt() {
    return startedAt;
  }

  /** A fresh number for the next TCP connection, so its phases can be told apart. */
  int nextConnection() {
    return connections.incrementAndGet();
  }

  /** How many TCP connections the probe opened. */
  public int connectionCount() {
    return connections.get();
  }

  long now() {
    return System.nanoTime();
  }

  /** Records a phase that started at {@code startNanos} (from {@link #now()}) and ends now. */
  public void phase(String name, Phase phase, int connection, long startNanos, @Nullable ProbeFailure failure) {
    long end = System.nanoTime();
    PhaseTiming t = new PhaseTiming(
        name, phase, connection, (startNanos - originNanos) / 1000, (end - startNanos) / 1000,
        failure == null, failure == null ? null : failure.describe(),
        failure == null ? null : failure.kind());
    synchronized (phases) {
      phases.add(t);
    }
    observe(observation("probe.phase", connection, name)
        .with("name", name)
        .with("phase", phase)
        .with("connection", (long) connection)
        .with("startMicros", t.startMicros())
        .with("micros", t.micros())
        .with("ok", t.ok())
        .with("error", t.error())
        .with("failure", t.failure())
        .summary(name + (t.ok() ? " ok" : " failed: " + t.error()) + " in " + Texts.fixed(t.millis(), 1) + " ms"));
  }

  public void observe(Observation o) {
    synchronized (observations) {
      observations.add(o);
    }
  }

  /** Provenance for a fact learnt on {@code connection} in {@code step}. */
  public Provenance provenance(int connection, String step) {
    return new Provenance(
        Provenance.Source.PROBE, target.toString(), "connection " + connection + ", " + step);
  }

  /** Starts an observation with this probe's provenance. */
  public Observation.Builder observation(String type, int connection, String step) {
    return Observation.of(type, provenance(connection, step)).at(Instant.now());
  }

  public List<PhaseTiming> phases() {
    synchronized (phases) {
      return phases.stream().sorted(Comparator.comparingLong(PhaseTiming::startMicros)).toList();
    }
  }

  public List<Observation> observations() {
    synchronized (observations) {
      return List.copyOf(observations);
    }
  }

  /** Microseconds since the probe began. */
  public long elapsedMicros() {
    return (System.nanoTime() - originNanos) / 1000;
  }
}
