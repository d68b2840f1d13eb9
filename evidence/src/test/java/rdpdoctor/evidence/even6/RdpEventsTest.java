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
}
