package rdpdoctor.app.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.app.CliRun;
import rdpdoctor.app.report.HeadlessChromium;
import rdpdoctor.fleet.HostResult;
import rdpdoctor.fleet.Store;
import rdpdoctor.fleet.X224Responder;
import rdpdoctor.probe.Target;
import tools.jackson.databind.JsonNode;

/**
 * {@code scan --html} as headless Chromium shows it: the posture counts, the certificate timeline's
 * bars, every host in the table; clicking a heading sorts, the filter box filters; nothing is
 * fetched, the one inline script is the page's own, and hostile store text is shown as text.
 */
class ScanHtmlChromiumTest {
  @TempDir Path dir;
  private final List<X224Responder> responders = new ArrayList<>();
  private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");
  private static final String HOSTILE = "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>";

  @AfterEach
  void close() throws Exception {
    for (X224Responder r : responders) {
      r.close();
    }
  }

  private static HostResult host(String ip, String nla, Boolean rdp, List<String> tls, Instant notAfter, List<String> problems) {
    return new HostResult(new Target(ip, 3389), AT.plusSeconds(5), true, null, nla, rdp, tls,
        notAfter == null ? null : "AB" + ip.hashCode(), notAfter, 6L, "10.0.17763", problems, 40);
  }

  private Path page() throws Exception {
    Path html = dir.resolve("scan.html");
    try (Store db = Store.open("jdbc:sqlite:" + dir.resolve("h.db"))) {
      Store.ScanInfo scan = db.startScan(HOSTILE, "full", "10.0.0.0/29", AT);
      db.record(scan.id(), host("10.0.0.1", "required", false, List.of("TLS 1.2", "TLS 1.3"),
          AT.plus(Duration.ofDays(200)), List.of()));
      db.record(scan.id(), host("10.0.0.2", "unavailable", true, List.of("TLS 1.0", "TLS 1.2"),
          AT.minus(Duration.ofDays(3)), List.of("certificate: expired 3 days ago", "obsolete TLS versions accepted: TLS 1.0",
              "NLA is not offered: " + HOSTILE)));
      db.record(scan.id(), host("10.0.0.3", "optional", false, List.of("TLS 1.1", "TLS 1.2"),
          AT.plus(Duration.ofDays(10)), List.of("NLA is offered but not required: clients can connect without CredSSP")));
      db.record(scan.id(), host("10.0.0.4", "required", false, List.of("TLS 1.2"), AT.plus(Duration.ofDays(900)), List.of()));
      db.record(scan.id(), new HostResult(new Target("10.0.0.5", 3389), AT, false, "CONNECTION_REFUSED: " + HOSTILE,
          null, null, null, null, null, null, null, List.of("the connection was refused; " + HOSTILE), 3));
      db.finish(scan.id(), AT.plusSeconds(60));
      try (Writer w = Files.newBufferedWriter(html, StandardCharsets.UTF_8)) {
        ScanHtml.write(w, db, db.scan(scan.id()).orElseThrow());
      }
    }
    return html;
  }

  static final String READ = """
      const rows = Array.from(document.querySelectorAll('#hosts tbody tr')).filter(r => !r.hidden);
      const counts = id => Object.fromEntries(Array.from(document.querySelectorAll('#' + id + ' li'))
          .map(li => [li.dataset.k, parseInt(li.querySelector('b').textContent)]));
      return {hosts: rows.map(r => r.cells[0].textContent), summary: document.getElementById('summary').innerText,
              nla: counts('nla'), floor: counts('floor'), rdpsec: counts('rdpsec'),
              weeks: Array.from(document.querySelectorAll('#timeline rect.week')).map(r => parseInt(r.dataset.n)),
              expiredTitle: document.querySelector('#timeline rect.week title').textContent,
              title: document.title, scripts: document.scripts.length, pwned: typeof window.pwned,
              fetched: performance.getEntriesByType('resource').length, shown: document.getElementById('shown').innerText,
              toolsHidden: document.getElementById('tools').hidden, body: document.body.innerText};""";

