package rdpdoctor.serve;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.evidence.x509.TestCertificates;
import rdpdoctor.probe.bench.Bench;
import rdpdoctor.probe.bench.XrdpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Prometheus (Debian's {@code prometheus}) scrapes {@code /metrics} and {@code /probe}
 * against a bench xrdp with a planted certificate; its query API must return what the bench is:
 * NLA off (xrdp's default negotiates TLS, no CredSSP), the certificate's notAfter, up. And
 * {@code promtool} passes the shipped rules and their unit tests.
 */
class PrometheusTest {
  @TempDir Path dir;

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final Path DOCS = Path.of("..", "docs", "prometheus").toAbsolutePath().normalize();

  @Test
  void prometheusScrapesMetricsAndProbeAndQueriesTheBenchValues() throws Exception {
    Path prometheus = Bench.require("prometheus", "prometheus");
    Instant now = Instant.now();
    Instant notAfter = now.plus(Duration.ofDays(20)).truncatedTo(ChronoUnit.SECONDS);
    Path[] cert = TestCertificates.make(TestCertificates.Spec.good("127.0.0.1", now)
        .validity(now.minus(Duration.ofDays(1)), notAfter)).writePem(dir, "planted");
    try (XrdpServer xrdp = XrdpServer.start(XrdpServer.Config.defaults().certificate(cert[0], cert[1]))) {
      String target = "127.0.0.1:" + xrdp.port();
      ServeConfig config = new ServeConfig(null, null, null, List.of("127.0.0.0/8"), 6,
          List.of(new ServeConfig.ScheduledScan("bench", List.of(target), "1h", "full")));
      try (Server serve = Server.start(new Server.Options(new Listen("127.0.0.1", 0), "jdbc:sqlite:" + dir.resolve("s.db"),
          config, null, 1 << 20, Duration.ofSeconds(20), true), Clock.systemUTC())) {
        // the scheduled scan runs at start; /metrics has the host once it is recorded
        awaitContains(serve, "/metrics", "rdpdoctor_certificate_expiry_timestamp_seconds{tag=\"bench\",target=\"" + target + "\"}",
            xrdp);
        int port = Bench.freePort();
        Path yml = dir.resolve("prometheus.yml");
        Files.writeString(yml, """
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: rdpdoctor
                static_configs: [{targets: ["127.0.0.1:%1$d"]}]
              - job_name: rdp
                metrics_path: /probe
                params: {module: [full]}
                # a full probe takes about 0.5 s, several on a loaded 2-core machine
                scrape_interval: 10s
                scrape_timeout: 10s
                static_configs: [{targets: ["%2$s"]}]
                relabel_configs:
                  - {source_labels: [__address__], target_label: __param_target}
                  - {source_labels: [__param_target], target_label: instance}
                  - {target_label: __address__, replacement: "127.0.0.1:%1$d"}
            """.formatted(serve.port(), target));
        Path log = dir.resolve("prometheus.log");
        Process p = new ProcessBuilder(prometheus.toString(), "--config.file=" + yml, "--storage.tsdb.path=" + dir.resolve("tsdb"),
            "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
          assertThat(Bench.waitListening(port, p, Duration.ofSeconds(30))).as(Bench.tail(log)).isTrue();
          String api = "http://127.0.0.1:" + port;
          // from /metrics: the scheduled scan's result
          assertThat(value(api, "rdpdoctor_nla_required{job=\"rdpdoctor\",target=\"" + target + "\"}", log)).isEqualTo(0);
          assertThat(value(api, "rdpdoctor_up{job=\"rdpdoctor\",target=\"" + target + "\"}", log)).isEqualTo(1);
          assertThat(value(api, "rdpdoctor_certificate_expiry_timestamp_seconds{job=\"rdpdoctor\",target=\"" + target + "\"}", log))
              .isEqualTo(notAfter.getEpochSecond());
          assertThat(value(api, "rdpdoctor_rdp_security_accepted{job=\"rdpdoctor\",target=\"" + target + "\"}", log)).isEqualTo(1);
          assertThat(value(api, "rdpdoctor_tls_lowest_version{job=\"rdpdoctor\",target=\"" + target + "\"}", log)).isEqualTo(1.2);
          assertThat(value(api, "rdpdoctor_finding{job=\"rdpdoctor\",target=\"" + target + "\",rule=\"nla-off-on-host\"}", log)).isEqualTo(1);
          // from /probe: Prometheus as the scheduler, rdpdoctor as the prober
          assertThat(value(api, "probe_success{job=\"rdp\",instance=\"" + target + "\"}", log)).isEqualTo(1);
          assertThat(value(api, "rdpdoctor_nla_required{job=\"rdp\",instance=\"" + target + "\"}", log)).isEqualTo(0);
          assertThat(value(api, "rdpdoctor_certificate_expiry_timestamp_seconds{job=\"rdp\",instance=\"" + target + "\"}", log))
              .isEqualTo(notAfter.getEpochSecond());
          // the exporter's own metrics: the scrapes of /probe were counted
          assertThat(value(api, "rdpdoctor_serve_probes_total{job=\"rdpdoctor\",module=\"full\",outcome=\"up\"} > 0", log)).isPositive();
        } finally {
          Bench.stop(p);
        }
      }
    }
  }

  @Test
  void promtoolPassesTheShippedRulesConfigAndAlertTests() throws Exception {
    Path promtool = Bench.require("promtool", "prometheus");
    for (List<String> args : List.of(List.of("check", "rules", "rdpdoctor-alerts.yml"),
        List.of("check", "config", "prometheus.yml"), List.of("test", "rules", "rdpdoctor-alerts.test.yml"))) {
      List<String> cmd = new ArrayList<>(List.of(promtool.toString()));
      cmd.addAll(args);
      Process p = new ProcessBuilder(cmd).directory(DOCS.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as(String.join(" ", args) + ": " + out).isZero();
      assertThat(out).contains("SUCCESS");
    }
  }

  /** Waits (up to 60 s: a full probe of xrdp takes well under one) until the page holds the text. */
  private static void awaitContains(Server s, String path, String text, XrdpServer xrdp) throws Exception {
    String last = "";
    for (int i = 0; i < 600; i++) {
      last = ServeFixtures.get(s, path).body();
      if (last.contains(text)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no " + text + " in " + path + " after 60 s:\n" + last + "\nxrdp: " + xrdp.log());
  }

  /** The query's single value, once Prometheus has it (it scrapes every second). */
  private static double value(String api, String query, Path log) throws IOException, InterruptedException {
    String last = "";
    for (int i = 0; i < 600; i++) {
      HttpRequest req = HttpRequest.newBuilder(URI.create(api + "/api/v1/query?query="
          + URLEncoder.encode(query, StandardCharsets.UTF_8))).GET().build();
      try {
        HttpResponse<String> r = ServeFixtures.HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        last = r.body();
        // 503 "Service Unavailable" (plain text) while Prometheus is still starting
        if (r.statusCode() == 200) {
          JsonNode result = JSON.readTree(last).path("data").path("result");
          if (result.size() == 1) {
            return Double.parseDouble(result.get(0).path("value").get(1).asString());
          }
        }
      } catch (IOException e) {
        last = e.toString(); // not ready yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("Prometheus has no single series for " + query + " after 60 s: " + last + "\n" + Bench.tail(log));
  }
}
