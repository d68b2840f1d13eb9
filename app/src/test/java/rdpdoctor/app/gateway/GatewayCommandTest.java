package rdpdoctor.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rdpdoctor.app.CliRun;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.Json;
import rdpdoctor.evidence.x509.TestCertificates;
import rdpdoctor.probe.gateway.bench.BenchGateway;
import tools.jackson.databind.JsonNode;

/**
 * {@code rdpdoctor gateway} against gw1's bench gateway on loopback (in-process: TLS with the test's
 * certificate, the HTTP transport, NTLM): the verdicts, their E_PROXY code, gateway event and
 * client code, the JSON document and the exit codes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GatewayCommandTest {
  static final String USER = "alice";
  static final String PASSWORD = "Bench-pw-1";

  private static TestCertificates cert() throws Exception {
    return TestCertificates.make(TestCertificates.Spec.good("127.0.0.1", Instant.now()));
  }

  private static JsonNode run(BenchGateway.Config config, int exit, String... extra) throws Exception {
    try (BenchGateway gw = new BenchGateway(cert(), config)) {
      List<String> args = new ArrayList<>(List.of("gateway", "127.0.0.1:" + gw.port(), "--json", "--timeout", "8s"));
      args.addAll(List.of(extra));
      CliRun r = CliRun.run(args.toArray(String[]::new));
      assertThat(r.exit()).as(r.err() + r.out()).isEqualTo(exit);
      return Json.MAPPER.readTree(r.out());
    }
  }

  private static JsonNode verdict(JsonNode doc, String id) {
    for (JsonNode v : doc.path("verdicts")) {
      if (v.path("id").asString().equals(id)) {
        return v;
      }
    }
    throw new AssertionError(id + " is not among the verdicts: " + doc.path("problems"));
  }

  @Test
  void aGatewayThatAsksForNtlmShowsItsTransportAndNtlmInfo() throws Exception {
    JsonNode doc = run(BenchGateway.Config.of(USER, PASSWORD, "rds01"), ExitCodes.FOUND);
    assertThat(doc.path("http").toString()).contains("\"request\":\"RDG_OUT_DATA\"").contains("\"status\":401");
    assertThat(doc.path("ntlm").path("dnsComputer").asString()).isEqualTo("gw01.bench.example");
    assertThat(doc.path("udp").path("answered").asBoolean()).isFalse();
    // the bench's certificate is self-signed: clients that were not given it refuse it
    assertThat(doc.path("problems").toString()).contains("gateway-certificate")
        .doesNotContain("gateway-http-transport-unavailable").doesNotContain("gateway-basic-only");
  }

  @Test
  void forbiddenOutDataIsTheHttpTransport() throws Exception {
    JsonNode v = verdict(run(BenchGateway.Config.of(USER, PASSWORD, "rds01").with(BenchGateway.Switch.FORBID_OUT_DATA),
        ExitCodes.FOUND), "gateway-http-transport-unavailable");
    assertThat(v.path("clientCode").path("hex").asString()).isEqualTo("0x300000D");
    assertThat(v.path("eProxy").isNull()).isTrue();
  }

  @Test
  void theTextReportGivesTheVerdictWithItsClientCode() throws Exception {
    try (BenchGateway gw = new BenchGateway(cert(),
        BenchGateway.Config.of(USER, PASSWORD, "rds01").with(BenchGateway.Switch.FORBID_OUT_DATA))) {
      CliRun r = CliRun.run("gateway", "127.0.0.1:" + gw.port(), "--timeout", "8s");
      assertThat(r.exit()).isEqualTo(ExitCodes.FOUND);
      assertThat(r.out()).contains("HTTP  RDG_OUT_DATA HTTP 403").contains("Verdicts")
          .contains("(gateway-http-transport-unavailable)").contains("client: mstsc 0x300000D")
          .doesNotContain("tcp connect"); // the phase timings are for --json only
    }
  }

  @Test
  void basicOnlyIsNamed() throws Exception {
    verdict(run(BenchGateway.Config.of(USER, PASSWORD, "rds01").with(BenchGateway.Switch.BASIC_ONLY), ExitCodes.FOUND),
        "gateway-basic-only");
  }

  @Test
  void theGatewaysDefaultPortIs443() {
    // nothing listens on 127.0.0.2:443 here: the report names the port it tried
    CliRun r = CliRun.run("gateway", "127.0.0.2", "--json", "--timeout", "2s");
    assertThat(r.exit()).isEqualTo(ExitCodes.FOUND);
    JsonNode doc = Json.MAPPER.readTree(r.out());
    assertThat(doc.path("port").asInt()).isEqualTo(443);
    assertThat(doc.path("failureKind").asString()).isEqualTo("CONNECTION_REFUSED");
    assertThat(doc.path("problems").toString()).contains("gateway-unreachable");
  }

  @Test
  void usage() {
    assertThat(CliRun.run("gateway", "gw.example", "--user", "alice").exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(CliRun.run("gateway", "gw.example:99999").exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(CliRun.run("gateway", "gw.example", "--timeout", "soon").exit()).isEqualTo(ExitCodes.USAGE);
  }
}
