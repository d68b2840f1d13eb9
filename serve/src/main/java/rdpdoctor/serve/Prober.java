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
  private final Probe quick;
  private final Probe full;

  public Prober(AllowList allow, Clock clock, Duration timeout) {
    this.allow = allow;
    this.clock = clock;
    Duration step = timeout.compareTo(Duration.ofSeconds(5)) < 0 ? timeout : Duration.ofSeconds(5);
    this.quick = new Probe(new ProbeOptions(true, timeout, step, 8, null, List.of()));
    this.full = new Probe(new ProbeOptions(false, timeout, step, 8, null, FullProbe.stages()));
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

  /** Runs the probe; 503 when {@link #MAX_IN_FLIGHT} are already running. */
  public ProbeReport run(Target checked, Module module) {
    if (!inFlight.tryAcquire()) {
      throw new Refused(503, "busy", MAX_IN_FLIGHT + " probes are running; try again shortly");
    }
    try {
      return (module == Module.FULL ? full : quick).run(checked);
    } finally {
      inFlight.release();
    }
  }

  public HostResult result(ProbeReport report) {
    return HostResult.of(report, clock.instant());
  }
}
