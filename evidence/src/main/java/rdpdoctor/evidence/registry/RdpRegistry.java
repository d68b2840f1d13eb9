package rdpdoctor.evidence.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.Provenance;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.Hex;

/**
 * The registry settings that decide an RDP connection, read from any mix of hives and .reg files
 * and turned into Observations (DEVELOPERS.md, "Observation types": {@code registry.setting},
 * {@code registry.profile}; firewall rules are settings with {@code setting=firewall.rule}).
 *
 * <p>Sources: SYSTEM (Terminal Server, WinStations\RDP-Tcp, RCM licensing, SCHANNEL, TermService,
 * firewall rules) in the control set {@code Select\Current} names; SOFTWARE (Group Policy under
 * Policies\Microsoft\Windows NT\Terminal Services, CredSSP's AllowEncryptionOracle, ProfileList,
 * MSLicensing); NTUSER (Terminal Server Client). References: rdp-error-codes.md section 10.
 * A Group Policy value wins over the local one: both are reported, the local one marked
 * {@code overriddenByPolicy}.
 */
public final class RdpRegistry {

  /**
   * One hive's key tree, wherever it came from.
   *
   * @param root the hive's root key (for a .reg file, the key the hive is mounted at)
   * @param kind which hive it is
   * @param source REGISTRY_HIVE or REG_FILE
   * @param location the file
   * @param mount how Windows names the root, for provenance ("HKLM\SYSTEM")
   */
  public record HiveSource(
      RegistryKey root, HiveKind kind, Provenance.Source source, String location, String mount) {}

  private static final String TS_POLICY = "Policies\\Microsoft\\Windows NT\\Terminal Services";

  /** What a number in a setting means, for the summary a person reads. */
  interface Meaning {
    @Nullable String of(long v);
  }

  /**
   * A value under the control set that decides a connection.
   *
   * @param key the key under {@code ControlSet00N}
   * @param value the value's name
   * @param setting the stable id rules match ({@code registry.setting} field {@code setting})
   * @param meaning what a number in it means, or null
   */
  record Known(String key, String value, String setting, @Nullable Meaning meaning) {}

  private static final String TS = "Control\\Terminal Server";
  private static final String RDP_TCP = TS + "\\WinStations\\RDP-Tcp";

  /** The control-set values read from a SYSTEM hive and recognised in a logged registry write. */
  static final List<Known> CONTROL_SET = List.of(
      new Known(TS, "fDenyTSConnections", "ts.fDenyTSConnections", RdpRegistry::denyMeaning),
      new Known(TS, "fSingleSessionPerUser", "ts.fSingleSessionPerUser",
          v -> v == 1 ? "one session per user" : "several sessions per user allowed"),
      new Known(RDP_TCP, "PortNumber", "rdp-tcp.PortNumber", v -> "listens on TCP port " + v),
      new Known(RDP_TCP, "SecurityLayer", "rdp-tcp.SecurityLayer", RdpRegistry::securityLayerMeaning),
      new Known(RDP_TCP, "UserAuthentication", "rdp-tcp.UserAuthentication",
          v -> v == 0 ? "NLA not required" : "NLA (CredSSP) required"),
      new Known(RDP_TCP, "MinEncryptionLevel", "rdp-tcp.MinEncryptionLevel", RdpRegistry::encryptionMeaning),
      new Known(RDP_TCP, "fAllowSecProtocolNegotiation", "rdp-tcp.fAllowSecProtocolNegotiation",
          v -> v == 0 ? "security protocol negotiation off" : "security protocol negotiation on"),
      new Known(RDP_TCP, "SSLCertificateSHA1Hash", "rdp-tcp.SSLCertificateSHA1Hash", null),
      new Known(RDP_TCP, "fEnableWinStation", "rdp-tcp.fEnableWinStation",
          v -> v == 0 ? "the RDP-Tcp listener is disabled" : "the RDP-Tcp listener is enabled"),
      new Known(TS + "\\RCM\\Licensing Core", "LicensingMode", "licensing.LicensingMode", RdpRegistry::licensingMeaning),
      new Known("Services\\TermService\\Parameters\\LicenseServers", "SpecifiedLicenseServers",
          "licensing.LicenseServers", null),
      new Known("Services\\TermService", "Start", "service.TermService.Start", RdpRegistry::startMeaning),
      // The DLL svchost loads as the Remote Desktop service; RDP Wrapper and similar patches
      // replace it, and stop working when an update changes termsrv.dll.
      new Known("Services\\TermService\\Parameters", "ServiceDll", "service.TermService.ServiceDll", null));

