package rdpdoctor.evidence.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.Provenance;
import rdpdoctor.evidence.cases.CaseLoader;
import rdpdoctor.evidence.even6.SharedCorpus;

class LoggedSettingsTest {

  private static Observation sysmon(long record, String at, String target, String details) {
    return Observation.of("event", new Provenance(Provenance.Source.EVTX, "sysmon.evtx", "record " + record))
        .at(Instant.parse(at))
        .with("channel", "Microsoft-Windows-Sysmon/Operational").with("provider", "Microsoft-Windows-Sysmon")
        .with("eventId", 13L).with("recordId", record).with("EventType", "SetValue")
        .with("TargetObject", target).with("Details", details).with("Image", "C:\\Windows\\regedit.exe")
        .summary("Sysmon 13");
  }

  private static final String PORT = "HKLM\\System\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp\\PortNumber";

  @Test
  void pathsOfTheSettingsAHiveGives() {
    assertThat(RdpRegistry.settingAt(PORT).setting()).isEqualTo("rdp-tcp.PortNumber");
    assertThat(RdpRegistry.settingAt("HKLM\\SYSTEM\\ControlSet002\\Control\\Terminal Server\\fDenyTSConnections").setting())
        .isEqualTo("ts.fDenyTSConnections");
    assertThat(RdpRegistry.settingAt("HKLM\\System\\CurrentControlSet\\services\\TermService\\Parameters\\ServiceDll").setting())
        .isEqualTo("service.TermService.ServiceDll");
    assertThat(RdpRegistry.settingAt(
        "HKLM\\System\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.0\\Server\\Enabled").setting())
        .isEqualTo("schannel.TLS 1.0.Server.Enabled");
    RdpRegistry.Written policy = RdpRegistry.settingAt(
        "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services\\UserAuthentication");
    assertThat(policy.setting()).isEqualTo("rdp-tcp.UserAuthentication");
    assertThat(policy.policy()).isTrue();
    // Not RDP's, or not a value rdpdoctor reads.
    assertThat(RdpRegistry.settingAt("HKLM\\System\\CurrentControlSet\\Control\\Terminal Server\\Licensing Core\\EnableConcurrentSessions")).isNull();
    assertThat(RdpRegistry.settingAt("HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\x")).isNull();
    assertThat(RdpRegistry.settingAt("PortNumber")).isNull();
  }

  @Test
  void theLastWriteOfEachSettingCountsAndAHiveWins() {
    List<Observation> events = List.of(
        sysmon(3, "2024-01-02T10:00:00Z", PORT, "DWORD (0x00000d3d)"),
        sysmon(1, "2024-01-01T10:00:00Z", PORT, "DWORD (0x00000050)"),
        sysmon(4, "2024-01-02T11:00:00Z",
            "HKLM\\System\\CurrentControlSet\\Control\\Terminal Server\\fDenyTSConnections", "DWORD (0x00000001)"),
        sysmon(5, "2024-01-02T12:00:00Z",
            "HKLM\\System\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp\\SSLCertificateSHA1Hash", "Binary Data"));
    List<Observation> s = LoggedSettings.from(events, List.of());
    assertThat(s).extracting(o -> o.string("setting")).containsExactly("rdp-tcp.PortNumber", "ts.fDenyTSConnections");
    assertThat(s.get(0).get("value")).isEqualTo(3389L);
    assertThat(s.get(0).provenance().detail()).isEqualTo("record 3");
    assertThat(s.get(0).summary()).contains("PortNumber=3389 (0xd3d)", "regedit.exe", "Sysmon event 13");
    assertThat(s.get(1).string("meaning")).isEqualTo("RDP connections denied");

    Observation hive = Observation.of("registry.setting", new Provenance(Provenance.Source.REGISTRY_HIVE, "SYSTEM", "x"))
        .with("setting", "ts.fDenyTSConnections").with("value", 0L).summary("hive");
    assertThat(LoggedSettings.from(events, List.of(hive))).extracting(o -> o.string("setting"))
        .containsExactly("rdp-tcp.PortNumber");
  }

  @Test
  void theCorpusSysmonLogShowsRdpWrapperAndTheMovedPort() throws Exception {
    Path log = SharedCorpus.file("evtx", "attack_sysmon13_rdp_settings_tampering.evtx");
    CaseLoader.Cases cases = CaseLoader.load(List.of(log), Set.of());
    List<Observation> settings = cases.cases().getFirst().observations().stream()
        .filter(o -> o.type().equals("registry.setting")).toList();
    // evtxexport shows four Sysmon 13 records: ServiceDll, fDenyTSConnections and PortNumber are
    // settings rdpdoctor reads; RDP Wrapper's EnableConcurrentSessions is not one.
    assertThat(settings).extracting(o -> o.string("setting") + "=" + o.get("value") + "@" + o.provenance().detail())
        .containsExactlyInAnyOrder(
            "service.TermService.ServiceDll=%%ProgramFiles%%\\RDP Wrapper\\rdpwrap.dll@record 5265",
            "ts.fDenyTSConnections=0@record 5267",
            "rdp-tcp.PortNumber=80@record 5329");
  }
}