  @Test
  void chromiumShowsThePostureTheTimelineAndATableThatSortsAndFilters() throws Exception {
    HeadlessChromium.require();
    Path html = page();
    String source = Files.readString(html);
    // without script the table is all there: the rows are in the page, not built by the script
    assertThat(source.split("<tr>", -1)).hasSize(1 + 1 + 5);
    assertThat(source).doesNotContain("<img src=x").doesNotContain("src=\"http").doesNotContain("href=\"http");
    try (HeadlessChromium c = HeadlessChromium.start(Files.createDirectories(dir.resolve("chromium")), 1200, 1400)) {
      c.open(html);
      JsonNode p = c.run(READ);
      assertThat(p.get("scripts").asInt()).isEqualTo(1);
      assertThat(p.get("pwned").asString()).isEqualTo("undefined");
      assertThat(p.get("fetched").asInt()).isZero();
      assertThat(p.get("title").asString()).isEqualTo("rdpdoctor scan 1 (tag " + HOSTILE + ", full)");
      assertThat(p.get("body").asString()).contains("NLA is not offered: " + HOSTILE, "down: CONNECTION_REFUSED: " + HOSTILE);
      assertThat(p.get("summary").asString()).isEqualTo("5 hosts, 4 up, 1 down, 3 with problems");
      // (the browser's object keys come back sorted)
      assertThat(p.get("nla").toString()).isEqualTo("{\"down\":1,\"optional\":1,\"required\":2,\"unavailable\":1}");
      assertThat(p.get("floor").toString()).isEqualTo("{\"TLS 1.0\":1,\"TLS 1.1\":1,\"TLS 1.2\":2}");
      assertThat(p.get("rdpsec").toString()).isEqualTo("{\"accepted\":1,\"refused\":3}");
      List<Integer> weeks = new ArrayList<>();
      p.get("weeks").forEach(n -> weeks.add(n.asInt()));
      assertThat(weeks).hasSize(ScanHtml.WEEKS + 2);
      assertThat(weeks.get(0)).as("expired").isEqualTo(1);
      assertThat(weeks.get(2)).as("10 days: the second week").isEqualTo(1);
      assertThat(weeks.get(200 / 7 + 1)).isEqualTo(1);
      assertThat(weeks.get(ScanHtml.WEEKS + 1)).as("900 days: later").isEqualTo(1);
      assertThat(weeks.stream().mapToInt(Integer::intValue).sum()).isEqualTo(4);
      assertThat(p.get("expiredTitle").asString()).isEqualTo("expired: 1 (10.0.0.2:3389 2026-11-28)");
      assertThat(p.get("toolsHidden").asBoolean()).as("the script shows the filter box").isFalse();
      assertThat(hosts(p)).containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5");

      // days left, ascending: expired first, no certificate last; a second click reverses
      c.run("document.querySelectorAll('#hosts th')[8].click();");
      assertThat(hosts(c.run(READ))).containsExactly("10.0.0.2", "10.0.0.3", "10.0.0.1", "10.0.0.4", "10.0.0.5");
      c.run("document.querySelectorAll('#hosts th')[8].click();");
      assertThat(hosts(c.run(READ))).containsExactly("10.0.0.5", "10.0.0.4", "10.0.0.1", "10.0.0.3", "10.0.0.2");
      // the TLS floor sorts by age of the version, not by its text
      c.run("document.querySelectorAll('#hosts th')[6].click();");
      assertThat(hosts(c.run(READ))).startsWith("10.0.0.2", "10.0.0.3");

      c.run("const f = document.getElementById('filter'); f.value = 'nla is'; f.dispatchEvent(new Event('input'));");
      JsonNode filtered = c.run(READ);
      assertThat(hosts(filtered)).containsExactlyInAnyOrder("10.0.0.2", "10.0.0.3");
      assertThat(filtered.get("shown").asString()).isEqualTo("2 of 5 hosts shown");
      Files.write(Files.createDirectories(CliRun.projectRoot().resolve("app/target/html-report")).resolve("scan.png"),
          c.screenshot());
    }
  }

  private static List<String> hosts(JsonNode p) {
    List<String> out = new ArrayList<>();
    p.get("hosts").forEach(h -> out.add(h.asString()));
    return out;
  }

  @Test
  void theScanCommandWritesThePage() throws Exception {
    X224Responder a = new X224Responder("127.0.0.111", X224Responder.Policy.NLA_REQUIRED);
    X224Responder b = new X224Responder("127.0.0.112", X224Responder.Policy.RDP_ONLY);
    responders.add(a);
    responders.add(b);
    Path html = dir.resolve("cli.html");
    CliRun r = CliRun.run("scan", a.spec(), b.spec(), "--db", "jdbc:sqlite:" + dir.resolve("cli.db"), "--html", html.toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    String page = Files.readString(html);
    assertThat(page).startsWith("<!DOCTYPE html>").endsWith("</html>\n")
        .contains("<td>127.0.0.111</td><td data-v=\"" + a.port() + "\">" + a.port() + "</td><td>up</td><td>required</td>")
        .contains("<td>127.0.0.112</td>", "Standard RDP Security is accepted")
        .contains("no certificate was read (a quick scan reads none: scan with --full)")
        .contains("<li data-k=\"required\">", "<li data-k=\"unavailable\">");
  }
}
