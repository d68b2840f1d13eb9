package rdpdoctor.serve;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Finding;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.catalog.Explanation;
import rdpdoctor.diagnosis.catalog.MessageReading;
import rdpdoctor.diagnosis.catalog.PairReading;
import rdpdoctor.diagnosis.catalog.RankedCause;
import rdpdoctor.diagnosis.catalog.Reading;
import rdpdoctor.fleet.HostResult;
import rdpdoctor.fleet.ScanDiff;
import rdpdoctor.fleet.Store;
import rdpdoctor.probe.PhaseTiming;
import rdpdoctor.probe.ProbeReport;

/**
 * The web UI's pages: view models built from the estate, the store and the kept probes, rendered
 * by Mustache templates ({@code rdpdoctor/serve/templates}), which HTML-escape every value. No
 * template uses the unescaped form, and no page has a script: charts are SVG drawn here.
 */
final class Pages {
  private static final MustacheFactory TEMPLATES = new DefaultMustacheFactory("rdpdoctor/serve/templates");
  private static final Map<String, Mustache> COMPILED = new ConcurrentHashMap<>();

  /** Rows of the overview's host table; the rest are counted, and found with the host box. */
  static final int OVERVIEW_ROWS = 500;

  private Pages() {}

  static String render(String template, Map<String, Object> scope) {
    Mustache m = COMPILED.computeIfAbsent(template, t -> TEMPLATES.compile(t + ".mustache"));
    StringWriter w = new StringWriter(8192);
    m.execute(w, scope);
    return w.toString();
  }

  /** The scope every page has: its title, the CSRF token for its forms, the navigation. */
  static Map<String, Object> page(String title, String csrf) {
    Map<String, Object> s = new HashMap<>();
    s.put("title", title);
    s.put("csrf", csrf);
    return s;
  }

  static String link(String target) {
    return "/host?target=" + URLEncoder.encode(target, StandardCharsets.UTF_8);
  }

  // ---- overview

  public record Row(String target, String link, String tag, long scan, String status, String statusClass,
      String nla, String rdpSecurity, String tls, String cert, String certClass, String firstProblem,
      int problems, String finished) { }

  static Row row(Estate.Host h, Instant now) {
    HostResult r = h.result();
    String status = !r.reachable() ? "down" : r.problems().isEmpty() ? "ok" : "problems";
    String cert = "";
    String certClass = "";
    if (r.certNotAfter() != null) {
      long days = Duration.between(now, r.certNotAfter()).toDays();
      cert = r.certNotAfter().isBefore(now) ? "expired " + r.certNotAfter().toString().substring(0, 10)
          : days + " days (" + r.certNotAfter().toString().substring(0, 10) + ")";
      certClass = r.certNotAfter().isBefore(now.plus(Duration.ofDays(14))) ? "bad" : days < 30 ? "warn" : "";
    }
    String first = !r.reachable() ? orEmpty(r.failure()) : r.problems().isEmpty() ? "" : r.problems().get(0);
    return new Row(r.target().toString(), link(r.target().toString()), h.tag(), h.scanId(), status,
        "status-" + status, orDash(r.nla()), yesNo(r.rdpSecurity()),
        r.tlsVersions() == null ? "-" : r.tlsVersions().isEmpty() ? "none" : String.join(", ", r.tlsVersions()),
        cert.isEmpty() ? "-" : cert, certClass, first, r.problems().size(), r.finishedAt().toString());
  }

  /** One bar of the certificate expiry chart. */
  public record Bar(String label, int count, int x, int y, int height, int labelX, int countY, String barClass) { }

  static final int CHART_HEIGHT = 120;

