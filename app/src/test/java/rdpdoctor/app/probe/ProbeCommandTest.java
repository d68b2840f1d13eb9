package rdpdoctor.app.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.Json;
import rdpdoctor.app.CliRun;
import rdpdoctor.evidence.x509.TestCertificates;
import rdpdoctor.probe.bench.XrdpServer;
import tools.jackson.databind.JsonNode;

class ProbeCommandTest {
  @TempDir Path dir;


  /** The JSON fields README documents, against xrdp (which does not offer NLA: exit 1). */
  private static CliRun run(String... args) {
    return CliRun.run(args);
  }

  @Test
  void jsonAgainstXrdp() throws Exception {
    Path[] pem = TestCertificates.make(TestCertificates.Spec.good("127.0.0.1", Instant.now())
        .names("127.0.0.1", List.of(), List.of("127.0.0.1"))).writePem(dir, "server");
    try (XrdpServer x = XrdpServer.start(XrdpServer.Config.defaults().certificate(pem[0], pem[1]))) {
      CliRun r = run("probe", "--json", "--timeout", "20s", x.target().toString());
      assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.FOUND);
      JsonNode j = Json.MAPPER.readTree(r.out());
      assertThat(j.get("target").asString()).isEqualTo(x.target().toString());
      assertThat(j.get("nla").asString()).isEqualTo("unavailable");
      JsonNode phase = j.get("phases").get(0);
      assertThat(phase.has("name") && phase.has("ms") && phase.has("ok") && phase.has("error")).isTrue();
      JsonNode neg = j.get("negotiation").get(2);
      assertThat(neg.get("requested").asString()).isEqualTo("SSL|HYBRID");
      assertThat(neg.get("selected").asString()).isEqualTo("PROTOCOL_SSL");
      assertThat(neg.has("failure") && neg.has("flags")).isTrue();
      assertThat(j.get("tls").get("versions").get("TLS 1.2").asBoolean()).isTrue();
      assertThat(j.get("tls").get("versions").get("TLS 1.0").asBoolean()).isFalse();
      JsonNode cert = j.get("tls").get("certificate");
      assertThat(cert.get("subject").asString()).isEqualTo("CN=127.0.0.1");
      assertThat(cert.get("sans").get(0).asString()).isEqualTo("127.0.0.1");
      assertThat(cert.get("selfSigned").asBoolean()).isTrue();
      assertThat(cert.get("keyBits").asInt()).isEqualTo(2048);
      assertThat(cert.get("sha1").asString()).hasSize(40);
      assertThat(cert.get("daysLeft").asLong()).isBetween(363L, 365L);
      assertThat(j.get("problems").toString()).contains("NLA is not offered");

      CliRun text = run("probe", "--quick", x.target().toString());
      assertThat(text.out()).contains("Verdicts", "NLA (CredSSP) is not offered", "Phases", "x224 SSL|HYBRID");
    }
  }

  @Test
  void refusedPortIsAProblemWithTheClientCode() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    CliRun r = run("probe", "--json", "--quick", "127.0.0.1:" + port);
    assertThat(r.exit()).isEqualTo(ExitCodes.FOUND);
    JsonNode j = Json.MAPPER.readTree(r.out());
    assertThat(j.get("failure").get("kind").asString()).isEqualTo("CONNECTION_REFUSED");
    assertThat(j.get("failure").get("clientCode").asString()).isEqualTo("0x204");
    assertThat(j.get("failure").get("clientCodeName").asString()).isEqualTo("disconnectReasonSocketConnectFailed");
  }

  @Test
  void badArgumentsAreUsageErrors() {
    assertThat(run("probe", "host:notaport").exit()).isEqualTo(ExitCodes.USAGE);
    CliRun t = run("probe", "--timeout", "soon", "127.0.0.1");
    assertThat(t.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(t.err()).contains("--timeout: not a duration: 'soon'");
    assertThat(run("probe", "--help").out()).contains("Examples:", "--quick");
  }
}
