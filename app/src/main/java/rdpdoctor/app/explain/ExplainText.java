package rdpdoctor.app.explain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rdpdoctor.app.Style;
import rdpdoctor.app.report.MarkdownReport;
import rdpdoctor.diagnosis.catalog.CodeEntry;
import rdpdoctor.diagnosis.catalog.Contested;
import rdpdoctor.diagnosis.catalog.EventEntry;
import rdpdoctor.diagnosis.catalog.EventField;
import rdpdoctor.diagnosis.catalog.Explanation;
import rdpdoctor.diagnosis.catalog.MessageEntry;
import rdpdoctor.diagnosis.catalog.MessageReading;
import rdpdoctor.diagnosis.catalog.PairReading;
import rdpdoctor.diagnosis.catalog.RankedCause;
import rdpdoctor.diagnosis.catalog.Reading;
import rdpdoctor.diagnosis.catalog.Skipped;

/** The terminal and Markdown renderings of an explanation. */
final class ExplainText {
  private ExplainText() {}

  static String terminal(Explanation x, Style s) {
    StringBuilder b = new StringBuilder();
    for (MessageReading m : x.messages()) {
      MessageEntry e = m.entry();
      b.append(s.bold("message")).append("  ").append(s.bold(e.title()))
          .append(s.dim("  (" + e.id() + ", " + m.pattern().language() + ")")).append('\n');
      b.append("    ").append(e.meaning()).append('\n');
      b.append("    phase: ").append(e.phase().label()).append('\n');
      for (CodeEntry c : m.codes()) {
        b.append("    corresponds to ").append(c.family()).append(' ').append(c.hex()).append(' ')
            .append(c.name()).append(": ").append(c.meaning()).append('\n');
      }
      if (e.note() != null) {
        b.append("    note: ").append(e.note()).append('\n');
      }
      b.append('\n');
    }
    for (Reading r : x.codes()) {
      CodeEntry e = r.entry();
      b.append(s.bold(r.hex())).append("  ").append(r.family()).append("  ").append(s.bold(e.name()));
      if (e.isRange()) {
        b.append(" (range ").append(e.hex()).append('-').append(CodeEntry.hex(e.valueTo())).append(')');
      }
      b.append('\n');
      b.append("    ").append(e.meaning()).append('\n');
      b.append("    phase: ").append(e.phase().label());
      b.append(s.dim("   (read as " + r.family() + ": " + r.why() + ")")).append('\n');
      for (CodeEntry rel : r.related()) {
        b.append("    same code as ").append(rel.family()).append(' ').append(rel.hex()).append(' ')
            .append(rel.name()).append(": ").append(rel.meaning()).append('\n');
      }
      if (e.note() != null) {
        b.append("    note: ").append(e.note()).append('\n');
      }
      b.append('\n');
    }
    for (EventEntry ev : x.events()) {
      b.append(s.bold("event " + ev.id())).append("  ").append(ev.channel()).append(" (").append(ev.provider()).append(")\n");
      b.append("    ").append(ev.meaning()).append('\n');
      for (EventField f : ev.codeFields()) {
        b.append("    field ").append(f.name()).append(" is a ").append(f.decodes()).append(" code: ").append(f.note()).append('\n');
      }
      b.append('\n');
    }
    for (PairReading p : x.pairs()) {
      b.append(s.bold("Together (" + p.label() + "): " + p.combination().title())).append('\n');
      b.append("    ").append(p.combination().reading()).append('\n');
      b.append("    phase: ").append(p.combination().phase().label()).append("\n\n");
    }
    if (!x.causes().isEmpty()) {
      b.append(s.bold("Likely causes, most likely first")).append('\n');
      int i = 1;
      for (RankedCause rc : x.causes()) {
        String conf = rc.cause().confidence().word();
        String tag = switch (rc.cause().confidence()) {
          case HIGH -> s.red("[" + conf + "]");
          case MEDIUM -> s.yellow("[" + conf + "]");
          case LOW -> s.dim("[" + conf + "]");
        };
        // Not String.format("%2d"): a JVM's first format sets up locale number formatting,
        // 10-15 ms of a command that takes under 200.
        b.append(i < 10 ? " " : "").append(i++).append(". ").append(tag).append(' ').append(rc.cause().title())
            .append(s.dim("  (" + rc.from() + ")")).append('\n');
        b.append("      why:   ").append(rc.cause().why()).append('\n');
        for (String c : rc.cause().checks()) {
          b.append("      check: ").append(c).append('\n');
        }
        for (String f : rc.cause().fixes()) {
          b.append("      fix:   ").append(f).append('\n');
        }
      }
      b.append('\n');
    }
    if (!x.contested().isEmpty()) {
      b.append(s.bold("Not supported by the authoritative tables")).append('\n');
      for (Contested c : x.contested()) {
        b.append("  - ").append(s.yellow("\"" + c.dispute().claim() + "\"")).append(" (").append(c.code()).append(")\n");
        b.append("    said by: ").append(c.dispute().source()).append('\n');
        b.append("    but: ").append(c.dispute().why()).append('\n');
      }
      b.append('\n');
    }
    Map<String, StringBuilder> others = alternatives(x.alternatives());
    if (!others.isEmpty()) {
      b.append(s.bold("The same numbers in other families")).append('\n');
      others.forEach((token, line) -> b.append("  ").append(token).append(": ").append(line).append('\n'));
      b.append('\n');
    }
    if (!x.skipped().isEmpty()) {
      b.append(s.dim("Not codes, not decoded: " + skipped(x.skipped()))).append('\n');
    }
    if (!x.unrecognised().isEmpty()) {
      b.append("Not recognised: ").append(String.join(", ", x.unrecognised())).append('\n');
    }
    return b.toString().stripTrailing() + "\n";
  }

