package rdpdoctor.probe.gateway.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import rdpdoctor.evidence.x509.TestCertificates;

/**
 * The bench gateway's cases (issue 15): each sets up one cause a user meets behind an RD Gateway.
 * The same cases drive xfreerdp (GatewayBenchTest) and rdpdoctor's tunnel (GatewayTunnelBenchTest),
 * so the README's table puts both answers side by side.
 */
public enum BenchCase {
  VALID_CERTIFICATE,
  EXPIRED_CERTIFICATE,
  WRONG_NAME_CERTIFICATE,
  FORBIDDEN_OUT_DATA,
  NO_WEBSOCKET,
  BASIC_ONLY,
  WRONG_PASSWORD,
  USER_NOT_ALLOWED,
  HOST_NOT_ALLOWED,
  HOST_DOWN,
  CONNECTION_CAP;

  public static final String USER = "alice";
  public static final String DOMAIN = "BENCH";
  /** A throwaway bench password, planted so the secrecy checks can search for it. */
  public static final String PASSWORD = "Gw-bench-7f3a9c";
  /** The target name the client asks for and the RAP allows. */
  public static final String TARGET = "127.0.0.1";

  /**
   * The gateway's certificate for this case; a valid one is for 127.0.0.1 (DNS and IP SAN: FreeRDP
   * 2 matches DNS names only). Its CN differs from the host's, so that OpenSSL, which looks a
   * self-signed certificate up in its store by subject, finds each one.
   */
  public TestCertificates certificate() {
    Instant now = Instant.now();
    TestCertificates.Spec good = TestCertificates.Spec.good(TARGET, now)
        .names("gw01.bench.example", List.of("gw01.bench.example", "localhost", TARGET), List.of(TARGET));
    return TestCertificates.make(switch (this) {
      case EXPIRED_CERTIFICATE -> good.validity(now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(35)));
      case WRONG_NAME_CERTIFICATE -> good.names("gw.other.example", List.of("gw.other.example"), List.of());
      default -> good;
    });
  }

  /** The host's (xrdp's) certificate, valid for 127.0.0.1. */
  public static TestCertificates hostCertificate() {
    return TestCertificates.make(TestCertificates.Spec.good(TARGET, Instant.now())
        .names("rds01.bench.example", List.of("rds01.bench.example", "localhost", TARGET), List.of(TARGET)));
  }

  /** The gateway's policy for this case. */
  public BenchGateway.Config config() {
    BenchGateway.Config c = BenchGateway.Config.of(USER, PASSWORD, TARGET);
    return switch (this) {
      case FORBIDDEN_OUT_DATA -> c.with(BenchGateway.Switch.FORBID_OUT_DATA);
      case NO_WEBSOCKET -> c.with(BenchGateway.Switch.NO_WEBSOCKET);
      case BASIC_ONLY -> c.with(BenchGateway.Switch.BASIC_ONLY);
      case USER_NOT_ALLOWED -> c.cap(Set.of("bob"));
      case HOST_NOT_ALLOWED -> c.rap(Set.of("rds-other.bench.example"));
      case CONNECTION_CAP -> c.maxTunnels(0);
      default -> c;
    };
  }

  /** The password the client types. */
  public String password() {
    return this == WRONG_PASSWORD ? "Wrong-" + PASSWORD.substring(3) : PASSWORD;
  }

  /** Whether the target is a closed port (the gateway cannot reach the host). */
  public boolean hostDown() {
    return this == HOST_DOWN;
  }
}