  /** Certificates by time to expiry, as inline SVG bars (no script, no library). */
  static List<Bar> expiryChart(Estate e) {
    String[] labels = {"expired", "< 7 d", "7-14 d", "14-30 d", "30-90 d", "90-180 d", "180-365 d", "> 1 y"};
    long[] upper = {0, 7, 14, 30, 90, 180, 365, Long.MAX_VALUE};
    int[] counts = new int[labels.length];
    for (Estate.Host h : e.hosts()) {
      Instant na = h.result().certNotAfter();
      if (na == null) {
        continue;
      }
      long secs = Duration.between(e.at(), na).getSeconds();
      for (int i = 0; i < upper.length; i++) {
        if (secs <= 0 ? i == 0 : i > 0 && secs < upper[i] * 86_400L || i == upper.length - 1) {
          counts[i]++;
          break;
        }
      }
    }
    int max = 1;
    for (int c : counts) {
      max = Math.max(max, c);
    }
    List<Bar> bars = new ArrayList<>();
    for (int i = 0; i < labels.length; i++) {
      int h = (int) Math.round(counts[i] * (double) CHART_HEIGHT / max);
      int x = 10 + i * 80;
      bars.add(new Bar(labels[i], counts[i], x, 20 + CHART_HEIGHT - h, h, x + 30, 20 + CHART_HEIGHT - h - 4,
          i <= 2 ? "bar-bad" : i == 3 ? "bar-warn" : "bar-ok"));
    }
    return bars;
  }

  static String overview(Estate e, String csrf, @Nullable String flash) {
    Map<String, Object> s = page("Estate", csrf);
    s.put("counts", e.counts());
    s.put("at", e.at().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < Math.min(OVERVIEW_ROWS, e.hosts().size()); i++) {
      rows.add(row(e.hosts().get(i), e.at()));
    }
    s.put("rows", rows);
    s.put("more", e.hosts().size() > OVERVIEW_ROWS ? e.hosts().size() - OVERVIEW_ROWS : null);
    s.put("bars", expiryChart(e));
    s.put("chartHeight", CHART_HEIGHT + 50);
    s.put("flash", flash);
    return render("overview", s);
  }

  // ---- host

  public record HistoryRow(long scan, String tag, String at, String status, String statusClass, String nla,
      String rdpSecurity, String tls, String certSha1, String certNotAfter, String problems) { }

  public record Event(String at, long scan, String kind, String text, String kindClass) { }

  public record Phase(String name, String phase, String ms, int x, int width, int y, boolean ok, String error) { }

  public record ProofView(String role, String summary, String source) { }

  public record FixView(String title, String detail) { }

  public record FindingView(String id, String title, String kind, String confidence, String phase, String explanation,
      List<ProofView> proof, List<FixView> fixes) { }

  static FindingView finding(Finding f) {
    return finding(f, "");
  }

  /** The same, with {@code folder} cut from the evidence's locations (an upload's temporary folder). */
  static FindingView finding(Finding f, String folder) {
    List<ProofView> proof = new ArrayList<>();
    for (Finding.Proof p : f.proof()) {
      Observation o = p.observation();
      String where = o.provenance().location() + (o.provenance().detail() == null ? "" : ", " + o.provenance().detail());
      where = folder.isEmpty() ? where : where.replace(folder, "");
      proof.add(new ProofView(p.role(), o.summary(), where));
    }
    List<FixView> fixes = f.remediation().stream().map(r -> new FixView(r.title(), r.detail())).toList();
    return new FindingView(f.id(), f.title(), f.kind().word(), f.confidence().level(), f.phase().name(),
        f.explanation(), proof, fixes);
  }

