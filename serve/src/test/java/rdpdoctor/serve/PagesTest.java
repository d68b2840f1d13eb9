package rdpdoctor.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each page over a planted store: what it shows. */
class PagesTest {
  @TempDir Path dir;

  @Test
  void theOverviewCountsThePostureAndListsHostsWithProblemsFirst() throws Exception {
    String url = ServeFixtures.smallEstate(dir, Instant.now());
    try (Server s = ServeFixtures.serve(url, ServeConfig.empty(), null)) {
      HttpResponse<String> r = ServeFixtures.get(s, "/");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      String b = r.body();
      assertThat(b).contains("id=\"count-hosts\">4<", "id=\"count-down\">2<", "id=\"count-nla\">1<",
          "id=\"count-nla-off\">1<", "id=\"count-rdp-security\">1<");
      // down hosts first, the healthy one last
      assertThat(b.indexOf("10.9.0.3:3389")).isLessThan(b.indexOf("10.9.0.2:3389"));
      assertThat(b.indexOf("10.9.0.2:3389")).isLessThan(b.indexOf("10.9.0.1:3389"));
      assertThat(b).contains("<svg class=\"chart\" id=\"expiry-chart\"");
    }
  }

  @Test
  void theHostPageShowsWhenNlaChangedAndWhenTheCertificateWasRenewed() throws Exception {
    String url = ServeFixtures.smallEstate(dir, Instant.now());
    try (Server s = ServeFixtures.serve(url, ServeConfig.empty(), null)) {
      HttpResponse<String> r = ServeFixtures.get(s, "/host?target=10.9.0.2:3389");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.body()).contains("NLA changed: required -&gt; unavailable", "certificate renewed",
          "rdp-security-allowed");
      assertThat(ServeFixtures.get(s, "/host?target=10.9.9.9").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void scansAndTheirDiff() throws Exception {
    String url = ServeFixtures.smallEstate(dir, Instant.now());
    try (Server s = ServeFixtures.serve(url, ServeConfig.empty(), null)) {
      HttpResponse<String> scans = ServeFixtures.get(s, "/scans");
      assertThat(scans.body()).contains("<td>1</td><td>office</td>", "<td>3</td><td>office</td>");
      HttpResponse<String> d = ServeFixtures.get(s, "/diff?from=2&to=3");
      assertThat(d.statusCode()).as(d.body()).isEqualTo(200);
      assertThat(d.body()).contains("10.9.0.3:3389", "down", "certificate-renewed");
      assertThat(ServeFixtures.get(s, "/diff?from=2&to=99").statusCode()).isEqualTo(400);
    }
  }

  @Test
  void explainReadsTheDialogText() throws Exception {
    String url = ServeFixtures.smallEstate(dir, Instant.now());
    try (Server s = ServeFixtures.serve(url, ServeConfig.empty(), null)) {
      HttpResponse<String> r = ServeFixtures.get(s, "/explain?text=Error+code%3A+0x904%2C+Extended+error+code%3A+0x7");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.body()).contains("0x904", "0x904 + 0x7");
    }
  }
}
