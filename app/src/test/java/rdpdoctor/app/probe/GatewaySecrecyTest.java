package rdpdoctor.app.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.evidence.x509.TestCertificates;
import rdpdoctor.probe.gateway.bench.BenchGateway;
import tools.jackson.databind.JsonNode;

/**
 * `rdpdoctor gateway --user` end to end in a separate process against gw1's bench gateway: the
 * tunnel's refusals get the same rules as the gateway's own log (a RAP denial is
 * gateway-rap-denied with E_PROXY_RAP_ACCESSDENIED, event 301, mstsc 0x0300001B), a wrong password
 * is gateway-wrong-password, and the planted password is in nothing the command writes.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GatewaySecrecyTest {
  static final String USER = "alice";
  static final String PASSWORD = ProbeSecrecyTest.PASSWORD;

  private static ProbeSecrecyTest.Run gateway(BenchGateway.Config config, String password) throws Exception {
    return gateway(config, password, "rds01");
  }

  private static ProbeSecrecyTest.Run gateway(BenchGateway.Config config, String password, String target)
      throws Exception {
    TestCertificates cert = TestCertificates.make(TestCertificates.Spec.good("127.0.0.1", Instant.now()));
    try (BenchGateway gw = new BenchGateway(cert, config)) {
      return ProbeSecrecyTest.rdpdoctor(Map.of("GW_PW", password), "", "gateway", "127.0.0.1:" + gw.port(),
          "--target", target, "--user", "BENCH\\" + USER, "--password-env", "GW_PW", "--json", "--timeout", "8s");
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
  void rapDenialThroughTheTunnelIsTheSameCauseAsEvent301() throws Exception {
    ProbeSecrecyTest.Run r = gateway(BenchGateway.Config.of(USER, PASSWORD, "other-host"), PASSWORD);
    assertThat(r.exit()).as(new String(r.stderr())).isEqualTo(ExitCodes.FOUND);
    JsonNode v = verdict(r.json(), "gateway-rap-denied");
    assertThat(v.path("eProxy").path("name").asString()).isEqualTo("E_PROXY_RAP_ACCESSDENIED");
    assertThat(v.path("gatewayEvent").asInt()).isEqualTo(301);
    assertThat(v.path("clientCode").path("hex").asString()).isEqualTo("0x300001B");
    ProbeSecrecyTest.assertClean(r);
    ProbeSecrecyTest.assertScanCatchesALeakIn(r);
  }

  @Test
  void hostDownAndConnectionCap() throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort(); // nothing listens there once it is closed
    }
    ProbeSecrecyTest.Run down = gateway(BenchGateway.Config.of(USER, PASSWORD, "rds01"), PASSWORD, "rds01:" + closed);
    JsonNode v = verdict(down.json(), "gateway-host-unreachable");
    assertThat(v.path("eProxy").path("hex").asString()).isEqualTo("0x800759DD");
    assertThat(v.path("gatewayEvent").asInt()).isEqualTo(304);
    ProbeSecrecyTest.assertClean(down);

    ProbeSecrecyTest.Run full = gateway(BenchGateway.Config.of(USER, PASSWORD, "rds01").maxTunnels(0), PASSWORD);
    JsonNode c = verdict(full.json(), "gateway-connection-cap");
    assertThat(c.path("gatewayEvent").asInt()).isEqualTo(203);
    assertThat(c.path("clientCode").path("hex").asString()).isEqualTo("0x3000022");
    ProbeSecrecyTest.assertClean(full);
  }

  /** The rule ids of a diagnose --json report (one computer: a diagnosis-report/1 document). */
  private static java.util.List<String> findings(JsonNode report) {
    java.util.List<String> ids = new java.util.ArrayList<>();
    report.path("findings").forEach(f -> ids.add(f.path("id").asString()));
    return ids;
  }

  @Test
  void diagnoseThroughTheGatewayNamesTheGatewaysCauseAndTheHostsBehindIt() throws Exception {
    TestCertificates cert = TestCertificates.make(TestCertificates.Spec.good("127.0.0.1", Instant.now()));
    // The RAP allows another host: the cause is at the gateway, as its event 301 would say.
    try (BenchGateway gw = new BenchGateway(cert, BenchGateway.Config.of(USER, PASSWORD, "other-host"))) {
      ProbeSecrecyTest.Run r = ProbeSecrecyTest.rdpdoctor(Map.of("GW_PW", PASSWORD), "", "diagnose", "rds01",
          "--gateway", "127.0.0.1:" + gw.port(), "--user", "BENCH\\" + USER, "--password-env", "GW_PW",
          "--json", "--timeout", "8");
      assertThat(r.exit()).as(new String(r.stderr())).isEqualTo(ExitCodes.FOUND);
      assertThat(findings(r.json())).contains("gateway-rap-denied");
      assertThat(r.json().toString()).contains("tunnel to rds01:3389 stopped at");
      ProbeSecrecyTest.assertClean(r);
    }
    // Allowed: the host (bench xrdp, NLA off by default) is probed through the tunnel.
    try (rdpdoctor.probe.bench.XrdpServer xrdp = rdpdoctor.probe.bench.XrdpServer.start(
            rdpdoctor.probe.bench.XrdpServer.Config.defaults());
        BenchGateway gw = new BenchGateway(cert, BenchGateway.Config.of(USER, PASSWORD, "rds01"))) {
      ProbeSecrecyTest.Run r = ProbeSecrecyTest.rdpdoctor(Map.of("GW_PW", PASSWORD), "", "diagnose",
          "rds01:" + xrdp.target().port(), "--gateway", "127.0.0.1:" + gw.port(), "--user", "BENCH\\" + USER,
          "--password-env", "GW_PW", "--json", "--timeout", "15");
      assertThat(r.json().toString()).as(new String(r.stderr())).contains("through the RD Gateway 127.0.0.1:" + gw.port());
      assertThat(findings(r.json())).contains("nla-off-on-host").doesNotContain("gateway-rap-denied");
      ProbeSecrecyTest.assertClean(r);
      // probe --gateway gives the gateway command's report for that host.
      ProbeSecrecyTest.Run p = ProbeSecrecyTest.rdpdoctor(Map.of("GW_PW", PASSWORD), "", "probe",
          "rds01:" + xrdp.target().port(), "--gateway", "127.0.0.1:" + gw.port(), "--user", "BENCH\\" + USER,
          "--password-env", "GW_PW", "--json", "--timeout", "15s");
      assertThat(p.exit()).as(new String(p.stderr())).isEqualTo(ExitCodes.FOUND);
      assertThat(p.json().path("target").asString()).isEqualTo("rds01:" + xrdp.target().port());
      assertThat(p.json().path("hostThroughTunnel").size()).isPositive();
      assertThat(p.json().path("problems").toString()).contains("nla-off-on-host");
      ProbeSecrecyTest.assertClean(p);
    }
    // --gateway without --user is refused before any traffic.
    ProbeSecrecyTest.Run bare = ProbeSecrecyTest.rdpdoctor(Map.of(), "", "diagnose", "rds01", "--gateway", "127.0.0.1:1");
    assertThat(bare.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(new String(bare.stderr())).contains("--gateway needs --user");
    ProbeSecrecyTest.Run bareProbe = ProbeSecrecyTest.rdpdoctor(Map.of(), "", "probe", "rds01", "--gateway", "127.0.0.1:1");
    assertThat(bareProbe.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(new String(bareProbe.stderr())).contains("--gateway needs --user");
  }

  @Test
  void capDenialAndWrongPassword() throws Exception {
    ProbeSecrecyTest.Run cap = gateway(BenchGateway.Config.of(USER, PASSWORD, "rds01").cap(Set.of("bob")), PASSWORD);
    assertThat(verdict(cap.json(), "gateway-cap-denied").path("gatewayEvent").asInt()).isEqualTo(201);
    ProbeSecrecyTest.assertClean(cap);

    ProbeSecrecyTest.Run wrong = gateway(BenchGateway.Config.of(USER, "Another-pw-7", "rds01"), PASSWORD);
    assertThat(wrong.exit()).isEqualTo(ExitCodes.FOUND);
    verdict(wrong.json(), "gateway-wrong-password");
    ProbeSecrecyTest.assertClean(wrong);
  }
}
