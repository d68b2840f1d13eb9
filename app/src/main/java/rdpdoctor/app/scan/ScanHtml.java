package rdpdoctor.app.scan;

import static rdpdoctor.app.report.HtmlReport.h;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import rdpdoctor.app.report.Report;
import rdpdoctor.fleet.HostResult;
import rdpdoctor.fleet.Store;

/**
 * {@code scan --html FILE}: one self-contained page (inline CSS and SVG, no fetched script, font or
 * image; a Content-Security-Policy that allows only its own inline script): the posture breakdown
 * (NLA, TLS floor, Standard RDP Security), a certificate expiry timeline, and a table of every
 * host. The table reads without script; the one small inline script only adds sorting (click a
 * column heading) and a filter box. Every string from the store goes through {@link
 * rdpdoctor.app.report.HtmlReport#h}: a host's failure text or problem is text, never markup.
 *
 * <p>Two passes over the store: the first counts (and keeps one small point per certificate for
 * the timeline), the second writes the table row by row, so a large scan is never held whole.
 */
final class ScanHtml {
  private ScanHtml() {}

  /** TLS versions from the oldest; a host's floor is the oldest it accepts. */
  static final List<String> TLS_ORDER = List.of("SSL 2.0", "SSL 3.0", "TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3");

  /** Weeks the timeline shows after the scan; later certificates share the last bar. */
  static final int WEEKS = 56;

  /** The counts of the first pass. */
  static final class Tally {
    final Map<String, Long> nla = new LinkedHashMap<>();
    final Map<String, Long> floor = new LinkedHashMap<>();
    final Map<String, Long> rdpSecurity = new LinkedHashMap<>();
    /** Certificates per bar: [0] expired, [1..WEEKS] week n after the scan, [WEEKS + 1] later. */
    final long[] bars = new long[WEEKS + 2];
    /** A few endpoints per bar, for the bar's tooltip. */
    final List<List<String>> barHosts = new ArrayList<>();
    long hosts;
    long up;
    long withProblems;

    Tally() {
      for (String k : List.of("required", "optional", "unavailable", "unknown", "down")) {
        nla.put(k, 0L);
      }
      // oldest first, so the weak floors lead; a breakdown leaves out what no host has
      for (String k : TLS_ORDER) {
        floor.put(k, 0L);
      }
      floor.put("no TLS", 0L);
      floor.put("not enumerated", 0L);
      for (String k : List.of("accepted", "refused", "not learnt")) {
        rdpSecurity.put(k, 0L);
      }
      for (int i = 0; i < bars.length; i++) {
        barHosts.add(new ArrayList<>());
      }
    }

    void add(HostResult r, Instant at) {
      hosts++;
      if (!r.problems().isEmpty()) {
        withProblems++;
      }
      if (!r.reachable()) {
        nla.merge("down", 1L, Long::sum);
        return;
      }
      up++;
      nla.merge(r.nla() == null ? "unknown" : r.nla(), 1L, Long::sum);
      floor.merge(floor(r), 1L, Long::sum);
      rdpSecurity.merge(r.rdpSecurity() == null ? "not learnt" : r.rdpSecurity() ? "accepted" : "refused", 1L, Long::sum);
      if (r.certNotAfter() != null) {
        int bar = bar(r.certNotAfter(), at);
        bars[bar]++;
        if (barHosts.get(bar).size() < 8) {
          barHosts.get(bar).add(r.target() + " " + r.certNotAfter().toString().substring(0, 10));
        }
      }
    }
  }

  /** The oldest TLS version a host accepts, "no TLS", or "not enumerated" (a quick scan). */
  static String floor(HostResult r) {
    if (r.tlsVersions() == null) {
      return "not enumerated";
    }
    return TLS_ORDER.stream().filter(r.tlsVersions()::contains).findFirst()
        .orElse(r.tlsVersions().isEmpty() ? "no TLS" : r.tlsVersions().get(0));
  }

  static int bar(Instant notAfter, Instant at) {
    if (!notAfter.isAfter(at)) {
      return 0;
    }
    long week = Duration.between(at, notAfter).toDays() / 7;
    return (int) Math.min(week + 1, WEEKS + 1);
  }

