package rdpdoctor.evidence.even6;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.Provenance;

class RdpEventsTest {
  static final Instant T = Instant.parse("2024-05-01T10:00:00Z");

  @TempDir Path dir;

  @Test
  void clientDisconnectBecomesAnEventObservationWithTheReason() throws IOException {
    Path p = dir.resolve("client.evtx");
    new EvtxWriter().firstRecordId(77)
        .add(RdpFixtures.clientConnecting(T, "rdp.example.org"))
        .add(RdpFixtures.clientDisconnected(T.plusSeconds(2), 2308))
        .add(EvtxWriter.Event.of("Application", "Other", 1))
        .write(p);
    List<Observation> obs = RdpEvents.extract(p);
    assertThat(obs).hasSize(2);
    Observation o = obs.get(1);
    assertThat(o.type()).isEqualTo("event");
    assertThat(o.number("eventId")).isEqualTo(1026);
    assertThat(o.number("reason")).isEqualTo(2308);
    assertThat(o.number("recordId")).isEqualTo(78);
    assertThat(o.string("channel")).isEqualTo(RdpFixtures.RDP_CLIENT);
    assertThat(o.string("Name")).isEqualTo("Disconnect Reason");
    assertThat(o.at()).isEqualTo(T.plusSeconds(2));
    assertThat(o.provenance()).isEqualTo(new Provenance(Provenance.Source.EVTX, p.toString(), "record 78"));
    assertThat(obs.get(0).string("server")).isEqualTo("rdp.example.org");
    assertThat(o.string("phase")).isEqualTo("TCP"); // from the event catalog
  }

  @Test
  void failedLogonCarriesNtstatusAsNumbersAndTheAddress() throws IOException {
    Path p = dir.resolve("sec.evtx");
    new EvtxWriter().add(RdpFixtures.logonFailed(T, "bob", "203.0.113.9", 0xC000006DL, 0xC000006AL)).write(p);
    Observation o = RdpEvents.extract(p).get(0);
    assertThat(o.number("status")).isEqualTo(0xC000006DL);
    assertThat(o.number("subStatus")).isEqualTo(0xC000006AL);
    assertThat(o.number("logonType")).isEqualTo(10);
    assertThat(o.string("ipAddress")).isEqualTo("203.0.113.9");
    assertThat(o.string("user")).isEqualTo("bob");
    assertThat(o.summary()).startsWith("Security 4625 (record 1): Status 0xc000006d");
  }

  @Test
  void sessionEventsCarryUserSessionAndReason() throws IOException {
    Path p = dir.resolve("lsm.evtx");
    new EvtxWriter()
        .add(RdpFixtures.sessionLogon(T, "CORP\\alice", 4, "10.0.0.5:51000"))
        .add(RdpFixtures.sessionDisconnectReason(T, 4, 12))
        .write(p);
    List<Observation> obs = RdpEvents.extract(p);
    assertThat(obs.get(0).string("user")).isEqualTo("CORP\\alice");
    assertThat(obs.get(0).number("sessionId")).isEqualTo(4);
    assertThat(obs.get(0).string("ipAddress")).isEqualTo("10.0.0.5");
    assertThat(obs.get(1).number("reason")).isEqualTo(12);
  }

  @Test
  void addressesLoseTheirPortAndMappedPrefix() {
    assertThat(RdpEvents.address("10.1.2.3:3389")).isEqualTo("10.1.2.3");
    assertThat(RdpEvents.address("::ffff:10.1.2.3")).isEqualTo("10.1.2.3");
    assertThat(RdpEvents.address("fe80::1")).isEqualTo("fe80::1");
    assertThat(RdpEvents.address("-")).isNull();
  }

  @Test
  void realAccountRestrictionLogonFailure() throws IOException {
    Path p = SharedCorpus.file("evtx", "hayabusa_4625_account_restriction_rdp.evtx");
    List<Observation> obs = RdpEvents.extract(p);
    assertThat(obs).hasSize(2);
    assertThat(obs.get(0).number("status")).isEqualTo(0xC000006EL);
    assertThat(obs.get(0).number("logonType")).isEqualTo(10);
    assertThat(obs.get(0).string("ipAddress")).isEqualTo("10.23.23.9");
    assertThat(obs.get(0).provenance().detail()).isEqualTo("record 90907");
  }

