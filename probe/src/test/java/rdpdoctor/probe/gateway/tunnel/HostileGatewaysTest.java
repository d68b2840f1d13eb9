package rdpdoctor.probe.gateway.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rdpdoctor.evidence.x509.TestCertificates;
import rdpdoctor.probe.Deadline;
import rdpdoctor.probe.FakeServer;
import rdpdoctor.protocol.ByteWriter;
import rdpdoctor.protocol.Hex;
import rdpdoctor.protocol.nlmp.ChallengeMessage;
import rdpdoctor.protocol.nlmp.NtlmVersion;
import rdpdoctor.protocol.nlmp.TargetInfo;
import rdpdoctor.protocol.tsgu.HttpHead;
import rdpdoctor.protocol.tsgu.RdgRequest;
import rdpdoctor.protocol.nlmp.NtlmCredentials;

/**
 * In-process hostile gateways (issue 15): each one ends the check within the deadline with a
 * named error and nothing allocated from an unchecked length. The {@code @Timeout} only keeps a
 * regression from hanging the build; the assertions are about what the check says.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileGatewaysTest {
  static SSLContext tls;

  @BeforeAll
  static void certificate() throws Exception {
    TestCertificates made = TestCertificates.make(TestCertificates.Spec.good("127.0.0.1", Instant.now()));
    X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new java.io.ByteArrayInputStream(made.der()));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("gw", made.keyPair().getPrivate(), new char[] {'x'}, new java.security.cert.Certificate[] {cert});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[] {'x'});
    tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
  }

  interface Behaviour {
    void run(InputStream in, OutputStream out) throws Exception;
  }

  private static GatewayTunnelReport against(Behaviour b, boolean websocket) throws Exception {
    try (FakeServer server = new FakeServer(s -> {
      SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(s, null, s.getPort(), true);
      ssl.setUseClientMode(false);
      ssl.startHandshake();
      b.run(new BufferedInputStream(ssl.getInputStream()), ssl.getOutputStream());
    })) {
      GatewayTunnelOptions o = GatewayTunnelOptions.of("127.0.0.1", server.port(), "rds01", 3389,
          NtlmCredentials.fromPassword("BENCH", "alice", "Hostile-pw-1".toCharArray()))
          .stepTimeout(Duration.ofSeconds(2));
      return GatewayTunnel.check(websocket ? o : o.legacyOnly(), Deadline.in(Duration.ofSeconds(3)));
    }
  }

  private static HttpHead readRequest(InputStream in) throws Exception {
    HttpHead.Framer f = new HttpHead.Framer();
    while (!f.complete()) {
      int b = in.read();
      if (b < 0) {
        throw new java.io.EOFException();
      }
      f.offer(new byte[] {(byte) b}, 0, 1);
    }
    return f.head();
  }

  /** Answers the NEGOTIATE with a CHALLENGE and the AUTHENTICATE with 101 (or 200): no password check. */
  private static void upgrade(InputStream in, OutputStream out, boolean websocket) throws Exception {
    readRequest(in);
    ChallengeMessage c = new ChallengeMessage(0xE28A8235L, "BENCH", new byte[8],
        TargetInfo.ofNames(new int[] {TargetInfo.MSV_AV_NB_DOMAIN_NAME}, new String[] {"BENCH"})
            .with(TargetInfo.MSV_AV_TIMESTAMP, new ByteWriter(8).u64le(0x01D0000000000000L).toByteArray()),
        new NtlmVersion(10, 0, 20348, 15));
    out.write(("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: NTLM "
        + Base64.getEncoder().encodeToString(c.encode()) + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    HttpHead auth = readRequest(in);
    if (websocket) {
      String key = auth.header("Sec-WebSocket-Key").orElseThrow();
      out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
          + RdgRequest.websocketAccept(key) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    } else {
      out.write("HTTP/1.1 200 OK\r\n\r\n0123456789".getBytes(StandardCharsets.US_ASCII)); // head and 10-byte seed
    }
    out.flush();
  }

  @Test
  void silenceAfterTls() throws Exception {
    GatewayTunnelReport r = against((in, out) -> Thread.sleep(10_000), true);
    assertThat(r.failure().stage()).isEqualTo(GatewayTunnel.Stage.AUTH);
    assertThat(r.failure().timedOut()).as(r.failure().getMessage()).isTrue();
    assertThat(r.failure().getMessage())
        .isEqualTo("the gateway sent nothing more before the deadline (waiting for the answer to RDG_OUT_DATA)");
    assertThat(r.stage(GatewayTunnel.Stage.AUTH).orElseThrow().get("timedOut")).isEqualTo(true);
  }

  @Test
  void aTwoHundredThatNeverEnds() throws Exception {
    // a byte every 20 ms: no read ever waits long enough for the socket timeout, so only the
    // deadline's watchdog ends it
    GatewayTunnelReport r = against((in, out) -> {
      readRequest(in);
      out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
      for (int i = 0; i < 10_000; i++) {
        out.write(i % 10 == 9 ? '\n' : (i % 10 == 8 ? '\r' : 'a'));
        out.flush();
        Thread.sleep(20);
      }
    }, true);
    assertThat(r.failure().stage()).isEqualTo(GatewayTunnel.Stage.AUTH);
    assertThat(r.failure().timedOut()).as(r.failure().getMessage()).isTrue();
    assertThat(r.failure().getMessage()).startsWith("the gateway sent nothing more before the deadline");
  }

  @Test
  void aTenMegabyteHeader() throws Exception {
    GatewayTunnelReport r = against((in, out) -> {
      readRequest(in);
      out.write("HTTP/1.1 401 Unauthorized\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] line = ("X-Filler: " + "a".repeat(1000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < 10 * 1024; i++) {
        out.write(line);
      }
      out.flush();
    }, true);
    assertThat(r.failure().stage()).isEqualTo(GatewayTunnel.Stage.AUTH);
    assertThat(r.failure().timedOut()).isFalse();
    assertThat(r.failure().getMessage()).isEqualTo("the answer to RDG_OUT_DATA is not HTTP: cannot read HTTP head:"
        + " invalid field HTTP head length: more than 65536 bytes without the blank line that ends it");
  }

  @Test
  void aPacketLengthOfZeroOnTheLegacyTransport() throws Exception {
    GatewayTunnelReport r = against((in, out) -> {
      upgrade(in, out, false);
      out.write(Hex.parse("02 00 00 00 00 00 00 00")); // HANDSHAKE_RESPONSE header, packetLength 0
      out.flush();
      Thread.sleep(10_000);
    }, false);
    // the legacy pair needs RDG_IN_DATA, which this gateway answers the same way; the OUT packet is read first
    assertThat(r.failure()).isNotNull();
    assertThat(r.failure().getMessage()).contains("invalid field packetLength: 0 (expected: >= 8)");
  }

  @Test
  void aPacketLengthOfFourGigabytesInAWebSocketFrame() throws Exception {
    GatewayTunnelReport r = against((in, out) -> {
      upgrade(in, out, true);
      out.write(Hex.parse("82 08 02 00 00 00 ff ff ff ff")); // binary frame: header claiming 2^32-1 bytes
      out.flush();
      Thread.sleep(10_000);
    }, true);
    assertThat(r.failure().stage()).isEqualTo(GatewayTunnel.Stage.HANDSHAKE);
    assertThat(r.failure().getMessage()).isEqualTo("the gateway sent a malformed packet while"
        + " PKT_TYPE_HANDSHAKE_RESPONSE was awaited: cannot read MS-TSGU packet header:"
        + " invalid field packetLength: 4294967295 (expected: <= 262144)");
    assertThat(r.stage(GatewayTunnel.Stage.HANDSHAKE).orElseThrow().get("ok")).isEqualTo(false);
  }

  @Test
  void aWebSocketFrameClaimingTwoToTheSixtyThreeBytes() throws Exception {
    GatewayTunnelReport r = against((in, out) -> {
      upgrade(in, out, true);
      out.write(Hex.parse("82 7f 7f ff ff ff ff ff ff ff"));
      out.flush();
      Thread.sleep(10_000);
    }, true);
    assertThat(r.failure().stage()).isEqualTo(GatewayTunnel.Stage.HANDSHAKE);
    assertThat(r.failure().getMessage()).isEqualTo("the gateway sent a malformed WebSocket frame:"
        + " cannot read WebSocket frame header: invalid field payload length: 9223372036854775807 (expected: <= 262144)");
  }

  @Test
  void silenceAfterTheUpgrade() throws Exception {
    GatewayTunnelReport r = against((in, out) -> {
      upgrade(in, out, true);
      Thread.sleep(10_000);
    }, true);
    assertThat(r.failure().stage()).isEqualTo(GatewayTunnel.Stage.HANDSHAKE);
    assertThat(r.failure().timedOut()).as(r.failure().getMessage()).isTrue();
    assertThat(r.observations()).filteredOn(o -> o.type().equals("gateway.tunnel")).extracting(o -> o.get("stage"))
        .isEqualTo(List.of("auth", "handshake"));
  }
}
