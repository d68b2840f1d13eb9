package rdpdoctor.app.timeline;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import rdpdoctor.app.Json;
import rdpdoctor.app.Style;
import rdpdoctor.diagnosis.Phase;
import rdpdoctor.diagnosis.timeline.Attempt;
import rdpdoctor.diagnosis.timeline.LogCoverage;
import rdpdoctor.diagnosis.timeline.Proof;
import rdpdoctor.diagnosis.timeline.Session;
import rdpdoctor.diagnosis.timeline.Timeline;

/** The timeline's three outputs: lines for a person, JSON lines for scripts, CSV for spreadsheets. */
final class TimelineFormats {
  private TimelineFormats() {}

  /** The CSV columns, in order; the JSON objects use the same names. */
  static final List<String> COLUMNS = List.of("kind", "time", "endTime", "durationSeconds", "side", "computer",
      "client", "server", "user", "phases", "stoppedAt", "end", "code", "codeName", "authenticated",
      "sessionId", "sessionEvent", "proof");

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** One row per attempt and per session event, in time order, the filter applied. */
  static List<Map<String, Object>> rows(TimelineCommand.Result r, TimelineCommand.Filter f) {
    record Row(Instant at, int order, Map<String, Object> values) {}
    List<Row> rows = new ArrayList<>();
    for (Attempt a : r.timeline().attempts()) {
      if (f.attempt(a)) {
        rows.add(new Row(a.start(), rows.size(), attempt(a)));
      }
    }
    for (Session s : r.timeline().sessions()) {
      for (Session.Event e : s.events()) {
        if (f.session(s, e)) {
          rows.add(new Row(e.at(), rows.size(), sessionEvent(s, e)));
        }
      }
    }
    rows.sort(Comparator.comparing(Row::at).thenComparing(Row::order));
    return rows.stream().map(Row::values).toList();
  }

  private static Map<String, Object> attempt(Attempt a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", "attempt");
    m.put("time", a.start().toString());
    m.put("endTime", a.endTime().toString());
    m.put("durationSeconds", a.duration().toMillis() / 1000.0);
    m.put("side", a.side());
    m.put("computer", a.computer());
    m.put("client", a.client());
    m.put("server", a.server());
    m.put("user", a.user());
    m.put("phases", a.phases().stream().map(Phase::name).toList());
    m.put("stoppedAt", a.stoppedAt().name());
    m.put("end", a.end().name());
    m.put("code", a.code() == null ? null : a.code().family() + ":" + a.code().hex());
    m.put("codeName", a.code() == null ? null : a.code().name());
    m.put("authenticated", a.authenticated());
    m.put("sessionId", null);
    m.put("sessionEvent", null);
    m.put("proof", a.proof());
    return m;
  }

  private static Map<String, Object> sessionEvent(Session s, Session.Event e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", "session");
    m.put("time", e.at().toString());
    m.put("endTime", null);
    m.put("durationSeconds", null);
    m.put("side", "host");
    m.put("computer", s.computer());
    m.put("client", e.address());
    m.put("server", null);
    m.put("user", s.user());
    m.put("phases", List.of());
    m.put("stoppedAt", null);
    m.put("end", null);
    m.put("code", e.code() == null ? null : e.code().family() + ":" + e.code().hex());
    m.put("codeName", e.code() == null ? null : e.code().name());
    m.put("authenticated", null);
    m.put("sessionId", s.sessionId() != null ? (Object) s.sessionId() : s.name());
    m.put("sessionEvent", e.kind().name());
    m.put("proof", List.of(e.proof()));
    return m;
  }

