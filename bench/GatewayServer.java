import java.time.Instant;
import rdpdoctor.evidence.x509.TestCertificates;
import rdpdoctor.probe.gateway.bench.BenchGateway;

/**
 * bench/gateway.sh's gateway: gw1's bench RD Gateway (probe's test classes) on 127.0.0.1 with an
 * ephemeral port and a certificate made for 127.0.0.1; prints the port, then serves until the
 * script stops it by its pid. Single-file program: java -cp CLASSPATH bench/GatewayServer.java
 */
public class GatewayServer {
  public static void main(String[] args) throws Exception {
    TestCertificates cert = TestCertificates.make(TestCertificates.Spec.good("127.0.0.1", Instant.now()));
    try (BenchGateway gw = new BenchGateway(cert, BenchGateway.Config.of("alice", "Bench-pw-1", "rds01"))) {
      System.out.println(gw.port());
      System.out.flush();
      Thread.currentThread().join(); // serve until killed
    }
  }
}