  /** Group Policy values under SOFTWARE\Policies\...\Terminal Services and the setting each overrides. */
  private static final String[][] POLICY_VALUES = {
      {"fDenyTSConnections", "ts.fDenyTSConnections"},
      {"SecurityLayer", "rdp-tcp.SecurityLayer"},
      {"UserAuthentication", "rdp-tcp.UserAuthentication"},
      {"MinEncryptionLevel", "rdp-tcp.MinEncryptionLevel"},
      {"PortNumber", "rdp-tcp.PortNumber"},
      {"LicensingMode", "licensing.LicensingMode"},
      {"LicenseServers", "licensing.LicenseServers"},
      {"fSingleSessionPerUser", "ts.fSingleSessionPerUser"},
  };

  /**
   * The setting a registry write at {@code path} changes, for writes that logs record (Sysmon's
   * event 13 names {@code HKLM\System\CurrentControlSet\...\PortNumber}).
   *
   * @param setting the setting id, as a hive's {@code registry.setting} carries it
   * @param valueName the value's name
   * @param key the key, as the path gave it
   * @param policy true for a Group Policy value (it wins over the local one)
   * @param meaning what a number means, or null
   */
  public record Written(String setting, String valueName, String key, boolean policy, @Nullable Meaning meaning) {
    /** The meaning of {@code n}, or null. */
    public @Nullable String meaningOf(long n) {
      return meaning == null ? null : meaning.of(n);
    }
  }

  private static final java.util.regex.Pattern CONTROL_SET_PATH = java.util.regex.Pattern.compile(
      "(?i)^(?:HKLM|HKEY_LOCAL_MACHINE|\\\\REGISTRY\\\\MACHINE)\\\\SYSTEM\\\\(?:CurrentControlSet|ControlSet\\d{3})\\\\(.+)\\\\([^\\\\]+)$");
  private static final java.util.regex.Pattern POLICY_PATH = java.util.regex.Pattern.compile(
      "(?i)^(?:HKLM|HKEY_LOCAL_MACHINE|\\\\REGISTRY\\\\MACHINE)\\\\SOFTWARE\\\\Policies\\\\Microsoft\\\\Windows NT\\\\Terminal Services\\\\([^\\\\]+)$");
  private static final java.util.regex.Pattern SCHANNEL_KEY = java.util.regex.Pattern.compile(
      "(?i)^Control\\\\SecurityProviders\\\\SCHANNEL\\\\Protocols\\\\([^\\\\]+)\\\\(Server|Client)$");

  /** The RDP setting written at {@code path}, or null when the path is not one rdpdoctor reads. */
  public static @Nullable Written settingAt(String path) {
    java.util.regex.Matcher m = CONTROL_SET_PATH.matcher(path);
    if (m.matches()) {
      String key = m.group(1);
      String value = m.group(2);
      for (Known k : CONTROL_SET) {
        if (k.key().equalsIgnoreCase(key) && k.value().equalsIgnoreCase(value)) {
          return new Written(k.setting(), k.value(), path.substring(0, path.length() - value.length() - 1), false, k.meaning());
        }
      }
      java.util.regex.Matcher sc = SCHANNEL_KEY.matcher(key);
      if (sc.matches() && (value.equalsIgnoreCase("Enabled") || value.equalsIgnoreCase("DisabledByDefault"))) {
        String v = value.equalsIgnoreCase("Enabled") ? "Enabled" : "DisabledByDefault";
        return new Written("schannel." + sc.group(1) + "." + sc.group(2) + "." + v, v,
            path.substring(0, path.length() - value.length() - 1), false, null);
      }
      return null;
    }
    m = POLICY_PATH.matcher(path);
    if (m.matches()) {
      for (String[] pv : POLICY_VALUES) {
        if (pv[0].equalsIgnoreCase(m.group(1))) {
          return new Written(pv[1], pv[0], path.substring(0, path.length() - m.group(1).length() - 1), true, null);
        }
      }
    }
    return null;
  }

