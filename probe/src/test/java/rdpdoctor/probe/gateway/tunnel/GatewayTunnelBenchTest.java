package rdpdoctor.probe.gateway.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.probe.Deadline;
import rdpdoctor.probe.NegotiationResult;
import rdpdoctor.probe.bench.Bench;
import rdpdoctor.probe.bench.XrdpServer;
import rdpdoctor.probe.gateway.bench.BenchCase;
import rdpdoctor.probe.gateway.bench.BenchGateway;
import rdpdoctor.protocol.nlmp.NtlmCredentials;
import rdpdoctor.protocol.nlmp.NtlmCrypto;

/**
 * rdpdoctor's tunnel against the bench gateway and a real xrdp, one bench case each: the stage that
 * stops, the gateway's HRESULT or HTTP status, and, where the tunnel opens, the host's X.224 sweep
 * through it. GatewayBenchTest runs xfreerdp against the same cases.
 */
class GatewayTunnelBenchTest {

  @ParameterizedTest
  @EnumSource(BenchCase.class)
  void tunnelVerdictForEachBenchCase(BenchCase c) throws Exception {
    try (XrdpServer xrdp = XrdpServer.start(XrdpServer.Config.defaults());
        BenchGateway gw = new BenchGateway(c.certificate(), c.config())) {
      int hostPort = c.hostDown() ? Bench.freePort() : xrdp.port();
      NtlmCredentials creds = NtlmCredentials.fromPassword(BenchCase.DOMAIN, BenchCase.USER, c.password().toCharArray());
      GatewayTunnelReport r = GatewayTunnel.check(
          GatewayTunnelOptions.of("127.0.0.1", gw.port(), BenchCase.TARGET, hostPort, creds),
          Deadline.in(Duration.ofSeconds(30)));
      String why = r.observations().stream().map(Observation::summary).toList() + "\ngateway: " + gw.events;

      secretsStayHome(c, r, gw);
      switch (c) {
        case VALID_CERTIFICATE, EXPIRED_CERTIFICATE, WRONG_NAME_CERTIFICATE, NO_WEBSOCKET -> {
          // the tunnel does not judge the gateway's certificate (gateway.tls does): it goes on as a
          // client that trusts it, and reaches the host
          assertThat(r.failure()).as(why).isNull();
          assertThat(r.transport()).isEqualTo(c == BenchCase.NO_WEBSOCKET ? "legacy" : "websocket");
          for (GatewayTunnel.Stage s : GatewayTunnel.Stage.values()) {
            assertThat(r.stage(s)).as(why).hasValueSatisfying(o -> assertThat(o.get("ok")).isEqualTo(true));
          }
          assertThat(r.stage(GatewayTunnel.Stage.TUNNEL_AUTH).orElseThrow().get("idleTimeoutMinutes")).isEqualTo(30L);
          assertThat(r.stage(GatewayTunnel.Stage.TUNNEL_AUTH).orElseThrow().get("redirectFlags")).isEqualTo(0x80000000L);
          // xrdp behind the gateway answers as it does directly: TLS for SSL|HYBRID, NLA not offered
          assertThat(selected(r, "SSL|HYBRID")).as(why).isEqualTo("PROTOCOL_SSL");
          assertThat(selected(r, "RDP")).isEqualTo("PROTOCOL_RDP");
          assertThat(r.observations()).anyMatch(o -> o.type().equals("probe.nla") && "unavailable".equals(o.get("nla")));
          // every tunnel the sweep opened is closed again (the gateway sees the close a moment later)
          for (int i = 0; i < 100 && gw.openTunnels() > 0; i++) {
            Thread.sleep(50);
          }
          assertThat(gw.openTunnels()).as(why).isZero();
        }
        case FORBIDDEN_OUT_DATA -> refusedAt(r, GatewayTunnel.Stage.AUTH, null, 403L, why);
        case BASIC_ONLY -> {
          refusedAt(r, GatewayTunnel.Stage.AUTH, null, 401L, why);
          assertThat(r.failure().getMessage()).contains("offering [Basic] and no NTLM challenge");
        }
        case WRONG_PASSWORD -> {
          refusedAt(r, GatewayTunnel.Stage.AUTH, null, 401L, why);
          assertThat(r.failure().getMessage()).contains("refused the credentials of BENCH\\alice");
        }
        case USER_NOT_ALLOWED -> refusedAt(r, GatewayTunnel.Stage.TUNNEL_AUTH, 0x800759DBL, null, why);
        case HOST_NOT_ALLOWED -> refusedAt(r, GatewayTunnel.Stage.CHANNEL_CREATE, 0x800759DAL, null, why);
        case HOST_DOWN -> refusedAt(r, GatewayTunnel.Stage.CHANNEL_CREATE, 0x800759DDL, null, why);
        case CONNECTION_CAP -> refusedAt(r, GatewayTunnel.Stage.TUNNEL_CREATE, 0x800759E6L, null, why);
      }
    }
  }

  private static void refusedAt(GatewayTunnelReport r, GatewayTunnel.Stage stage, Long hresult, Long http, String why) {
    assertThat(r.failure()).as(why).isNotNull();
    assertThat(r.failure().stage()).as(why).isEqualTo(stage);
    Observation o = r.stage(stage).orElseThrow();
    assertThat(o.get("ok")).isEqualTo(false);
    assertThat(o.get("hresult")).as(why).isEqualTo(hresult);
    assertThat(o.get("hresultHex")).isEqualTo(hresult == null ? null : "0x" + Long.toHexString(hresult).toUpperCase());
    assertThat(o.get("httpStatus")).as(why).isEqualTo(http);
    assertThat(o.string("error")).isNotBlank();
    // the stages before it succeeded, none after it was tried
    for (GatewayTunnel.Stage s : GatewayTunnel.Stage.values()) {
      if (s.ordinal() < stage.ordinal()) {
        assertThat(r.stage(s)).as(why).hasValueSatisfying(x -> assertThat(x.get("ok")).isEqualTo(true));
      } else if (s.ordinal() > stage.ordinal()) {
        assertThat(r.stage(s)).as(why).isEmpty();
      }
    }
    assertThat(r.sweep()).isEmpty();
  }

  private static String selected(GatewayTunnelReport r, String requested) {
    return r.sweep().stream().filter(n -> n.requested().equals(requested)).findFirst()
        .map(NegotiationResult::selectedName).orElse(null);
  }

  /** The planted password, and its NT hash, appear in no observation and never reach the gateway. */
  private static void secretsStayHome(BenchCase c, GatewayTunnelReport r, BenchGateway gw) {
    String password = c.password();
    String ntHash = HexFormat.of().formatHex(NtlmCrypto.ntHash(password.toCharArray()));
    String everything = r.observations().toString() + (r.failure() == null ? "" : r.failure().getMessage());
    assertThat(everything).doesNotContain(password).doesNotContainIgnoringCase(ntHash);
    byte[] utf8 = password.getBytes(StandardCharsets.UTF_8);
    byte[] utf16 = password.getBytes(StandardCharsets.UTF_16LE);
    synchronized (gw.received) {
      for (byte[] sent : gw.received) {
        assertThat(indexOf(sent, utf8)).as("password sent in the clear").isNegative();
        assertThat(indexOf(sent, utf16)).as("password sent as UTF-16").isNegative();
      }
    }
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

}