  @Test
  void realRdpTunnelingLogonsKeepOnlyRemoteInteractive() throws IOException {
    Path p = SharedCorpus.file("evtx", "attack_4624_rdp_tunneling.evtx");
    List<Observation> obs = RdpEvents.extract(p);
    assertThat(obs).isNotEmpty().allSatisfy(o -> assertThat(o.number("logonType")).isIn(10L, 7L));
    assertThat(obs).anySatisfy(o -> assertThat(o.string("ipAddress")).isEqualTo("127.0.0.1"));
  }

  @Test
  void gatewayEventsCarryUserClientTargetProtocolAndTheErrorAsHresult() throws IOException {
    Path p = dir.resolve("gateway.evtx");
    new EvtxWriter()
        .add(RdpFixtures.gateway(200, T, "CORP\\alice", "203.0.113.7", "NTLM", null, "HTTP", null))
        .add(RdpFixtures.gatewayRapDenied(T.plusSeconds(1), "CORP\\alice", "203.0.113.7", "host01"))
        .add(RdpFixtures.gateway(303, T.plusSeconds(2), "CORP\\alice", "203.0.113.7:50123", "", "host02", "HTTP", 1226L))
        .write(p);
    List<Observation> obs = RdpEvents.extract(p);
    assertThat(obs).hasSize(3);
    Observation ok = obs.get(0);
    assertThat(ok.string("user")).isEqualTo("CORP\\alice");
    assertThat(ok.fields()).doesNotContainKeys("errorCode", "hresult");

    Observation rap = obs.get(1);
    assertThat(rap.string("provider")).isEqualTo(RdpFixtures.GATEWAY_PROVIDER);
    assertThat(rap.number("eventId")).isEqualTo(301);
    assertThat(rap.string("user")).isEqualTo("CORP\\alice");
    assertThat(rap.string("ipAddress")).isEqualTo("203.0.113.7");
    assertThat(rap.string("Resource")).isEqualTo("host01");
    assertThat(rap.string("ConnectionProtocol")).isEqualTo("HTTP");
    assertThat(rap.string("AuthType")).isEqualTo("NTLM");
    assertThat(rap.number("errorCode")).isEqualTo(23002);
    assertThat(rap.number("hresult")).isEqualTo(0x800759DAL); // E_PROXY_RAP_ACCESSDENIED
    assertThat(rap.string("phase")).isEqualTo("GATEWAY");

    // 303's normal close: 1226 is ERROR_GRACEFUL_DISCONNECT, as HRESULT_FROM_WIN32
    Observation close = obs.get(2);
    assertThat(close.string("ipAddress")).isEqualTo("203.0.113.7");
    assertThat(close.number("hresult")).isEqualTo(0x800704CAL);
  }

  @Test
  void gatewayHresultIsTheLowWordAsHresultFromWin32() {
    assertThat(RdpEvents.gatewayHresult(23014L)).isEqualTo(0x800759E6L);
    assertThat(RdpEvents.gatewayHresult(0x800759DDL)).isEqualTo(0x800759DDL);
    assertThat(RdpEvents.gatewayHresult(0L)).isNull();
    assertThat(RdpEvents.gatewayHresult(null)).isNull();
  }

  @Test
  void realGatewayLogCarriesUserResourceAndNoErrorOnASuccess() throws IOException {
    Path p = SharedCorpus.file("evtx", "hayabusa_302_rd_gateway_logon_logoff.evtx");
    List<Observation> obs = RdpEvents.extract(p);
    assertThat(obs).anySatisfy(o -> {
      assertThat(o.number("eventId")).isEqualTo(302);
      assertThat(o.string("Resource")).isEqualTo("ec2-18-179-8-103.ap-northeast-1.compute.amazonaws.com");
      assertThat(o.string("user")).isEqualTo("EC2AMAZ-6C3C9U6\\Administrator");
      assertThat(o.fields()).doesNotContainKey("hresult"); // ErrorCode 0
    });
    assertThat(obs).anySatisfy(o -> {
      assertThat(o.number("eventId")).isEqualTo(303);
      assertThat(o.number("hresult")).isEqualTo(0x800704CAL);
    });
  }
}
