package rdpdoctor.app.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.app.CliRun;
import rdpdoctor.app.ExitCodes;

/**
 * The HTML page made by the real commands: phase colours legible by the WCAG formula computed from
 * the CSS it emits, the header's facts, the probe section, and hostile evidence shown as text.
 * {@code HtmlReportChromiumTest} checks the same pages as a browser renders them.
 */
class HtmlReportTest {
  @TempDir Path dir;

  /** Text that would break out of an element, an attribute, or the style sheet if not escaped. */
  static final String HOSTILE = "</style><script>window.pwned=1</script><img src=x onerror=\"alert(1)\"> 'q' & \"dq\"";

  static final List<String> RENDERED_TAGS = List.of("html", "head", "meta", "title", "style", "body", "header", "h1", "h2",
      "h3", "dl", "dt", "dd", "time", "code", "ul", "ol", "li", "div", "strong", "p", "span", "table", "tr", "th", "td",
      "section");

  /** A folder with a hostile name holding an install check whose target and detail are hostile. */
  static Path hostileEvidence(Path dir) throws IOException {
    Path folder = Files.createDirectories(dir.resolve("ev </style><b>'x\"&"));
    Files.writeString(folder.resolve("install-checks.txt"), "rdpdoctor install-checks 1\n"
        + "mstsc-not-readonly\tfail\t" + HOSTILE + "\tattributes: ReadOnly " + HOSTILE + "\n");
    return folder;
  }

