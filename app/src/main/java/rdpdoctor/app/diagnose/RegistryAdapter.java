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
        String note = "control set " + cs;
        values(out, set.find("Control\\Terminal Server"), base + "\\Control\\Terminal Server", source, file, note, null);
        values(out, set.find("Control\\Terminal Server\\WinStations\\RDP-Tcp"), base + "\\Control\\Terminal Server\\WinStations\\RDP-Tcp", source, file, note, null);
        values(out, set.find("Control\\Terminal Server\\RCM\\Licensing Core"), base + "\\Control\\Terminal Server\\RCM\\Licensing Core", source, file, note, null);
        RegistryKey protocols = set.find("Control\\SecurityProviders\\SCHANNEL\\Protocols");
        if (protocols != null) {
          for (RegistryKey version : protocols.subkeys()) {
            for (RegistryKey side : version.subkeys()) {
              values(out, side, base + "\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\" + version.name() + "\\" + side.name(), source, file, note, null);
            }
          }
        }
        values(out, set.find("Services\\SharedAccess\\Parameters\\FirewallPolicy\\FirewallRules"),
            base + "\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\FirewallRules", source, file, note, "RemoteDesktop");
        values(out, set.find("Services\\TermService"), base + "\\Services\\TermService", source, file, note, "Start");
      }
      case "software" -> {
        String base = "HKLM\\SOFTWARE";
        values(out, root.find("Policies\\Microsoft\\Windows NT\\Terminal Services"), base + "\\Policies\\Microsoft\\Windows NT\\Terminal Services", source, file, "Group Policy", null);
        values(out, root.find("Microsoft\\Windows\\CurrentVersion\\Policies\\System\\CredSSP\\Parameters"), base + "\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\CredSSP\\Parameters", source, file, null, null);
        RegistryKey lic = root.find("Microsoft\\MSLicensing");
        if (lic != null) {
          for (RegistryKey k : lic.subkeys()) {
            out.add(Observation.of("registry.setting", new Provenance(source, file, base + "\\Microsoft\\MSLicensing\\" + k.name()))
                .with("key", base + "\\Microsoft\\MSLicensing\\" + k.name()).with("name", "(key)").with("value", k.name())
                .summary("MSLicensing store has " + k.name()));
          }
        }
        RegistryKey profiles = root.find("Microsoft\\Windows NT\\CurrentVersion\\ProfileList");
        if (profiles != null) {
          profiles(out, profiles, base + "\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList", source, file);
        }
      }
      case "user" -> values(out, root.find("Software\\Microsoft\\Terminal Server Client"), "HKCU\\Software\\Microsoft\\Terminal Server Client", source, file, null, null);
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

  private static void values(List<Observation> out, @Nullable RegistryKey key, String path, Provenance.Source source,
      String file, @Nullable String note, @Nullable String namePrefix) {
    if (key == null) {
      return;
    }
    for (RegistryValue v : key.values()) {
      if (namePrefix != null && !v.name().regionMatches(true, 0, namePrefix, 0, namePrefix.length())) {
        continue;
      }
      Object value = value(v);
      if (value == null) {
        continue;
      }
      String name = v.name().isEmpty() ? "(default)" : v.name();
      Provenance p = new Provenance(source, file, path + (note == null ? "" : " (" + note + ")"));
      out.add(Observation.of("registry.setting", p)
          .with("key", path).with("name", name).with("value", value).with("type", v.typeName())
          .with("policy", path.contains("\\Policies\\") ? Boolean.TRUE : null)
          .summary(path + "\\" + name + " = " + v.display()));
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
      out.add(Observation.of("registry.profile", p)
          .with("sid", sid).with("keyName", keyName).with("bak", bak).with("twin", twin)
          .with("state", state == null ? null : state.asNumber())
          .with("refCount", ref == null ? null : ref.asNumber())
          .with("profileImagePath", img == null ? null : img.asString())
          .summary("ProfileList\\" + keyName + (img == null || img.asString() == null ? "" : " -> " + img.asString())
              + (state == null ? "" : ", State " + state.display())));
    }
  }
}
