package rdpdoctor.app.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.app.CliRun;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.Json;
import rdpdoctor.evidence.x509.TestCertificates;
import rdpdoctor.probe.bench.XrdpServer;
import tools.jackson.databind.JsonNode;

/**
 * Issue 12's acceptance cases against a live bench host: a real xrdp on 127.0.0.1 with a valid
 * certificate for "bench-host", probed by address (so the name never matches, as for every IP
 * target). Skips when xrdp is not installed.
 */
class DiagnoseWeighingBenchTest {
  @TempDir static Path dir;

  private static XrdpServer xrdp;

  @BeforeAll
  static void start() throws Exception {
    Path[] pem = TestCertificates.make(TestCertificates.Spec.good("bench-host", Instant.now())).writePem(dir, "bench-host");
    xrdp = XrdpServer.start(XrdpServer.Config.defaults().certificate(pem[0], pem[1]));
  }

  @AfterAll
  static void stop() {
    if (xrdp != null) {
      xrdp.close();
    }
  }

  private static JsonNode diagnose(String codes, int exit) throws Exception {
    CliRun r = CliRun.run("diagnose", "127.0.0.1:" + xrdp.port(), "--error", codes, "--json", "--timeout", "20");
    assertThat(r.exit()).as(r.err()).isEqualTo(exit);
    JsonNode j = Json.MAPPER.readTree(r.out());
    // An internal error in the probe is a bug, not a missing peer: fail, never skip.
    assertThat(j.path("evidence").path("notes").toString()).doesNotContain("probe stopped with an internal error");
    return j;
  }

  @Test
  void aTypedRefusalIsOverruledByTheProbeThatConnected() throws Exception {
    // No cause on this host (exit 0): the probe connected, so the refusal the user saw is on their path.
    JsonNode j = diagnose("0x204", ExitCodes.OK);
    JsonNode closed = ReportJson.finding(j, "port-closed");
    assertThat(j.path("verdict").path("topFinding").asString()).isNotEqualTo("port-closed");
    assertThat(closed.path("title").asString()).startsWith("Contradicted: ");
    assertThat(closed.path("contradicted").asBoolean()).isTrue();
    assertThat(closed.path("confidence").path("level").asString()).isEqualTo("low");
    assertThat(closed.path("explanation").asString())
        .contains("the probe just reached an RDP listener on the port")
        .contains("what fits instead");
    assertThat(closed.path("proof").toString()).contains("contradicts: answered");
    assertThat(closed.path("remediation").size()).isZero();
    for (JsonNode f : j.path("findings")) {
      if (f.path("title").asString().startsWith("Nothing accepts connections")) {
        throw new AssertionError("uncontradicted 'nothing accepts connections': " + f);
      }
    }
    // Every probe verdict reaches the diagnosis: Standard RDP Security with its fix, and the server named.
    JsonNode rdpSec = ReportJson.finding(j, "rdp-security-accepted");
    assertThat(rdpSec.path("remediation").toString()).contains("tls-security-layer");
    assertThat(ReportJson.finding(j, "server-is-xrdp").path("explanation").asString()).contains("/etc/xrdp/xrdp.ini");
    assertThat(ReportJson.ids(j)).contains("nla-off-on-host");

    // The weaknesses are listed as weaknesses, and none of them is the verdict or "broke here":
    // Standard RDP Security accepted is true of this host, which the probe just connected to.
    assertThat(rdpSec.path("kind").asString()).isEqualTo("weakness");
    assertThat(ReportJson.finding(j, "nla-off-on-host").path("kind").asString()).isEqualTo("weakness");
    assertThat(ReportJson.finding(j, "server-is-xrdp").path("kind").asString()).isEqualTo("fact");
    JsonNode verdict = j.path("verdict");
    assertThat(verdict.path("causeFound").asBoolean()).as(verdict.toString()).isFalse();
    assertThat(verdict.path("topFinding").isNull()).as(verdict.toString()).isTrue();
    assertThat(verdict.path("brokenPhase").isNull()).as(verdict.toString()).isTrue();
    assertThat(verdict.path("summary").asString())
        .contains("path from the user's client").contains("2 weaknesses are listed separately");
    for (JsonNode p : j.path("phases")) {
      assertThat(p.path("status").asString()).as(p.toString()).isNotEqualTo("broken");
    }
    // The name mismatch of an IP target is a cause of other codes, not of 0x204.
    assertThat(ReportJson.finding(j, "cert-name-mismatch").path("explainsObserved").size()).isZero();

    // And the fix script built from the report does not "enable Remote Desktop", nor harden the
    // host unasked (requiring TLS or NLA refuses clients that connect today); --hardening does.
    Path report = dir.resolve("report-0x204.json");
    CliRun dj = CliRun.run("diagnose", "127.0.0.1:" + xrdp.port(), "--error", "0x204", "--json", "--timeout", "20");
    Files.writeString(report, dj.out());
    CliRun fix = CliRun.run("fix", "--report", report.toString(), "--json");
    JsonNode steps = Json.MAPPER.readTree(fix.out()).path("steps");
    assertThat(steps.size()).as(fix.out()).isZero();
    CliRun hardening = CliRun.run("fix", "--hardening", "--report", report.toString(), "--json");
    assertThat(hardening.out()).as(hardening.err()).doesNotContain("rdp-enable").contains("tls-security-layer");
  }

  @Test
  void theNameMismatchOfAnIpTargetIsNotTheCauseOf0x904With7() throws Exception {
    JsonNode j = diagnose("0x904 0x7", ExitCodes.FOUND);
    JsonNode mismatch = ReportJson.finding(j, "cert-name-mismatch");
    assertThat(j.path("verdict").path("topFinding").asString()).isNotEqualTo("cert-name-mismatch");
    assertThat(mismatch.path("explainsObserved").size()).isZero();
    assertThat(mismatch.path("confidence").path("reasons").toString())
        .contains("the client was given an IP address")
        .contains("does not explain the code(s) reported");
    // The reading of the pair itself (the server refused after negotiation) ranks above it.
    assertThat(ReportJson.ids(j).indexOf("server-denied-connection")).isLessThan(ReportJson.ids(j).indexOf("cert-name-mismatch"));
  }
}
