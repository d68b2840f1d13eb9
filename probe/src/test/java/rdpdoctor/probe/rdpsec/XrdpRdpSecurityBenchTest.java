package rdpdoctor.probe.rdpsec;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import rdpdoctor.probe.Probe;
import rdpdoctor.probe.ProbeOptions;
import rdpdoctor.probe.ProbeReport;
import rdpdoctor.probe.Target;
import rdpdoctor.probe.bench.Bench;

/**
 * Standard RDP Security against xrdp with security_layer=rdp at each crypt_level, listening on
 * 127.0.0.1 with an ephemeral port: the accepted methods and the level must be what the level means.
 */
class XrdpRdpSecurityBenchTest {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({
    "low, low, 40-bit",
    "high, high, 128-bit",
  })
  void methodsAndLevelFollowCryptLevel(String cryptLevel, String level, String method) throws Exception {
    Path xrdpBinary = Bench.require("xrdp", "xrdp"); // in /usr/sbin, often not on a user's PATH
    Assumptions.assumeTrue(Files.exists(Path.of("/etc/xrdp/xrdp.ini")), "bench peer missing: /etc/xrdp/xrdp.ini");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    // The first port= line is the listener; bind it to loopback explicitly (xrdp's -p binds all interfaces).
    String ini = Files.readString(Path.of("/etc/xrdp/xrdp.ini"))
        .replaceFirst("(?m)^port=.*$", "port=tcp://127.0.0.1:" + port)
        .replaceFirst("(?m)^security_layer=.*$", "security_layer=rdp")
        .replaceFirst("(?m)^crypt_level=.*$", "crypt_level=" + cryptLevel);
    Files.writeString(dir.resolve("xrdp.ini"), ini);
    Process xrdp = new ProcessBuilder(xrdpBinary.toString(), "-n", "-c", dir.resolve("xrdp.ini").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("xrdp.log").toFile()).start();
    try {
      boolean up = false;
      for (int i = 0; i < 100 && !up && xrdp.isAlive(); i++) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
          up = true;
        } catch (java.io.IOException e) {
          Thread.sleep(100);
        }
      }
      // xrdp is installed (checked above), so a server that does not come up is a failure, not a skip.
      assertThat(up).as("xrdp started: " + Files.readString(dir.resolve("xrdp.log"))).isTrue();
      ProbeOptions o = ProbeOptions.defaults().withTimeout(Duration.ofSeconds(30))
          .withStepTimeout(Duration.ofSeconds(5)).withStages(List.of(new RdpSecurityStage()));
      ProbeReport r = new Probe(o).run(new Target("127.0.0.1", port));
      RdpSecurityReport rep = (RdpSecurityReport) r.sections().get("rdpSecurity");
      assertThat(rep).isNotNull();
      assertThat(rep.encryptionLevel()).isEqualTo(level);
      assertThat(rep.methods()).filteredOn(RdpSecurityReport.Method::accepted)
          .extracting(RdpSecurityReport.Method::method).containsExactly(method);
      // xrdp answers every Connect-Initial with its own method, offered or not: reported as such.
      assertThat(rep.methods()).allSatisfy(m -> assertThat(m.selected()).isEqualTo(method));
      assertThat(rep.selectsUnoffered()).isTrue();
      assertThat(rep.serverVersion()).isEqualTo("RDP 5.0 to 8.1");
      assertThat(rep.certificateType()).isEqualTo("proprietary");
      assertThat(rep.keyBits()).isPositive();
    } finally {
      xrdp.destroy();
    }
  }
}