  private RdpRegistry() {}

  /** The hives inside a .reg file: HKLM\SYSTEM, HKLM\SOFTWARE, HKCU and each HKU\SID. */
  public static List<HiveSource> sources(RegistryKey regRoot, String location) {
    List<HiveSource> out = new ArrayList<>();
    RegistryKey hklm = regRoot.subkey("HKEY_LOCAL_MACHINE");
    if (hklm != null) {
      add(out, hklm.subkey("SYSTEM"), HiveKind.SYSTEM, location, "HKLM\\SYSTEM");
      add(out, hklm.subkey("SOFTWARE"), HiveKind.SOFTWARE, location, "HKLM\\SOFTWARE");
    }
    add(out, regRoot.subkey("HKEY_CURRENT_USER"), HiveKind.NTUSER, location, "HKCU");
    RegistryKey users = regRoot.subkey("HKEY_USERS");
    if (users != null) {
      for (RegistryKey u : users.subkeys()) {
        if (!u.name().toUpperCase(Locale.ROOT).endsWith("_CLASSES")) {
          add(out, u, HiveKind.NTUSER, location, "HKU\\" + u.name());
        }
      }
    }
    return out;
  }

  private static void add(List<HiveSource> out, @Nullable RegistryKey k, HiveKind kind, String loc, String mount) {
    if (k != null) {
      out.add(new HiveSource(k, kind, Provenance.Source.REG_FILE, loc, mount));
    }
  }

  /** Every RDP-relevant setting in {@code sources}, policy overrides resolved across them. */
  public static List<Observation> extract(List<HiveSource> sources) {
    Extraction x = new Extraction();
    for (HiveSource s : sources) {
      try {
        switch (s.kind()) {
          case SYSTEM -> x.system(s);
          case SOFTWARE -> x.software(s);
          case NTUSER -> x.ntuser(s);
          default -> { }
        }
      } catch (DecodeException e) {
        x.add(Observation.of("registry.error", prov(s, s.mount()))
            .with("hive", s.kind().name())
            .with("error", e.getMessage())
            .summary("part of " + s.location() + " could not be read: " + e.getMessage()));
      }
    }
    return x.finish();
  }

  private static Provenance prov(HiveSource s, String detail) {
    return new Provenance(s.source(), s.location(), detail);
  }

  /** Collects observations; local settings are held back until policies from every source are known. */
  private static final class Extraction {
    private final List<Observation> out = new ArrayList<>();
    private record Pending(String name, Observation.Builder builder, String summary) {}

    private final List<Pending> pendingLocal = new ArrayList<>();
    private final Map<String, String> policies = new LinkedHashMap<>();

    void add(Observation o) {
      out.add(o);
    }

    List<Observation> finish() {
      List<Observation> result = new ArrayList<>();
      for (Pending p : pendingLocal) {
        String policy = policies.get(p.name());
        String summary = p.summary();
        Observation.Builder b = p.builder().with("overriddenByPolicy", policy != null);
        result.add(b.summary(policy == null ? summary
            : summary + "; overridden by Group Policy (" + policy + "), which wins"));
      }
      result.addAll(out);
      return result;
    }

    // ---- SYSTEM ----

    void system(HiveSource s) {
      RegistryKey root = s.root();
      String cs = controlSet(root);
      RegistryKey set = root.subkey(cs);
      if (set == null) {
        return;
      }
      for (Known k : CONTROL_SET) {
        setting(s, root, cs + "\\" + k.key(), k.value(), k.setting(), cs, k.meaning());
      }
      String ts = cs + "\\Control\\Terminal Server";
      RegistryKey grace = root.find(ts + "\\RCM\\GracePeriod");
      if (grace != null) {
        out.add(Observation.of("registry.setting", prov(s, s.mount() + "\\" + grace.path()))
            .with("setting", "licensing.GracePeriod").with("name", "(key)")
            .with("value", (long) grace.values().size())
            .with("key", s.mount() + "\\" + grace.path()).with("controlSet", cs)
            .with("policyOverride", false).with("hive", s.kind().name())
            .summary("RDS licensing grace period store present (" + grace.values().size()
                + " timebomb value(s)): the 120-day grace period has started"));
      }
      schannel(s, root, cs);
      firewall(s, root, cs);
    }

