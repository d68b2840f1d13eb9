package rdpdoctor.app.gateway;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.probe.Target;
import rdpdoctor.probe.gateway.GatewayReport;
import rdpdoctor.probe.gateway.tunnel.GatewayTunnelReport;

/** The terminal report of {@code rdpdoctor gateway}: what each check saw, then the verdicts. */
final class GatewayText {
  private GatewayText() {}

  static void print(GatewayReport r, @Nullable Target host, @Nullable GatewayTunnelReport tunnel,
      List<GatewayVerdict> verdicts, PrintWriter out) {
    out.println("RD Gateway " + r.gateway() + (host == null ? "" : " -> " + host)
        + String.format(Locale.ROOT, "  (%.2f s)", r.elapsedMicros() / 1e6));
    if (r.failure() != null) {
      out.println("  cannot check it: " + r.failure());
    }
    for (Observation o : r.observations()) {
      if (o.type().startsWith("gateway.")) { // the recorder's phase timings are for --json
        out.println("  " + label(o) + o.summary());
      }
    }
    if (tunnel != null) {
      out.println("Tunnel (--user)");
      for (Observation o : tunnel.observations()) {
        if (!o.type().equals("probe.phase")) {
          out.println("  " + o.summary());
        }
      }
    }
    if (verdicts.isEmpty()) {
      out.println(r.failure() == null ? "No problem found." : "");
      return;
    }
    out.println("Verdicts");
    int n = 1;
    for (GatewayVerdict v : verdicts) {
      out.println(String.format(Locale.ROOT, "%2d. [%s] %s  (%s)", n++, v.confidence(), v.title(), v.id()));
      StringBuilder codes = new StringBuilder("      ");
      codes.append("E_PROXY: ").append(v.eProxy() == null ? "-" : v.eProxy().hex() + " " + v.eProxy().name()
          + " (decimal " + (v.eProxy().value() & 0xFFFF) + " in the gateway's log"
          + (v.gatewayEvent() == null ? "" : ", event " + v.gatewayEvent()) + ")");
      codes.append("   client: ").append(v.clientCode() == null ? "-" : "mstsc " + v.clientCode().hex() + " (" + v.clientCode().name() + ")");
      out.println(codes);
      out.println("      why:  " + v.explanation());
      for (String f : v.fixes()) {
        out.println("      fix:  " + f);
      }
    }
  }

  private static String label(Observation o) {
    return switch (o.type()) {
      case "gateway.tls" -> "TLS   ";
      case "gateway.http" -> "HTTP  ";
      case "gateway.ntlm" -> "NTLM  ";
      case "gateway.udp" -> "UDP   ";
      default -> "";
    };
  }
}
