package rdpdoctor.evidence.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.Provenance;
import rdpdoctor.evidence.reg.RegFile;
import rdpdoctor.evidence.regf.Hive;
import rdpdoctor.evidence.regf.HiveWriter;

class RdpRegistryTest {

  static RdpRegistry.HiveSource hive(byte[] file, String name) {
    Hive h = Hive.of(file);
    HiveKind kind = HiveKind.detect(h.root());
    return new RdpRegistry.HiveSource(h.root(), kind, Provenance.Source.REGISTRY_HIVE, name,
        "HKLM\\" + kind.name());
  }

  static Optional<Observation> setting(List<Observation> obs, String name, boolean policy) {
    return obs.stream()
        .filter(o -> o.type().equals("registry.setting") && name.equals(o.get("setting"))
            && Boolean.valueOf(policy).equals(o.get("policyOverride")))
        .findFirst();
  }

  @Test
  void corpusSystemHiveHasRdpOnAndNlaOff() throws Exception {
    Hive h = Hive.open(RegistryCorpus.file("SYSTEM"));
    List<Observation> obs = RdpRegistry.extract(List.of(new RdpRegistry.HiveSource(
        h.root(), HiveKind.detect(h.root()), Provenance.Source.REGISTRY_HIVE, "SYSTEM", "HKLM\\SYSTEM")));
    Observation deny = setting(obs, "ts.fDenyTSConnections", false).orElseThrow();
    assertThat(deny.number("value")).isZero();
    assertThat(deny.string("controlSet")).isEqualTo("ControlSet001");
    assertThat(deny.provenance().detail())
        .isEqualTo("HKLM\\SYSTEM\\ControlSet001\\Control\\Terminal Server\\fDenyTSConnections");
    assertThat(setting(obs, "rdp-tcp.SecurityLayer", false).orElseThrow().number("value")).isEqualTo(1);
    assertThat(setting(obs, "rdp-tcp.UserAuthentication", false).orElseThrow().number("value")).isZero();
    assertThat(setting(obs, "rdp-tcp.PortNumber", false).orElseThrow().number("value")).isEqualTo(3389);
    assertThat(setting(obs, "rdp-tcp.MinEncryptionLevel", false).orElseThrow().number("value")).isEqualTo(2);
    assertThat(setting(obs, "service.TermService.Start", false).orElseThrow().number("value")).isEqualTo(3);
    assertThat(deny.string("key")).isEqualTo("HKLM\\SYSTEM\\ControlSet001\\Control\\Terminal Server");
    assertThat(deny.string("name")).isEqualTo("fDenyTSConnections");
    assertThat(obs).filteredOn(o -> "firewall.rule".equals(o.get("setting")))
        .anyMatch(o -> "RemoteDesktop-In-TCP".equals(o.get("name")) && Boolean.TRUE.equals(o.get("active"))
            && "3389".equals(o.get("port")))
        .anyMatch(o -> "RemoteDesktop-In-TCP_1".equals(o.get("name")) && Boolean.FALSE.equals(o.get("active"))
            && "Public".equals(o.get("profiles")));
  }

  @Test
  void corpusDirtySystemHiveHasRdpOffAndNlaOn() throws Exception {
    Hive h = Hive.open(RegistryCorpus.file("SYSTEM_WIN_10_1709"));
    List<Observation> obs = RdpRegistry.extract(List.of(new RdpRegistry.HiveSource(
        h.root(), HiveKind.detect(h.root()), Provenance.Source.REGISTRY_HIVE, "S", "HKLM\\SYSTEM")));
    assertThat(setting(obs, "ts.fDenyTSConnections", false).orElseThrow().number("value")).isEqualTo(1);
    assertThat(setting(obs, "rdp-tcp.UserAuthentication", false).orElseThrow().number("value")).isEqualTo(1);
  }

  @Test
  void corpusUserHiveHasAnEmptyClientKey() throws Exception {
    Hive h = Hive.open(RegistryCorpus.file("NTUSER.DAT"));
    assertThat(HiveKind.detect(h.root())).isEqualTo(HiveKind.NTUSER);
    List<Observation> obs = RdpRegistry.extract(List.of(new RdpRegistry.HiveSource(
        h.root(), HiveKind.NTUSER, Provenance.Source.REGISTRY_HIVE, "NTUSER.DAT", "HKCU")));
    Observation c = setting(obs, "client.TerminalServerClient", false).orElseThrow();
    assertThat(c.summary()).contains("key present but empty");
  }

  /** A SOFTWARE hive with a profile and its .bak twin and Terminal Services policies. */
  static byte[] softwareWithTwinsAndPolicies() {
    HiveWriter.Key root = new HiveWriter.Key("ROOT");
    root.key("Microsoft\\Windows NT\\CurrentVersion").sz("ProductName", "Windows Server 2022");
    HiveWriter.Key list = root.key("Microsoft\\Windows NT\\CurrentVersion\\ProfileList");
    String sid = "S-1-5-21-1111111111-2222222222-3333333333-1001";
    list.key(sid).expandSz("ProfileImagePath", "C:\\Users\\TEMP").dword("State", 0x0800).dword("RefCount", 2);
    list.key(sid + ".bak").expandSz("ProfileImagePath", "C:\\Users\\alice").dword("State", 0x8204)
        .dword("RefCount", 1);
    list.key("S-1-5-18").expandSz("ProfileImagePath", "%systemroot%\\system32\\config\\systemprofile")
        .dword("State", 0);
    root.key("Policies\\Microsoft\\Windows NT\\Terminal Services")
        .dword("UserAuthentication", 1).dword("SecurityLayer", 2).dword("LicensingMode", 4);
    root.key("Microsoft\\Windows\\CurrentVersion\\Policies\\System\\CredSSP\\Parameters")
        .dword("AllowEncryptionOracle", 0);
    root.key("Microsoft\\MSLicensing\\Store\\LICENSE000");
    root.key("Microsoft\\MSLicensing\\HardwareID");
    return HiveWriter.write(root);
  }

