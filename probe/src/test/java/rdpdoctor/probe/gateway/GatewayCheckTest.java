package rdpdoctor.probe.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.evidence.x509.TestCertificates;
import rdpdoctor.probe.FakeServer;
import rdpdoctor.probe.Target;
import rdpdoctor.probe.gateway.bench.BenchGateway;
import rdpdoctor.protocol.tsgu.HttpHead;

/**
 * The unauthenticated checks against in-process gateways on loopback: gw1's bench gateway (TLS with
 * the test's certificate, RDG_OUT_DATA/RDG_IN_DATA and WebSocket, NTLM, 404 for anything else) in
 * its plain, 403 and Basic-only cases, and hostile fakes (a 10 MB header, silence after TLS).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GatewayCheckTest {
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static GatewayReport against(BenchGateway.Config config, TestCertificates cert, int udpPort) throws Exception {
    try (BenchGateway gw = new BenchGateway(cert, config)) {
      return GatewayCheck.check(new Target("127.0.0.1", gw.port()), udpPort, TIMEOUT);
    }
  }

  private static TestCertificates good() throws Exception {
    return TestCertificates.make(TestCertificates.Spec.good("127.0.0.1", Instant.now()));
  }

  private static Observation http(GatewayReport r, String request) {
    return r.of("gateway.http").stream().filter(o -> request.equals(o.get("request"))).findFirst()
        .orElseThrow(() -> new AssertionError("no gateway.http for " + request + " in " + r.observations()));
  }

  private static Observation leaf(GatewayReport r) {
    return r.of("gateway.tls").stream()
        .filter(o -> "certificate".equals(o.get("aspect")) && Long.valueOf(0).equals(o.get("position")))
        .findFirst().orElseThrow(() -> new AssertionError("no leaf in " + r.observations()));
  }

  /** A UDP port nothing listens on (the kernel answers ICMP port unreachable on loopback). */
  private static int closedUdpPort() throws Exception {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void aGatewayThatAsksForNtlm() throws Exception {
    GatewayReport r = against(BenchGateway.Config.of("alice", "Bench-pw-1", "rds01"), good(), closedUdpPort());
    assertThat(r.failure()).isNull();
    Observation out = http(r, "RDG_OUT_DATA");
    assertThat(out.get("status")).isEqualTo(401L);
    assertThat(out.get("closed")).isEqualTo(false);
    assertThat(out.get("schemes")).isEqualTo(List.of("Negotiate", "NTLM"));
    assertThat(http(r, "RDG_IN_DATA").get("status")).isEqualTo(401L);
    // a real gateway authenticates before it upgrades: 401, not 101, without credentials
    assertThat(http(r, "websocket").get("status")).isEqualTo(401L);
    assertThat(http(r, "websocket").get("upgraded")).isEqualTo(false);
    // the bench has no RPC-over-HTTP endpoint
    assertThat(http(r, "rpc").get("status")).isEqualTo(404L);

    Observation ntlm = r.of("gateway.ntlm").get(0);
    assertThat(ntlm.get("netbiosDomain")).isEqualTo("BENCH");
    assertThat(ntlm.get("netbiosComputer")).isEqualTo("GW01");
    assertThat(ntlm.get("dnsComputer")).isEqualTo("gw01.bench.example");
    assertThat(ntlm.get("dnsDomain")).isEqualTo("bench.example");
    assertThat(ntlm.get("osVersion")).isEqualTo("10.0.20348");
    assertThat(ntlm.get("osBuild")).isEqualTo(20348L);
    assertThat(ntlm.number("clockSkewSeconds")).isNotNull();

    Observation cert = leaf(r);
    assertThat(cert.get("nameMatches")).isEqualTo(true);
    assertThat(cert.get("expired")).isEqualTo(false);
    assertThat(r.of("gateway.tls")).anySatisfy(o -> {
      assertThat(o.get("aspect")).isEqualTo("version");
      assertThat(o.get("version")).isEqualTo("TLS 1.2");
      assertThat(o.get("accepted")).isEqualTo(true);
    });
    assertThat(r.of("gateway.tls")).anySatisfy(o -> assertThat(o.get("aspect")).isEqualTo("handshake"));

    Observation udp = r.of("gateway.udp").get(0);
    assertThat(udp.get("answered")).isEqualTo(false);
  }

  @Test
  void forbiddenOutDataAndBasicOnly() throws Exception {
    GatewayReport forbidden = against(BenchGateway.Config.of("alice", "Bench-pw-1", "rds01")
        .with(BenchGateway.Switch.FORBID_OUT_DATA), good(), closedUdpPort());
    assertThat(http(forbidden, "RDG_OUT_DATA").get("status")).isEqualTo(403L);

    GatewayReport basic = against(BenchGateway.Config.of("alice", "Bench-pw-1", "rds01")
        .with(BenchGateway.Switch.BASIC_ONLY), good(), closedUdpPort());
    assertThat(http(basic, "RDG_OUT_DATA").get("schemes")).isEqualTo(List.of("Basic"));
    assertThat(basic.of("gateway.ntlm").get(0).get("error")).asString().contains("no NTLM challenge");
  }

  @Test
  void anExpiredCertificateForAnotherName() throws Exception {
    Instant now = Instant.now();
    TestCertificates bad = TestCertificates.make(TestCertificates.Spec.good("other.example", now)
        .validity(now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(2))));
    Observation cert = leaf(against(BenchGateway.Config.of("alice", "Bench-pw-1", "rds01"), bad, closedUdpPort()));
    assertThat(cert.get("expired")).isEqualTo(true);
    assertThat(cert.get("nameMatches")).isEqualTo(false);
    assertThat(cert.get("expectedName")).isEqualTo("127.0.0.1");
  }

  @Test
  void aUdpPortThatAnswersCounts() throws Exception {
    try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      Thread responder = Thread.ofPlatform().daemon().start(() -> {
        try {
          byte[] b = new byte[2048];
          DatagramPacket p = new DatagramPacket(b, b.length);
          udp.receive(p);
          // any datagram back: a HelloVerifyRequest's record header is enough to count
          byte[] reply = {0x16, (byte) 0xFE, (byte) 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
          udp.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
        } catch (Exception ignored) {
          // the test's assertion says what went wrong
        }
      });
      GatewayReport r = against(BenchGateway.Config.of("alice", "Bench-pw-1", "rds01"), good(), udp.getLocalPort());
      responder.join(5000);
      assertThat(r.of("gateway.udp").get(0).get("answered")).as(r.of("gateway.udp").toString()).isEqualTo(true);
    }
  }

  private static SSLContext serverTls() throws Exception {
    TestCertificates made = good();
    X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new java.io.ByteArrayInputStream(made.der()));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("gw", made.keyPair().getPrivate(), new char[] {'x'}, new java.security.cert.Certificate[] {cert});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[] {'x'});
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    return tls;
  }

  interface Behaviour {
    void run(InputStream in, OutputStream out) throws Exception;
  }

  private static GatewayReport hostile(Behaviour b, Duration timeout) throws Exception {
    SSLContext tls = serverTls();
    try (FakeServer server = new FakeServer(s -> {
      SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(s, null, s.getPort(), true);
      ssl.setUseClientMode(false);
      ssl.startHandshake();
      b.run(new BufferedInputStream(ssl.getInputStream()), ssl.getOutputStream());
    })) {
      return GatewayCheck.check(new Target("127.0.0.1", server.port()), closedUdpPort(), timeout);
    }
  }

  private static void readRequest(InputStream in) throws Exception {
    HttpHead.Framer f = new HttpHead.Framer();
    while (!f.complete()) {
      int c = in.read();
      if (c < 0) {
        return;
      }
      f.offer(new byte[] {(byte) c}, 0, 1);
    }
  }

  @Test
  void aTenMegabyteHeaderFailsWithANamedErrorAt64KiB() throws Exception {
    GatewayReport r = hostile((in, out) -> {
      readRequest(in);
      out.write("HTTP/1.1 401 Unauthorized\r\nX-Filler: ".getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[64 * 1024];
      java.util.Arrays.fill(chunk, (byte) 'a');
      for (int i = 0; i < 160; i++) { // 10 MB, never the blank line
        out.write(chunk);
      }
      out.flush();
    }, TIMEOUT);
    assertThat(http(r, "RDG_OUT_DATA").get("error")).asString()
        .contains("HTTP head length").contains(String.valueOf(HttpHead.MAX_HEAD));
  }

  @Test
  void silenceAfterTlsEndsAtTheDeadline() throws Exception {
    GatewayReport r = hostile((in, out) -> Thread.sleep(20_000), Duration.ofSeconds(2));
    assertThat(http(r, "RDG_OUT_DATA").get("error")).asString().contains("no status line");
    assertThat(http(r, "RDG_OUT_DATA").get("closed")).isEqualTo(false);
  }

  @Test
  void aCloseWithoutAnswerIsClosed() throws Exception {
    GatewayReport r = hostile((in, out) -> readRequest(in), TIMEOUT);
    assertThat(http(r, "RDG_OUT_DATA").get("closed")).isEqualTo(true);
    assertThat(http(r, "RDG_OUT_DATA").get("status")).isNull();
  }
}
