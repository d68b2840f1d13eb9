package rdpdoctor.app.diagnose;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.Provenance;
import rdpdoctor.evidence.registry.RegistryKey;
import rdpdoctor.evidence.registry.RegistryValue;

/**
 * Reads the RDP-relevant keys of a SYSTEM, SOFTWARE or user hive (or a .reg export) through the
 * evidence module's {@link RegistryKey} API and emits {@code registry.setting} and
 * {@code registry.profile} observations with full {@code HKLM\...} paths. For SYSTEM the control
 * set in use comes from {@code Select\Current} and is shown as {@code CurrentControlSet}.
 */
final class RegistryAdapter {
  private RegistryAdapter() {}

  /** Which hive a root key belongs to, from the subkeys only that hive has. */
  static String kind(RegistryKey root) {
    if (root.subkey("Select") != null && root.subkey("ControlSet001") != null) {
      return "system";
    }
    if (root.subkey("Microsoft") != null && root.subkey("Classes") != null) {
      return "software";
    }
    if (root.subkey("Software") != null && (root.subkey("Control Panel") != null || root.subkey("Environment") != null)) {
      return "user";
    }
    if (root.subkey("SAM") != null) {
      return "sam";
    }
    return "unknown";
  }

  static List<Observation> observations(RegistryKey root, String kind, Provenance.Source source, String file) {
    List<Observation> out = new ArrayList<>();
    switch (kind) {
      case "system" -> {
        String cs = currentControlSet(root);
        RegistryKey set = root.subkey(cs);
        if (set == null) {
          return out;
        }
        String base = "HKLM\\SYSTEM\\CurrentControlSet";
        values(out, set, "Control\\Terminal Server", base, "ts.", cs, source, file, false);
        values(out, set, "Control\\Terminal Server\\WinStations\\RDP-Tcp", base, "rdp-tcp.", cs, source, file, false);
        values(out, set, "Control\\Terminal Server\\RCM\\Licensing Core", base, "licensing.", cs, source, file, false);
        RegistryKey protocols = set.find("Control\\SecurityProviders\\SCHANNEL\\Protocols");
        if (protocols != null) {
          for (RegistryKey version : protocols.subkeys()) {
            for (RegistryKey side : version.subkeys()) {
              values(out, set, "Control\\SecurityProviders\\SCHANNEL\\Protocols\\" + version.name() + "\\" + side.name(), base,
                  "schannel." + version.name() + "." + side.name() + ".", cs, source, file, false);
            }
          }
        }
        firewall(out, set.find("Services\\SharedAccess\\Parameters\\FirewallPolicy\\FirewallRules"), cs, source, file);
        RegistryKey termService = set.find("Services\\TermService");
        RegistryValue start = termService == null ? null : termService.value("Start");
        if (start != null && start.asNumber() != null) {
          out.add(setting("service.TermService.Start", start.asNumber(), cs + "\\Services\\TermService", "Start", cs, false, "SYSTEM",
              new Provenance(source, file, base + "\\Services\\TermService\\Start"), "TermService start type = " + start.display()));
        }
      }
      case "software" -> {
        String base = "HKLM\\SOFTWARE";
        policies(out, root.find("Policies\\Microsoft\\Windows NT\\Terminal Services"), source, file);
        values(out, root, "Microsoft\\Windows\\CurrentVersion\\Policies\\System\\CredSSP\\Parameters", base, "credssp.", null, source, file, false);
        RegistryKey lic = root.find("Microsoft\\MSLicensing");
        if (lic != null) {
          RegistryKey store = lic.subkey("Store");
          long licenses = store == null ? 0 : store.subkeys().size();
          out.add(setting("client.MSLicensing", licenses, "Microsoft\\MSLicensing", "", null, false, "SOFTWARE",
              new Provenance(source, file, base + "\\Microsoft\\MSLicensing"), "client licence store MSLicensing present: " + licenses + " stored licence(s)"));
        }
        RegistryKey profiles = root.find("Microsoft\\Windows NT\\CurrentVersion\\ProfileList");
        if (profiles != null) {
          profiles(out, profiles, base + "\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList", source, file);
        }
      }
      case "user" -> values(out, root, "Software\\Microsoft\\Terminal Server Client", "HKCU", "client.", null, source, file, false);
      default -> {}
    }
    return out;
  }