  @Test
  void profileListTwinsArePairedAndFlagged() {
    List<Observation> obs = RdpRegistry.extract(List.of(hive(softwareWithTwinsAndPolicies(), "SOFTWARE")));
    List<Observation> profiles = obs.stream().filter(o -> o.type().equals("registry.profile")).toList();
    assertThat(profiles).hasSize(3);
    // Subkeys come in the hive's order: sorted by uppercase name (S-1-5-18 first).
    assertThat(profiles.get(0).get("bakTwin")).isEqualTo(false);
    Observation live = profiles.get(1);
    assertThat(live.get("bakTwin")).isEqualTo(true);
    assertThat(live.get("bak")).isEqualTo(false);
    assertThat(live.get("temporary")).isEqualTo(true);
    assertThat(live.get("stateFlags")).isEqualTo(List.of("temporary profile"));
    assertThat(live.number("refCount")).isEqualTo(2);
    assertThat(live.summary()).contains("temporary profile").contains("State=0 and RefCount=0");
    Observation bak = profiles.get(2);
    assertThat(bak.get("bak")).isEqualTo(true);
    assertThat(bak.string("sid")).isEqualTo("S-1-5-21-1111111111-2222222222-3333333333-1001");
    assertThat(bak.string("profileImagePath")).isEqualTo("C:\\Users\\alice");
    assertThat(bak.string("keyName")).isEqualTo("S-1-5-21-1111111111-2222222222-3333333333-1001.bak");
  }

  @Test
  void policyWinsOverTheLocalSettingAcrossHives() throws Exception {
    Hive sys = Hive.open(RegistryCorpus.file("SYSTEM"));
    List<Observation> obs = RdpRegistry.extract(List.of(
        new RdpRegistry.HiveSource(sys.root(), HiveKind.SYSTEM, Provenance.Source.REGISTRY_HIVE, "SYSTEM", "HKLM\\SYSTEM"),
        hive(softwareWithTwinsAndPolicies(), "SOFTWARE")));
    Observation local = setting(obs, "rdp-tcp.UserAuthentication", false).orElseThrow();
    Observation policy = setting(obs, "rdp-tcp.UserAuthentication", true).orElseThrow();
    assertThat(local.number("value")).isZero();
    assertThat(local.get("overriddenByPolicy")).isEqualTo(true);
    assertThat(local.summary()).contains("overridden by Group Policy (UserAuthentication=1), which wins");
    assertThat(policy.number("value")).isEqualTo(1);
    assertThat(policy.summary()).contains("policy wins");
    assertThat(setting(obs, "ts.fDenyTSConnections", false).orElseThrow().get("overriddenByPolicy")).isEqualTo(false);
    assertThat(setting(obs, "credssp.AllowEncryptionOracle", false).orElseThrow().string("meaning"))
        .isEqualTo("Force Updated Clients");
    assertThat(setting(obs, "client.MSLicensing", false).orElseThrow().number("value")).isEqualTo(1);
  }

  @Test
  void regFileExportsGiveTheSameObservations() {
    String reg = String.join("\r\n",
        "Windows Registry Editor Version 5.00",
        "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server]",
        "\"fDenyTSConnections\"=dword:00000001",
        "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp]",
        "\"SecurityLayer\"=dword:00000000",
        "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Server]",
        "\"Enabled\"=dword:00000000",
        "\"DisabledByDefault\"=dword:00000001",
        "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services]",
        "\"fDenyTSConnections\"=dword:00000000",
        "[HKEY_CURRENT_USER\\Software\\Microsoft\\Terminal Server Client\\Servers\\rdp.example.test]",
        "\"UsernameHint\"=\"EXAMPLE\\\\alice\"",
        "");
    RegFile f = RegFile.parse(reg);
    List<Observation> obs = RdpRegistry.extract(RdpRegistry.sources(f.root(), "export.reg"));
    Observation deny = setting(obs, "ts.fDenyTSConnections", false).orElseThrow();
    assertThat(deny.provenance().source()).isEqualTo(Provenance.Source.REG_FILE);
    assertThat(deny.string("controlSet")).isEqualTo("CurrentControlSet");
    assertThat(deny.get("overriddenByPolicy")).isEqualTo(true);
    assertThat(setting(obs, "rdp-tcp.SecurityLayer", false).orElseThrow().string("meaning"))
        .isEqualTo("RDP Security Layer only, no TLS");
    assertThat(setting(obs, "schannel.TLS 1.2.Server.Enabled", false).orElseThrow().string("meaning"))
        .isEqualTo("TLS 1.2 Server disabled");
    assertThat(obs).anyMatch(o -> "client.Servers".equals(o.get("setting"))
        && "rdp.example.test".equals(o.get("value")) && "EXAMPLE\\alice".equals(o.get("usernameHint")));
  }
}