  private String analyze(String... extra) throws IOException {
    Path html = dir.resolve("r.html");
    List<String> args = new ArrayList<>(List.of("analyze", hostileEvidence(dir).toString(), "--html", html.toString()));
    args.addAll(List.of(extra));
    CliRun r = CliRun.run(args.toArray(String[]::new));
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.FOUND);
    return Files.readString(html);
  }

  /** WCAG 2 relative luminance of "#rrggbb". */
  static double luminance(String hex) {
    double[] c = new double[3];
    for (int i = 0; i < 3; i++) {
      double v = Integer.parseInt(hex.substring(1 + 2 * i, 3 + 2 * i), 16) / 255.0;
      c[i] = v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }

  static double contrast(String a, String b) {
    double la = luminance(a);
    double lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  @Test
  void contrastFormulaMatchesWcagReferenceValues() {
    assertThat(contrast("#000000", "#ffffff")).isCloseTo(21.0, org.assertj.core.data.Offset.offset(0.01));
    assertThat(contrast("#767676", "#ffffff")).isCloseTo(4.54, org.assertj.core.data.Offset.offset(0.01));
    assertThat(contrast("#ffffff", "#ffffff")).isEqualTo(1.0);
  }

  @Test
  void everyPhaseStateIsLegibleInTheCssThePageEmits() throws IOException {
    String page = analyze("--error", "0x904 0x7");
    String css = page.substring(page.indexOf("<style>") + 7, page.indexOf("</style>"));
    // The base rule must not set colours: it once outranked the state classes (white on grey).
    Matcher base = Pattern.compile("ol\\.timeline li\\{([^}]*)}").matcher(css);
    assertThat(base.find()).isTrue();
    assertThat(base.group(1)).doesNotContain("background").doesNotContain("color:");
    for (Report.PhaseState s : Report.PhaseState.values()) {
      Matcher m = Pattern.compile("ol\\.timeline li\\." + HtmlReport.css(s)
          + ",[^{]*\\{color:(#[0-9a-f]{6});background:(#[0-9a-f]{6});border-color:(#[0-9a-f]{6})").matcher(css);
      assertThat(m.find()).as("a rule for " + s + " in the page's CSS").isTrue();
      assertThat(contrast(m.group(1), m.group(2))).as(s + ": text " + m.group(1) + " on " + m.group(2)).isGreaterThanOrEqualTo(4.5);
      assertThat(contrast(m.group(3), "#ffffff")).as(s + ": border " + m.group(3) + " on the white page").isGreaterThanOrEqualTo(3.0);
    }
    assertThat(HtmlReport.PHASE_COLOURS.get(Report.PhaseState.FINDING)[1]).as("finding is yellow").isEqualTo("#f6c744");
  }

  @Test
  void phasesShowBrokenFindingAndNotReached() throws IOException {
    Path ok = dir.resolve("install-checks.txt");
    Files.writeString(ok, "rdpdoctor install-checks 1\nvolume-writable\tpass\tC:\\\tok\n");
    Path html = dir.resolve("codes.html");
    CliRun r = CliRun.run("analyze", ok.toString(), "--error", "0x904 0x7", "--html", html.toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.FOUND);
    String page = Files.readString(html);
    // 0x904 with 7: the server refused after negotiation, at MCS; the phases after it were never reached.
    assertThat(page).contains("<li class=\"phase-broken\" data-phase=\"mcs\"")
        .contains("<li class=\"phase-not-reached\" data-phase=\"licensing\"")
        .contains("<li class=\"phase-not-reached\" data-phase=\"session\"")
        .contains("<li class=\"phase-no-finding\" data-phase=\"tls\"")
        .contains("<li class=\"phase-no-finding\" data-phase=\"gateway\"");
    // A client-side cause that cannot produce 0x904 with 7 (mstsc.exe read-only) is a finding;
    // what broke is still where the reported pair says.
    String client = analyze("--error", "0x904 0x7");
    assertThat(client).contains("<li class=\"phase-finding\" data-phase=\"client\"")
        .contains("<li class=\"phase-broken\" data-phase=\"mcs\"");
  }

  @Test
  void aPhaseWithOnlyWeaknessesIsMarkedApart(@TempDir Path dir) throws IOException {
    // The corpus SYSTEM hive: NLA off, a weakness and nothing else in its phase.
    Path c = CliRun.corpus();
    org.junit.jupiter.api.Assumptions.assumeTrue(c != null && Files.exists(c.resolve("registry/SYSTEM")),
        "../shared/corpus missing: registry/SYSTEM");
    Path html = dir.resolve("weak.html");
    CliRun.run("analyze", c.resolve("registry/SYSTEM").toString(), "--html", html.toString());
    String page = Files.readString(html);
    assertThat(page).containsPattern("<li class=\"phase-finding weakness\" data-phase=\"[a-z]+\" title=\"[^\"]*nla[^\"]*\">[^<]+<span class=\"mark\">! weakness</span>")
        .contains("li.phase-finding.weakness")
        .contains("! weakness (posture, not a cause)");
  }

  @Test
  void theHeaderSaysWhenByWhichVersionFromWhatAndWhichCodes() throws IOException {
    String page = analyze("--error", "Error code: 0x904, Extended error code: 0x7");
    assertThat(page).containsPattern("<dd id=\"generated\"><time datetime=\"(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ)\">\\1</time> \\(UTC\\)</dd>")
        .contains("<dd id=\"version\">rdpdoctor " + Report.toolVersion() + "</dd>")
        .contains("<dd id=\"inputs\"><code>rdpdoctor analyze ")
        .contains(" --error &#39;Error code: 0x904, Extended error code: 0x7&#39;</code>");
    String codes = page.substring(page.indexOf("<dd id=\"codes\">"), page.indexOf("</dd></dl></header>"));
    assertThat(codes).contains("disconnectReason 0x904 = disconnectReasonAtClientWinsockFDCLOSE")
        .contains("extendedReason 0x7 = exDiscReasonServerDeniedConnection");
    assertThat(analyze()).contains("<dd id=\"codes\">\nnone (add the dialog's codes with --error)");
  }

  @Test
  void hostileEvidenceIsEscapedEverywhereAndThePageFetchesNothing() throws IOException {
    String page = analyze("--error", "0x904 0x7 " + HOSTILE);
    // Every tag is one the renderer writes, with no event handler and nothing to load.
    Matcher tag = Pattern.compile("<([a-zA-Z][a-zA-Z0-9]*)([^>]*)>").matcher(page);
    int tags = 0;
    while (tag.find()) {
      tags++;
      assertThat(tag.group(1).toLowerCase(java.util.Locale.ROOT)).as(tag.group()).isIn(RENDERED_TAGS);
      assertThat(tag.group(2)).as(tag.group()).doesNotContainPattern("(?i)\\s(on\\w+|src|href|srcset|action|formaction)\\s*=");
    }
    assertThat(tags).isGreaterThan(50);
    assertThat(page).doesNotContain("http://").doesNotContain("https://").doesNotContain("url(").doesNotContain("@import")
        .doesNotContain("<link");
    // Exactly the page's own style element is closed; the hostile "</style>" is text.
    assertThat(page.split("</style>", -1)).hasSize(2);
    assertThat(page).contains("&lt;/style&gt;&lt;script&gt;window.pwned=1&lt;/script&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &#39;q&#39; &amp; &quot;dq&quot;")
        .contains("ev &lt;/style&gt;&lt;b&gt;&#39;x&quot;&amp;");
  }

  @Test
  void diagnoseAgainstAClosedLoopbackPortShowsTheProbeSection() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path html = dir.resolve("d.html");
    CliRun r = CliRun.run("diagnose", "127.0.0.1:" + port, "--timeout", "5", "--html", html.toString());
    assertThat(r.exit()).as(r.err()).isIn(ExitCodes.OK, ExitCodes.FOUND);
    String page = Files.readString(html);
    String probe = page.substring(page.indexOf("<section id=\"probe\">"), page.indexOf("</section>"));
    assertThat(probe).contains("<dt>target</dt><dd>127.0.0.1:" + port + " (127.0.0.1)</dd>")
        .contains("<ul class=\"verdicts\" id=\"probe-verdicts\">\n<li class=\"bad\">&#10007; ")
        .contains("0x204")
        .contains("<table id=\"probe-timings\">")
        .contains("CONNECTION_REFUSED");
    assertThat(page).contains("<dd id=\"inputs\"><code>rdpdoctor diagnose 127.0.0.1:" + port + "</code>");
    // The address needed no lookup (ok), the TCP connect was refused (broken), the rest never ran.
    assertThat(page).contains("<li class=\"phase-ok\" data-phase=\"name_resolution\"")
        .contains("<li class=\"phase-broken\" data-phase=\"tcp\"")
        .contains("<li class=\"phase-not-reached\" data-phase=\"x224\"")
        .contains("<li class=\"phase-not-reached\" data-phase=\"session\"")
        .contains("<li class=\"phase-no-finding\" data-phase=\"host\"");
    // The terminal report marks the same states.
    assertThat(r.out()).containsPattern("name resolution\\s+\\+ probe passed").containsPattern("TCP connect\\s+X broke here")
        .containsPattern("X\\.224 negotiation\\s+- not reached").containsPattern("host configuration\\s+\\. no finding");
  }
}
