package rdpdoctor.app.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.app.CliRun;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.evidence.x509.TestCertificates;
import rdpdoctor.probe.bench.XrdpServer;
import tools.jackson.databind.JsonNode;

/**
 * The HTML reports of the real commands as headless Chromium renders them: the phase boxes'
 * computed colours (and the screenshot's pixels) are each state's, every piece of text on the
 * page has at least 4.5:1 contrast against what is behind it, the header and probe facts are
 * shown, the hostile evidence is text and ran nothing. Screenshots go to app/target/html-report/
 * (docs/html-report.png is the diagnose one, copied by hand when the page changes).
 */
class HtmlReportChromiumTest {
  static final int WIDTH = 1100;
  static final int HEIGHT = 1400;

  @TempDir Path dir;

  static Path screenshots() throws IOException {
    return Files.createDirectories(CliRun.projectRoot().resolve("app/target/html-report"));
  }

  /** Each phase box: state class, computed colours, and where it is in the viewport. */
  static final String PHASES = """
      return Array.from(document.querySelectorAll('#phases li')).map(li => {
        const s = getComputedStyle(li), r = li.getBoundingClientRect();
        return {phase: li.dataset.phase, cls: li.className, color: s.color, background: s.backgroundColor,
                border: s.borderTopColor, x: r.left, y: r.top, h: r.height};
      });""";

  /**
   * Every element that directly holds visible text, with its colour and the first opaque
   * background behind it (the page is white where no element paints one).
   */
  static final String TEXTS = """
      const out = [];
      for (const e of document.body.querySelectorAll('*')) {
        const own = Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim() !== '');
        if (!own || e.getClientRects().length === 0) continue;
        let bg = 'rgb(255, 255, 255)';
        for (let a = e; a; a = a.parentElement) {
          const c = getComputedStyle(a).backgroundColor;
          if (c !== 'transparent' && !/rgba\\(.*,\\s*0\\)$/.test(c)) { bg = c; break; }
        }
        out.push({tag: e.tagName, text: e.textContent.trim().slice(0, 60), color: getComputedStyle(e).color, background: bg});
      }
      return out;""";

  static final String FACTS = """
      const t = id => { const e = document.getElementById(id); return e ? e.innerText : null; };
      return {generated: t('generated'), version: t('version'), inputs: t('inputs'), codes: t('codes'),
              probe: t('probe'), evidence: t('evidence'), body: document.body.innerText, scripts: document.scripts.length,
              images: document.images.length, styles: document.querySelectorAll('style').length,
              pwned: typeof window.pwned, height: document.documentElement.scrollHeight};""";

  static final Pattern RGB = Pattern.compile("rgba?\\((\\d+),\\s*(\\d+),\\s*(\\d+)");

