package rdpdoctor.app.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.probe.Deadline;
import rdpdoctor.probe.Target;
import rdpdoctor.probe.gateway.GatewayCheck;
import rdpdoctor.probe.gateway.GatewayReport;
import rdpdoctor.probe.gateway.tunnel.GatewayTunnel;
import rdpdoctor.probe.gateway.tunnel.GatewayTunnelOptions;
import rdpdoctor.probe.gateway.tunnel.GatewayTunnelReport;
import rdpdoctor.protocol.nlmp.NtlmCredentials;

/**
 * One look at an RD Gateway, as {@code gateway} and {@code diagnose --gateway} make it: the checks
 * any client can make ({@link GatewayCheck}), then, with credentials, the MS-TSGU tunnel through it
 * to {@code host} ({@link GatewayTunnel}), each within {@code budget}.
 *
 * @param report what the gateway shows before any credential
 * @param tunnel the tunnel's report, or null without credentials
 */
public record GatewayRun(GatewayReport report, @Nullable GatewayTunnelReport tunnel) {

  /** A tunnel step waits at most this long, so a silent step leaves time for the next diagnosis. */
  static final Duration MAX_STEP = Duration.ofSeconds(5);

  public static GatewayRun of(Target gateway, @Nullable Target host, @Nullable NtlmCredentials creds, Duration budget) {
    GatewayReport report = GatewayCheck.check(gateway, budget);
    GatewayTunnelReport tunnel = null;
    if (creds != null && host != null) {
      GatewayTunnelOptions o = GatewayTunnelOptions.of(gateway.host(), gateway.port(), host.host(), host.port(), creds)
          .stepTimeout(budget.compareTo(MAX_STEP) < 0 ? budget : MAX_STEP);
      tunnel = GatewayTunnel.check(o, Deadline.in(budget));
    }
    return new GatewayRun(report, tunnel);
  }

  /** Every observation: the gateway's, then the tunnel's (its stages and the host seen through it). */
  public List<Observation> observations() {
    List<Observation> obs = new ArrayList<>(report.observations());
    if (tunnel != null) {
      obs.addAll(tunnel.observations());
    }
    return obs;
  }

  /** True when the tunnel ran and did not reach the host. */
  public boolean tunnelFailed() {
    return tunnel != null && tunnel.failure() != null;
  }

  /** One line for a report's notes: how far the tunnel got. */
  public String describe(Target gateway, Target host) {
    if (tunnel == null) {
      return "RD Gateway " + gateway + ": checked without credentials";
    }
    if (tunnel.failure() == null) {
      return "reached " + host + " through the RD Gateway " + gateway + " (MS-TSGU tunnel, "
          + tunnel.transport() + "): the host's answers below came through it";
    }
    var f = tunnel.failure();
    return "the RD Gateway " + gateway + " tunnel to " + host + " stopped at " + f.stage()
        + (f.hresult() == null ? "" : " with " + String.format("0x%08X", f.hresult()))
        + (f.httpStatus() == null ? "" : " (HTTP " + f.httpStatus() + ")")
        + (f.timedOut() ? " (timed out)" : "") + ": the host itself was not reached";
  }
}