  private static String currentControlSet(RegistryKey root) {
    RegistryKey select = root.subkey("Select");
    RegistryValue current = select == null ? null : select.value("Current");
    Long n = current == null ? null : current.asNumber();
    return n == null ? "ControlSet001" : String.format(Locale.ROOT, "ControlSet%03d", n);
  }

  /**
   * Every value of {@code under\\path} as a {@code registry.setting} named {@code prefix + valueName}
   * (the stable ids DEVELOPERS.md lists: {@code rdp-tcp.UserAuthentication}, {@code ts.fDenyTSConnections}).
   */
  private static void values(List<Observation> out, RegistryKey under, String path, String mount, String prefix,
      @Nullable String controlSet, Provenance.Source source, String file, boolean policy) {
    RegistryKey key = under.find(path);
    if (key == null) {
      return;
    }
    String inHive = controlSet == null ? path : controlSet + "\\" + path;
    for (RegistryValue v : key.values()) {
      Object value = value(v);
      if (value == null) {
        continue;
      }
      String vn = v.name().isEmpty() ? "(default)" : v.name();
      out.add(setting(prefix + vn, value, inHive, v.name(), controlSet, policy, hiveName(mount),
          new Provenance(source, file, mount + "\\" + path + "\\" + vn + (controlSet == null ? "" : " (" + controlSet + ")")),
          mount + "\\" + path + "\\" + vn + " = " + v.display()));
    }
  }

  private static String hiveName(String mount) {
    return mount.startsWith("HKCU") ? "NTUSER" : mount.endsWith("SOFTWARE") ? "SOFTWARE" : "SYSTEM";
  }

  private static Observation setting(String name, Object value, String key, String valueName, @Nullable String controlSet,
      boolean policy, String hive, Provenance p, String summary) {
    return Observation.of("registry.setting", p)
        .with("name", name).with("value", value).with("key", key).with("valueName", valueName)
        .with("controlSet", controlSet).with("policyOverride", policy).with("hive", hive)
        .summary(summary);
  }

  /** Group Policy copies under Policies\\...\\Terminal Services win over the local values. */
  private static void policies(List<Observation> out, @Nullable RegistryKey pol, Provenance.Source source, String file) {
    if (pol == null) {
      return;
    }
    java.util.Map<String, String> ids = java.util.Map.of(
        "fdenytsconnections", "ts.fDenyTSConnections", "securitylayer", "rdp-tcp.SecurityLayer",
        "userauthentication", "rdp-tcp.UserAuthentication", "minencryptionlevel", "rdp-tcp.MinEncryptionLevel",
        "portnumber", "rdp-tcp.PortNumber", "licensingmode", "licensing.LicensingMode",
        "licenseservers", "licensing.LicenseServers", "fsinglesessionperuser", "ts.fSingleSessionPerUser",
        "maxinstancecount", "rdp-tcp.MaxInstanceCount");
    for (RegistryValue v : pol.values()) {
      String id = ids.get(v.name().toLowerCase(Locale.ROOT));
      Object value = value(v);
      if (id == null || value == null) {
        continue;
      }
      out.add(setting(id, value, "Policies\\Microsoft\\Windows NT\\Terminal Services", v.name(), null, true, "SOFTWARE",
          new Provenance(source, file, "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services\\" + v.name()),
          "Group Policy sets " + v.name() + "=" + v.display() + " (policy wins over the local value)"));
    }
  }