  /** Writes the page; {@code scan} gives its title and the timeline's "now" (the scan's start). */
  static void write(Writer w, Store db, Store.ScanInfo scan) {
    Instant at = scan.startedAt();
    Tally t = new Tally();
    db.forEachResult(scan.id(), r -> t.add(r, at));
    try {
      String script = script();
      w.write("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\n");
      // nothing may be fetched, and only this page's own script may run
      w.write("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline';"
          + " script-src '" + sha256(script) + "'\">\n");
      w.write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
      String title = "rdpdoctor scan " + scan.id() + " (tag " + scan.tag() + ", " + scan.mode() + ")";
      w.write("<title>" + h(title) + "</title>\n<style>" + CSS + "</style></head><body>\n");
      w.write("<header><h1>" + h(title) + "</h1><dl class=\"facts\" id=\"facts\">\n");
      w.write("<dt>started</dt><dd id=\"started\">" + h(at.toString()) + " (UTC)</dd>\n");
      w.write("<dt>finished</dt><dd id=\"finished\">" + (scan.finishedAt() == null ? "not finished (stopped; --resume continues it)"
          : h(scan.finishedAt().toString()) + " (UTC)") + "</dd>\n");
      w.write("<dt>targets</dt><dd><code id=\"targets\">" + h(scan.targets()) + "</code></dd>\n");
      w.write("<dt>tool</dt><dd id=\"version\">rdpdoctor " + h(Report.toolVersion()) + "</dd>\n");
      w.write("<dt>hosts</dt><dd id=\"summary\">" + t.hosts + " hosts, " + t.up + " up, " + (t.hosts - t.up) + " down, "
          + t.withProblems + " with problems</dd></dl></header>\n");
      w.write("<h2>Posture</h2>\n");
      breakdown(w, "nla", "NLA", t.nla);
      breakdown(w, "floor", "TLS floor (oldest version accepted)", t.floor);
      breakdown(w, "rdpsec", "Standard RDP Security", t.rdpSecurity);
      timeline(w, t, at);
      w.write("<h2>Hosts</h2>\n<p class=\"meta\" id=\"tools\" hidden><label>Filter <input id=\"filter\" type=\"search\""
          + " placeholder=\"host, NLA, problem...\"></label> <span id=\"shown\"></span>; click a column heading to sort</p>\n");
      w.write("<table id=\"hosts\"><thead><tr>");
      for (String[] c : COLUMNS) {
        w.write("<th data-type=\"" + c[1] + "\">" + c[0] + "</th>");
      }
      w.write("</tr></thead><tbody>\n");
      db.forEachResult(scan.id(), r -> row(w, r, at));
      w.write("</tbody></table>\n<script>" + script + "</script>\n</body></html>\n");
      w.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Heading and how it sorts: text, or num (the cell's data-v). */
  static final String[][] COLUMNS = {
    {"host", "text"}, {"port", "num"}, {"state", "text"}, {"NLA", "text"}, {"RDP security", "text"},
    {"TLS versions", "text"}, {"TLS floor", "num"}, {"certificate expires", "text"}, {"days left", "num"},
    {"problems", "num"}
  };

  private static void row(Writer w, HostResult r, Instant at) {
    StringBuilder b = new StringBuilder("<tr>");
    cell(b, r.target().host(), null);
    cell(b, String.valueOf(r.target().port()), String.valueOf(r.target().port()));
    cell(b, r.reachable() ? "up" : "down: " + r.failure(), null);
    cell(b, r.reachable() ? r.nla() : "", null);
    cell(b, r.rdpSecurity() == null ? "" : r.rdpSecurity() ? "accepted" : "refused", null);
    cell(b, r.tlsVersions() == null ? "" : String.join(", ", r.tlsVersions()), null);
    String floor = r.reachable() ? floor(r) : "";
    int rank = TLS_ORDER.indexOf(floor);
    cell(b, floor, String.valueOf(rank < 0 ? 99 : rank));
    cell(b, r.certNotAfter() == null ? "" : r.certNotAfter().toString(), null);
    long days = r.certNotAfter() == null ? Long.MAX_VALUE : Duration.between(at, r.certNotAfter()).toDays();
    cell(b, days == Long.MAX_VALUE ? "" : String.valueOf(days), String.valueOf(days == Long.MAX_VALUE ? 1_000_000 : days));
    b.append("<td data-v=\"").append(r.problems().size()).append("\">");
    if (r.problems().isEmpty()) {
      b.append("none");
    } else {
      b.append("<ul>");
      r.problems().forEach(p -> b.append("<li>").append(h(p)).append("</li>"));
      b.append("</ul>");
    }
    b.append("</td></tr>\n");
    try {
      w.write(b.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void cell(StringBuilder b, @Nullable String text, @Nullable String sortValue) {
    b.append("<td").append(sortValue == null ? "" : " data-v=\"" + h(sortValue) + "\"").append(">")
        .append(h(text)).append("</td>");
  }

  /** One stacked bar (inline SVG) with its counts as text beside it, readable without colour. */
  private static void breakdown(Writer w, String id, String label, Map<String, Long> counts) throws IOException {
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    w.write("<section class=\"breakdown\" id=\"" + id + "\"><h3>" + h(label) + "</h3>\n");
    if (total == 0) {
      w.write("<p class=\"meta\">no host answered</p></section>\n");
      return;
    }
    w.write("<svg width=\"600\" height=\"22\" viewBox=\"0 0 600 22\" role=\"img\" aria-label=\"" + h(label) + "\">");
    double x = 0;
    int i = 0;
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      if (e.getValue() == 0) {
        i++;
        continue;
      }
      double width = 600.0 * e.getValue() / total;
      w.write(String.format(java.util.Locale.ROOT, "<rect x=\"%.2f\" y=\"0\" width=\"%.2f\" height=\"22\" fill=\"%s\">"
          + "<title>%s: %d</title></rect>", x, width, colour(id, e.getKey(), i), h(e.getKey()), e.getValue()));
      x += width;
      i++;
    }
    w.write("</svg>\n<ul class=\"counts\">");
    i = 0;
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      if (e.getValue() > 0) {
        w.write("<li data-k=\"" + h(e.getKey()) + "\"><span class=\"swatch\" style=\"background:" + colour(id, e.getKey(), i)
            + "\"></span>" + h(e.getKey()) + ": <b>" + e.getValue() + "</b></li>");
      }
      i++;
    }
    w.write("</ul></section>\n");
  }

  /** Red for the weak answers, green for the strong, greys for what was not learnt. */
  static String colour(String chart, String key, int index) {
    return switch (key) {
      case "required", "refused", "TLS 1.2", "TLS 1.3" -> "#2e7d4f";
      case "optional", "TLS 1.1" -> "#d08c00";
      case "unavailable", "accepted", "SSL 2.0", "SSL 3.0", "TLS 1.0" -> "#b3261e";
      case "down" -> "#555555";
      default -> index % 2 == 0 ? "#9a9a9a" : "#c4c4c4";
    };
  }

  /** Certificates per week after the scan, the expired ones first, as an inline SVG bar chart. */
  private static void timeline(Writer w, Tally t, Instant at) throws IOException {
    long certs = java.util.Arrays.stream(t.bars).sum();
    w.write("<h2>Certificate expiry</h2>\n<section id=\"timeline\">");
    if (certs == 0) {
      w.write("<p class=\"meta\">no certificate was read (a quick scan reads none: scan with --full)</p></section>\n");
      return;
    }
    w.write("<p class=\"meta\">" + certs + " certificates: " + t.bars[0] + " expired, "
        + java.util.stream.LongStream.of(t.bars).skip(1).limit(5).sum() + " expire within 5 weeks of the scan</p>\n");
    long max = java.util.Arrays.stream(t.bars).max().orElse(1);
    int barW = 10;
    int gap = 2;
    int height = 120;
    int width = (WEEKS + 2) * (barW + gap) + 40;
    w.write("<svg width=\"" + width + "\" height=\"" + (height + 40) + "\" viewBox=\"0 0 " + width + " " + (height + 40)
        + "\" role=\"img\" aria-label=\"certificates expiring per week\">\n");
    LocalDate start = at.atZone(ZoneOffset.UTC).toLocalDate();
    for (int i = 0; i < t.bars.length; i++) {
      int x = 20 + i * (barW + gap);
      long n = t.bars[i];
      int h = n == 0 ? 0 : (int) Math.max(2, Math.round((double) height * n / max));
      String what = i == 0 ? "expired" : i == WEEKS + 1 ? "later than " + start.plusWeeks(WEEKS)
          : "week of " + start.plusWeeks(i - 1);
      String fill = i == 0 ? "#b3261e" : i <= 5 ? "#d08c00" : "#3d6fb5";
      w.write("<rect class=\"week\" data-n=\"" + n + "\" x=\"" + x + "\" y=\"" + (height - h) + "\" width=\"" + barW
          + "\" height=\"" + h + "\" fill=\"" + fill + "\"><title>" + h(what + ": " + n
          + (n == 0 ? "" : " (" + String.join(", ", t.barHosts.get(i)) + (n > t.barHosts.get(i).size() ? ", ..." : "") + ")"))
          + "</title></rect>\n");
      // the first week is the "scan" mark's; then a month label every quarter
      if (i == 0 || i > 1 && (i - 1) % 13 == 0 && i <= WEEKS) {
        w.write("<text x=\"" + x + "\" y=\"" + (height + 16) + "\" class=\"axis\">"
            + (i == 0 ? "expired" : h(start.plusWeeks(i - 1).toString().substring(0, 7))) + "</text>\n");
      }
    }
    // "now": the scan's start, between the expired bar and the first week
    int now = 20 + barW + gap / 2;
    w.write("<line x1=\"" + now + "\" x2=\"" + now + "\" y1=\"0\" y2=\"" + (height + 4) + "\" stroke=\"#1d1d1f\"/>"
        + "<text x=\"" + (now + 2) + "\" y=\"" + (height + 32) + "\" class=\"axis\">scan " + h(start.toString()) + "</text>\n");
    w.write("</svg></section>\n");
  }

  private static String sha256(String script) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + Base64.getEncoder().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  static final String CSS = """
      body{font:15px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:72rem;color:#1d1d1f;background:#ffffff;padding:0 1rem}
      h1{font-size:1.4rem;margin-bottom:.3rem}h2{font-size:1.15rem;margin-top:2rem}h3{font-size:1rem;margin:.8rem 0 .3rem}
      dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.5rem 0 1rem;font-size:.9rem}
      dl.facts dt{color:#555555}dl.facts dd{margin:0}.meta{color:#595959;font-size:.85rem}
      code{font-family:ui-monospace,Consolas,monospace;font-size:.85rem}
      ul.counts{list-style:none;display:flex;flex-wrap:wrap;gap:.8rem;padding:0;margin:.3rem 0;font-size:.85rem}
      .swatch{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:-.1rem;border:1px solid #555555}
      svg text.axis{font-size:10px;fill:#333333}
      table{border-collapse:collapse;width:100%;font-size:.85rem}td,th{border-bottom:1px solid #e2e2e2;padding:.25rem .4rem;text-align:left;vertical-align:top}
      th{background:#f0f0f2;cursor:pointer;white-space:nowrap}th[aria-sort=ascending]::after{content:" \\25B2"}th[aria-sort=descending]::after{content:" \\25BC"}
      td ul{margin:0;padding-left:1rem}
      """;

  /**
   * Sorting and filtering, offline: no library, nothing fetched. Kept as one string so the page's
   * Content-Security-Policy can name its hash.
   */
  static String script() {
    return """
        (function () {
          var table = document.getElementById('hosts'), body = table.tBodies[0];
          var heads = table.tHead.rows[0].cells, filter = document.getElementById('filter');
          var shown = document.getElementById('shown');
          document.getElementById('tools').hidden = false;
          function key(row, i, type) {
            var c = row.cells[i];
            return type === 'num' ? parseFloat(c.getAttribute('data-v')) : c.textContent.toLowerCase();
          }
          Array.prototype.forEach.call(heads, function (th, i) {
            th.tabIndex = 0;
            function sort() {
              var up = th.getAttribute('aria-sort') !== 'ascending', type = th.getAttribute('data-type');
              var rows = Array.prototype.slice.call(body.rows);
              rows.sort(function (a, b) {
                var x = key(a, i, type), y = key(b, i, type);
                return (x < y ? -1 : x > y ? 1 : 0) * (up ? 1 : -1);
              });
              rows.forEach(function (r) { body.appendChild(r); });
              Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
              th.setAttribute('aria-sort', up ? 'ascending' : 'descending');
            }
            th.addEventListener('click', sort);
            th.addEventListener('keydown', function (e) { if (e.key === 'Enter') sort(); });
          });
          function apply() {
            var q = filter.value.toLowerCase(), n = 0;
            Array.prototype.forEach.call(body.rows, function (r) {
              var show = r.textContent.toLowerCase().indexOf(q) >= 0;
              r.hidden = !show;
              if (show) n++;
            });
            shown.textContent = n + ' of ' + body.rows.length + ' hosts shown';
          }
          filter.addEventListener('input', apply);
          apply();
        })();""";
  }
}