  static void json(TimelineCommand.Result r, TimelineCommand.Filter f, PrintWriter out) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("kind", "summary");
    summary.put("text", r.timeline().summary());
    summary.put("attempts", r.timeline().attempts().size());
    summary.put("sessions", r.timeline().sessions().size());
    line(out, summary);
    for (Map<String, Object> row : rows(r, f)) {
      Map<String, Object> m = new LinkedHashMap<>(row);
      m.values().removeIf(v -> v == null);
      @SuppressWarnings("unchecked")
      List<Proof> proof = (List<Proof>) m.get("proof");
      m.put("proof", proof.stream().map(TimelineFormats::proof).toList());
      line(out, m);
    }
    for (LogCoverage l : r.coverage()) {
      for (LogCoverage.Span s : l.channels()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "log");
        m.put("file", l.file());
        m.put("channel", s.channel());
        m.put("first", s.first().toString());
        m.put("last", s.last().toString());
        m.put("records", s.records());
        m.put("damage", l.damage());
        line(out, m);
      }
    }
    for (LogCoverage.Gap g : LogCoverage.gaps(r.coverage())) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kind", "gap");
      m.put("channel", g.channel());
      m.put("from", g.from().toString());
      m.put("to", g.to().toString());
      m.put("before", g.before());
      m.put("after", g.after());
      line(out, m);
    }
  }

  private static Map<String, Object> proof(Proof p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("file", p.file());
    m.put("recordId", p.recordId());
    m.put("channel", p.channel());
    m.put("eventId", p.eventId());
    m.put("time", p.at() == null ? null : p.at().toString());
    return m;
  }

  private static void line(PrintWriter out, Map<String, Object> m) {
    out.println(Json.LINES.writeValueAsString(m));
  }

  static void csv(TimelineCommand.Result r, TimelineCommand.Filter f, PrintWriter out) {
    out.print(String.join(",", COLUMNS) + "\r\n");
    for (Map<String, Object> row : rows(r, f)) {
      List<String> cells = new ArrayList<>();
      for (String c : COLUMNS) {
        Object v = row.get(c);
        String s;
        if (v == null) {
          s = "";
        } else if (c.equals("proof")) {
          @SuppressWarnings("unchecked")
          List<Proof> proof = (List<Proof>) v;
          s = proof.stream().map(Proof::cite).collect(Collectors.joining("; "));
        } else if (v instanceof List<?> l) {
          s = l.stream().map(String::valueOf).collect(Collectors.joining(" "));
        } else {
          s = String.valueOf(v);
        }
        cells.add(cell(s));
      }
      out.print(String.join(",", cells) + "\r\n"); // RFC 4180 line ends
    }
  }

  /**
   * An RFC 4180 cell. A cell a spreadsheet would run as a formula (=, +, -, @ first: event data is
   * written by whoever connects, user names included) is prefixed with a quote mark.
   */
  static String cell(String s) {
    String v = !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 && !s.matches("-?[0-9.]+") ? "'" + s : s;
    if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
      return "\"" + v.replace("\"", "\"\"") + "\"";
    }
    return v;
  }

  static void text(TimelineCommand.Result r, TimelineCommand.Filter f, PrintWriter out, Style st) {
    String summary = r.timeline().summary();
    out.println(st.bold("What the logs show: ") + (summary == null ? "no RDP connection attempt or session" : summary));
    for (Map<String, Object> row : rows(r, f)) {
      out.println(row.get("kind").equals("attempt") ? attemptLine(row, st) : sessionLine(row));
    }
    out.println(st.bold("Coverage:"));
    for (LogCoverage l : r.coverage()) {
      for (LogCoverage.Span s : l.channels()) {
        out.println("  " + name(l.file()) + ": " + s.channel() + " " + TIME.format(s.first()) + " .. "
            + TIME.format(s.last()) + " (" + s.records() + " record" + (s.records() == 1 ? "" : "s") + ")");
      }
      if (l.channels().isEmpty()) {
        out.println("  " + name(l.file()) + ": no records");
      }
      for (String d : l.damage()) {
        out.println("  " + name(l.file()) + ": " + st.yellow("damaged: ") + d);
      }
    }
    for (LogCoverage.Gap g : LogCoverage.gaps(r.coverage())) {
      out.println("  " + st.yellow("gap: ") + g.channel() + " has no events from " + TIME.format(g.from()) + " ("
          + name(g.before()) + ") to " + TIME.format(g.to()) + " (" + name(g.after()) + ")");
    }
    LogCoverage.Window w = LogCoverage.common(r.coverage());
    if (w != null) {
      out.println("  Every log read covers " + TIME.format(w.from()) + " .. " + TIME.format(w.to())
          + "; before and after that, some channels' events are missing from this timeline.");
    } else if (r.coverage().size() > 1) {
      out.println("  The logs share no common time: each attempt is seen only by the logs of its own time.");
    }
  }

  private static String attemptLine(Map<String, Object> row, Style st) {
    StringBuilder sb = new StringBuilder();
    sb.append(TIME.format(Instant.parse((String) row.get("time")))).append("  attempt  ").append(row.get("side"));
    if (row.get("computer") != null) {
      sb.append(' ').append(row.get("computer"));
    }
    if (row.get("client") != null) {
      sb.append("  from ").append(row.get("client"));
    }
    if (row.get("server") != null) {
      sb.append("  to ").append(row.get("server"));
    }
    if (row.get("user") != null) {
      sb.append("  user ").append(row.get("user"));
    }
    @SuppressWarnings("unchecked")
    List<String> phases = (List<String>) row.get("phases");
    sb.append("  reached ").append(phases.isEmpty() ? "-" : phases.stream()
        .map(p -> Phase.valueOf(p).label()).collect(Collectors.joining(" > ")));
    Attempt.End end = Attempt.End.valueOf((String) row.get("end"));
    String how = end.label() + (end == Attempt.End.LOGGED_ON ? "" : " at " + Phase.valueOf((String) row.get("stoppedAt")).label());
    sb.append("  ").append(end == Attempt.End.FAILED ? st.red(how) : end == Attempt.End.LOGGED_ON ? st.green(how) : how);
    if (row.get("code") != null) {
      sb.append(" ").append(row.get("code")).append(row.get("codeName") == null ? "" : " " + row.get("codeName"));
    }
    sb.append(String.format(java.util.Locale.ROOT, "  %.1f s", (Double) row.get("durationSeconds")));
    @SuppressWarnings("unchecked")
    List<Proof> proof = (List<Proof>) row.get("proof");
    sb.append("  ").append(st.dim(cite(proof)));
    return sb.toString();
  }

  private static String sessionLine(Map<String, Object> row) {
    StringBuilder sb = new StringBuilder();
    sb.append(TIME.format(Instant.parse((String) row.get("time")))).append("  session  ");
    Object id = row.get("sessionId");
    sb.append(id instanceof Long ? "#" + id : String.valueOf(id));
    if (row.get("computer") != null) {
      sb.append(" on ").append(row.get("computer"));
    }
    if (row.get("user") != null) {
      sb.append("  user ").append(row.get("user"));
    }
    sb.append("  ").append(row.get("sessionEvent").toString().toLowerCase(java.util.Locale.ROOT));
    if (row.get("client") != null) {
      sb.append(" from ").append(row.get("client"));
    }
    if (row.get("code") != null) {
      sb.append(" ").append(row.get("code")).append(row.get("codeName") == null ? "" : " " + row.get("codeName"));
    }
    @SuppressWarnings("unchecked")
    List<Proof> proof = (List<Proof>) row.get("proof");
    sb.append("  ").append(cite(proof));
    return sb.toString();
  }

  /** "core.evtx records 12, 15, 19 (+4)": the proof, by file, short enough for one line. */
  static String cite(List<Proof> proof) {
    Map<String, List<String>> byFile = new LinkedHashMap<>();
    for (Proof p : proof) {
      byFile.computeIfAbsent(name(p.file()), k -> new ArrayList<>()).add(p.recordId() == null ? "?" : p.recordId().toString());
    }
    List<String> parts = new ArrayList<>();
    byFile.forEach((file, ids) -> parts.add(file + (ids.size() == 1 ? " record " : " records ")
        + String.join(", ", ids.subList(0, Math.min(ids.size(), 6))) + (ids.size() > 6 ? " (+" + (ids.size() - 6) + ")" : "")));
    return String.join("; ", parts);
  }

  private static String name(@Nullable String file) {
    if (file == null) {
      return "?";
    }
    return file.substring(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  }
}