  static String markdown(Explanation x) {
    StringBuilder b = new StringBuilder();
    b.append("## RDP error explained\n\n");
    b.append("Input: `").append(x.input().replace("`", "'")).append("`\n\n");
    for (MessageReading m : x.messages()) {
      b.append("**Message: ").append(MarkdownReport.md(m.entry().title())).append(".** ")
          .append(MarkdownReport.md(m.entry().meaning())).append(" (phase: ").append(m.entry().phase().label()).append(')');
      for (CodeEntry c : m.codes()) {
        b.append("; corresponds to `").append(c.hex()).append("` ").append(c.family()).append(" `").append(c.name()).append('`');
      }
      b.append("\n\n");
    }
    if (!x.codes().isEmpty()) {
      b.append("| code | family | name | meaning | phase |\n|---|---|---|---|---|\n");
      for (Reading r : x.codes()) {
        b.append("| `").append(r.hex()).append("` | ").append(r.family()).append(" | `").append(r.entry().name())
            .append("` | ").append(MarkdownReport.md(r.entry().meaning())).append(" | ").append(r.entry().phase().label()).append(" |\n");
      }
      b.append('\n');
    }
    for (EventEntry ev : x.events()) {
      b.append("Event ").append(ev.id()).append(" (").append(ev.channel()).append("): ").append(ev.meaning()).append("\n\n");
    }
    for (PairReading p : x.pairs()) {
      b.append("**Together (").append(p.label()).append("): ").append(p.combination().title()).append(".** ")
          .append(p.combination().reading()).append("\n\n");
    }
    if (!x.causes().isEmpty()) {
      b.append("### Likely causes\n\n");
      int i = 1;
      for (RankedCause rc : x.causes()) {
        b.append(i++).append(". **").append(rc.cause().title()).append("** (").append(rc.cause().confidence().word())
            .append(", from ").append(rc.from()).append(")  \n   ").append(rc.cause().why()).append('\n');
        for (String c : rc.cause().checks()) {
          b.append("   - check: `").append(c.replace("`", "'")).append("`\n");
        }
        for (String f : rc.cause().fixes()) {
          b.append("   - fix: ").append(f).append('\n');
        }
      }
      b.append('\n');
    }
    if (!x.contested().isEmpty()) {
      b.append("### Not supported by the authoritative tables\n\n");
      for (Contested c : x.contested()) {
        b.append("- \"").append(c.dispute().claim()).append("\" (").append(c.code()).append("): ").append(c.dispute().why()).append('\n');
      }
      b.append('\n');
    }
    if (!x.skipped().isEmpty()) {
      b.append("Not codes, not decoded: ").append(MarkdownReport.md(skipped(x.skipped()))).append("\n\n");
    }
    b.append("_Decoded by rdpdoctor explain._\n");
    return b.toString();
  }

  /** "timestamp 04/17/24 09:23:11 PM, FreeRDP process:thread id 12011:12012 (x3)": each once, counted. */
  static String skipped(List<Skipped> skipped) {
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (Skipped k : skipped) {
      seen.merge(k.kind() + " " + k.text(), 1, Integer::sum);
    }
    StringBuilder b = new StringBuilder();
    seen.forEach((what, n) -> {
      if (!b.isEmpty()) {
        b.append(", ");
      }
      b.append(what);
      if (n > 1) {
        b.append(" (x").append(n).append(')');
      }
    });
    return b.toString();
  }

  private static Map<String, StringBuilder> alternatives(List<Reading> alts) {
    Map<String, StringBuilder> out = new LinkedHashMap<>();
    for (Reading a : alts) {
      StringBuilder line = out.computeIfAbsent(a.token(), k -> new StringBuilder());
      if (!line.isEmpty()) {
        line.append("; ");
      }
      line.append(a.family()).append(' ').append(a.entry().name());
    }
    return out;
  }
}