  static String hex(String css) {
    Matcher m = RGB.matcher(css);
    assertThat(m.find()).as("a colour: " + css).isTrue();
    return String.format("#%02x%02x%02x", Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
  }

  /** Opens the page, checks what every report must show, and returns the phase boxes by phase. */
  private Map<String, JsonNode> check(HeadlessChromium c, Path page, String shot) throws Exception {
    c.open(page);
    JsonNode facts = c.run(FACTS);
    assertThat(facts.path("generated").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\(UTC\\)");
    assertThat(facts.path("version").asString()).isEqualTo("rdpdoctor " + Report.toolVersion());
    // The hostile values are shown as the text they are, and none of them ran or loaded.
    assertThat(facts.path("body").asString()).contains(HtmlReportTest.HOSTILE);
    assertThat(facts.path("evidence").asString()).contains("ev </style><b>'x\"&");
    assertThat(facts.path("scripts").asInt()).isZero();
    assertThat(facts.path("images").asInt()).isZero();
    assertThat(facts.path("styles").asInt()).isEqualTo(1);
    assertThat(facts.path("pwned").asString()).isEqualTo("undefined");

    for (JsonNode t : c.run(TEXTS)) {
      double ratio = HtmlReportTest.contrast(hex(t.path("color").asString()), hex(t.path("background").asString()));
      assertThat(ratio).as(t.path("tag").asString() + " \"" + t.path("text").asString() + "\": "
          + t.path("color").asString() + " on " + t.path("background").asString()).isGreaterThanOrEqualTo(4.5);
    }

    byte[] png = c.screenshot();
    Files.write(screenshots().resolve(shot + ".png"), png);
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(img.getWidth()).isEqualTo(WIDTH);
    Map<String, JsonNode> phases = new HashMap<>();
    for (JsonNode p : c.run(PHASES)) {
      phases.put(p.path("phase").asString(), p);
      Report.PhaseState state = stateOf(p.path("cls").asString());
      String[] want = HtmlReport.PHASE_COLOURS.get(state);
      assertThat(hex(p.path("color").asString())).as(p.path("phase").asString() + " text").isEqualTo(want[0]);
      assertThat(hex(p.path("background").asString())).as(p.path("phase").asString() + " background").isEqualTo(want[1]);
      assertThat(hex(p.path("border").asString())).as(p.path("phase").asString() + " border").isEqualTo(want[2]);
      // And on screen: a pixel in the box's left padding, away from the text and the border.
      int x = (int) p.path("x").asDouble() + 4;
      int y = (int) (p.path("y").asDouble() + p.path("h").asDouble() / 2);
      assertThat(String.format("#%06x", img.getRGB(x, y) & 0xffffff)).as(p.path("phase").asString() + " on the screenshot at " + x + "," + y)
          .isEqualTo(want[1]);
    }
    assertThat(phases).hasSize(Report.TIMELINE.size());
    int height = facts.path("height").asInt();
    c.resize(WIDTH, Math.min(height + 200, 12_000));
    Files.write(screenshots().resolve(shot + "-full.png"), c.screenshot());
    c.resize(WIDTH, HEIGHT);
    return phases;
  }

  private static Report.PhaseState stateOf(String classes) {
    String cls = classes.split(" ")[0]; // "phase-finding weakness": the state's class comes first
    for (Report.PhaseState s : Report.PhaseState.values()) {
      if (HtmlReport.css(s).equals(cls)) {
        return s;
      }
    }
    throw new AssertionError("no phase state has the class " + cls);
  }

  private static String cls(Map<String, JsonNode> phases, String phase) {
    return phases.get(phase).path("cls").asString();
  }

  @Test
  void analyzeReportAsChromiumShowsIt() throws Exception {
    HeadlessChromium.require();
    Path html = dir.resolve("analyze.html");
    CliRun r = CliRun.run("analyze", HtmlReportTest.hostileEvidence(dir).toString(), "--error", "0x904 0x7", "--html", html.toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.FOUND);
    try (HeadlessChromium c = HeadlessChromium.start(Files.createDirectories(dir.resolve("chromium")), WIDTH, HEIGHT)) {
      Map<String, JsonNode> phases = check(c, html, "analyze");
      assertThat(List.of(cls(phases, "client"), cls(phases, "mcs"))).containsExactlyInAnyOrder("phase-broken", "phase-finding");
      JsonNode facts = c.run(FACTS);
      assertThat(facts.path("inputs").asString()).startsWith("rdpdoctor analyze ").endsWith(" --error '0x904 0x7'");
      assertThat(facts.path("codes").asString()).contains("disconnectReason 0x904 = disconnectReasonAtClientWinsockFDCLOSE")
          .contains("extendedReason 0x7 = exDiscReasonServerDeniedConnection");
      assertThat(facts.path("probe").isNull()).as("no probe section without a probe").isTrue();
    }
  }

  /**
   * diagnose against xrdp on 127.0.0.1 serving an expired certificate, with the hostile install
   * check as evidence: TLS broke, TCP and X.224 passed, the client configuration has a finding.
   */
  @Test
  void diagnoseReportAgainstXrdpAsChromiumShowsIt() throws Exception {
    HeadlessChromium.require();
    Instant now = Instant.now();
    Path[] pem = TestCertificates.make(TestCertificates.Spec.good("127.0.0.1", now)
        .names("127.0.0.1", List.of(), List.of("127.0.0.1"))
        .validity(now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(35)))).writePem(dir, "expired");
    Path html = dir.resolve("diagnose.html");
    try (XrdpServer x = XrdpServer.start(XrdpServer.Config.defaults().certificate(pem[0], pem[1]))) {
      CliRun r = CliRun.run("diagnose", x.target().toString(), "--error", "0x904 0x7", "--timeout", "20",
          "--evidence", HtmlReportTest.hostileEvidence(dir).toString(), "--html", html.toString());
      assertThat(r.exit()).as(r.err() + x.log()).isEqualTo(ExitCodes.FOUND);
      assertThat(Files.readString(html)).as("the probe must complete against xrdp").doesNotContain("probe stopped with an internal error");
      try (HeadlessChromium c = HeadlessChromium.start(Files.createDirectories(dir.resolve("chromium")), WIDTH, HEIGHT)) {
        Map<String, JsonNode> phases = check(c, html, "diagnose");
        assertThat(cls(phases, "tls")).isEqualTo("phase-broken");
        assertThat(cls(phases, "tcp")).isEqualTo("phase-ok");
        assertThat(cls(phases, "client")).isEqualTo("phase-finding");
        assertThat(cls(phases, "licensing")).isEqualTo("phase-not-reached");
        assertThat(cls(phases, "gateway")).isEqualTo("phase-no-finding");
        String probe = c.run(FACTS).path("probe").asString();
        assertThat(probe).contains(x.target().toString() + " (127.0.0.1)")
            .contains("NLA (CredSSP) is not offered")
            .contains("certificate: ")
            .containsPattern("TLS 1\\.2\\s+accepted")
            .containsPattern("TLS 1\\.0\\s+refused")
            .contains("CN=127.0.0.1")
            .containsPattern("\\(expired 3[56] days ago\\)")
            .contains("Phase timings")
            .containsPattern("x224 SSL\\|HYBRID\\s+X\\.224 negotiation");
        assertThat(c.run("return document.querySelectorAll('#probe-timings tr').length - 1;").asInt()).isGreaterThan(10);
      }
    }
  }
}