    private void schannel(HiveSource s, RegistryKey root, String cs) {
      String base = cs + "\\Control\\SecurityProviders\\SCHANNEL\\Protocols";
      RegistryKey protocols = root.find(base);
      if (protocols == null) {
        return;
      }
      for (RegistryKey proto : protocols.subkeys()) {
        for (String side : new String[] {"Server", "Client"}) {
          String key = base + "\\" + proto.name() + "\\" + side;
          for (String vn : new String[] {"Enabled", "DisabledByDefault"}) {
            String label = proto.name() + " " + side;
            setting(s, root, key, vn, "schannel." + proto.name() + "." + side + "." + vn, cs,
                v -> vn.equals("Enabled")
                    ? (v == 0 ? label + " disabled" : label + " enabled")
                    : (v == 0 ? label + " not disabled by default" : label + " disabled by default"));
          }
        }
      }
    }

    private void firewall(HiveSource s, RegistryKey root, String cs) {
      String path = cs + "\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\FirewallRules";
      RegistryKey rules = root.find(path);
      if (rules == null) {
        return;
      }
      for (RegistryValue v : rules.values()) {
        String rule = v.asString();
        if (rule == null) {
          continue;
        }
        Map<String, String> f = parseRule(rule);
        String port = f.getOrDefault("LPort", "");
        boolean rdp = port.equals("3389") || v.name().toLowerCase(Locale.ROOT).contains("remotedesktop")
            || f.getOrDefault("Svc", "").equalsIgnoreCase("termservice");
        if (!rdp) {
          continue;
        }
        boolean active = "TRUE".equalsIgnoreCase(f.get("Active"));
        String profiles = f.getOrDefault("Profile", "all");
        String action = f.getOrDefault("Action", "");
        out.add(Observation.of("registry.setting", prov(s, s.mount() + "\\" + path + "\\" + v.name()))
            .with("setting", "firewall.rule")
            .with("key", s.mount() + "\\" + path)
            .with("name", v.name())
            .with("value", rule)
            .with("hive", s.kind().name())
            .with("policyOverride", false)
            .with("active", active)
            .with("action", action)
            .with("direction", f.getOrDefault("Dir", ""))
            .with("protocol", protocolName(f.getOrDefault("Protocol", "")))
            .with("port", port)
            .with("profiles", profiles)
            .with("ruleName", f.getOrDefault("Name", ""))
            .with("controlSet", cs)
            .summary("firewall rule " + v.name() + ": " + (action.isEmpty() ? "?" : action) + " "
                + f.getOrDefault("Dir", "?") + " " + protocolName(f.getOrDefault("Protocol", "")) + " port "
                + (port.isEmpty() ? "any" : port) + ", profiles " + profiles + ", "
                + (active ? "active" : "NOT active")));
      }
    }

    // ---- SOFTWARE ----

    void software(HiveSource s) {
      RegistryKey root = s.root();
      String pol = TS_POLICY;
      RegistryKey polKey = root.find(pol);
      if (polKey != null) {
        for (String[] pv : POLICY_VALUES) {
          RegistryValue v = polKey.value(pv[0]);
          if (v == null) {
            continue;
          }
          Object value = valueOf(v);
          String meaning = meaningFor(pv[1], v);
          policies.put(pv[1], pv[0] + "=" + display(value));
          out.add(Observation.of("registry.setting", prov(s, s.mount() + "\\" + polKey.path() + "\\" + v.name()))
              .with("setting", pv[1]).with("name", v.name()).with("value", value)
              .with("key", s.mount() + "\\" + polKey.path()).with("type", v.typeName())
              .with("policyOverride", true).with("policy", true).with("hive", s.kind().name())
              .with("meaning", meaning)
              .summary("Group Policy sets " + pv[0] + "=" + display(value)
                  + (meaning == null ? "" : " (" + meaning + ")") + "; policy wins over the local setting"));
        }
      }
      plain(s, root, "Microsoft\\Windows\\CurrentVersion\\Policies\\System\\CredSSP\\Parameters",
          "AllowEncryptionOracle", "credssp.AllowEncryptionOracle", RdpRegistry::oracleMeaning);
      profiles(s, root);
      RegistryKey msl = root.find("Microsoft\\MSLicensing");
      if (msl != null) {
        RegistryKey store = msl.subkey("Store");
        int licenses = store == null ? 0 : store.subkeys().size();
        boolean hwid = msl.subkey("HardwareID") != null;
        out.add(Observation.of("registry.setting", prov(s, s.mount() + "\\" + msl.path()))
            .with("setting", "client.MSLicensing").with("name", "(key)").with("value", (long) licenses)
            .with("key", s.mount() + "\\" + msl.path()).with("policyOverride", false).with("hive", s.kind().name())
            .with("hardwareId", hwid)
            .summary("client licence store MSLicensing present: " + licenses + " stored licence(s)"
                + (hwid ? ", HardwareID present" : ", no HardwareID")));
      }
    }

