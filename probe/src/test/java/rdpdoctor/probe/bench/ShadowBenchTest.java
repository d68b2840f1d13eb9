package rdpdoctor.probe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import rdpdoctor.probe.NegotiationVerdict;
import rdpdoctor.probe.Probe;
import rdpdoctor.probe.ProbeOptions;
import rdpdoctor.probe.ProbeReport;

/**
 * rdpdoctor against freerdp-shadow-cli with /sec:nla, /sec:tls and /sec:rdp: the verdicts the
 * setting makes true, cross-checked with xfreerdp /auth-only on the same server.
 */
class ShadowBenchTest {
  static final ProbeOptions FULL = ProbeOptions.defaults().withTimeout(Duration.ofSeconds(20));
  static final List<ShadowServer.Account> ACCOUNTS =
      List.of(new ShadowServer.Account("bench", "", "bench-only-password"));

  @Test
  void nlaOnly() throws Exception {
    try (ShadowServer s = ShadowServer.start("nla", ACCOUNTS)) {
      ProbeReport r = new Probe(FULL).run(s.target());
      assertThat(r.verdict().nla()).as(summaries(r)).isEqualTo(NegotiationVerdict.Nla.REQUIRED);
      assertThat(r.verdict().rdpSecurityAccepted()).isFalse();
      assertThat(r.verdict().tlsRequired()).isTrue();
      assertThat(r.tls().version()).as("TLS under CredSSP works").isNotNull();
      FreeRdpClient.Result tls = FreeRdpClient.authOnly(s.target(), s.display(), "tls", "bench", "wrong");
      assertThat(tls.negotiationFailed()).as("xfreerdp /sec:tls is refused: " + tail(tls)).isTrue();
      FreeRdpClient.Result nla = FreeRdpClient.authOnly(s.target(), s.display(), "nla", "bench", "wrong");
      assertThat(nla.negotiationFailed()).as("xfreerdp /sec:nla gets past negotiation: " + tail(nla)).isFalse();
    }
  }

  @Test
  void tlsOnly() throws Exception {
    try (ShadowServer s = ShadowServer.start("tls", List.of())) {
      ProbeReport r = new Probe(FULL).run(s.target());
      assertThat(r.verdict().nla()).as(summaries(r)).isEqualTo(NegotiationVerdict.Nla.UNAVAILABLE);
      assertThat(r.verdict().tlsRequired()).isTrue();
      assertThat(r.verdict().rdpSecurityAccepted()).isFalse();
      assertThat(r.tls().certificate()).isNotNull();
      FreeRdpClient.Result nla = FreeRdpClient.authOnly(s.target(), s.display(), "nla", "bench", "wrong");
      assertThat(nla.negotiationFailed()).as("xfreerdp /sec:nla is refused: " + tail(nla)).isTrue();
    }
  }

  @Test
  void rdpOnly() throws Exception {
    try (ShadowServer s = ShadowServer.start("rdp", List.of())) {
      ProbeReport r = new Probe(FULL).run(s.target());
      assertThat(r.verdict().rdpSecurityAccepted()).as(summaries(r)).isTrue();
      assertThat(r.verdict().nla()).isEqualTo(NegotiationVerdict.Nla.UNAVAILABLE);
      assertThat(r.verdict().tlsOffered()).isFalse();
      assertThat(r.tls()).isNull();
      FreeRdpClient.Result tls = FreeRdpClient.authOnly(s.target(), s.display(), "tls", "bench", "wrong");
      assertThat(tls.negotiationFailed()).as("xfreerdp /sec:tls is refused: " + tail(tls)).isTrue();
    }
  }

  private static String summaries(ProbeReport r) {
    return String.join("; ", r.negotiation().stream().map(n -> n.summary()).toList());
  }

  private static String tail(FreeRdpClient.Result r) {
    String o = r.output();
    return o.length() > 1500 ? o.substring(o.length() - 1500) : o;
  }
}
