package rdpdoctor.app.report;

import java.io.PrintWriter;
import java.util.Locale;
import rdpdoctor.diagnosis.Finding;
import rdpdoctor.diagnosis.Phase;
import rdpdoctor.diagnosis.Texts;

/**
 * One self-contained HTML page: inline CSS, no scripts, no external assets; every piece of text
 * from evidence is escaped, so a hostile event field cannot inject markup.
 */
public final class HtmlReport {
  private HtmlReport() {}

  /** HTML text and attribute escaping; the timeline page uses it too. */
  public static String h(String s) {
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

  private static final String CSS = """
      body{font:15px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:62rem;color:#1d1d1f;padding:0 1rem}
      h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}
      .verdict{padding:1rem;border-radius:.5rem;background:#f5f5f7;border-left:.4rem solid #888}
      .found{border-left-color:#c0392b}.none{border-left-color:#27ae60}
      ol.timeline{list-style:none;display:flex;flex-wrap:wrap;gap:.3rem;padding:0}
      ol.timeline li{padding:.35rem .6rem;border-radius:.3rem;background:#eee;font-size:.85rem}
      li.broken{background:#c0392b;color:#fff;font-weight:bold}li.finding{background:#f6c744}
      .finding-card{border:1px solid #ddd;border-radius:.5rem;padding:.8rem 1rem;margin:1rem 0}
      .meta{color:#666;font-size:.85rem}code,.mono{font-family:ui-monospace,Consolas,monospace;font-size:.85rem}
      table{border-collapse:collapse;width:100%;font-size:.85rem}td,th{border-bottom:1px solid #eee;padding:.25rem .4rem;text-align:left;vertical-align:top}
      """;

  public static void render(Report r, PrintWriter out) {
    out.println("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
    out.println("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    out.println("<title>" + h("rdpdoctor " + r.command() + (r.target() == null ? "" : " " + r.target())) + "</title>");
    out.println("<style>" + CSS + "</style></head><body>");
    out.println("<h1>" + h("rdpdoctor " + r.command() + (r.target() == null ? "" : " " + r.target())) + "</h1>");
    out.println("<div class=\"verdict " + (r.causeFound() ? "found" : "none") + "\"><strong>"
        + (r.causeFound() ? "Cause found: " : "") + h(r.verdict()) + "</strong>");
    if (r.causeFound()) {
      out.println("<p>" + h(r.diagnosis().findings().get(0).explanation()) + "</p>");
    }
    out.println("</div>");
    out.println("<h2>Connection phases</h2><ol class=\"timeline\">");
    for (Phase p : Report.TIMELINE) {
      String st = r.phaseStatus(p);
      out.println("<li class=\"" + st.replace(' ', '-') + "\" title=\"" + h(String.join(", ", r.findingsIn(p))) + "\">"
          + h(p.label()) + (st.equals("broken") ? " &#10007;" : "") + "</li>");
    }
    out.println("</ol>");
    int i = 1;
    for (Finding f : r.diagnosis().findings()) {
      out.println("<div class=\"finding-card\" id=\"" + h(f.id()) + "\">");
      out.println("<h2>" + i++ + ". " + h(f.title()) + "</h2>");
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
    out.println("<h2>Evidence</h2><p class=\"meta\">" + r.diagnosis().observations().size() + " observations, "
        + r.diagnosis().rulesEvaluated() + " rules evaluated</p><ul>");
    for (String f : r.files()) {
      out.println("<li class=\"mono\">" + h(f) + "</li>");
    }
    for (String n : r.notes()) {
      out.println("<li>note: " + h(n) + "</li>");
    }
    out.println("</ul></body></html>");
    out.flush();
  }
}
