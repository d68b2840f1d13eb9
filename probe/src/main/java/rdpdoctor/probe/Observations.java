package rdpdoctor.probe;

import java.util.List;
import org.jspecify.annotations.Nullable;
import rdpdoctor.evidence.x509.CertificateAnalysis;
import rdpdoctor.protocol.rdpbcgr.x224.SecurityProtocols;
import rdpdoctor.protocol.tls.TlsNames;

/**
 * The observations the built-in steps emit; DEVELOPERS.md "Observation types" lists their fields.
 */
public final class Observations {
  private Observations() {}

  /** The sweep's observations; also the gateway tunnel's, for the sweep it runs through the channel. */
  public static void negotiation(Recorder rec, List<NegotiationResult> sweep, NegotiationVerdict v) {
    for (NegotiationResult r : sweep) {
      rec.observe(rec.observation("probe.negotiation", 0, "x224 " + r.requested())
          .with("requested", r.requested())
          .with("requestedProtocols", r.requestedProtocols())
          .with("outcome", r.outcome())
          .with("selected", r.selected())
          .with("selectedName", r.selectedName())
          .with("failureCode", r.failureCode())
          .with("failureName", r.failureName())
          .with("flags", r.flags() == null ? null : (long) r.flags())
          .with("flagNames", r.flagNames().isEmpty() ? null : r.flagNames())
          .with("selectedNotRequested", r.selectedWasNotOffered() ? Boolean.TRUE : null)
          .with("error", r.error() == null ? null : r.error().kind())
          .summary(r.summary()));
      if (r.error() != null) {
        rec.observe(Probe.failureObservation(rec, 0, "x224 " + r.requested(), r.error()));
      }
    }
    rec.observe(rec.observation("probe.nla", 0, "negotiation sweep")
        .with("nla", v.nla().json())
        .summary(switch (v.nla()) {
          case REQUIRED -> "NLA (CredSSP) is required: requests without HYBRID are refused";
          case OPTIONAL -> "NLA (CredSSP) is offered but not required: clients without NLA get in too";
          case UNAVAILABLE -> "NLA (CredSSP) is not offered: a HYBRID request gets TLS or Standard RDP Security";
          case UNKNOWN -> "NLA status unknown: the HYBRID requests got no answer";
        }));
    rec.observe(rec.observation("probe.security", 0, "negotiation sweep")
        .with("tlsRequired", v.tlsRequired())
        .with("tlsOffered", v.tlsOffered())
        .with("rdpSecurityAccepted", v.rdpSecurityAccepted())
        .with("rdpSecurityForTlsClient", v.rdpSecurityForTlsClient())
        .with("selectedNotRequested", v.notOffered().isEmpty() ? null : v.notOffered())
        .summary(Boolean.TRUE.equals(v.rdpSecurityAccepted())
            ? "Standard RDP Security is accepted (open to man-in-the-middle)"
                + (v.rdpSecurityForTlsClient() ? ", even for clients that offer TLS" : "")
            : Boolean.TRUE.equals(v.tlsRequired()) ? "TLS is required" : "security layer: see negotiation"));
  }

  static void tlsVersion(Recorder rec, String version, List<Integer> accepted) {
    rec.observe(rec.observation("probe.tls.version", 0, "tls enumeration")
        .with("version", version)
        .with("accepted", !accepted.isEmpty())
        .with("suites", accepted.isEmpty() ? null : accepted.stream().map(TlsNames::suite).toList())
        .summary(version + (accepted.isEmpty() ? " refused" : " accepted, " + accepted.size() + " suites")));
    for (int i = 0; i < accepted.size(); i++) {
      int s = accepted.get(i);
      rec.observe(rec.observation("probe.tls.cipher", 0, "tls enumeration")
          .with("version", version)
          .with("suite", TlsNames.suite(s))
          .with("code", (long) s)
          .with("preference", (long) i + 1)
          .summary(version + " accepts " + TlsNames.suite(s)));
    }
  }

  static void tls(Recorder rec, TlsReport report, TlsHandshake.@Nullable Result hs) {
    if (hs != null) {
      rec.observe(rec.observation("probe.tls.handshake", 0, "tls handshake")
          .with("requested", report.requested())
          .with("version", report.version())
          .with("suite", report.cipherSuite())
          .with("chainLength", (long) hs.chain().size())
          .summary("TLS handshake after X.224 " + report.requested() + ": " + report.version() + " with "
              + report.cipherSuite()));
    }
    for (int i = 0; i < report.chain().size(); i++) {
      CertificateAnalysis c = report.chain().get(i);
      rec.observe(c.describe(rec.observation("probe.tls.certificate", 0, "tls handshake")
              .with("position", (long) i))
          .summary("certificate " + i + " " + c.subject() + ", expires " + c.notAfter()
              + (c.problems().isEmpty() ? "" : "; problems: " + String.join("; ", c.problems()))));
    }
  }

  /** "PROTOCOL_SSL" style names for logs. */
  static String protocols(long p) {
    return SecurityProtocols.names(p);
  }
}
