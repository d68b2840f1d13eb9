package rdpdoctor.app.report;

import java.io.PrintWriter;
import rdpdoctor.diagnosis.Finding;
import rdpdoctor.diagnosis.Phase;
import rdpdoctor.diagnosis.Texts;

/** A Markdown report for pasting into a ticket. */
public final class MarkdownReport {
  private MarkdownReport() {}

  /** Escapes the characters Markdown would interpret in running text and table cells. */
  public static String md(String s) {
    return s.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")
        .replace("`", "\\`").replace("<", "&lt;").replace(">", "&gt;").replace("[", "\\[").replace("]", "\\]")
        .replaceAll("[\\r\\n]+", " ");
  }

  public static void render(Report r, PrintWriter out) {
    out.println("## rdpdoctor " + md(r.command()) + (r.target() == null ? "" : " " + md(r.target()))
        + (r.computer() == null ? "" : ", " + md(r.computerLabel())));
    out.println();
    out.println("**Verdict:** " + (r.causeFound() ? "cause found. " : "") + md(r.verdict()));
    out.println();
    out.println("| phase | status | findings |");
    out.println("|---|---|---|");
    for (Phase p : Report.TIMELINE) {
      out.println("| " + md(p.label()) + " | " + r.phaseStatus(p) + " | " + md(String.join(", ", r.findingsIn(p))) + " |");
    }
    int i = 1;
    Finding.Kind shown = null;
    for (Finding f : r.diagnosis().findings()) {
      if (f.kind() != shown) {
        shown = f.kind();
        out.println();
        out.println("#### " + Report.heading(shown));
      }
      out.println();
      out.println("### " + i++ + ". " + md(f.title()) + " (" + f.confidence().level() + ", "
          + Texts.fixed(f.confidence().value(), 2) + ")");
      out.println();
      out.println(md(f.explanation()));
      out.println();
      out.println("*Confidence:* " + md(String.join("; ", f.confidence().reasons())));
      out.println();
      out.println("**Proof**");
      out.println();
      for (Finding.Proof p : f.proof()) {
        out.println("- " + md(p.observation().summary()) + " — _" + md(p.observation().provenance().toString()) + "_");
      }
      out.println();
      out.println("**Ruled out if:** " + md(String.join("; ", f.ruledOutBy())));
      out.println();
      out.println("**Fix**");
      out.println();
      int n = 1;
      for (Finding.Remedy m : f.remediation()) {
        out.println(n++ + ". " + md(m.title()) + ": " + md(m.detail()) + (m.fix() == null ? "" : " (`rdpdoctor fix`: " + md(m.fix()) + ")"));
      }
      if (!f.alternatives().isEmpty()) {
        out.println();
        out.println("_If not this:_ " + md(String.join(", ", f.alternatives())));
      }
    }
    out.println();
    out.println("<details><summary>Evidence (" + r.diagnosis().observations().size() + " observations)</summary>");
    out.println();
    if (r.computer() != null) {
      out.println("- " + md(r.computerLabel() + ", known from: " + String.join("; ", r.computer().basis())));
    }
    for (String f : r.files()) {
      out.println("- " + md(f));
    }
    for (String n : r.notes()) {
      out.println("- note: " + md(n));
    }
    out.println();
    out.println("</details>");
    out.flush();
  }
}
