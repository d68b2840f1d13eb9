package rdpdoctor.app.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.app.probe.ProbeCommand;
import rdpdoctor.diagnosis.Diagnosis;
import rdpdoctor.diagnosis.Finding;
import rdpdoctor.diagnosis.rules.RuleEngine;
import rdpdoctor.diagnosis.rules.RuleSet;
import rdpdoctor.evidence.x509.TestCertificates;
import rdpdoctor.probe.Probe;
import rdpdoctor.probe.ProbeOptions;
import rdpdoctor.probe.ProbeReport;
import rdpdoctor.probe.Target;
import rdpdoctor.probe.bench.Bench;
import rdpdoctor.probe.bench.XrdpServer;

/**
 * Every verdict the probe proves ({@code ProbeReport.problems()}, what {@code rdpdoctor probe}
 * prints) must reach the diagnosis as a finding whose proof is the probe's own observation. Run
 * against bench listeners; a verdict sentence no rule maps fails the test, so a new probe verdict
 * cannot be lost again; the verdict-to-rule table is {@code fleet.ProblemRules}, so this also keeps
 * that table true.
 */
class ProbeVerdictsReachDiagnosisTest {
  @TempDir Path dir;

  private static List<String> unmapped(ProbeReport report) {
    Diagnosis d = new RuleEngine(RuleSet.builtIn()).diagnose(report.observations(), Instant.now());
    List<String> out = new ArrayList<>();
    for (String problem : report.problems()) {
      // the table scan's SARIF report reads rule ids from
      String rule = rdpdoctor.fleet.ProblemRules.rule(problem, report.failure() == null ? null : report.failure().kind());
      if (rule == null) {
        out.add("no rule is named for the verdict: " + problem);
        continue;
      }
      Finding f = d.findings().stream().filter(x -> x.id().equals(rule)).findFirst().orElse(null);
      if (f == null) {
        out.add(rule + " did not fire for the verdict: " + problem + " (findings: "
            + d.findings().stream().map(Finding::id).toList() + ")");
      } else if (f.proof().stream().noneMatch(p -> p.observation().provenance().source()
          == rdpdoctor.diagnosis.Provenance.Source.PROBE)) {
        out.add(rule + " fired without the probe's observation for: " + problem);
      }
    }
    return out;
  }

  private static ProbeReport probe(Target t) {
    return new Probe(ProbeOptions.defaults().withTimeout(Duration.ofSeconds(20)).withStages(ProbeCommand.stages())).run(t);
  }

  @Test
  void aClosedPort() throws Exception {
    ProbeReport r = probe(new Target("127.0.0.1", Bench.freePort()));
    assertThat(r.problems()).isNotEmpty();
    assertThat(unmapped(r)).isEmpty();
  }

  @Test
  void aListenerThatSelectsWhatWasNotRequested() throws Exception {
    try (SloppyX224Server s = new SloppyX224Server()) {
      ProbeReport r = probe(s.target());
      assertThat(r.problems()).anyMatch(p -> p.startsWith("the server selected a protocol that was not requested"));
      assertThat(unmapped(r)).isEmpty();
    }
  }

  @Test
  void xrdpWithAValidCertificateProbedByAddress() throws Exception {
    Path[] pem = TestCertificates.make(TestCertificates.Spec.good("bench-host", Instant.now())).writePem(dir, "good");
    try (XrdpServer x = XrdpServer.start(XrdpServer.Config.defaults().certificate(pem[0], pem[1]))) {
      ProbeReport r = probe(x.target());
      assertThat(r.problems()).as(x.log()).anyMatch(p -> p.startsWith("Standard RDP Security is accepted"));
      assertThat(unmapped(r)).isEmpty();
    }
  }

  /**
   * The xrdp signature measured on the bench: xrdp answers every offered encryption method with
   * its own; freerdp-shadow (also a non-Windows server with Standard RDP Security) does not match.
   */
  @Test
  void theXrdpSignatureFitsXrdpAndNotFreerdpShadow() throws Exception {
    Path[] pem = TestCertificates.make(TestCertificates.Spec.good("bench-host", Instant.now())).writePem(dir, "sig");
    try (XrdpServer x = XrdpServer.start(XrdpServer.Config.defaults().certificate(pem[0], pem[1]))) {
      assertThat(ids(probe(x.target()))).contains("server-is-xrdp");
    }
    try (rdpdoctor.probe.bench.ShadowServer s = rdpdoctor.probe.bench.ShadowServer.start("rdp", List.of())) {
      ProbeReport r = probe(s.target());
      assertThat(r.observations()).as("the Standard RDP Security stage ran").anyMatch(o -> o.type().equals("probe.rdpsecurity"));
      assertThat(ids(r)).doesNotContain("server-is-xrdp").contains("rdp-security-accepted");
    }
  }

  private static List<String> ids(ProbeReport r) {
    return new RuleEngine(RuleSet.builtIn()).diagnose(r.observations(), Instant.now()).findings().stream()
        .map(Finding::id).toList();
  }

  @Test
  void xrdpWithAnExpiredCertificateWithoutServerAuthentication() throws Exception {
    Instant now = Instant.now();
    TestCertificates.Spec spec = TestCertificates.Spec.good("bench-host", now)
        .validity(now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(10)))
        .ekus(List.of(KeyPurposeId.id_kp_clientAuth));
    Path[] pem = TestCertificates.make(spec).writePem(dir, "bad");
    try (XrdpServer x = XrdpServer.start(XrdpServer.Config.defaults().securityLayer("tls").certificate(pem[0], pem[1]))) {
      ProbeReport r = probe(x.target());
      assertThat(r.problems()).as(x.log())
          .anyMatch(p -> p.startsWith("certificate: expired"))
          .anyMatch(p -> p.startsWith("certificate: extended key usage"));
      assertThat(unmapped(r)).isEmpty();
    }
  }
}
