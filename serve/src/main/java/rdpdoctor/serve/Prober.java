package rdpdoctor.serve;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import rdpdoctor.fleet.HostResult;
import rdpdoctor.probe.FullProbe;
import rdpdoctor.probe.Probe;
import rdpdoctor.probe.ProbeOptions;
import rdpdoctor.probe.ProbeReport;
import rdpdoctor.probe.Target;

/**
 * Probes that a request asks for ("probe now", {@code /probe}): only of addresses in the
 * allow-list, at most {@link #MAX_IN_FLIGHT} at once. The name is resolved here, checked, and the
 * probe is given the address it was checked as, so a name that resolves differently a moment
 * later (DNS rebinding) cannot lead the probe elsewhere.
 */
public final class Prober {
  /** Each probe holds up to 8 sockets; this keeps a burst of scrapes to 64. */
  static final int MAX_IN_FLIGHT = 8;

  /** Why a probe was not run; {@link #status} is the HTTP answer. */
  public static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String reason;

    Refused(int status, String reason, String message) {
      super(message);
      this.status = status;
      this.reason = reason;
    }
  }

  /** The modules of {@code /probe?module=}. */
  public enum Module { QUICK, FULL }

  private final AllowList allow;
  private final Clock clock;
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
  private final Duration timeout;

  public Prober(AllowList allow, Clock clock, Duration timeout) {
    this.allow = allow;
    this.clock = clock;
    this.timeout = timeout;
  }

  /** The probe for a module within {@code budget} (a Probe is only its options: cheap to make). */
  private static Probe probe(Module module, Duration budget) {
    Duration step = budget.compareTo(Duration.ofSeconds(5)) < 0 ? budget : Duration.ofSeconds(5);
    return module == Module.FULL ? new Probe(new ProbeOptions(false, budget, step, 8, null, FullProbe.stages()))
        : new Probe(new ProbeOptions(true, budget, step, 8, null, List.of()));
  }

  /**
   * The budget for a scrape: Prometheus sends its scrape timeout
   * ({@code X-Prometheus-Scrape-Timeout-Seconds}); as blackbox_exporter does, the probe ends half a
   * second before it, so Prometheus gets an answer (probe_success 0) rather than a timeout. Never
   * more than the server's own probe timeout, never less than 100 ms.
   */
  public Duration budget(@org.jspecify.annotations.Nullable String scrapeTimeoutSeconds) {
    if (scrapeTimeoutSeconds == null) {
      return timeout;
    }
    double secs;
    try {
      secs = Double.parseDouble(scrapeTimeoutSeconds.strip());
    } catch (NumberFormatException e) {
      return timeout;
    }
    if (!(secs > 0)) {
      return timeout;
    }
    Duration d = Duration.ofMillis(Math.max(100, (long) (secs * 1000) - 500));
    return d.compareTo(timeout) < 0 ? d : timeout;
  }

  public static Module module(String text) {
    return switch (text == null ? "quick" : text) {
      case "quick" -> Module.QUICK;
      case "full" -> Module.FULL;
      case "gateway" -> throw new Refused(400, "module", "module=gateway needs the RD Gateway probe (issue 15),"
          + " which this build does not have; use quick or full");
      default -> throw new Refused(400, "module", "module must be quick or full: " + text);
    };
  }

  /**
   * The endpoint as the probe will reach it: the target's first address, when the allow-list
   * permits it.
   */
  public Target checked(String text) {
    Target t;
    try {
      t = Target.parse(text == null ? "" : text.strip());
    } catch (IllegalArgumentException e) {
      throw new Refused(400, "target", "target must be HOST or HOST:PORT: " + e.getMessage());
    }
    InetAddress a;
    try {
      a = InetAddress.getAllByName(t.host())[0];
    } catch (UnknownHostException e) {
      throw new Refused(400, "target", "cannot resolve " + t.host());
    }
    if (!allow.permits(a)) {
      throw new Refused(403, "allow-list", a.getHostAddress() + " is not in the allow-list (" + allow
          + "); add its CIDR to allow: in the config");
    }
    return new Target(a.getHostAddress(), t.port());
  }

  /** Runs the probe within {@code budget}; 503 when {@link #MAX_IN_FLIGHT} are already running. */
  public ProbeReport run(Target checked, Module module, Duration budget) {
    if (!inFlight.tryAcquire()) {
      throw new Refused(503, "busy", MAX_IN_FLIGHT + " probes are running; try again shortly");
    }
    try {
      return probe(module, budget).run(checked);
    } finally {
      inFlight.release();
    }
  }

  public HostResult result(ProbeReport report) {
    return HostResult.of(report, clock.instant());
  }
}
