package rdpdoctor.app.report;

import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import rdpdoctor.app.probe.ProbeVerdict;
import rdpdoctor.diagnosis.Finding;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.Phase;
import rdpdoctor.diagnosis.Texts;
import rdpdoctor.evidence.x509.CertificateAnalysis;
import rdpdoctor.probe.NegotiationResult;
import rdpdoctor.probe.PhaseTiming;
import rdpdoctor.probe.ProbeReport;
import rdpdoctor.probe.TlsReport;

/**
 * One self-contained HTML page: inline CSS, no scripts, no external assets; every piece of text
 * from evidence is escaped, so a hostile event field cannot inject markup. The header says when
 * and by which version it was made, from which inputs and codes; a diagnose report adds what the
 * probe saw (verdicts, TLS, certificate, phase timings).
 */
public final class HtmlReport {
  private HtmlReport() {}

  /** Escapes text for element content and quoted attribute values alike; null is empty. The timeline page and the scan report use it too. */
  public static String h(@Nullable String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          if (c < 0x20 && c != '\n' && c != '\t') {
            b.append("&#xFFFD;");
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  private static String h(Object o) {
    return h(String.valueOf(o));
  }

  /**
   * Each phase state's colours: text, background, border. Text against background is at least
   * 4.5:1 (WCAG 2 AA for body text) and the border against the white page at least 3:1 (WCAG
   * 1.4.11, so the yellow box still has a visible edge); {@code HtmlReportTest} computes both
   * from the CSS this class emits. The marks (✗ ! ✓ –) say the same for readers who cannot tell
   * the colours apart.
   */
  static final Map<Report.PhaseState, String[]> PHASE_COLOURS = Map.of(
      Report.PhaseState.BROKEN, new String[] {"#ffffff", "#b3261e", "#7f1d1d"},
      Report.PhaseState.FINDING, new String[] {"#1d1d1f", "#f6c744", "#8a6a00"},
      Report.PhaseState.OK, new String[] {"#14532d", "#dcf2e3", "#3f8f5a"},
      Report.PhaseState.NOT_REACHED, new String[] {"#555555", "#ffffff", "#8a8a8a"},
      Report.PhaseState.NO_FINDING, new String[] {"#1d1d1f", "#ececec", "#8a8a8a"});

  /** The class a phase's box gets, also used by the legend. */
  static String css(Report.PhaseState s) {
    return "phase-" + s.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The mark of a phase holding only weaknesses (a dotted yellow box). */
  static final String WEAKNESS_MARK = "! weakness";

  static String mark(Report.PhaseState s) {
    return switch (s) {
      case BROKEN -> "&#10007; broke here";
      case FINDING -> "! finding";
      case OK -> "&#10003; probe passed";
      case NOT_REACHED -> "&ndash; not reached";
      case NO_FINDING -> "no finding";
    };
  }

  static String css() {
    StringBuilder b = new StringBuilder("""
        body{font:15px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:62rem;color:#1d1d1f;background:#ffffff;padding:0 1rem}
        h1{font-size:1.4rem;margin-bottom:.3rem}h2{font-size:1.15rem;margin-top:2rem}h3{font-size:1rem}
        dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.5rem 0 1rem;font-size:.9rem}
        dl.facts dt{color:#555555}dl.facts dd{margin:0}
        .verdict{padding:1rem;border-radius:.5rem;background:#f5f5f7;border-left:.4rem solid #767676}
        .found{border-left-color:#b3261e}.none{border-left-color:#1e7a3c}
        ol.timeline{list-style:none;display:flex;flex-wrap:wrap;gap:.3rem;padding:0}
        ol.timeline li{padding:.3rem .55rem;border-radius:.3rem;font-size:.85rem;border:1px solid}
        ol.timeline li .mark{font-size:.75rem;margin-left:.35rem}
        ul.legend{list-style:none;display:flex;flex-wrap:wrap;gap:.6rem;padding:0;font-size:.8rem;color:#555555}
        ul.legend span{display:inline-block;width:.8rem;height:.8rem;border:1px solid;border-radius:.15rem;vertical-align:-.1rem;margin-right:.25rem}
        .finding-card{border:1px solid #c8c8c8;border-radius:.5rem;padding:.8rem 1rem;margin:1rem 0}.finding-card h2{margin-top:.2rem}
        .meta{color:#595959;font-size:.85rem}code,.mono{font-family:ui-monospace,Consolas,monospace;font-size:.85rem}
        table{border-collapse:collapse;width:100%;font-size:.85rem}td,th{border-bottom:1px solid #e2e2e2;padding:.25rem .4rem;text-align:left;vertical-align:top}
        .good{color:#1e6b34}.bad{color:#a11d16}.unknown{color:#7a5a00}
        ul.verdicts{list-style:none;padding:0}.nowrap{white-space:nowrap}
        td.bar{width:40%}.bar div{height:.7rem;background:#3d6fb5;min-width:2px}
        """);
    // A compound selector, so that a state's colours win over "ol.timeline li": with a lone class
    // the broken phase once rendered as white text on the default grey, and "finding" never yellow.
    for (Report.PhaseState s : Report.PhaseState.values()) {
      String[] c = PHASE_COLOURS.get(s);
      b.append("ol.timeline li.").append(css(s)).append(",ul.legend span.").append(css(s))
          .append("{color:").append(c[0]).append(";background:").append(c[1]).append(";border-color:").append(c[2])
          .append(s == Report.PhaseState.BROKEN ? ";font-weight:bold" : "")
          .append(s == Report.PhaseState.NOT_REACHED ? ";border-style:dashed" : "").append("}\n");
    }
    b.append("ol.timeline li.phase-finding.weakness,ul.legend span.phase-finding.weakness{border-style:dotted;border-width:2px}\n");
    return b.toString();
  }

  public static void render(Report r, PrintWriter out) {
    String title = "rdpdoctor " + r.command() + (r.target() == null ? "" : " " + r.target())
        + (r.computer() == null ? "" : ", " + r.computerLabel());
    out.println("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
    out.println("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    out.println("<title>" + h(title) + "</title>");
    out.println("<style>" + css() + "</style></head><body>");
    header(r, title, out);
    out.println("<div class=\"verdict " + (r.causeFound() ? "found" : "none") + "\" id=\"verdict\"><strong>"
        + (r.causeFound() ? "Cause found: " : "") + h(r.verdict()) + "</strong>");
    Finding lead = r.lead();
    if (lead != null) {
      out.println("<p>" + h(lead.explanation()) + "</p>");
    }
    out.println("</div>");
    out.println("<h2>Connection phases</h2><ol class=\"timeline\" id=\"phases\">");
    for (Phase p : Report.TIMELINE) {
      Report.PhaseState st = r.phaseState(p);
      List<String> ids = r.findingsIn(p);
      // A phase whose findings are all weaknesses is marked apart, as the terminal report does:
      // true of hosts that connect fine, so not where a connection broke.
      boolean weak = st == Report.PhaseState.FINDING && r.onlyWeaknessesIn(p);
      out.println("<li class=\"" + css(st) + (weak ? " weakness" : "") + "\" data-phase=\"" + Report.phaseName(p) + "\" title=\""
          + h(ids.isEmpty() ? st.name().toLowerCase(Locale.ROOT).replace('_', ' ') : String.join(", ", ids)) + "\">"
          + h(p.label()) + "<span class=\"mark\">" + (weak ? WEAKNESS_MARK : mark(st)) + "</span></li>");
    }
    out.println("</ol><ul class=\"legend\">");
    for (Report.PhaseState s : Report.PhaseState.values()) {
      out.println("<li><span class=\"" + css(s) + "\"></span>" + mark(s) + "</li>");
      if (s == Report.PhaseState.FINDING) {
        out.println("<li><span class=\"" + css(s) + " weakness\"></span>" + WEAKNESS_MARK + " (posture, not a cause)</li>");
      }
    }
    out.println("</ul>");
    if (r.inputs().probe() != null) {
      probe(r.inputs().probe(), out);
    }
    int i = 1;
    Finding.Kind shown = null;
    for (Finding f : r.diagnosis().findings()) {
      if (f.kind() != shown) {
        shown = f.kind();
        out.println("<h2 class=\"kind-" + shown.word() + "\">" + h(Report.heading(shown)) + "</h2>");
      }
      finding(f, i++, out);
    }
    out.println("<h2>Evidence</h2><p class=\"meta\">" + r.diagnosis().observations().size() + " observations, "
        + r.diagnosis().rulesEvaluated() + " rules evaluated</p><ul id=\"evidence\">");
    for (String f : r.files()) {
      out.println("<li class=\"mono\">" + h(f) + "</li>");
    }
    for (String n : r.notes()) {
      out.println("<li>note: " + h(n) + "</li>");
    }
    out.println("</ul></body></html>");
    out.flush();
  }

  /** When, by what, from which inputs and codes: what someone reading a saved page asks first. */
  private static void header(Report r, String title, PrintWriter out) {
    out.println("<header><h1>" + h(title) + "</h1><dl class=\"facts\" id=\"facts\">");
    String at = r.generatedAt().truncatedTo(ChronoUnit.SECONDS).toString();
    out.println("<dt>generated</dt><dd id=\"generated\"><time datetime=\"" + h(at) + "\">" + h(at) + "</time> (UTC)</dd>");
    out.println("<dt>tool</dt><dd id=\"version\">rdpdoctor " + h(Report.toolVersion()) + "</dd>");
    out.println("<dt>inputs</dt><dd id=\"inputs\"><code>" + h(commandLine(r)) + "</code></dd>");
    out.println("<dt>codes you gave</dt><dd id=\"codes\">");
    if (r.inputs().codes().isEmpty()) {
      out.println("none (add the dialog's codes with --error)");
    } else {
      out.println("<ul>");
      for (Observation c : r.inputs().codes()) {
        // The summary is the catalog's reading: "family hex = name: meaning".
        String phase = c.string("phase");
        out.println("<li>" + h(c.summary()) + (phase == null ? "" : " <span class=\"meta\">(" + h(phaseLabel(phase)) + ")</span>") + "</li>");
      }
      out.println("</ul>");
    }
    out.println("</dd></dl></header>");
  }

  private static String phaseLabel(String name) {
    for (Phase p : Phase.values()) {
      if (p.name().equals(name)) {
        return p.label();
      }
    }
    return name;
  }

  /** The run as a command line: the command, its target, the paths and codes as typed. */
  static String commandLine(Report r) {
    StringBuilder b = new StringBuilder("rdpdoctor ").append(r.command());
    if (r.target() != null) {
      b.append(' ').append(r.target());
    }
    List<String> paths = r.inputs().paths();
    if (!paths.isEmpty()) {
      b.append(r.command().equals("diagnose") ? " --evidence" : "");
      for (String p : paths) {
        b.append(' ').append(quoted(p));
      }
    }
    if (r.inputs().error() != null) {
      b.append(" --error ").append(quoted(r.inputs().error()));
    }
    return b.toString();
  }

  private static String quoted(String s) {
    return s.matches("[A-Za-z0-9_./:\\\\=+,@-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }

  private static void probe(ProbeReport p, PrintWriter out) {
    out.println("<section id=\"probe\"><h2>What the probe saw</h2><dl class=\"facts\">");
    out.println("<dt>target</dt><dd>" + h(p.target()) + (p.address() == null ? "" : " (" + h(p.address().getHostAddress()) + ")")
        + "</dd><dt>started</dt><dd>" + h(p.startedAt().truncatedTo(ChronoUnit.MILLIS)) + "</dd><dt>took</dt><dd>"
        + Texts.fixed(p.millis(), 1) + " ms over " + p.connections() + " connection(s)</dd></dl>");
    out.println("<h3>Verdicts</h3><ul class=\"verdicts\" id=\"probe-verdicts\">");
    for (ProbeVerdict v : ProbeVerdict.of(p)) {
      String[] m = switch (v.mark()) {
        case OK -> new String[] {"good", "&#10003;"};
        case PROBLEM -> new String[] {"bad", "&#10007;"};
        case UNKNOWN -> new String[] {"unknown", "?"};
      };
      out.println("<li class=\"" + m[0] + "\">" + m[1] + " " + h(v.text()) + "</li>");
    }
    out.println("</ul>");
    if (!p.negotiation().isEmpty()) {
      out.println("<h3>X.224 negotiation</h3><table id=\"probe-negotiation\"><tr><th>requested</th><th>server's answer</th></tr>");
      for (NegotiationResult n : p.negotiation()) {
        out.println("<tr><td class=\"mono\">" + h(n.requested()) + "</td><td>" + h(answer(n)) + "</td></tr>");
      }
      out.println("</table>");
    }
    if (p.tls() != null) {
      tls(p.tls(), out);
    }
    if (!p.phases().isEmpty()) {
      timings(p, out);
    }
    out.println("</section>");
  }

  private static String answer(NegotiationResult n) {
    return switch (n.outcome()) {
      case SELECTED -> n.selectedName() + (n.selectedWasNotOffered() ? " (not requested)" : "")
          + (n.flagNames().isEmpty() ? "" : " " + String.join(",", n.flagNames()));
      case FAILURE -> "refused: " + n.failureName();
      case NO_NEGOTIATION_DATA -> "confirm without negotiation data (Standard RDP Security)";
      case DISCONNECT -> "X.224 disconnect";
      case ERROR -> n.error().describe() + " [" + n.error().kind().clientCodeHex() + "]";
    };
  }

  private static void tls(TlsReport t, PrintWriter out) {
    out.println("<h3>TLS</h3><p>after X.224 " + h(t.requested()) + ": " + (t.handshakeError() != null
        ? "<span class=\"bad\">handshake failed: " + h(t.handshakeError()) + "</span>"
        : h(t.version() + " with " + t.cipherSuite())) + "</p>");
    if (t.versions() != null) {
      out.println("<table id=\"probe-tls\"><tr><th>version</th><th>server</th><th>suites (server's preference first)</th></tr>");
      for (Map.Entry<String, Boolean> e : t.versions().entrySet()) {
        List<String> suites = t.suites() == null ? null : t.suites().get(e.getKey());
        boolean old = e.getKey().startsWith("SSL") || e.getKey().equals("TLS 1.0") || e.getKey().equals("TLS 1.1");
        out.println("<tr><td>" + h(e.getKey()) + "</td><td class=\"" + (e.getValue() ? old ? "bad" : "good" : "meta") + "\">"
            + (e.getValue() ? "accepted" : "refused") + "</td><td class=\"mono\">"
            + (suites == null ? "" : h(String.join(", ", suites))) + "</td></tr>");
      }
      out.println("</table>");
    }
    CertificateAnalysis c = t.certificate();
    if (c == null) {
      return;
    }
    out.println("<h3>Certificate</h3><dl class=\"facts\" id=\"probe-certificate\">");
    fact("subject", h(c.subject()), out);
    fact("SANs", h(c.sans().isEmpty() ? "(none)" : String.join(", ", c.sans())), out);
    fact("issuer", h(c.issuer()) + (c.selfSigned() ? " (self-signed)" : ""), out);
    fact("valid", h(c.notBefore() + " .. " + c.notAfter()) + " " + (c.expired()
        ? "<span class=\"bad\">(expired " + -c.daysLeft() + " days ago)</span>"
        : c.notYetValid() ? "<span class=\"bad\">(not yet valid)</span>" : "(" + c.daysLeft() + " days left)"), out);
    fact("key", h(c.keyType() + " " + c.keyBits() + " bits"), out);
    fact("signature", c.weakSignature() ? "<span class=\"bad\">" + h(c.signatureAlgorithm()) + " (weak)</span>"
        : h(c.signatureAlgorithm()), out);
    fact("SHA-1 thumbprint", "<code>" + h(c.sha1()) + "</code> <span class=\"meta\">(SSLCertificateSHA1Hash)</span>", out);
    if (c.nameMatches() != null) {
      fact("name", h(c.expectedName()) + " " + (c.nameMatches() ? "<span class=\"good\">matches</span>"
          : "<span class=\"bad\">does not match</span>"), out);
    }
    out.println("</dl>");
  }

  private static void fact(String name, String html, PrintWriter out) {
    out.println("<dt>" + h(name) + "</dt><dd>" + html + "</dd>");
  }

  /** The waterfall of the probe's steps: start and length as a bar scaled to the whole probe. */
  private static void timings(ProbeReport p, PrintWriter out) {
    out.println("<h3>Phase timings</h3><table id=\"probe-timings\"><tr><th>#</th><th>step</th><th>phase</th>"
        + "<th>start ms</th><th>ms</th><th></th><th>result</th></tr>");
    double total = Math.max(0.001, p.millis());
    for (PhaseTiming t : p.phases()) {
      double from = Math.min(100, t.startMicros() / 1000.0 / total * 100);
      double width = Math.min(100 - from, t.millis() / total * 100);
      out.println("<tr><td>" + t.connection() + "</td><td class=\"mono\">" + h(t.name()) + "</td><td class=\"nowrap\">" + h(t.phase().label())
          + "</td><td>" + Texts.fixed(t.startMicros() / 1000.0, 1) + "</td><td>" + Texts.fixed(t.millis(), 1)
          + "</td><td class=\"bar\"><div style=\"margin-left:" + Texts.fixed(from, 2) + "%;width:" + Texts.fixed(width, 2)
          + "%\"></div></td><td class=\"" + (t.ok() ? "good\">ok" : "bad\">" + h(t.failure() == null ? "failed" : t.failure().name()))
          + "</td></tr>");
    }
    out.println("</table>");
  }

  private static void finding(Finding f, int i, PrintWriter out) {
    out.println("<div class=\"finding-card\" id=\"" + h(f.id()) + "\">");
    out.println("<h2>" + i + ". " + h(f.title()) + "</h2>");
    out.println("<p class=\"meta\">" + h(f.confidence().level()) + " confidence "
        + Texts.fixed(f.confidence().value(), 2) + " &middot; " + h(f.phase().label())
        + " &middot; rule <code>" + h(f.id()) + "</code></p>");
    out.println("<p>" + h(f.explanation()) + "</p>");
    out.println("<p class=\"meta\">" + h(String.join("; ", f.confidence().reasons())) + "</p>");
    out.println("<h3>Proof</h3><table><tr><th>observation</th><th>source</th><th>where</th></tr>");
    for (Finding.Proof p : f.proof()) {
      out.println("<tr><td>" + h(p.observation().summary()) + "</td><td>"
          + h(p.observation().provenance().source().name().toLowerCase(Locale.ROOT)) + "</td><td class=\"mono\">"
          + h(p.observation().provenance().toString()) + "</td></tr>");
    }
    out.println("</table>");
    if (!f.explainsObserved().isEmpty()) {
      out.println("<p>Explains the code(s) you reported: " + h(String.join(", ", f.explainsObserved())) + "</p>");
    }
    out.println("<p><strong>Ruled out if:</strong> " + h(String.join("; ", f.ruledOutBy())) + "</p>");
    out.println("<h3>Fix</h3><ol>");
    for (Finding.Remedy m : f.remediation()) {
      out.println("<li><strong>" + h(m.title()) + "</strong>: " + h(m.detail())
          + (m.fix() == null ? "" : " <span class=\"meta\">(scripted by <code>rdpdoctor fix</code>: " + h(m.fix())
              + "; " + h(m.safety() == null ? "" : m.safety()) + ")</span>") + "</li>");
    }
    out.println("</ol>");
    if (!f.alternatives().isEmpty()) {
      out.println("<p class=\"meta\">If not this: " + h(String.join(", ", f.alternatives())) + "</p>");
    }
    out.println("</div>");
  }
}