    private void profiles(HiveSource s, RegistryKey root) {
      String path = "Microsoft\\Windows NT\\CurrentVersion\\ProfileList";
      RegistryKey list = root.find(path);
      if (list == null) {
        return;
      }
      Map<String, RegistryKey> byName = new LinkedHashMap<>();
      for (RegistryKey k : list.subkeys()) {
        byName.put(k.name().toUpperCase(Locale.ROOT), k);
      }
      for (RegistryKey k : list.subkeys()) {
        String upper = k.name().toUpperCase(Locale.ROOT);
        boolean bak = upper.endsWith(".BAK");
        String sid = bak ? k.name().substring(0, k.name().length() - 4) : k.name();
        boolean twin = bak ? byName.containsKey(upper.substring(0, upper.length() - 4))
            : byName.containsKey(upper + ".BAK");
        Long state = number(k.value("State"));
        Long refCount = number(k.value("RefCount"));
        RegistryValue img = k.value("ProfileImagePath");
        String imagePath = img == null ? null : img.asString();
        List<String> flags = stateFlags(state);
        boolean temporary = state != null && (state & 0x0800) != 0
            || imagePath != null && imagePath.toUpperCase(Locale.ROOT).contains("\\TEMP");
        StringBuilder summary = new StringBuilder("profile " + k.name());
        summary.append(imagePath == null ? " without ProfileImagePath" : " at " + imagePath);
        if (state != null) {
          summary.append(String.format(", State=0x%x", state)).append(flags.isEmpty() ? "" : " " + flags);
        }
        if (refCount != null) {
          summary.append(", RefCount=").append(refCount);
        }
        if (twin) {
          summary.append("; ").append(bak ? "it is the .bak twin of " + sid : "it has a twin " + k.name() + ".bak")
              .append(": Windows logs this user on with a temporary profile (User Profile Service"
                  + " 1511/1515); fix: keep the key that points to the right folder, delete the"
                  + " other, set State=0 and RefCount=0");
        } else if (temporary) {
          summary.append("; marked temporary");
        }
        out.add(Observation.of("registry.profile", prov(s, s.mount() + "\\" + k.path()))
            .with("sid", sid)
            .with("keyName", k.name())
            .with("key", s.mount() + "\\" + k.path())
            .with("bak", bak)
            .with("bakTwin", twin)
            .with("state", state)
            .with("stateFlags", flags)
            .with("refCount", refCount)
            .with("profileImagePath", imagePath)
            .with("temporary", temporary)
            .with("hive", s.kind().name())
            .summary(summary.toString()));
      }
    }

    // ---- NTUSER ----

