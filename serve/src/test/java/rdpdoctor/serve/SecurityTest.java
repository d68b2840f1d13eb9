package rdpdoctor.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.http.HandlerType;
import io.javalin.router.ParsedEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.evidence.even6.EvtxWriter;
import rdpdoctor.evidence.even6.RdpFixtures;

/** Each security promise of {@code serve}, with a test that fails when it is broken. */
class SecurityTest {
  @TempDir Path dir;

  private static final String TOKEN = "s3cret-token-for-the-test-0123456789";

  @Test
  void listensOnLoopbackUnlessTold() throws Exception {
    Server.Options o = Launch.options(null, "jdbc:sqlite:" + dir.resolve("a.db"), null, Map.of("HOME", dir.toString()));
    assertThat(o.listen()).isEqualTo(new Listen("127.0.0.1", 9389));
    assertThat(o.listen().loopback()).isTrue();
    try (Server s = Server.start(new Server.Options(new Listen("127.0.0.1", 0), o.dbUrl(), o.config(), null,
        1 << 20, Duration.ofSeconds(5), false), Clock.systemUTC())) {
      assertThat(s.boundHost()).isEqualTo("127.0.0.1");
    }
  }

  @Test
  void aNonLoopbackListenWithoutATokenRefusesToStart() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("a.db");
    for (String where : List.of("0.0.0.0", "::", "192.0.2.10")) {
      assertThatThrownBy(() -> Server.start(new Server.Options(new Listen(where, 0), url, ServeConfig.empty(), null,
          1 << 20, Duration.ofSeconds(5), false), Clock.systemUTC()))
          .isInstanceOf(Server.Refused.class).hasMessageContaining("without an access token");
    }
    assertThat(new Listen("127.0.0.2", 0).loopback()).isTrue();
    assertThat(new Listen("::1", 0).loopback()).isTrue();
    // a short token is no token
    Path token = dir.resolve("token");
    Files.writeString(token, "short\n");
    Path config = dir.resolve("serve.yaml");
    Files.writeString(config, "tokenFile: token\nlisten: 0.0.0.0:9389\n");
    assertThatThrownBy(() -> Launch.options(null, url, config, Map.of()))
        .hasMessageContaining("holds 5 characters on its first line (expected: >= 20)");
  }

  @Test
  void withATokenEveryRequestNeedsIt() throws Exception {
    String url = ServeFixtures.smallEstate(dir, Instant.now());
    try (Server s = ServeFixtures.serve(url, ServeConfig.empty(), TOKEN)) {
      for (String path : List.of("/", "/metrics", "/probe?target=127.0.0.1:1", "/scans", "/static/app.css")) {
        assertThat(ServeFixtures.get(s, path).statusCode()).as(path).isEqualTo(401);
        assertThat(ServeFixtures.get(s, path, "Authorization", "Bearer wrong-" + TOKEN).statusCode()).as(path).isEqualTo(401);
      }
      assertThat(ServeFixtures.get(s, "/", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
      assertThat(ServeFixtures.get(s, "/metrics", "Authorization", "Bearer " + TOKEN).body()).contains("rdpdoctor_up");
      // the link the admin opens once: a cookie from then on, and the token leaves the URL
      HttpResponse<String> once = ServeFixtures.get(s, "/?token=" + TOKEN);
      assertThat(once.statusCode()).isEqualTo(303);
      assertThat(once.headers().firstValue("Location")).hasValue("/");
      String cookie = once.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(Access.TOKEN_COOKIE)).findFirst().orElseThrow();
      assertThat(cookie).contains("HttpOnly", "SameSite=Strict");
      assertThat(ServeFixtures.get(s, "/scans", "Cookie", cookie.substring(0, cookie.indexOf(';'))).statusCode()).isEqualTo(200);
      assertThat(ServeFixtures.get(s, "/?token=wrong" + TOKEN).statusCode()).isEqualTo(401);
    }
  }

  @Test
  void everyPostNeedsTheCsrfTokenOfItsOwnPage() throws Exception {
    String url = ServeFixtures.smallEstate(dir, Instant.now());
    try (Server s = ServeFixtures.serve(url, ServeFixtures.allowing("127.0.0.0/8"), null)) {
      List<String> posts = s.routes().stream().filter(e -> e.endpoint.method == HandlerType.POST).map(e -> e.endpoint.path).toList();
      assertThat(posts).contains("/probe-now", "/analyze");
      HttpResponse<String> page = ServeFixtures.get(s, "/");
      String cookie = ServeFixtures.csrfCookie(page);
      String value = cookie.substring(cookie.indexOf('=') + 1);
      assertThat(page.body()).contains("name=\"csrf\" value=\"" + value + "\"");
      for (String path : posts) {
        String form = "target=127.0.0.1%3A1&module=quick";
        assertThat(ServeFixtures.postForm(s, path, form).statusCode()).as(path + " without a token").isEqualTo(403);
        assertThat(ServeFixtures.postForm(s, path, form + "&csrf=" + value).statusCode()).as(path + " without the cookie").isEqualTo(403);
        assertThat(ServeFixtures.postForm(s, path, form + "&csrf=x" + value, "Cookie", cookie).statusCode()).as(path + " wrong field").isEqualTo(403);
        assertThat(ServeFixtures.postForm(s, path, form + "&csrf=" + value, "Cookie", cookie, "Origin", "http://evil.example").statusCode())
            .as(path + " from another origin").isEqualTo(403);
      }
      // the same form with its token passes the check (and is then refused or run on its merits)
      HttpResponse<String> ok = ServeFixtures.postForm(s, "/probe-now", "target=127.0.0.1%3A1&module=quick&csrf=" + value, "Cookie", cookie,
          "Origin", "http://127.0.0.1:" + s.port());
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(303);
    }
  }

  @Test
  void probeNowAndProbeReachOnlyTheAllowList() throws Exception {
    String url = ServeFixtures.smallEstate(dir, Instant.now());
    try (Server s = ServeFixtures.serve(url, ServeFixtures.allowing("10.0.0.0/8", "127.0.0.2/32"), null)) {
      HttpResponse<String> outside = ServeFixtures.get(s, "/probe?target=127.0.0.1:1&module=quick");
      assertThat(outside.statusCode()).isEqualTo(403);
      assertThat(outside.body()).contains("127.0.0.1 is not in the allow-list (10.0.0.0/8, 127.0.0.2/32)");
      // a name is checked as the address it resolves to
      assertThat(ServeFixtures.get(s, "/probe?target=localhost:1").statusCode()).isEqualTo(403);
      HttpResponse<String> page = ServeFixtures.get(s, "/");
      String cookie = ServeFixtures.csrfCookie(page);
      String form = "target=127.0.0.1%3A1&module=quick&csrf=" + cookie.substring(cookie.indexOf('=') + 1);
      HttpResponse<String> now = ServeFixtures.postForm(s, "/probe-now", form, "Cookie", cookie);
      assertThat(now.statusCode()).isEqualTo(403);
      assertThat(now.body()).contains("not in the allow-list");
      // inside it the probe runs: 127.0.0.2:1 refuses the connection, the probe says so
      HttpResponse<String> inside = ServeFixtures.get(s, "/probe?target=127.0.0.2:1&module=quick");
      assertThat(inside.statusCode()).as(inside.body()).isEqualTo(200);
      assertThat(inside.body()).contains("probe_success 0.0");
      assertThat(ServeFixtures.get(s, "/probe?target=127.0.0.2:1&module=gateway").body()).contains("issue 15");
    }
    try (Server s = ServeFixtures.serve(url, ServeConfig.empty(), null)) {
      assertThat(ServeFixtures.get(s, "/probe?target=127.0.0.2:1").statusCode()).as("an empty allow-list allows nothing").isEqualTo(403);
    }
  }

  @Test
  void probeNowIsRateLimited() throws Exception {
    String url = ServeFixtures.smallEstate(dir, Instant.now());
    ServeConfig one = new ServeConfig(null, null, null, List.of("127.0.0.0/8"), 1, List.of());
    try (Server s = ServeFixtures.serve(url, one, null)) {
      String cookie = ServeFixtures.csrfCookie(ServeFixtures.get(s, "/"));
      String form = "target=127.0.0.1%3A1&module=quick&csrf=" + cookie.substring(cookie.indexOf('=') + 1);
      assertThat(ServeFixtures.postForm(s, "/probe-now", form, "Cookie", cookie).statusCode()).isEqualTo(303);
      HttpResponse<String> second = ServeFixtures.postForm(s, "/probe-now", form, "Cookie", cookie);
      assertThat(second.statusCode()).isEqualTo(429);
      assertThat(second.body()).contains("limited to 1 probes a minute");
    }
    long[] now = {0};
    PressLimit limit = new PressLimit(6, () -> now[0]);
    for (int i = 0; i < 6; i++) {
      assertThat(limit.tryPress()).isTrue();
    }
    assertThat(limit.tryPress()).isFalse();
    now[0] += Duration.ofSeconds(10).toNanos(); // one press a 10 s
    assertThat(limit.tryPress()).isTrue();
    assertThat(limit.tryPress()).isFalse();
  }

  @Test
  void uploadedBundlesAreDeletedAfterAnalysisAndHostileOnesRenderEscaped() throws Exception {
    String url = ServeFixtures.smallEstate(dir, Instant.now());
    try (Server s = ServeFixtures.serve(url, ServeConfig.empty(), null)) {
      String cookie = ServeFixtures.csrfCookie(ServeFixtures.get(s, "/analyze"));
      String csrf = cookie.substring(cookie.indexOf('=') + 1);
      EvtxWriter w = new EvtxWriter();
      for (int i = 0; i < 3; i++) {
        w.add(RdpFixtures.logonFailed(Instant.parse("2026-01-05T10:00:00Z").plusSeconds(i), "alice", "10.0.0.9",
            0xC000006DL, 0xC000006AL).computer(ServeFixtures.HOSTILE));
      }
      byte[] zip = zip(Map.of("Security.evtx", w.toBytes()));
      HttpResponse<String> r = upload(s, cookie, csrf, "bundle-" + ServeFixtures.HOSTILE + ".zip", zip);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.body()).contains("wrong-password").doesNotContain(ServeFixtures.HOSTILE).doesNotContain("<script>");
      assertThat(r.body()).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
      assertThat(r.body()).as("the server's temporary folder is not shown").doesNotContain(s.uploads().toString());
      assertThat(leftIn(s.uploads())).as("nothing of the upload is left").isEmpty();
      // a hostile zip: an entry that climbs out of the folder, named with markup
      byte[] evil = zip(Map.of("../" + ServeFixtures.HOSTILE + ".evtx", w.toBytes()));
      HttpResponse<String> refused = upload(s, cookie, csrf, "evil.zip", evil);
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
      assertThat(refused.body()).doesNotContain(ServeFixtures.HOSTILE).doesNotContain("<script>");
      assertThat(leftIn(s.uploads())).isEmpty();
      try (Stream<Path> beside = Files.list(s.uploads().getParent())) {
        assertThat(beside.filter(p -> p.getFileName().toString().contains("alert("))).as("nothing climbed out").isEmpty();
      }
      // without its CSRF token: refused, and nothing kept
      HttpResponse<String> forged = upload(s, cookie, "x" + csrf, "forged.zip", zip);
      assertThat(forged.statusCode()).isEqualTo(403);
      assertThat(leftIn(s.uploads())).isEmpty();
      // bigger than the limit (1 MiB in these tests): refused, and nothing kept
      HttpResponse<String> big = upload(s, cookie, csrf, "big.zip", new byte[(1 << 20) + 4096]);
      assertThat(big.statusCode()).isEqualTo(413);
      assertThat(leftIn(s.uploads())).isEmpty();
    }
  }

  @Test
  void hostileEvidenceStringsAreShownAsText() throws Exception {
    String url = ServeFixtures.smallEstate(dir, Instant.now());
    try (Server s = ServeFixtures.serve(url, ServeConfig.empty(), null)) {
      for (String path : List.of("/", "/host?target=10.9.0.4:3389", "/diff?from=1&to=3",
          "/explain?text=" + URLEncoder.encode(ServeFixtures.HOSTILE, StandardCharsets.UTF_8),
          "/host?target=" + URLEncoder.encode(ServeFixtures.HOSTILE, StandardCharsets.UTF_8))) {
        HttpResponse<String> r = ServeFixtures.get(s, path);
        assertThat(r.body()).as(path).doesNotContain(ServeFixtures.HOSTILE).doesNotContain("<script").doesNotContain("<img");
      }
      assertThat(ServeFixtures.get(s, "/host?target=10.9.0.4:3389").body()).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&gt;&lt;img");
    }
  }

  @Test
  void noPasswordFieldAnywhereAndTheHeadersOnEveryAnswer() throws Exception {
    String url = ServeFixtures.smallEstate(dir, Instant.now());
    try (Server s = ServeFixtures.serve(url, ServeFixtures.allowing("127.0.0.0/8"), null)) {
      List<String> gets = s.routes().stream().filter(e -> e.endpoint.method == HandlerType.GET).map(e -> e.endpoint.path).toList();
      assertThat(gets).contains("/", "/host", "/scans", "/diff", "/explain", "/analyze", "/metrics", "/probe");
      for (String path : Stream.concat(gets.stream().map(p -> p.equals("/host") ? p + "?target=10.9.0.2:3389"
          : p.equals("/diff") ? p + "?from=1&to=2" : p.equals("/probe") ? p + "?target=127.0.0.1:1" : p), Stream.of("/nothing-here")).toList()) {
        HttpResponse<String> r = ServeFixtures.get(s, path);
        assertThat(r.headers().firstValue("Content-Security-Policy")).as(path).hasValue(Server.CSP);
        assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
        assertThat(r.body().toLowerCase(java.util.Locale.ROOT)).as(path)
            .doesNotContain("type=\"password\"").doesNotContain("name=\"password\"").doesNotContain("<script");
      }
      assertThat(Server.CSP).contains("frame-ancestors 'none'", "default-src 'none'").doesNotContain("unsafe-inline")
          .doesNotContain("script-src");
    }
  }

  private static List<Path> leftIn(Path folder) throws IOException {
    try (Stream<Path> s = Files.walk(folder)) {
      return s.filter(p -> !p.equals(folder)).toList();
    }
  }

  static byte[] zip(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(b)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        z.putNextEntry(new ZipEntry(e.getKey()));
        z.write(e.getValue());
        z.closeEntry();
      }
    }
    return b.toByteArray();
  }

  static HttpResponse<String> upload(Server s, String cookie, String csrf, String name, byte[] content)
      throws IOException, InterruptedException {
    String boundary = "----rdpdoctor" + System.nanoTime();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + csrf + "\r\n").getBytes(StandardCharsets.UTF_8));
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"bundle\"; filename=\"" + name.replace("\"", "%22")
        + "\"\r\nContent-Type: application/zip\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.writeBytes(content);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/analyze"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary).header("Cookie", cookie)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
    return ServeFixtures.HTTP.send(req, HttpResponse.BodyHandlers.ofString());
  }

}
