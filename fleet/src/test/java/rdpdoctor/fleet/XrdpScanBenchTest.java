package rdpdoctor.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.evidence.x509.TestCertificates;
import rdpdoctor.probe.Probe;
import rdpdoctor.probe.bench.XrdpServer;

/**
 * A full scan of real xrdp servers in different configurations: the store holds for each the
 * posture that {@code probe} finds on its own (skips, naming the package, without xrdp).
 */
class XrdpScanBenchTest {
  @TempDir Path dir;

  @Test
  void aFullScanFindsWhatTheProbeFindsOnEachServer() throws Exception {
    Instant now = Instant.now();
    Path[] good = TestCertificates.make(TestCertificates.Spec.good("127.0.0.1", now)
        .names("127.0.0.1", List.of("localhost"), List.of("127.0.0.1"))).writePem(dir, "good");
    Path[] expiring = TestCertificates.make(TestCertificates.Spec.good("127.0.0.1", now)
        .validity(now.minus(Duration.ofDays(170)), now.plus(Duration.ofDays(10)))).writePem(dir, "expiring");
    List<XrdpServer> servers = new ArrayList<>();
    try {
      servers.add(XrdpServer.start(XrdpServer.Config.defaults().certificate(good[0], good[1])));
      servers.add(XrdpServer.start(XrdpServer.Config.defaults().securityLayer("tls").sslProtocols("TLSv1.2")
          .certificate(expiring[0], expiring[1])));
      servers.add(XrdpServer.start(XrdpServer.Config.defaults().securityLayer("rdp").cryptLevel("low")));
      List<String> specs = servers.stream().map(s -> s.target().toString()).toList();
      Targets targets = Targets.of(specs, List.of(), List.of(), false);
      Scanner.Options full = new Scanner.Options(false, Duration.ofSeconds(20), 1000, 3);
      try (Store store = Store.open("jdbc:sqlite:" + dir.resolve("bench.db"))) {
        long id = store.startScan("bench", "full", targets.description(), Instant.now()).id();
        Scanner.Summary s = new Scanner(full, store, Clock.systemUTC()).run(id, targets, Set.of(), null);
        assertThat(s.scanned()).isEqualTo(3);
        List<HostResult> stored = store.results(id);
        Probe probe = new Probe(full.probeOptions());
        for (XrdpServer x : servers) {
          HostResult scanned = stored.stream().filter(r -> r.target().equals(x.target())).findFirst().orElseThrow();
          HostResult alone = HostResult.of(probe.run(x.target()), scanned.finishedAt());
          assertThat(posture(scanned)).as(x.log()).isEqualTo(posture(alone));
        }
        HostResult negotiate = stored.stream().filter(r -> r.target().equals(servers.get(0).target())).findFirst().orElseThrow();
        assertThat(negotiate.nla()).isEqualTo("unavailable");
        assertThat(negotiate.rdpSecurity()).isTrue();
        assertThat(negotiate.tlsVersions()).containsExactly("TLS 1.2", "TLS 1.3");
        HostResult tls = stored.stream().filter(r -> r.target().equals(servers.get(1).target())).findFirst().orElseThrow();
        assertThat(tls.rdpSecurity()).isFalse();
        assertThat(tls.tlsVersions()).containsExactly("TLS 1.2");
        assertThat(tls.certNotAfter()).isBefore(now.plus(Duration.ofDays(11)));
        HostResult rdp = stored.stream().filter(r -> r.target().equals(servers.get(2).target())).findFirst().orElseThrow();
        assertThat(rdp.rdpSecurity()).isTrue();
        assertThat(rdp.certSha1()).isNull();
      }
    } finally {
      servers.forEach(XrdpServer::close);
    }
  }

  /** What the store keeps, without the times and the wall time of the run. */
  private static List<Object> posture(HostResult r) {
    return java.util.Arrays.asList(r.target(), r.reachable(), r.nla(), r.rdpSecurity(), r.tlsVersions(), r.certSha1(),
        r.certNotAfter(), r.credsspVersion(), r.osBuild(), r.problems());
  }
}