    void ntuser(HiveSource s) {
      String path = "Software\\Microsoft\\Terminal Server Client";
      RegistryKey tsc = s.root().find(path);
      if (tsc == null) {
        return;
      }
      RegistryKey def = tsc.subkey("Default");
      RegistryKey servers = tsc.subkey("Servers");
      int mru = def == null ? 0 : def.values().size();
      int srv = servers == null ? 0 : servers.subkeys().size();
      out.add(Observation.of("registry.setting", prov(s, s.mount() + "\\" + tsc.path()))
          .with("setting", "client.TerminalServerClient").with("name", "(key)").with("value", (long) srv)
          .with("key", s.mount() + "\\" + tsc.path()).with("policyOverride", false).with("hive", s.kind().name())
          .with("mruEntries", (long) mru)
          .summary("Remote Desktop client history: " + srv + " server(s), " + mru + " recent entr"
              + (mru == 1 ? "y" : "ies") + (srv == 0 && mru == 0 ? " (key present but empty)" : "")));
      if (def != null) {
        for (RegistryValue v : def.values()) {
          if (v.asString() != null) {
            out.add(Observation.of("registry.setting", prov(s, s.mount() + "\\" + def.path() + "\\" + v.name()))
                .with("setting", "client.Default." + v.name()).with("name", v.name()).with("value", v.asString())
                .with("key", s.mount() + "\\" + def.path()).with("policyOverride", false).with("hive", s.kind().name())
                .summary("the client connected to " + v.asString() + " (" + v.name() + ")"));
          }
        }
      }
      if (servers != null) {
        for (RegistryKey host : servers.subkeys()) {
          RegistryValue hint = host.value("UsernameHint");
          out.add(Observation.of("registry.setting", prov(s, s.mount() + "\\" + host.path()))
              .with("setting", "client.Servers").with("name", "(key)").with("value", host.name())
              .with("key", s.mount() + "\\" + host.path()).with("policyOverride", false).with("hive", s.kind().name())
              .with("usernameHint", hint == null ? null : hint.asString())
              .summary("the client saved server " + host.name()
                  + (hint == null || hint.asString() == null ? "" : " with user " + hint.asString())));
        }
      }
      for (String vn : new String[] {"AuthenticationLevelOverride", "RDGClientTransport"}) {
        RegistryValue v = tsc.value(vn);
        if (v != null) {
          out.add(Observation.of("registry.setting", prov(s, s.mount() + "\\" + tsc.path() + "\\" + vn))
              .with("setting", "client." + vn).with("name", vn).with("value", valueOf(v))
              .with("key", s.mount() + "\\" + tsc.path()).with("policyOverride", false).with("hive", s.kind().name())
              .summary("client " + vn + "=" + display(valueOf(v))));
        }
      }
    }

    // ---- helpers ----


    /** A local (non-policy) setting; held until policies are known so an override can be noted. */
    private void setting(HiveSource s, RegistryKey root, String keyPath, String valueName, String name,
        @Nullable String cs, @Nullable Meaning meaning) {
      RegistryKey k = root.find(keyPath);
      if (k == null) {
        return;
      }
      RegistryValue v = k.value(valueName);
      if (v == null) {
        return;
      }
      Object value = valueOf(v);
      Long n = v.asNumber();
      String m = meaning != null && n != null ? meaning.of(n) : null;
      Observation.Builder b = Observation.of("registry.setting", prov(s, s.mount() + "\\" + k.path() + "\\" + v.name()))
          .with("setting", name).with("name", v.name().isEmpty() ? "(default)" : v.name()).with("value", value)
          .with("key", s.mount() + "\\" + k.path()).with("type", v.typeName())
          .with("controlSet", cs).with("policyOverride", false).with("hive", s.kind().name())
          .with("meaning", m);
      String summary = valueName + "=" + display(value) + (m == null ? "" : " (" + m + ")") + " in "
          + s.mount() + "\\" + k.path();
      pendingLocal.add(new Pending(name, b, summary));
    }

    private void plain(HiveSource s, RegistryKey root, String keyPath, String valueName, String name,
        @Nullable Meaning meaning) {
      setting(s, root, keyPath, valueName, name, null, meaning);
    }
  }

  /** SYSTEM\Select\Current names the control set Windows boots with; .reg exports use CurrentControlSet. */
  public static String controlSet(RegistryKey system) {
    RegistryKey select = system.subkey("Select");
    if (select != null) {
      Long current = number(select.value("Current"));
      if (current != null && current > 0 && current < 1000) {
        String digits = Long.toString(current); // 1-999: "ControlSet%03d" without a Formatter
        String name = "ControlSet" + "00".substring(0, 3 - digits.length()) + digits;
        if (system.subkey(name) != null) {
          return name;
        }
      }
    }
    if (system.subkey("CurrentControlSet") != null) {
      return "CurrentControlSet";
    }
    return "ControlSet001";
  }

