package rdpdoctor.app.diagnose;

import rdpdoctor.app.CliRun;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.Json;
import tools.jackson.databind.JsonNode;

/**
 * The acceptance case: `diagnose` against a real xrdp (127.0.0.1, ephemeral port) whose TLS
 * certificate expired names the expired certificate first. Skips when xrdp is not installed.
 */
class DiagnoseXrdpBenchTest {
  @TempDir Path dir;

  @Test
  void expiredCertificateIsTheTopFinding() throws Exception {
    Path xrdp = Path.of("/usr/sbin/xrdp");
    Assumptions.assumeTrue(Files.isExecutable(xrdp), "xrdp missing: install the Debian package xrdp (.ci/run does)");
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair kp = g.generateKeyPair();
    X500Name name = new X500Name("CN=bench-expired");
    Instant from = Instant.now().minus(Duration.ofDays(400));
    Instant to = Instant.now().minus(Duration.ofDays(35));
    byte[] der = new JcaX509v3CertificateBuilder(name, BigInteger.TWO, Date.from(from), Date.from(to), name, kp.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())).getEncoded();
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Files.writeString(cert, pem("CERTIFICATE", der));
    Files.writeString(key, pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path ini = dir.resolve("xrdp.ini");
    Files.writeString(ini, String.join("\n",
        "[Globals]", "ini_version=1", "port=tcp://127.0.0.1:" + port, "security_layer=tls", "crypt_level=high",
        "certificate=" + cert, "key_file=" + key, "ssl_protocols=TLSv1.2, TLSv1.3",
        "[Xorg]", "name=Xorg", "lib=libxup.so", "username=ask", "password=ask", "ip=127.0.0.1", "port=-1", "code=20", ""));
    Process p = new ProcessBuilder(xrdp.toString(), "-n", "-c", ini.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("xrdp.log").toFile()).start();
    try {
      waitForPort(port, p);
      CliRun r = CliRun.run("diagnose", "127.0.0.1:" + port, "--error", "0x904 0x7", "--json", "--timeout", "20");
      assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.FOUND);
      JsonNode j = Json.MAPPER.readTree(r.out());
      String notes = j.path("evidence").path("notes").toString();
      // An internal error in the probe is a bug to see, not a reason to skip the acceptance case.
      assertThat(notes).as("the probe must complete against xrdp").doesNotContain("probe stopped with an internal error");
      JsonNode top = j.path("findings").get(0);
      assertThat(top.path("id").asString()).as(r.out()).isEqualTo("cert-expired");
      assertThat(top.path("explanation").asString()).contains("CN=bench-expired");
      assertThat(top.path("proof").get(0).path("source").asString()).isEqualTo("probe");
      assertThat(top.path("explainsObserved").toString()).contains("disconnectReason:0x904");
    } finally {
      p.destroy();
      p.waitFor();
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static void waitForPort(int port, Process p) throws IOException, InterruptedException {
    for (int i = 0; i < 100; i++) {
      if (!p.isAlive()) {
        throw new IOException("xrdp exited with " + p.exitValue() + " before listening");
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IOException("xrdp did not listen on 127.0.0.1:" + port + " within 10 s");
  }
}
