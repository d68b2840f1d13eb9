package rdpdoctor.app.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.app.CliRun;
import rdpdoctor.evidence.x509.TestCertificates;
import rdpdoctor.probe.bench.XrdpServer;

/**
 * Acceptance: between two full scans of real xrdp servers one server's xrdp.ini is rewritten and
 * xrdp restarted; {@code diff} names exactly that change, and nothing of the server left alone,
 * with exit code 1 when it made the host weaker and 0 when it made it stronger.
 */
class XrdpDiffTest {
  @TempDir Path dir;

  @Test
  void diffNamesExactlyTheChangeMadeToOneXrdpIni() throws Exception {
    Path[] pem = TestCertificates.make(TestCertificates.Spec.good("127.0.0.1", Instant.now())
        .names("127.0.0.1", List.of("localhost"), List.of("127.0.0.1"))).writePem(dir, "cert");
    XrdpServer.Config tls = XrdpServer.Config.defaults().securityLayer("tls").certificate(pem[0], pem[1]);
    XrdpServer steady = XrdpServer.start(XrdpServer.Config.defaults().certificate(pem[0], pem[1]));
    XrdpServer changing = XrdpServer.start(tls);
    String db = "jdbc:sqlite:" + dir.resolve("xrdp.db");
    String[] scan = {"scan", steady.target().toString(), changing.target().toString(), "--full", "--db", db,
        "--tag", "xrdp", "--timeout", "30s"};
    String c = changing.target().toString();
    try {
      assertThat(CliRun.run(scan).exit()).isEqualTo(1); // the steady one accepts Standard RDP Security

      // security_layer=tls -> negotiate: Standard RDP Security is allowed again
      changing = changing.restart(tls.securityLayer("negotiate"));
      assertThat(CliRun.run(scan).exit()).isEqualTo(1);
      CliRun worse = CliRun.run("diff", "--db", db, "--tag", "xrdp");
      assertThat(worse.out()).as(changing.log()).endsWith(": 1 change\n"
          + "  " + c + "  rdp-security-allowed  refused -> accepted  (worse)\n");
      assertThat(worse.exit()).isEqualTo(1);

      // ssl_protocols=TLSv1.2, TLSv1.3 -> TLSv1.2: TLS 1.3 is gone
      changing = changing.restart(tls.securityLayer("negotiate").sslProtocols("TLSv1.2"));
      CliRun.run(scan);
      CliRun older = CliRun.run("diff", "--db", db, "--tag", "xrdp");
      assertThat(older.out()).as(changing.log()).endsWith(": 1 change\n"
          + "  " + c + "  tls-disabled  TLS 1.3 -> (none)  (worse)\n");
      assertThat(older.exit()).isEqualTo(1);

      // security_layer=negotiate -> tls: Standard RDP Security refused, which is better: exit 0
      changing = changing.restart(tls.sslProtocols("TLSv1.2"));
      CliRun.run(scan);
      CliRun better = CliRun.run("diff", "--db", db, "--tag", "xrdp");
      assertThat(better.out()).as(changing.log()).endsWith(": 1 change\n"
          + "  " + c + "  rdp-security-refused  accepted -> refused  (better)\n");
      assertThat(better.exit()).isZero();
    } finally {
      steady.close();
      changing.close();
    }
  }
}
