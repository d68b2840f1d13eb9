package rdpdoctor.serve;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import rdpdoctor.fleet.HostResult;
import rdpdoctor.fleet.Store;
import rdpdoctor.probe.Target;

/**
 * Stores with an estate in them, and a server over one, for serve's tests and app's browser test.
 * The estate is written through the store's own API (startScan, record, finish), as a scan
 * writes it.
 */
public final class ServeFixtures {
  /** What hostile evidence looks like: markup and quotes a page must show as text. */
  public static final String HOSTILE = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>";

  private ServeFixtures() {}

  /**
   * A small estate of three scans of four hosts in tag "office": .1 healthy with NLA, .2 NLA off
   * and Standard RDP Security from the second scan on with a certificate renewed in the third,
   * .3 down in the last scan, .4 whose failure text is {@link #HOSTILE}.
   */
  public static String smallEstate(Path dir, Instant now) {
    String url = "jdbc:sqlite:" + dir.resolve("estate.db");
    try (Store s = Store.open(url)) {
      for (int scan = 0; scan < 3; scan++) {
        Instant at = now.minus(Duration.ofDays(3 - scan));
        long id = s.startScan("office", "full", "10.9.0.1-4", at).id();
        s.record(id, host("10.9.0.1", at, true, "required", false, "AA11", now.plus(Duration.ofDays(200)), List.of()));
        boolean off = scan >= 1;
        s.record(id, host("10.9.0.2", at, true, off ? "unavailable" : "required", off,
            scan == 2 ? "BB22" : "BB11", scan == 2 ? now.plus(Duration.ofDays(365)) : now.plus(Duration.ofDays(10)),
            off ? List.of("NLA is not offered", "Standard RDP Security is accepted") : List.of()));
        if (scan < 2) {
          s.record(id, host("10.9.0.3", at, true, "required", false, "CC11", now.plus(Duration.ofDays(5)), List.of()));
        } else {
          s.record(id, new HostResult(new Target("10.9.0.3", 3389), at, false, "CONNECT_TIMEOUT: no answer in 10 s",
              null, null, null, null, null, null, null, List.of("no answer"), 10_000));
        }
        s.record(id, new HostResult(new Target("10.9.0.4", 3389), at, false, "NOT_RDP_HTTP: " + HOSTILE,
            null, null, null, null, null, null, null, List.of(HOSTILE), 12));
        s.finish(id, at.plusSeconds(30));
      }
    }
    return url;
  }

  static HostResult host(String ip, Instant at, boolean up, String nla, boolean rdpSec, String sha1,
      Instant notAfter, List<String> problems) {
    return new HostResult(new Target(ip, 3389), at, up, null, nla, rdpSec, List.of("TLS 1.2", "TLS 1.3"),
        sha1 + "00".repeat(18), notAfter, 6L, "10.0.20348", problems, 42);
  }

  /** A server on 127.0.0.1 and an ephemeral port over {@code url}, without its schedule. */
  public static Server serve(String url, ServeConfig config, @Nullable String token) throws IOException {
    return Server.start(new Server.Options(new Listen("127.0.0.1", 0), url, config, token,
        1 << 20, Duration.ofSeconds(10), false), Clock.systemUTC());
  }

  public static ServeConfig allowing(String... cidrs) {
    return new ServeConfig(null, null, null, List.of(cidrs), 600, List.of());
  }

  /** A plain client: no redirects followed, no cookies kept, so each test says what it sends. */
  public static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(5)).build();

  public static HttpResponse<String> get(Server s, String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path)).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public static HttpResponse<String> postForm(Server s, String path, String form, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The CSRF cookie a page set, as "rdpdoctor_csrf=VALUE". */
  public static String csrfCookie(HttpResponse<?> page) {
    List<String> found = new ArrayList<>();
    for (String c : page.headers().allValues("Set-Cookie")) {
      if (c.startsWith(Access.CSRF_COOKIE + "=")) {
        found.add(c.substring(0, c.indexOf(';')));
      }
    }
    if (found.isEmpty()) {
      throw new AssertionError("the page set no CSRF cookie: " + page.headers().map());
    }
    return found.get(0);
  }
}
