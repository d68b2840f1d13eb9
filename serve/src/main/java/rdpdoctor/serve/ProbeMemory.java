package rdpdoctor.serve;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Diagnosis;
import rdpdoctor.diagnosis.Finding;
import rdpdoctor.diagnosis.rules.RuleEngine;
import rdpdoctor.diagnosis.rules.RuleSet;
import rdpdoctor.fleet.Targets;
import rdpdoctor.probe.ProbeReport;

/**
 * The whole reports of the probes this server ran (scheduled scans, "probe now", {@code /probe}),
 * with the diagnosis rules' findings over each. The store keeps only the posture a {@code diff}
 * compares; the host page's waterfall and findings, and {@code /metrics}' findings by rule, need
 * the report itself. Kept in memory, newest {@link #MAX_HOSTS} endpoints, gone on restart.
 */
public final class ProbeMemory {
  /** A full report with its diagnosis is tens of kB; this bounds the memory to a few hundred MB. */
  static final int MAX_HOSTS = 10_000;

  /** One probe and what the rules made of it. */
  public record Kept(ProbeReport report, Diagnosis diagnosis, Instant at) {
    /** The ids of the rules that fired, in the engine's order. */
    public List<String> rules() {
      return diagnosis.findings().stream().map(Finding::id).toList();
    }
  }

  private final RuleEngine engine = new RuleEngine(RuleSet.builtIn());
  private final Map<String, Kept> kept = new LinkedHashMap<>(256, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
      return size() > MAX_HOSTS;
    }
  };

  /** Runs the rules over the report's observations and keeps both under the report's endpoint. */
  public Kept keep(ProbeReport report, Instant now) {
    Kept k = new Kept(report, engine.diagnose(report.observations(), now), now);
    synchronized (kept) {
      kept.put(Targets.key(report.target()), k);
    }
    return k;
  }

  public Optional<Kept> get(String hostKey) {
    synchronized (kept) {
      return Optional.ofNullable(kept.get(hostKey));
    }
  }

  /** The ids of the rules that fired on the endpoint's last probe here, or null when none was kept. */
  public @Nullable List<String> rules(String hostKey) {
    synchronized (kept) {
      Kept k = kept.get(hostKey);
      return k == null ? null : k.rules();
    }
  }
}
