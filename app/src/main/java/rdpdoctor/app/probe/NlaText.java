package rdpdoctor.app.probe;

import java.io.PrintWriter;
import java.util.List;
import rdpdoctor.app.Style;
import rdpdoctor.probe.ProbeReport;
import rdpdoctor.probe.nla.CredentialReport;
import rdpdoctor.probe.nla.NtlmInfo;
import rdpdoctor.probe.rdpsec.RdpSecurityReport;

/** The human text for the "credentials", "ntlm" and "rdpSecurity" sections of a probe. */
final class NlaText {
  private NlaText() {}

  /** Whether {@link #print} renders this section value (the generic renderer skips it then). */
  static boolean handles(Object value) {
    return value instanceof CredentialReport || value instanceof NtlmInfo || value instanceof RdpSecurityReport;
  }

  static void print(ProbeReport report, Style s, PrintWriter out) {
    if (report.sections().get("credentials") instanceof CredentialReport c) {
      credentials(c, s, out);
    }
    if (report.sections().get("ntlm") instanceof NtlmInfo n) {
      ntlm(n, s, out);
    }
    if (report.sections().get("rdpSecurity") instanceof RdpSecurityReport r) {
      rdpSecurity(r, s, out);
    }
  }

  static void credentials(CredentialReport c, Style s, PrintWriter out) {
    out.println();
    out.println(s.bold("Credentials (" + c.account() + ", via " + c.via() + ")"));
    String verdict = switch (c.verdict()) {
      case AUTHENTICATED -> s.green("AUTHENTICATED");
      case REJECTED -> s.red("REJECTED");
      case INTERCEPTED -> s.red("TLS INTERCEPTED");
      default -> s.yellow(c.verdict().name().replace('_', ' '));
    };
    out.println("  verdict: " + verdict + " - " + c.detail());
    if (c.ntstatus() != null || c.ntstatusHex() != null) {
      out.println("  server status: " + (c.ntstatus() != null ? c.ntstatus() + " " : "") + c.ntstatusHex());
    }
    if (c.clientCode() != null) {
      out.println("  a Windows client shows: error code " + c.clientCode() + " (" + c.clientCodeName() + ")");
    }
    if (c.serverCredsspVersion() >= 0) {
      out.println("  CredSSP: rdpdoctor " + c.clientCredsspVersion() + ", server " + c.serverCredsspVersion()
          + ", used " + c.effectiveCredsspVersion());
    }
    if (Boolean.TRUE.equals(c.updatedClientsRefused())) {
      out.println("  " + s.red("clients updated for CVE-2018-0886 refuse this server")
          + " (CredSSP " + c.serverCredsspVersion() + " < 5): \"CredSSP encryption oracle remediation\" error; update the server");
    } else if (Boolean.FALSE.equals(c.updatedClientsRefused())) {
      out.println("  clients updated for CVE-2018-0886: accepted");
    }
    if (c.outdatedClientsRefused() != null) {
      out.println("  clients without the CVE-2018-0886 fix (CredSSP 4): "
          + (c.outdatedClientsRefused() ? "refused (policy Force Updated Clients)" : "accepted"));
    }
    if (c.tlsKeyBound() != null) {
      out.println("  TLS certificate bound by CredSSP: " + (c.tlsKeyBound()
          ? "yes (no TLS interception)"
          : s.red("no: a device between you and the server re-terminates TLS, which breaks NLA")));
    }
    if (c.earlyUserAuthorizationNote() != null) {
      out.println("  early user authorization: " + (c.earlyUserAuthorization() != null ? c.earlyUserAuthorization() + ", " : "")
          + c.earlyUserAuthorizationNote());
    }
    out.println("  the password was not sent: TSCredentials " + (c.tsCredentialsSent() ? "SENT" : "never sent"));
  }

  static void ntlm(NtlmInfo n, Style s, PrintWriter out) {
    out.println();
    out.println(s.bold("NLA without credentials (CredSSP " + n.credsspVersion() + ")"));
    line(out, "computer", n.dnsComputer() != null ? n.dnsComputer() + " (" + n.netbiosComputer() + ")" : n.netbiosComputer());
    line(out, "domain", n.dnsDomain() != null ? n.dnsDomain() + " (" + n.netbiosDomain() + ")" : n.netbiosDomain());
    line(out, "forest", n.dnsTree());
    line(out, "OS", n.osVersion() == null ? null : n.osVersion() + (n.osProduct() != null ? " (" + n.osProduct() + ")" : ""));
    if (n.clockSkewSeconds() != null) {
      String skew = n.clockSkewSeconds() + " s (server " + (n.clockSkewSeconds() >= 0 ? "ahead" : "behind")
          + ", +/- " + n.skewUncertaintyMillis() + " ms)";
      out.println("  clock skew: " + (n.kerberosSkewProblem() ? s.red(skew + ", beyond Kerberos' 5 minutes") : skew));
    }
    if (n.updatedClientsRefuse()) {
      out.println("  " + s.red("CredSSP " + n.credsspVersion() + " predates the CVE-2018-0886 fix: updated clients refuse this server"));
    }
  }

  static void rdpSecurity(RdpSecurityReport r, Style s, PrintWriter out) {
    out.println();
    out.println(s.bold("Standard RDP Security (" + r.via() + " request)"));
    List<String> accepted = r.methods().stream().filter(RdpSecurityReport.Method::accepted).map(RdpSecurityReport.Method::method).toList();
    out.println("  methods accepted: " + (accepted.isEmpty() ? "none" : String.join(", ", accepted)));
    line(out, "encryption level", r.encryptionLevel());
    line(out, "server version", r.serverVersion());
    if (r.certificateType() != null) {
      out.println("  certificate: " + r.certificateType() + (r.keyBits() != null ? ", " + r.keyBits() + "-bit RSA" : ""));
    }
  }

  private static void line(PrintWriter out, String label, Object value) {
    if (value != null) {
      out.println("  " + label + ": " + value);
    }
  }
}
