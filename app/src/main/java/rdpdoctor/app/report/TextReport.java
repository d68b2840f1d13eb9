package rdpdoctor.app.report;

import java.io.PrintWriter;
import java.util.List;
import rdpdoctor.app.Style;
import rdpdoctor.diagnosis.Finding;
import rdpdoctor.diagnosis.Phase;
import rdpdoctor.diagnosis.Texts;

/** The terminal report: the verdict first, then the connection phases, then each finding with its proof. */
public final class TextReport {
  private TextReport() {}

  public static void render(Report r, Style s, PrintWriter out) {
    String head = "rdpdoctor " + r.command() + (r.target() == null ? "" : " " + r.target())
        + (r.computer() == null ? "" : ", " + r.computerLabel()) + ": ";
    if (r.causeFound()) {
      out.println(s.bold(head) + s.red("cause found") + s.bold(": " + r.verdict()));
    } else {
      out.println(s.bold(head) + s.green("no cause found"));
      out.println("  " + r.verdict());
    }
    Finding lead = r.lead();
    if (lead != null) {
      out.println("  " + lead.explanation());
    }
    String shown = r.logsShow();
    if (shown != null && !r.verdict().contains(shown)) {
      // When nothing matched, the verdict itself already says it.
      out.println("  The logs show: " + shown + " (rdpdoctor timeline lists each attempt)");
    }
    out.println();
    out.println(s.bold("Connection phases"));
    for (Phase p : Report.TIMELINE) {
      String mark = switch (r.phaseState(p)) {
        case BROKEN -> s.red("X broke here");
        case FINDING -> s.yellow(r.onlyWeaknessesIn(p) ? "! weakness" : "! finding");
        case OK -> s.green("+ probe passed");
        case NOT_REACHED -> s.dim("- not reached");
        case NO_FINDING -> s.dim(". no finding");
      };
      List<String> ids = r.findingsIn(p);
      // Texts, not printf: the JVM's first format costs 10-15 ms (see Texts).
      out.println("  " + Texts.padRight(p.label(), 24) + " " + mark
          + (ids.isEmpty() ? "" : s.dim("  (" + String.join(", ", ids) + ")")));
    }
    List<Finding> fs = r.diagnosis().findings();
    if (!fs.isEmpty()) {
      out.println();
      out.println(s.bold("Findings (" + fs.size() + ")"));
    }
    for (int i = 0; i < fs.size(); i++) {
      Finding f = fs.get(i);
      if (i == 0 || fs.get(i - 1).kind() != f.kind()) {
        out.println();
        out.println(s.bold(Report.heading(f.kind())));
      }
      out.println();
      out.println((i + 1) + ". " + s.bold(f.title()) + "  [" + f.confidence().level() + " "
          + Texts.fixed(f.confidence().value(), 2) + ", " + f.phase().label() + "]");
      out.println("   " + f.explanation());
      out.println("   " + s.dim("why this confidence: " + String.join("; ", f.confidence().reasons())));
      out.println("   Proof:");
      for (Finding.Proof p : f.proof()) {
        out.println("     - " + p.observation().summary());
        out.println("       " + s.dim(p.observation().provenance().source().name().toLowerCase(java.util.Locale.ROOT) + ": " + p.observation().provenance()));
      }
      if (!f.explainsObserved().isEmpty()) {
        out.println("   Explains the code(s) you reported: " + String.join(", ", f.explainsObserved()));
      }
      out.println("   Ruled out if: " + String.join("; ", f.ruledOutBy()));
      out.println("   Fix:");
      int n = 1;
      for (Finding.Remedy m : f.remediation()) {
        out.println("     " + n++ + ". " + m.title() + ": " + m.detail());
        if (m.fix() != null) {
          out.println("        " + s.dim("scripted: rdpdoctor fix (step " + m.fix() + "); " + m.safety()));
        }
      }
      if (!f.alternatives().isEmpty()) {
        out.println("   If not this: " + String.join(", ", f.alternatives()));
      }
    }
    out.println();
    out.println(s.dim("Evidence: " + r.diagnosis().observations().size() + " observations from " + r.files().size()
        + " source(s); " + r.diagnosis().rulesEvaluated() + " rules evaluated."));
    if (r.computer() != null) {
      out.println(s.dim("  " + r.computerLabel() + ", known from: " + String.join("; ", r.computer().basis())));
    }
    for (String f : r.files()) {
      out.println(s.dim("  " + f));
    }
    for (String n2 : r.notes()) {
      out.println(s.yellow("  note: ") + n2);
    }
    out.flush();
  }
}
