package rdpdoctor.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config file, the allow-list and --listen: what they accept and what they refuse, by name. */
class ServeConfigTest {
  @TempDir Path dir;

  @Test
  void readsTheDocumentedKeys() throws Exception {
    Path f = dir.resolve("serve.yaml");
    Files.writeString(f, """
        listen: 127.0.0.1:9400
        db: jdbc:sqlite:/tmp/x.db
        allow: [10.0.0.0/16, 127.0.0.1]
        probeNowPerMinute: 3
        scans:
          - {tag: office, targets: [10.0.1.0/24, 10.0.2.5:3390], interval: 30m, mode: full}
          - {tag: dc, targets: [10.0.9.1], interval: 1h}
        """);
    ServeConfig c = ServeConfig.load(f);
    assertThat(c.listen()).isEqualTo("127.0.0.1:9400");
    assertThat(c.allow()).containsExactly("10.0.0.0/16", "127.0.0.1");
    assertThat(c.probeNowPerMinute()).isEqualTo(3);
    assertThat(c.scans()).hasSize(2);
    assertThat(c.scans().get(0).every()).isEqualTo(Duration.ofMinutes(30));
    assertThat(c.scans().get(1).mode()).isEqualTo("quick");
  }

  @Test
  void refusesWhatWouldSilentlyWeakenIt() throws Exception {
    Path f = dir.resolve("serve.yaml");
    Files.writeString(f, "alow: [0.0.0.0/0]\n"); // a typo must not leave the allow-list empty unnoticed
    assertThatThrownBy(() -> ServeConfig.load(f)).hasMessageContaining("alow");
    Files.writeString(f, "scans:\n  - {tag: t, targets: [10.0.0.1], interval: 10s}\n");
    assertThatThrownBy(() -> ServeConfig.load(f)).hasMessageContaining("interval must be at least 1m: 10s");
    assertThatThrownBy(() -> AllowList.of(List.of("corp.example"))).hasMessageContaining("is a host name");
    assertThatThrownBy(() -> Listen.parse("localhost:9389")).hasMessageContaining("give an address, not a name");
    assertThatThrownBy(() -> Listen.parse("127.0.0.1:70000")).hasMessageContaining("port must be 0..65535: 70000");
  }

  @Test
  void theAllowListMatchesAddressesInItsRangesOnly() throws Exception {
    AllowList a = AllowList.of(List.of("10.0.0.0/16", "10.1.0.1-10.1.0.9", "fd00::/120"));
    assertThat(a.permits(InetAddress.getByName("10.0.255.255"))).isTrue();
    assertThat(a.permits(InetAddress.getByName("10.1.0.0"))).isFalse();
    assertThat(a.permits(InetAddress.getByName("10.1.0.9"))).isTrue();
    assertThat(a.permits(InetAddress.getByName("fd00::ff"))).isTrue();
    assertThat(a.permits(InetAddress.getByName("fd00::100"))).isFalse();
    assertThat(a.permits(InetAddress.getByName("127.0.0.1"))).isFalse();
    assertThat(Listen.parse("[::1]:9389")).isEqualTo(new Listen("::1", 9389));
    assertThat(Listen.parse("0.0.0.0:9389").loopback()).isFalse();
  }

  @Test
  void aScrapeGetsItsAnswerHalfASecondBeforePrometheusGivesUp() {
    Prober p = new Prober(AllowList.of(List.of()), java.time.Clock.systemUTC(), Duration.ofSeconds(10));
    assertThat(p.budget(null)).isEqualTo(Duration.ofSeconds(10));
    assertThat(p.budget("4")).isEqualTo(Duration.ofMillis(3500));
    assertThat(p.budget("30")).as("never past the server's own timeout").isEqualTo(Duration.ofSeconds(10));
    assertThat(p.budget("0.2")).isEqualTo(Duration.ofMillis(100));
    assertThat(p.budget("soon")).isEqualTo(Duration.ofSeconds(10));
  }
}
