package rdpdoctor.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import rdpdoctor.fleet.ScanDiff.Change;
import rdpdoctor.fleet.ScanDiff.Direction;
import rdpdoctor.fleet.ScanDiff.Kind;
import rdpdoctor.probe.Target;

class ScanDiffTest {
  private static final Instant A = Instant.parse("2026-06-01T00:00:00Z");
  private static final Instant B = Instant.parse("2026-06-08T00:00:00Z");

  private static HostResult host(String h, Instant at, String nla, boolean rdpSec, @org.jspecify.annotations.Nullable List<String> tls,
      @org.jspecify.annotations.Nullable String sha1, @org.jspecify.annotations.Nullable Instant notAfter, @org.jspecify.annotations.Nullable Long credssp, @org.jspecify.annotations.Nullable String os) {
    return new HostResult(new Target(h, 3389), at, true, null, nla, rdpSec, tls, sha1, notAfter, credssp, os,
        List.of(), 5);
  }

  private static HostResult down(String h, Instant at) {
    return new HostResult(new Target(h, 3389), at, false, "CONNECTION_REFUSED: refused", null, null, null,
        null, null, null, null, List.of("refused"), 1);
  }

  private static final Instant FAR = Instant.parse("2027-06-01T00:00:00Z");

  @Test
  void anUnchangedEstateHasNoChanges() {
    HostResult h = host("10.0.0.1", A, "required", false, List.of("TLS 1.2"), "aa", FAR, 6L, "10.0.17763");
    HostResult same = host("10.0.0.1", B, "required", false, List.of("TLS 1.2"), "aa", FAR, 6L, "10.0.17763");
    assertThat(ScanDiff.of(List.of(h), List.of(same), 30)).isEmpty();
  }

  @Test
  void eachKindOfChangeIsNamedWithItsDirection() {
    List<HostResult> older = List.of(
        host("10.0.0.1", A, "required", false, List.of("TLS 1.2"), "aa", Instant.parse("2026-06-05T00:00:00Z"), 6L, "10.0.17763"),
        host("10.0.0.2", A, "required", false, List.of("TLS 1.2"), "bb", FAR, 6L, "10.0.17763"),
        down("10.0.0.3", A),
        host("10.0.0.4", A, "required", false, null, null, null, 6L, null),
        host("10.0.0.5", A, "optional", false, List.of("TLS 1.0", "TLS 1.2"), "cc", FAR, 6L, "10.0.17763"),
        host("10.0.0.6", A, "required", false, List.of("TLS 1.2"), "dd", Instant.parse("2026-12-01T00:00:00Z"), 6L, "10.0.17763"));
    List<HostResult> newer = List.of(
        host("10.0.0.1", B, "required", false, List.of("TLS 1.2"), "a2", FAR, 6L, "10.0.20348"),
        host("10.0.0.2", B, "optional", true, List.of("TLS 1.0", "TLS 1.2"), "bb", FAR, 4L, "10.0.17763"),
        host("10.0.0.3", B, "required", false, List.of("TLS 1.2"), "ee", FAR, 6L, "10.0.17763"),
        host("10.0.0.5", B, "required", false, List.of("TLS 1.2"), "cc", FAR, 6L, "10.0.17763"),
        host("10.0.0.6", B, "required", false, List.of("TLS 1.2"), "dd", Instant.parse("2026-06-20T00:00:00Z"), 6L, "10.0.17763"),
        down("10.0.0.7", B));
    List<Change> changes = ScanDiff.of(older, newer, 30);
    assertThat(changes).extracting(c -> c.target().host() + " " + c.kind().word() + " " + c.direction())
        .containsExactly(
            "10.0.0.1 certificate-renewed NEUTRAL",
            "10.0.0.1 os-build-changed NEUTRAL",
            "10.0.0.2 nla-off WORSE",
            "10.0.0.2 tls-enabled WORSE",
            "10.0.0.2 rdp-security-allowed WORSE",
            "10.0.0.2 credssp-changed WORSE",
            "10.0.0.3 up BETTER",
            "10.0.0.4 gone NEUTRAL",
            "10.0.0.5 nla-on BETTER",
            "10.0.0.5 tls-disabled BETTER",
            "10.0.0.6 certificate-expiring WORSE",
            "10.0.0.7 new NEUTRAL");
    assertThat(ScanDiff.worse(changes)).isTrue();
    assertThat(changes.get(10).after()).isEqualTo("expires 2026-06-20T00:00:00Z (12 days, within 30)");
  }

  @Test
  void aHostThatStopsAnsweringIsDownAndWorse() {
    List<Change> c = ScanDiff.of(
        List.of(host("10.0.0.1", A, "required", false, null, null, null, 6L, null)), List.of(down("10.0.0.1", B)), 30);
    assertThat(c).containsExactly(new Change(new Target("10.0.0.1", 3389), Kind.DOWN, "up",
        "CONNECTION_REFUSED: refused", Direction.WORSE));
  }

  @Test
  void anExpiredCertificateIsWorseOnce() {
    Instant past = Instant.parse("2026-06-07T00:00:00Z");
    HostResult x = host("10.0.0.1", A, "required", false, null, "aa", past, 6L, null);
    HostResult y = host("10.0.0.1", B, "required", false, null, "aa", past, 6L, null);
    assertThat(ScanDiff.of(List.of(x), List.of(y), 1)).extracting(Change::kind).containsExactly(Kind.CERT_EXPIRED);
    HostResult z = host("10.0.0.1", B.plusSeconds(86400), "required", false, null, "aa", past, 6L, null);
    assertThat(ScanDiff.of(List.of(y), List.of(z), 1)).isEmpty();
  }

  @Test
  void aQuickScanAfterAFullOneChangesNoTlsFacts() {
    HostResult full = host("10.0.0.1", A, "required", false, List.of("TLS 1.2"), "aa", FAR, 6L, "10.0.17763");
    HostResult quick = host("10.0.0.1", B, "required", false, null, null, null, null, null);
    assertThat(ScanDiff.of(List.of(full), List.of(quick), 30)).isEmpty();
  }
}
