package rdpdoctor.probe.gateway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import rdpdoctor.evidence.x509.TestCertificates;
import rdpdoctor.probe.bench.Bench;
import rdpdoctor.probe.bench.XrdpServer;
import rdpdoctor.probe.bench.Xvfb;

/**
 * The proof that the bench gateway speaks [MS-TSGU] as a real client expects: xfreerdp 2.11 goes
 * through it to a real xrdp. Each bench case also records what xfreerdp reports (exit code and
 * ERRCONNECT line), the client column of the README's gateway table.
 */
class GatewayBenchTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(BenchCase.class)
  void xfreerdpThroughTheBenchGateway(BenchCase c) throws Exception {
    TestCertificates gwCert = c.certificate();
    TestCertificates hostCert = BenchCase.hostCertificate();
    Path[] hostPem = hostCert.writePem(dir, "xrdp");
    // xfreerdp checks certificates against OpenSSL's default store: trusting the two bench
    // certificates there lets it judge the gateway's certificate as a real client does
    Path trust = dir.resolve("trusted.pem");
    Files.writeString(trust, pem(gwCert.der()) + pem(hostCert.der()));
    try (XrdpServer xrdp = XrdpServer.start(XrdpServer.Config.defaults().certificate(hostPem[0], hostPem[1]));
        BenchGateway gw = new BenchGateway(gwCert, c.config());
        Xvfb display = Xvfb.start()) {
      int hostPort = c.hostDown() ? Bench.freePort() : xrdp.port();
      GatewayClient.Result r = GatewayClient.run(display.display(), gw.port(), BenchCase.USER, BenchCase.DOMAIN,
          c.password(), hostPort, trust);
      String why = "xfreerdp exit " + r.exitCode() + "\n" + r.output() + "\ngateway: " + gw.events;
      System.out.println(c + " -> exit " + r.exitCode() + " " + r.lastError());
      assertThat(r.passwordInOutput()).as("the gateway password in xfreerdp's output").isFalse();
      Expected e = expected(c);
      assertThat(r.exitCode()).as(why).isEqualTo(e.exitCode());
      assertThat(r.lastError()).as(why).isEqualTo(e.lastError());
      if (e.reachesHost()) {
        // through the tunnel to xrdp: X.224, TLS and MCS connect happened, and xrdp's answer is the
        // one xfreerdp gets without a gateway (the bench xrdp has no channels, so MCS channel join fails)
        assertThat(r.output()).as(why).contains("CONNECTION_STATE_MCS_CHANNEL_JOIN");
        assertThat(gw.events).as(why).anyMatch(s -> s.startsWith("channel to 127.0.0.1:" + hostPort + " open"));
      } else {
        assertThat(r.output()).as(why).doesNotContain("CONNECTION_STATE_MCS_CHANNEL_JOIN");
      }
    }
  }

  /** What xfreerdp 2.11 reports for each case, measured on the bench (the README table cites these). */
  record Expected(int exitCode, String lastError, boolean reachesHost) {}

  static Expected expected(BenchCase c) {
    return switch (c) {
      // through the tunnel to xrdp; the answer is the one xfreerdp gets from the bench xrdp directly
      case VALID_CERTIFICATE, NO_WEBSOCKET ->
          new Expected(147, "rdp_client_connect: ERRCONNECT_CONNECT_TRANSPORT_FAILED [0x0002000D]", true);
      case EXPIRED_CERTIFICATE, WRONG_NAME_CERTIFICATE ->
          new Expected(143, "rdg_tls_connect: ERRCONNECT_TLS_CONNECT_FAILED [0x00020008]", false);
      // FreeRDP 2 does not fall back to RPC-over-HTTP on 403, nor do Basic: each security protocol
      // its negotiation tries fails at the gateway, so it ends as a negotiation failure
      case FORBIDDEN_OUT_DATA, BASIC_ONLY ->
          new Expected(133, "rdp_client_connect: ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED [0x0002000C]", false);
      case WRONG_PASSWORD ->
          new Expected(155, "rdg_establish_data_connection: ERRCONNECT_ACCESS_DENIED [0x00020016]", false);
      case USER_NOT_ALLOWED ->
          new Expected(131, "rdg_process_tunnel_authorization_response: E_PROXY_NAP_ACCESSDENIED [0x800759DB]", false);
      case HOST_NOT_ALLOWED ->
          new Expected(131, "rdg_process_channel_response: E_PROXY_RAP_ACCESSDENIED [0x800759DA]", false);
      case HOST_DOWN ->
          new Expected(131, "rdg_process_channel_response: E_PROXY_TS_CONNECTFAILED [0x800759DD]", false);
      case CONNECTION_CAP ->
          new Expected(131, "rdg_process_tunnel_response: E_PROXY_MAXCONNECTIONSREACHED [0x800759E6]", false);
    };
  }

  static String pem(byte[] der) {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END CERTIFICATE-----\n";
  }
}
