package rdpdoctor.app.probe;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import rdpdoctor.app.Style;
import rdpdoctor.diagnosis.Texts;
import rdpdoctor.evidence.x509.CertificateAnalysis;
import rdpdoctor.probe.NegotiationResult;
import rdpdoctor.probe.PhaseTiming;
import rdpdoctor.probe.ProbeReport;
import rdpdoctor.probe.TlsReport;

/** The human report: verdicts first, then negotiation, TLS, certificate, and the phase waterfall. */
final class ProbeText {
  private static final int BAR = 36;

  private ProbeText() {}

  static void print(ProbeReport r, Style st, PrintWriter out) {
    // Texts, not printf, throughout: the JVM's first format costs 10-15 ms (see Texts).
    out.println(st.bold("rdpdoctor probe") + " " + r.target()
        + (r.address() == null ? "" : " (" + r.address().getHostAddress() + ")") + ": " + r.connections()
        + " connections in " + Texts.fixed(r.millis(), 1) + " ms");
    out.println();
    out.println(st.bold("Verdicts"));
    for (ProbeVerdict v : ProbeVerdict.of(r)) {
      out.println("  " + switch (v.mark()) {
        case OK -> st.green("✓ ");
        case PROBLEM -> st.red("✗ ");
        case UNKNOWN -> st.yellow("? ");
      } + v.text());
    }
    if (r.failure() != null) {
      out.println("    " + st.dim(r.failure().kind().clientCodeName() + "; detail: " + r.failure().getMessage()));
    }
    if (!r.negotiation().isEmpty()) {
      out.println();
      out.println(st.bold("X.224 negotiation") + st.dim("  (what the server selected for each request)"));
      for (NegotiationResult n : r.negotiation()) {
        out.println("  " + Texts.padRight(String.valueOf(n.requested()), 22) + " " + answer(n, st));
      }
    }
    if (r.tls() != null) {
      tls(r.tls(), st, out);
    }
    NlaText.print(r, st, out);
    r.sections().forEach((name, value) -> {
      if (NlaText.handles(value)) {
        return;
      }
      out.println();
      out.println(st.bold(name));
      out.println("  " + value);
    });
    if (!r.stageFailures().isEmpty()) {
      out.println();
      r.stageFailures().forEach((stage, f) ->
          out.println("  " + st.yellow("! ") + stage + ": " + f.describe() + " (client shows " + f.kind().clientCodeHex() + ")"));
    }
    waterfall(r, st, out);
    out.flush();
  }

  private static String answer(NegotiationResult n, Style st) {
    return switch (n.outcome()) {
      case SELECTED -> "→ " + n.selectedName()
          + (n.selectedWasNotOffered() ? st.red(" (not requested)") : "")
          + (n.flagNames().isEmpty() ? "" : st.dim(" " + String.join(",", n.flagNames())));
      case FAILURE -> "✗ " + n.failureName();
      case NO_NEGOTIATION_DATA -> "→ confirm without negotiation data (Standard RDP Security)";
      case DISCONNECT -> "✗ X.224 disconnect";
      case ERROR -> st.yellow("! " + n.error().describe() + " [" + n.error().kind().clientCodeHex() + "]");
    };
  }

  private static void tls(TlsReport t, Style st, PrintWriter out) {
    out.println();
    out.println(st.bold("TLS") + st.dim("  (after X.224 " + t.requested() + ", same connection)"));
    if (t.handshakeError() != null) {
      out.println("  " + st.red("✗ ") + "handshake: " + t.handshakeError());
    } else {
      out.println("  handshake        " + t.version() + ", " + t.cipherSuite());
    }
    if (t.versions() != null) {
      for (Map.Entry<String, Boolean> e : t.versions().entrySet()) {
        List<String> suites = t.suites() == null ? null : t.suites().get(e.getKey());
        out.println("  " + Texts.padRight(e.getKey(), 16) + " " + (e.getValue()
            ? "accepted, " + suites.size() + " suites, preferred " + suites.get(0)
            : st.dim("refused")));
      }
    }
    CertificateAnalysis c = t.certificate();
    if (c != null) {
      out.println();
      out.println(st.bold("Certificate"));
      out.println("  subject          " + c.subject());
      out.println("  SANs             " + (c.sans().isEmpty() ? "(none)" : String.join(", ", c.sans())));
      out.println("  issuer           " + c.issuer() + (c.selfSigned() ? " (self-signed)" : ""));
      out.println("  valid            " + c.notBefore() + " .. " + c.notAfter() + " ("
          + (c.expired() ? st.red("expired " + -c.daysLeft() + " days ago") : c.daysLeft() + " days left") + ")");
      out.println("  key              " + c.keyType() + " " + c.keyBits() + " bits");
      out.println("  signature        " + (c.weakSignature() ? st.red(c.signatureAlgorithm() + " (weak)") : c.signatureAlgorithm()));
      out.println("  EKU              " + (c.ekus().isEmpty() ? "(any)" : String.join(", ", c.ekus())));
      out.println("  SHA-1 thumbprint " + c.sha1() + st.dim("  (SSLCertificateSHA1Hash)"));
      if (c.nameMatches() != null) {
        out.println("  name             " + c.expectedName() + " "
            + (c.nameMatches() ? st.green("matches") : st.red("does not match")));
      }
    }
  }

  private static void waterfall(ProbeReport r, Style st, PrintWriter out) {
    List<PhaseTiming> phases = r.phases();
    if (phases.isEmpty()) {
      return;
    }
    out.println();
    out.println(st.bold("Phases") + st.dim("  (start, duration; # = connection)"));
    double total = Math.max(0.001, r.millis());
    for (PhaseTiming p : phases) {
      int from = (int) Math.min(BAR - 1, Math.floor(p.startMicros() / 1000.0 / total * BAR));
      int len = (int) Math.max(1, Math.round(p.millis() / total * BAR));
      len = Math.min(len, BAR - from);
      String bar = " ".repeat(from) + "█".repeat(len) + " ".repeat(BAR - from - len);
      String label = "#" + Texts.padRight(Integer.toString(p.connection()), 2) + " " + Texts.padRight(p.name(), 30);
      String time = Texts.padLeft(Texts.fixed(p.startMicros() / 1000.0, 1), 8) + " "
          + Texts.padLeft(Texts.fixed(p.millis(), 1), 7) + " ms";
      String status = p.ok() ? "" : " " + st.red(p.failure() == null ? "failed" : p.failure().name());
      out.println("  " + label + " " + st.dim(bar) + time + status);
    }
  }
}
