package rdpdoctor.app.timeline;

import static rdpdoctor.app.report.HtmlReport.h;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import rdpdoctor.diagnosis.Phase;
import rdpdoctor.diagnosis.timeline.Attempt;
import rdpdoctor.diagnosis.timeline.LogCoverage;

/**
 * The timeline as one self-contained HTML page: the attempts as bars on a time axis, coloured by
 * how they ended, then the table and the coverage. Inline CSS and SVG only, no scripts, no
 * external assets; every string from a log is escaped (user names are written by whoever connects).
 */
final class TimelineHtml {
  private TimelineHtml() {}

  /** More bars than this make an unreadable picture; the table still lists every attempt. */
  static final int MAX_BARS = 400;

  private static final int WIDTH = 960;
  private static final int ROW = 12;
  private static final int LEFT = 150;

  static String colour(Attempt.End e) {
    return switch (e) {
      case FAILED -> "#d1242f";
      case DISCONNECTED -> "#e8a317";
      case LOGGED_ON -> "#1a7f37";
      case NO_END -> "#8c959f";
    };
  }

  static void render(TimelineCommand.Result r, TimelineCommand.Filter f, PrintWriter out) {
    List<Attempt> attempts = r.timeline().attempts().stream().filter(f::attempt).toList();
    String summary = r.timeline().summary();
    out.println("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>rdpdoctor timeline</title>");
    out.println("<style>body{font:14px system-ui,sans-serif;margin:2rem;color:#1f2328}table{border-collapse:collapse}"
        + "td,th{padding:.2rem .5rem;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}"
        + ".k{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 1rem;vertical-align:middle}"
        + "svg text{font:10px system-ui,sans-serif}</style></head><body>");
    out.println("<h1>What the logs show</h1>");
    out.println("<p>" + h(summary == null ? "no RDP connection attempt or session" : summary) + "</p>");
    out.print("<p>");
    for (Attempt.End e : Attempt.End.values()) {
      out.print("<span class=\"k\" style=\"background:" + colour(e) + "\"></span>" + h(e.label()));
    }
    out.println("</p>");
    if (!attempts.isEmpty()) {
      svg(attempts, out);
    }
    out.println("<h2>Attempts (" + attempts.size() + ")</h2><table><tr><th>start</th><th>side</th><th>client / server</th>"
        + "<th>user</th><th>reached</th><th>end</th><th>code</th><th>duration</th><th>proof</th></tr>");
    for (Attempt a : attempts) {
      out.println("<tr><td>" + h(a.start().toString()) + "</td><td>" + h(a.side() + (a.computer() == null ? "" : " " + a.computer()))
          + "</td><td>" + h(a.client() != null ? a.client() : a.server() != null ? "to " + a.server() : "")
          + "</td><td>" + h(a.user() == null ? "" : a.user()) + "</td><td>"
          + h(String.join(" > ", a.phases().stream().map(Phase::label).toList())) + "</td><td style=\"color:" + colour(a.end()) + "\">"
          + h(a.end().label() + (a.end() == Attempt.End.LOGGED_ON ? "" : " at " + a.stoppedAt().label())) + "</td><td>"
          + h(a.code() == null ? "" : a.code().toString()) + "</td><td>" + seconds(a.duration()) + "</td><td>"
          + h(TimelineFormats.cite(a.proof())) + "</td></tr>");
    }
    out.println("</table><h2>Coverage</h2><ul>");
    for (LogCoverage l : r.coverage()) {
      for (LogCoverage.Span s : l.channels()) {
        out.println("<li>" + h(l.file() + ": " + s.channel() + " " + s.first() + " .. " + s.last() + " (" + s.records() + " records)") + "</li>");
      }
      for (String d : l.damage()) {
        out.println("<li>" + h(l.file() + ": damaged: " + d) + "</li>");
      }
    }
    for (LogCoverage.Gap g : LogCoverage.gaps(r.coverage())) {
      out.println("<li>" + h("gap: " + g.channel() + " has no events from " + g.from() + " to " + g.to()) + "</li>");
    }
    out.println("</ul></body></html>");
  }

  /** The picture: one row per attempt (up to MAX_BARS), a bar from start to end on a linear axis. */
  private static void svg(List<Attempt> attempts, PrintWriter out) {
    List<Attempt> shown = attempts.subList(0, Math.min(attempts.size(), MAX_BARS));
    Instant from = shown.getFirst().start();
    Instant to = from;
    for (Attempt a : shown) {
      to = a.endTime().isAfter(to) ? a.endTime() : to;
    }
    double span = Math.max(1, Duration.between(from, to).toMillis());
    int height = 30 + shown.size() * ROW;
    out.println("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + WIDTH + "\" height=\"" + height + "\" role=\"img\" aria-label=\"attempts on a time axis\">");
    out.println("<text x=\"" + LEFT + "\" y=\"12\">" + h(from.toString()) + "</text>");
    out.println("<text x=\"" + WIDTH + "\" y=\"12\" text-anchor=\"end\">" + h(to.toString()) + "</text>");
    int plot = WIDTH - LEFT - 4;
    for (int i = 0; i < shown.size(); i++) {
      Attempt a = shown.get(i);
      double x = LEFT + plot * Duration.between(from, a.start()).toMillis() / span;
      double w = Math.max(2, plot * a.duration().toMillis() / span);
      int y = 20 + i * ROW;
      String label = a.client() != null ? a.client() : a.server() != null ? a.server() : a.side();
      out.println("<text x=\"" + (LEFT - 6) + "\" y=\"" + (y + 9) + "\" text-anchor=\"end\">" + h(label) + "</text>");
      out.println(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>",
          x, y, w, ROW - 3, colour(a.end()), h(a.start() + " " + label + ": " + a.end().label() + " at " + a.stoppedAt().label()
              + (a.code() == null ? "" : " " + a.code()))));
    }
    out.println("</svg>");
    if (attempts.size() > MAX_BARS) {
      out.println("<p>The picture shows the first " + MAX_BARS + " of " + attempts.size() + " attempts; the table lists all.</p>");
    }
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