  static String host(String target, List<Store.Entry> history, ProbeMemory.@Nullable Kept kept, String csrf,
      @Nullable String flash, Instant now) {
    Map<String, Object> s = page(target, csrf);
    s.put("target", target);
    s.put("flash", flash);
    List<HistoryRow> rows = new ArrayList<>();
    List<Event> events = new ArrayList<>();
    HostResult prev = null;
    for (Store.Entry e : history) {
      HostResult r = e.result();
      String status = !r.reachable() ? "down" : r.problems().isEmpty() ? "ok" : "problems";
      rows.add(new HistoryRow(e.scan().id(), e.scan().tag(), r.finishedAt().toString(), status, "status-" + status,
          orDash(r.nla()), yesNo(r.rdpSecurity()), r.tlsVersions() == null ? "-" : String.join(", ", r.tlsVersions()),
          r.certSha1() == null ? "-" : r.certSha1().substring(0, Math.min(12, r.certSha1().length())),
          r.certNotAfter() == null ? "-" : r.certNotAfter().toString(), String.join("; ", r.problems())));
      if (prev == null) {
        events.add(new Event(r.finishedAt().toString(), e.scan().id(), "first", "first seen: " + summary(r), "neutral"));
      } else {
        // the same comparison as `rdpdoctor diff`, between consecutive results of this endpoint
        for (ScanDiff.Change c : ScanDiff.of(List.of(prev), List.of(r), 0)) {
          if (c.kind() == ScanDiff.Kind.CERT_EXPIRING) {
            continue;
          }
          events.add(new Event(r.finishedAt().toString(), e.scan().id(), c.kind().word(),
              change(c), c.direction().name().toLowerCase(Locale.ROOT)));
        }
      }
      prev = r;
    }
    java.util.Collections.reverse(rows);
    java.util.Collections.reverse(events);
    s.put("history", rows);
    s.put("events", events);
    s.put("latest", prev == null ? null : row(new Estate.Host("", history.get(history.size() - 1).scan().tag(),
        history.get(history.size() - 1).scan().id(), prev), now));
    if (kept != null) {
      ProbeReport r = kept.report();
      Map<String, Object> k = new HashMap<>();
      k.put("at", kept.at().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
      k.put("ms", String.format(Locale.ROOT, "%.1f", r.millis()));
      k.put("connections", r.connections());
      k.put("verdicts", r.problems());
      k.put("healthy", r.problems().isEmpty());
      k.put("nla", r.verdict() == null ? "-" : r.verdict().nla().json());
      k.put("phases", waterfall(r));
      k.put("waterfallHeight", 20 + 16 * r.phases().size());
      k.put("findings", kept.diagnosis().findings().stream().map(Pages::finding).toList());
      s.put("kept", k);
    }
    return render("host", s);
  }

  private static String summary(HostResult r) {
    return !r.reachable() ? "down (" + orEmpty(r.failure()) + ")"
        : "NLA " + orDash(r.nla()) + ", Standard RDP Security " + yesNo(r.rdpSecurity());
  }

  private static String change(ScanDiff.Change c) {
    String words = switch (c.kind()) {
      case NLA_OFF, NLA_ON -> "NLA changed";
      case CERT_RENEWED -> "certificate renewed";
      case DOWN -> "went down";
      case UP -> "came back up";
      default -> c.kind().word();
    };
    if (c.before() == null && c.after() == null) {
      return words;
    }
    return words + ": " + orDash(c.before()) + " -> " + orDash(c.after());
  }

  /** The phases as bars on one time axis, 600 px for the whole probe. */
  static List<Phase> waterfall(ProbeReport r) {
    long end = 1;
    for (PhaseTiming p : r.phases()) {
      end = Math.max(end, p.startMicros() + p.micros());
    }
    List<Phase> out = new ArrayList<>();
    int i = 0;
    for (PhaseTiming p : r.phases()) {
      int x = 200 + (int) (p.startMicros() * 600 / end);
      int w = Math.max(2, (int) (p.micros() * 600 / end));
      out.add(new Phase(p.name(), p.phase().name(), String.format(Locale.ROOT, "%.2f ms", p.millis()),
          x, w, 10 + 16 * i, p.ok(), orEmpty(p.error())));
      i++;
    }
    return out;
  }

  // ---- scans and diff

  public record ScanRow(long id, String tag, String mode, String targets, String started, String finished) { }

  static String scans(List<Store.ScanInfo> scans, String csrf) {
    Map<String, Object> s = page("Scans", csrf);
    List<ScanRow> rows = new ArrayList<>();
    for (int i = scans.size() - 1; i >= 0; i--) {
      Store.ScanInfo x = scans.get(i);
      rows.add(new ScanRow(x.id(), x.tag(), x.mode(), x.targets(), x.startedAt().toString(),
          x.finishedAt() == null ? "not finished" : x.finishedAt().toString()));
    }
    s.put("scans", rows);
    s.put("newest", rows.isEmpty() ? null : rows.get(0).id());
    s.put("older", rows.size() < 2 ? null : rows.get(1).id());
    return render("scans", s);
  }

  public record ChangeView(String target, String link, String kind, String before, String after, String direction) { }

  static String diff(Store.ScanInfo a, Store.ScanInfo b, List<ScanDiff.Change> changes, String csrf) {
    Map<String, Object> s = page("Scan " + a.id() + " to " + b.id(), csrf);
    s.put("a", a);
    s.put("b", b);
    s.put("changes", changes.stream().map(c -> new ChangeView(c.target().toString(), link(c.target().toString()),
        c.kind().word(), orDash(c.before()), orDash(c.after()), c.direction().name().toLowerCase(Locale.ROOT))).toList());
    s.put("worse", changes.stream().filter(c -> c.direction() == ScanDiff.Direction.WORSE).count());
    return render("diff", s);
  }

  // ---- explain

  public record CodeView(String token, String family, String hex, String name, String meaning, String phase) { }

  public record PairView(String label, String title, String reading) { }

  public record CauseView(String title, String why, String confidence, String from, List<String> checks, List<String> fixes) { }

  static String explain(@Nullable String text, @Nullable Explanation x, String csrf) {
    Map<String, Object> s = page("Explain a code", csrf);
    s.put("text", text == null ? "" : text);
    if (x != null) {
      Map<String, Object> e = new HashMap<>();
      e.put("understood", x.understood());
      List<CodeView> codes = new ArrayList<>();
      for (Reading r : x.codes()) {
        codes.add(new CodeView(r.token(), r.family(), r.hex(), r.entry().name(), r.entry().meaning(), r.entry().phase().name()));
      }
      e.put("codes", codes);
      List<PairView> pairs = new ArrayList<>();
      for (PairReading p : x.pairs()) {
        pairs.add(new PairView(p.label(), p.combination().title(), p.combination().reading()));
      }
      e.put("pairs", pairs);
      e.put("messages", x.messages().stream().map(MessageReading::entry).toList());
      List<CauseView> causes = new ArrayList<>();
      for (RankedCause c : x.causes()) {
        causes.add(new CauseView(c.cause().title(), c.cause().why(), c.cause().confidence().name().toLowerCase(Locale.ROOT),
            c.from(), c.cause().checks(), c.cause().fixes()));
      }
      e.put("causes", causes);
      e.put("unrecognised", x.unrecognised());
      s.put("explained", e);
    }
    return render("explain", s);
  }

  // ---- analyze

  public record CaseView(String computer, List<String> files, List<String> notes, List<FindingView> findings) { }

  static String analyze(@Nullable List<CaseView> cases, @Nullable String upload, long maxBytes, String csrf) {
    Map<String, Object> s = page("Analyze a bundle", csrf);
    s.put("maxMiB", maxBytes >> 20);
    s.put("upload", upload);
    s.put("cases", cases);
    s.put("nothing", cases != null && cases.stream().allMatch(c -> c.findings().isEmpty()));
    return render("analyze", s);
  }

  static String error(int status, String message, String csrf) {
    Map<String, Object> s = page("Error " + status, csrf);
    s.put("status", status);
    s.put("message", message);
    return render("error", s);
  }

  private static String orDash(@Nullable String s) {
    return s == null ? "-" : s;
  }

  private static String orEmpty(@Nullable String s) {
    return s == null ? "" : s;
  }

  private static String yesNo(@Nullable Boolean b) {
    return b == null ? "-" : b ? "yes" : "no";
  }
}
