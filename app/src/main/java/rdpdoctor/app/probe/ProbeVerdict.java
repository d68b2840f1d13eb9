package rdpdoctor.app.probe;

import java.util.ArrayList;
import java.util.List;
import rdpdoctor.probe.NegotiationResult;
import rdpdoctor.probe.NegotiationVerdict;
import rdpdoctor.probe.ProbeReport;

/**
 * One verdict of a probe as the reports word it ("NLA (CredSSP) is required"), with whether it is
 * good news; the terminal report and the HTML report print the same list.
 *
 * @param mark good, a problem, or not known
 * @param text one sentence
 */
public record ProbeVerdict(Mark mark, String text) {

  /** ✓, ✗ or ? in the reports. */
  public enum Mark {
    OK,
    PROBLEM,
    UNKNOWN
  }

  /** The verdicts, most important first: a failure alone, else NLA, RDP security, TLS, then every other problem. */
  public static List<ProbeVerdict> of(ProbeReport r) {
    List<String> problems = r.problems();
    List<ProbeVerdict> out = new ArrayList<>();
    if (r.failure() != null) {
      out.add(new ProbeVerdict(Mark.PROBLEM, problems.get(0)));
      return out;
    }
    NegotiationVerdict v = r.verdict();
    if (v != null) {
      out.add(switch (v.nla()) {
        case REQUIRED -> new ProbeVerdict(Mark.OK, "NLA (CredSSP) is required");
        case OPTIONAL -> new ProbeVerdict(Mark.PROBLEM, "NLA (CredSSP) is offered but not required");
        case UNAVAILABLE -> new ProbeVerdict(Mark.PROBLEM, "NLA (CredSSP) is not offered: " + hybrid(r)
            + " (nmap's rdp-enum-encryption reports \"CredSSP (NLA): SUCCESS\" for this)");
        case UNKNOWN -> new ProbeVerdict(Mark.UNKNOWN, "NLA status unknown: no HYBRID request got an answer");
      });
      if (Boolean.TRUE.equals(v.rdpSecurityAccepted())) {
        out.add(new ProbeVerdict(Mark.PROBLEM, "Standard RDP Security accepted"
            + (v.rdpSecurityForTlsClient() ? ", even for clients that offer TLS" : "")
            + ": open to man-in-the-middle"));
      } else if (Boolean.FALSE.equals(v.rdpSecurityAccepted())) {
        out.add(new ProbeVerdict(Mark.OK, "Standard RDP Security refused"));
      }
      if (Boolean.TRUE.equals(v.tlsRequired())) {
        out.add(new ProbeVerdict(Mark.OK, "TLS required"));
      }
      if (r.tls() != null && r.tls().version() != null) {
        out.add(new ProbeVerdict(Mark.OK, "TLS works: " + r.tls().version() + " with " + r.tls().cipherSuite()));
      }
    }
    // The NLA and Standard RDP Security problems are worded above already.
    for (String p : problems) {
      if (!p.startsWith("NLA ") && !p.startsWith("Standard RDP")) {
        out.add(new ProbeVerdict(Mark.PROBLEM, p));
      }
    }
    return out;
  }

  private static String hybrid(ProbeReport r) {
    for (NegotiationResult n : r.negotiation()) {
      if ("SSL|HYBRID".equals(n.requested())) {
        return "SSL|HYBRID gets " + (n.selectedName() != null ? n.selectedName()
            : n.failureName() != null ? n.failureName() : n.outcome().name());
      }
    }
    return "no CredSSP";
  }
}
