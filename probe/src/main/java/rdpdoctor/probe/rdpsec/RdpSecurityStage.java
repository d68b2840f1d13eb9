package rdpdoctor.probe.rdpsec;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import rdpdoctor.probe.Connection;
import rdpdoctor.probe.NegotiationResult;
import rdpdoctor.probe.ProbeContext;
import rdpdoctor.probe.ProbeFailure;
import rdpdoctor.probe.Stage;
import rdpdoctor.probe.X224Step;
import rdpdoctor.protocol.rdpbcgr.gcc.BasicSettings;
import rdpdoctor.protocol.rdpbcgr.gcc.ClientSecurityData;
import rdpdoctor.protocol.rdpbcgr.gcc.ServerCertificate;
import rdpdoctor.protocol.rdpbcgr.gcc.ServerSecurityData;
import rdpdoctor.protocol.rdpbcgr.x224.NegotiationRequest;
import rdpdoctor.protocol.rdpbcgr.x224.SecurityProtocols;

/**
 * Standard RDP Security, when the sweep showed the server allows it: one MCS Connect-Initial per
 * encryption method offered alone (as nmap's rdp-enum-encryption does), each on its own connection,
 * the answer framed by TPKT and PER-decoded. Reports accepted methods, the encryption level, the
 * server's RDP version and its proprietary certificate's key size.
 */
public final class RdpSecurityStage implements Stage {
  /** Offered one at a time: none first, then the RC4 key sizes, then FIPS. */
  static final long[] METHODS = {
    ClientSecurityData.ENCRYPTION_METHOD_NONE,
    ClientSecurityData.ENCRYPTION_METHOD_40BIT,
    ClientSecurityData.ENCRYPTION_METHOD_56BIT,
    ClientSecurityData.ENCRYPTION_METHOD_128BIT,
    ClientSecurityData.ENCRYPTION_METHOD_FIPS,
  };

  @Override
  public String name() {
    return "rdpSecurity";
  }

  /** The sweep request that led to Standard RDP Security (legacy first, as nmap uses it). */
  static @Nullable NegotiationResult rdpRequest(ProbeContext ctx) {
    NegotiationResult chosen = null;
    for (NegotiationResult r : ctx.negotiation()) {
      Long eff = r.effectiveProtocol();
      if (eff != null && eff == SecurityProtocols.RDP) {
        if (r.requestedProtocols() == null) {
          return r;
        }
        if (chosen == null) {
          chosen = r;
        }
      }
    }
    return chosen;
  }

  @Override
  public boolean appliesTo(ProbeContext ctx) {
    return rdpRequest(ctx) != null;
  }

  @Override
  public void run(ProbeContext ctx) throws ProbeFailure {
    NegotiationResult via = rdpRequest(ctx);
    if (via == null) {
      return;
    }
    NegotiationRequest request = via.requestedProtocols() == null ? null : NegotiationRequest.of(via.requestedProtocols());
    List<RdpSecurityReport.Method> methods = new ArrayList<>();
    BasicSettings.ServerSettings any = null;
    int lastConnection = 0;
    for (long m : METHODS) {
      if (ctx.deadline().expired()) {
        break;
      }
      String name = ClientSecurityData.methodName(m);
      try (Connection c = ctx.connect(X224Step.label(request) + " for " + name)) {
        lastConnection = c.number();
        c.run(new X224Step(request, ctx.options().cookie()), ctx.stepDeadline());
        BasicSettings.ServerSettings s = c.run(new McsConnectStep(m, SecurityProtocols.RDP), ctx.stepDeadline());
        ServerSecurityData sec = s.security();
        long selected = sec == null ? -1 : sec.encryptionMethod();
        boolean ok = s.mcs().result() == 0 && sec != null && selected == m;
        methods.add(new RdpSecurityReport.Method(name, ok, sec == null ? null : ClientSecurityData.methodName(selected), null));
        if (any == null || (ok && any.security() != null && any.security().certificate() == null)) {
          any = s;
        }
      } catch (ProbeFailure f) {
        methods.add(new RdpSecurityReport.Method(name, false, null, f.describe()));
      }
    }
    ServerSecurityData sec = any == null ? null : any.security();
    ServerCertificate cert = sec == null ? null : sec.certificate();
    RdpSecurityReport report = new RdpSecurityReport(
        X224Step.label(request),
        methods,
        sec == null ? null : sec.levelName(),
        any == null || any.core() == null ? null : any.core().versionName(),
        any == null || any.core() == null ? null : any.core().version(),
        cert == null ? null : cert instanceof ServerCertificate.Proprietary ? "proprietary" : "x509",
        cert == null || cert.keyBits() == 0 ? null : cert.keyBits(),
        methods.stream().anyMatch(x -> !x.accepted() && x.selected() != null));
    ctx.section("rdpSecurity", report);
    List<String> accepted = methods.stream().filter(RdpSecurityReport.Method::accepted).map(RdpSecurityReport.Method::method).toList();
    ctx.recorder().observe(ctx.recorder().observation("probe.rdpsecurity", lastConnection, "mcs connect")
        .with("acceptedMethods", accepted)
        .with("encryptionLevel", report.encryptionLevel())
        .with("serverVersion", report.serverVersion())
        .with("serverVersionRaw", report.serverVersionRaw())
        .with("certificateType", report.certificateType())
        .with("keyBits", report.keyBits() == null ? null : (long) report.keyBits())
        .with("selectsUnoffered", report.selectsUnoffered())
        .with("weakMethods", accepted.stream().filter(n -> n.equals("none") || n.equals("40-bit") || n.equals("56-bit")).toList())
        .summary(accepted.isEmpty()
            ? "Standard RDP Security: no encryption method was accepted"
            : "Standard RDP Security accepts " + String.join(", ", accepted)
                + (report.encryptionLevel() != null ? " at level " + report.encryptionLevel() : "")
                + (report.keyBits() != null ? "; proprietary certificate " + report.keyBits() + "-bit RSA" : "")));
  }
}