  /** Inbound rules for RDP: LPort 3389, a RemoteDesktop rule name, or the TermService service. */
  private static void firewall(List<Observation> out, @Nullable RegistryKey rules, String cs, Provenance.Source source, String file) {
    if (rules == null) {
      return;
    }
    for (RegistryValue v : rules.values()) {
      String rule = v.asString();
      if (rule == null) {
        continue;
      }
      java.util.Map<String, String> f = new java.util.HashMap<>();
      for (String part : rule.split("\\|")) {
        int eq = part.indexOf('=');
        if (eq > 0) {
          f.putIfAbsent(part.substring(0, eq), part.substring(eq + 1));
        }
      }
      String port = f.getOrDefault("LPort", "");
      boolean rdp = port.equals("3389") || v.name().toLowerCase(Locale.ROOT).contains("remotedesktop")
          || f.getOrDefault("Svc", "").equalsIgnoreCase("termservice");
      if (!rdp) {
        continue;
      }
      boolean active = "TRUE".equalsIgnoreCase(f.get("Active"));
      out.add(Observation.of("registry.firewall", new Provenance(source, file,
              "HKLM\\SYSTEM\\CurrentControlSet\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\FirewallRules\\" + v.name()))
          .with("rule", v.name()).with("active", active).with("action", f.getOrDefault("Action", ""))
          .with("direction", f.getOrDefault("Dir", "")).with("port", port).with("profiles", f.getOrDefault("Profile", "all"))
          .with("controlSet", cs).with("raw", rule)
          .summary("firewall rule " + v.name() + ": " + (active ? "active" : "inactive") + " " + f.getOrDefault("Action", "")
              + " " + f.getOrDefault("Dir", "") + " port " + (port.isEmpty() ? "any" : port) + ", profiles " + f.getOrDefault("Profile", "all")));
    }
  }

  /** DWORD/QWORD as numbers, strings as text, binary as lowercase hex (the SSLCertificateSHA1Hash form). */
  private static @Nullable Object value(RegistryValue v) {
    Long n = v.asNumber();
    if (n != null) {
      return n;
    }
    String s = v.asString();
    if (s != null) {
      return s;
    }
    List<String> multi = v.asStrings();
    if (multi != null) {
      return String.join("\n", multi);
    }
    return java.util.HexFormat.of().formatHex(v.data());
  }

  private static void profiles(List<Observation> out, RegistryKey list, String path, Provenance.Source source, String file) {
    java.util.Set<String> sids = new java.util.HashSet<>();
    for (RegistryKey k : list.subkeys()) {
      sids.add(k.name().toLowerCase(Locale.ROOT));
    }
    for (RegistryKey k : list.subkeys()) {
      String keyName = k.name();
      boolean bak = keyName.toLowerCase(Locale.ROOT).endsWith(".bak");
      String sid = bak ? keyName.substring(0, keyName.length() - 4) : keyName;
      boolean twin = bak ? sids.contains(sid.toLowerCase(Locale.ROOT)) : sids.contains(sid.toLowerCase(Locale.ROOT) + ".bak");
      RegistryValue state = k.value("State");
      RegistryValue ref = k.value("RefCount");
      RegistryValue img = k.value("ProfileImagePath");
      Provenance p = new Provenance(source, file, path + "\\" + keyName);
      Long st = state == null ? null : state.asNumber();
      String image = img == null ? null : img.asString();
      out.add(Observation.of("registry.profile", p)
          .with("sid", sid).with("key", "Microsoft\\Windows NT\\CurrentVersion\\ProfileList\\" + keyName)
          .with("bak", bak).with("bakTwin", twin)
          .with("state", st)
          .with("refCount", ref == null ? null : ref.asNumber())
          .with("imagePath", image)
          .with("temporary", (st != null && (st & 0x800) != 0) || (image != null && image.toUpperCase(Locale.ROOT).endsWith("\\TEMP")))
          .with("hive", "SOFTWARE")
          .summary("ProfileList\\" + keyName + (image == null ? "" : " -> " + image)
              + (state == null ? "" : ", State " + state.display())));
    }
  }
}
