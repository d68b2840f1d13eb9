package rdpdoctor.app.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.app.CliRun;
import rdpdoctor.app.report.HeadlessChromium;
import rdpdoctor.evidence.even6.EvtxWriter;
import rdpdoctor.evidence.even6.RdpFixtures;
import rdpdoctor.evidence.x509.TestCertificates;
import rdpdoctor.probe.bench.XrdpServer;
import rdpdoctor.serve.ServeFixtures;
import rdpdoctor.serve.Server;
import tools.jackson.databind.JsonNode;

/**
 * {@code rdpdoctor serve} in headless Chromium, clicked through as a help-desk engineer would: the
 * overview, a host's timeline, probe now against the bench xrdp (verdicts, waterfall, findings),
 * scans and their diff, explain, and a bundle upload. The pages carry no script and the CSP
 * forbids any, so what the browser shows here is what a browser without JavaScript shows. The
 * screenshots are the README's (docs/serve/).
 */
class ServeBrowserTest {
  @TempDir Path dir;

  static Path screenshots() throws Exception {
    return Files.createDirectories(CliRun.projectRoot().resolve("docs/serve"));
  }

  private static String text(HeadlessChromium c, String css) throws Exception {
    JsonNode v = c.run("const e = document.querySelector(arguments[0]); return e ? e.innerText : null;", css);
    return v.isNull() ? "" : v.asString();
  }

  private static int count(HeadlessChromium c, String css) throws Exception {
    return c.run("return document.querySelectorAll(arguments[0]).length;", css).asInt();
  }

  /** A form's answer can take a probe's time: wait for the page it leads to (not a timing assertion). */
  private static void awaitUrl(HeadlessChromium c, String part) throws Exception {
    for (int i = 0; i < 300 && !c.url().contains(part); i++) {
      Thread.sleep(100);
    }
    assertThat(c.url()).as(text(c, "main")).contains(part);
  }

  private static void awaitText(HeadlessChromium c, String css, String expected) throws Exception {
    for (int i = 0; i < 300 && !text(c, css).equals(expected); i++) {
      Thread.sleep(100);
    }
    assertThat(text(c, css)).isEqualTo(expected);
  }

  private static void shot(HeadlessChromium c, String name) throws Exception {
    Files.write(screenshots().resolve(name + ".png"), c.screenshot());
  }

  @Test
  void aHelpDeskEngineerClicksThroughEveryPage() throws Exception {
    HeadlessChromium.require();
    Instant now = Instant.now();
    Path[] cert = TestCertificates.make(TestCertificates.Spec.good("127.0.0.1", now)).writePem(dir, "bench");
    String url = ServeFixtures.smallEstate(dir, now);
    try (XrdpServer xrdp = XrdpServer.start(XrdpServer.Config.defaults().certificate(cert[0], cert[1]));
        Server s = ServeFixtures.serve(url, ServeFixtures.allowing("127.0.0.0/8"), null);
        HeadlessChromium c = HeadlessChromium.start(dir, 1200, 1000)) {
      URI base = URI.create("http://127.0.0.1:" + s.port() + "/");
      // the overview: counts, problems first, the expiry chart; the hostile host's text is text
      c.open(base);
      assertThat(text(c, "#count-hosts")).isEqualTo("4");
      assertThat(text(c, "#count-down")).isEqualTo("2");
      assertThat(text(c, "#count-nla-off")).isEqualTo("1");
      assertThat(count(c, "#expiry-chart rect")).isEqualTo(8);
      assertThat(text(c, "#hosts tbody tr:last-child td:first-child")).isEqualTo("10.9.0.1:3389");
      assertThat(text(c, "#hosts")).contains(ServeFixtures.HOSTILE);
      assertThat(count(c, "script")).isZero();
      assertThat(count(c, "img")).as("the hostile <img> is text, not an element").isZero();
      shot(c, "overview");

      // a host: the timeline says when NLA went off and when the certificate was renewed
      c.click("#hosts a[href='/host?target=10.9.0.2%3A3389']");
      awaitUrl(c, "/host?target=10.9.0.2%3A3389");
      assertThat(text(c, "#timeline")).contains("NLA changed: required -> unavailable", "certificate renewed");
      assertThat(text(c, "#latest-nla")).isEqualTo("unavailable");

      // probe now, against the bench xrdp: verdicts, the phase waterfall, findings with proof and fix
      String target = "127.0.0.1:" + xrdp.port();
      c.run("document.querySelector('#probe-target').value = '';");
      c.type("#probe-target", target);
      c.run("document.querySelector('select[name=module]').value = 'full';");
      c.click(".probe-now button");
      awaitUrl(c, "/host?target=127.0.0.1%3A" + xrdp.port());
      assertThat(text(c, "#verdicts")).contains("NLA is not offered");
      assertThat(count(c, "#waterfall rect")).isGreaterThan(8);
      assertThat(count(c, "#finding-nla-off-on-host")).isEqualTo(1);
      assertThat(text(c, "#finding-nla-off-on-host")).contains("Proof", "Fix");
      shot(c, "host");

      // scans and the diff between the last two
      c.click("nav a[href='/scans']");
      awaitUrl(c, "/scans");
      assertThat(count(c, "#scans tbody tr")).isGreaterThanOrEqualTo(4); // three planted, one probe now
      c.run("document.querySelector('#from').value = '2'; document.querySelector('#to').value = '3';");
      c.click(".diff-form button");
      awaitUrl(c, "/diff?from=2&to=3");
      assertThat(text(c, "#changes")).contains("10.9.0.3:3389", "down", "10.9.0.2:3389", "certificate-renewed");
      shot(c, "diff");

      // explain a code
      c.click("nav a[href='/explain']");
      awaitUrl(c, "/explain");
      c.type("#text", "Error code: 0x904, Extended error code: 0x7");
      c.click(".explain button");
      awaitUrl(c, "/explain?text=");
      assertThat(text(c, "#codes")).contains("0x904", "0x7");
      assertThat(count(c, "#causes li")).isPositive();
      shot(c, "explain");

      // analyze a bundle: three wrong passwords in a Security log
      EvtxWriter w = new EvtxWriter();
      for (int i = 0; i < 3; i++) {
        w.add(RdpFixtures.logonFailed(Instant.parse("2026-01-05T10:00:00Z").plusSeconds(i), "alice", "10.0.0.9",
            0xC000006DL, 0xC000006AL).computer("SRV01.corp.example"));
      }
      Path zip = dir.resolve("bundle-srv01.zip");
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      try (ZipOutputStream z = new ZipOutputStream(b)) {
        z.putNextEntry(new ZipEntry("Security.evtx"));
        z.write(w.toBytes());
        z.closeEntry();
      }
      Files.write(zip, b.toByteArray());
      c.click("nav a[href='/analyze']");
      awaitUrl(c, "/analyze");
      c.type("#bundle", zip.toString());
      c.click(".analyze button");
      awaitText(c, "#upload-name", "bundle-srv01.zip");
      assertThat(count(c, "#finding-wrong-password")).isEqualTo(1);
      assertThat(text(c, ".case h2")).isEqualTo("SRV01.corp.example");
      shot(c, "analyze");
    }
  }
}