  private static @Nullable Long number(@Nullable RegistryValue v) {
    return v == null ? null : v.asNumber();
  }

  private static Object valueOf(RegistryValue v) {
    Long n = v.asNumber();
    if (n != null) {
      return n;
    }
    String s = v.asString();
    if (s != null) {
      return s;
    }
    List<String> list = v.asStrings();
    if (list != null) {
      return String.join("\n", list);
    }
    return Hex.of(v.data());
  }

  private static String display(Object value) {
    return value instanceof List<?> l ? String.join(",", l.stream().map(Object::toString).toList())
        : value.toString();
  }

  private static @Nullable String meaningFor(String name, RegistryValue v) {
    Long n = v.asNumber();
    if (n == null) {
      return null;
    }
    return switch (name) {
      case "ts.fDenyTSConnections" -> denyMeaning(n);
      case "rdp-tcp.SecurityLayer" -> securityLayerMeaning(n);
      case "rdp-tcp.UserAuthentication" -> n == 0 ? "NLA not required" : "NLA (CredSSP) required";
      case "rdp-tcp.MinEncryptionLevel" -> encryptionMeaning(n);
      case "licensing.LicensingMode" -> licensingMeaning(n);
      default -> null;
    };
  }

  static String denyMeaning(long v) {
    return v == 0 ? "RDP connections allowed" : "RDP connections denied";
  }

  static String securityLayerMeaning(long v) {
    return switch ((int) v) {
      case 0 -> "RDP Security Layer only, no TLS";
      case 1 -> "negotiate: TLS if the client supports it";
      case 2 -> "TLS required";
      default -> "unknown security layer " + v;
    };
  }

  static String encryptionMeaning(long v) {
    return switch ((int) v) {
      case 1 -> "low";
      case 2 -> "client compatible";
      case 3 -> "high";
      case 4 -> "FIPS compliant";
      default -> "unknown level " + v;
    };
  }

  static String licensingMeaning(long v) {
    return switch ((int) v) {
      case 2 -> "per device";
      case 4 -> "per user";
      case 5 -> "not configured";
      case 0 -> "personal terminal server";
      case 1 -> "remote administration";
      default -> "unknown mode " + v;
    };
  }

  static String oracleMeaning(long v) {
    return switch ((int) v) {
      case 0 -> "Force Updated Clients";
      case 1 -> "Mitigated";
      case 2 -> "Vulnerable";
      default -> "unknown setting " + v;
    };
  }

  static String startMeaning(long v) {
    return switch ((int) v) {
      case 0 -> "boot";
      case 1 -> "system";
      case 2 -> "automatic";
      case 3 -> "manual (demand start)";
      case 4 -> "disabled";
      default -> "unknown start type " + v;
    };
  }

  /** ProfileList State bits (rdp-error-codes.md section 10). */
  static List<String> stateFlags(@Nullable Long state) {
    List<String> out = new ArrayList<>();
    if (state == null) {
      return out;
    }
    String[] names = {"mandatory", "update local cache", "new local", "new central", "update central",
        "delete cache", "upgrade", "guest", "admin", "default net profile ready", "slow link",
        "temporary profile"};
    for (int i = 0; i < names.length; i++) {
      if ((state & (1L << i)) != 0) {
        out.add(names[i]);
      }
    }
    if ((state & 0x8000) != 0) {
      out.add("0x8000 (seen on .bak keys)");
    }
    long known = 0x8FFF;
    if ((state & ~known) != 0) {
      out.add(String.format("0x%x", state & ~known));
    }
    return out;
  }

  /** Firewall rule strings: "v2.30|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=3389|...". */
  static Map<String, String> parseRule(String rule) {
    Map<String, String> f = new LinkedHashMap<>();
    for (String part : rule.split("\\|")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        String k = part.substring(0, eq);
        String val = part.substring(eq + 1);
        f.merge(k, val, (a, b) -> a + "," + b);
      }
    }
    return f;
  }

  private static String protocolName(String p) {
    return switch (p) {
      case "6" -> "TCP";
      case "17" -> "UDP";
      case "" -> "any";
      default -> "protocol " + p;
    };
  }
}
