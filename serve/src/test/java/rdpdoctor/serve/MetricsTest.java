package rdpdoctor.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import rdpdoctor.fleet.HostResult;
import rdpdoctor.probe.Target;

/**
 * The OpenMetrics text of one endpoint, byte for byte (families in name order, as the client
 * writes them), and the rules for facts not learnt.
 */
class MetricsTest {
  @Test
  void oneEndpointInOpenMetricsText() {
    HostResult r = new HostResult(new Target("10.0.0.5", 3389), Instant.parse("2026-12-01T10:00:00Z"), true, null,
        "unavailable", true, List.of("TLS 1.0", "TLS 1.2"), "AB".repeat(20), Instant.parse("2027-01-01T00:00:00Z"), 6L,
        "10.0.20348", List.of("NLA is not offered", "Standard RDP Security is accepted"), 1234);
    String text = new String(Metrics.probe(r, List.of("nla-off-on-host")), StandardCharsets.UTF_8);
    assertThat(text).isEqualTo("""
        # TYPE probe_duration_seconds gauge
        # HELP probe_duration_seconds How long the probe took
        probe_duration_seconds 1.234
        # TYPE probe_success gauge
        # HELP probe_success Whether the RDP listener answered the negotiation
        probe_success 1.0
        # TYPE rdpdoctor_certificate_expiry_timestamp_seconds gauge
        # HELP rdpdoctor_certificate_expiry_timestamp_seconds The listener's certificate's notAfter, Unix seconds
        rdpdoctor_certificate_expiry_timestamp_seconds 1.7987616E9
        # TYPE rdpdoctor_finding gauge
        # HELP rdpdoctor_finding A diagnosis rule fired on the endpoint's last probe by this server
        rdpdoctor_finding{rule="nla-off-on-host"} 1.0
        # TYPE rdpdoctor_nla_required gauge
        # HELP rdpdoctor_nla_required NLA (CredSSP) is required: 1, offered but not required or not offered: 0
        rdpdoctor_nla_required 0.0
        # TYPE rdpdoctor_probe_seconds gauge
        # HELP rdpdoctor_probe_seconds Wall time of the endpoint's probe
        rdpdoctor_probe_seconds 1.234
        # TYPE rdpdoctor_problems gauge
        # HELP rdpdoctor_problems Problems the probe states for the endpoint
        rdpdoctor_problems 2.0
        # TYPE rdpdoctor_rdp_security_accepted gauge
        # HELP rdpdoctor_rdp_security_accepted Standard RDP Security (no server authentication) is accepted
        rdpdoctor_rdp_security_accepted 1.0
        # TYPE rdpdoctor_tls_lowest_version gauge
        # HELP rdpdoctor_tls_lowest_version Lowest TLS version accepted: TLS 1.x as 1.x, SSL 3.0 as 0.3 (full probes)
        rdpdoctor_tls_lowest_version 1.0
        # TYPE rdpdoctor_up gauge
        # HELP rdpdoctor_up The RDP listener answered the X.224 negotiation
        rdpdoctor_up 1.0
        # EOF
        """);
  }

  @Test
  void aHostThatIsDownHasNoNlaSampleSoNlaAlertsDoNotFireOnIt() {
    HostResult down = new HostResult(new Target("10.0.0.6", 3389), Instant.parse("2026-12-01T10:00:00Z"), false,
        "CONNECT_TIMEOUT: no answer", null, null, null, null, null, null, null, List.of("no answer"), 10_000);
    String text = new String(Metrics.probe(down, null), StandardCharsets.UTF_8);
    assertThat(text).contains("probe_success 0.0", "rdpdoctor_up 0.0")
        .doesNotContain("rdpdoctor_nla_required 0").doesNotContain("rdpdoctor_certificate_expiry_timestamp_seconds 1")
        .doesNotContain("rdpdoctor_finding{");
    assertThat(Metrics.lowestTls(List.of("SSL 3.0", "TLS 1.2"))).isEqualTo(0.3);
    assertThat(Metrics.lowestTls(List.of())).isNull();
    assertThat(Metrics.lowestTls(null)).isNull();
  }
}
