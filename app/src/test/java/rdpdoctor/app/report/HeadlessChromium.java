package rdpdoctor.app.report;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import rdpdoctor.app.Json;
import tools.jackson.databind.JsonNode;

/**
 * Debian's headless Chromium driven through chromedriver with the handful of W3C WebDriver
 * commands the report test needs (new session, navigate, execute script, set the window size,
 * screenshot), as JSON over HTTP on 127.0.0.1. Selenium would bring about thirty jars for these
 * five requests; the JDK's HTTP client and the project's Jackson suffice.
 */
public final class HeadlessChromium implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private final Process driver;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final URI base;
  private final String session;

  private HeadlessChromium(Process driver, URI base, String session) {
    this.driver = driver;
    this.base = base;
    this.session = session;
  }

  /** Skips the calling test, naming the Debian packages, when Chromium or its driver is missing. */
  public static void require() {
    Assumptions.assumeTrue(java.nio.file.Files.isExecutable(CHROMIUM) && java.nio.file.Files.isExecutable(CHROMEDRIVER),
        "peer binary missing: " + CHROMIUM + " or " + CHROMEDRIVER
            + " (apt-get install chromium chromium-driver); headless browser test skipped");
  }

  /** Starts chromedriver on a free loopback port and opens a headless browser session. */
  public static HeadlessChromium start(Path dir, int width, int height) throws IOException, InterruptedException {
    require();
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path log = dir.resolve("chromedriver.log");
    Process p = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port, "--log-path=" + log)
        .redirectErrorStream(true).redirectOutput(dir.resolve("chromedriver.out").toFile()).start();
    URI base = URI.create("http://127.0.0.1:" + port + "/");
    HttpClient probe = HttpClient.newHttpClient();
    boolean ready = false;
    for (int i = 0; i < 100 && !ready && p.isAlive(); i++) {
      try {
        HttpResponse<String> r = probe.send(HttpRequest.newBuilder(base.resolve("status")).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString());
        ready = Json.MAPPER.readTree(r.body()).path("value").path("ready").asBoolean();
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    if (!ready) {
      p.destroyForcibly();
      throw new IOException("chromedriver did not become ready on 127.0.0.1:" + port + " (installed but failing): "
          + (Files.exists(log) ? tail(log) : "no log"));
    }
    // Nothing but the page: no first-run, sync, component update or other background traffic.
    List<String> args = new ArrayList<>(List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--user-data-dir=" + dir.resolve("profile"), "--no-first-run", "--no-default-browser-check",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
        "--disable-extensions", "--hide-scrollbars", "--force-device-scale-factor=1", "--lang=en-US",
        "--window-size=" + width + "," + height));
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("binary", CHROMIUM.toString());
    options.put("args", args);
    Map<String, Object> always = new LinkedHashMap<>();
    always.put("browserName", "chrome");
    always.put("goog:chromeOptions", options);
    HeadlessChromium c = new HeadlessChromium(p, base, "");
    JsonNode created = c.call("POST", "session", Map.of("capabilities", Map.of("alwaysMatch", always)));
    String id = created.path("sessionId").asString();
    if (id == null || id.isEmpty()) {
      p.destroyForcibly();
      throw new IOException("chromedriver gave no session: " + created);
    }
    return new HeadlessChromium(p, base, id);
  }

  public void open(Path file) throws IOException, InterruptedException {
    open(file.toUri());
  }

  /** Navigates to {@code url} (serve's browser test opens its pages over loopback HTTP). */
  public void open(URI url) throws IOException, InterruptedException {
    call("POST", "session/" + session + "/url", Map.of("url", url.toString()));
  }

  /** The page's address now, after any redirect. */
  public String url() throws IOException, InterruptedException {
    return call("GET", "session/" + session + "/url", null).asString();
  }

  /** Clicks the first element {@code css} selects, as a user would (WebDriver Element Click). */
  public void click(String css) throws IOException, InterruptedException {
    call("POST", "session/" + session + "/element/" + element(css) + "/click", Map.of());
  }

  /** Types {@code text} into the element; for a file input, the text is the file's path. */
  public void type(String css, String text) throws IOException, InterruptedException {
    call("POST", "session/" + session + "/element/" + element(css) + "/value", Map.of("text", text));
  }

  private String element(String css) throws IOException, InterruptedException {
    JsonNode e = call("POST", "session/" + session + "/element", Map.of("using", "css selector", "value", css));
    return e.path("element-6066-11e4-a52e-4f735466cecf").asString();
  }

  /** Runs {@code script} (a function body; {@code arguments[i]} are the args) and returns its value. */
  public JsonNode run(String script, Object... args) throws IOException, InterruptedException {
    return call("POST", "session/" + session + "/execute/sync", Map.of("script", script, "args", List.of(args)));
  }

  public void resize(int width, int height) throws IOException, InterruptedException {
    call("POST", "session/" + session + "/window/rect", Map.of("width", width, "height", height));
  }

  /** A PNG of the viewport. */
  public byte[] screenshot() throws IOException, InterruptedException {
    return Base64.getDecoder().decode(call("GET", "session/" + session + "/screenshot", null).asString());
  }

  private JsonNode call(String method, String path, Object body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json; charset=utf-8");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body)));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode value = Json.MAPPER.readTree(r.body()).path("value");
    if (r.statusCode() != 200) {
      throw new IOException("WebDriver " + method + " /" + path + ": HTTP " + r.statusCode() + ": "
          + value.path("error").asString() + ": " + value.path("message").asString());
    }
    return value;
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(unreadable log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      if (!session.isEmpty()) {
        call("DELETE", "session/" + session, null);
      }
    } finally {
      driver.destroy();
      if (!driver.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        driver.destroyForcibly();
      }
    }
  }
}
