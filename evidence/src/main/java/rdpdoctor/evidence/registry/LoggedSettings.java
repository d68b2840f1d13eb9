package rdpdoctor.evidence.registry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Observation;

/**
 * RDP settings that a log saw being written, as {@code registry.setting} observations, so that
 * the rules about a setting (port moved, Remote Desktop turned off, NLA off, the service DLL
 * replaced) fire on a host's Sysmon log as they do on its SYSTEM hive.
 *
 * <p>Sysmon's event 13 (RegistryEvent, value set) names the value's full path in
 * {@code TargetObject} and its data in {@code Details} ({@code DWORD (0x00000050)}, or the string).
 * Only the last write of each setting counts: it is the state the log leaves the host in. A
 * setting the case's hives also give is left out, since a hive is the state when it was copied,
 * later than any write a log can show.
 */
public final class LoggedSettings {
  static final String SYSMON = "Microsoft-Windows-Sysmon/Operational";
  static final String SYSMON_PROVIDER = "Microsoft-Windows-Sysmon";

  private static final Pattern DWORD = Pattern.compile("(?i)^DWORD \\(0x([0-9a-f]{1,8})\\)$");

  private LoggedSettings() {}

  /** True for a Sysmon event 13 observation or record of that channel and provider. */
  public static boolean isSysmonValueSet(@Nullable String channel, @Nullable String provider, @Nullable Long eventId) {
    return eventId != null && eventId == 13
        && (SYSMON.equalsIgnoreCase(channel) || SYSMON_PROVIDER.equalsIgnoreCase(provider));
  }

  /**
   * The last logged write of each RDP setting in {@code observations}, as settings.
   *
   * @param observations a case's observations (its {@code event}s are read)
   * @param fromHives the settings the case's hives gave; their setting ids are left out
   */
  public static List<Observation> from(List<Observation> observations, List<Observation> fromHives) {
    Set<String> inHives = new HashSet<>();
    for (Observation o : fromHives) {
      if (o.type().equals("registry.setting") && o.string("setting") != null) {
        inHives.add(o.string("setting"));
      }
    }
    Map<String, Observation> last = new LinkedHashMap<>();
    for (Observation o : observations) {
      if (!o.type().equals("event") || o.at() == null
          || !isSysmonValueSet(o.string("channel"), o.string("provider"), o.number("eventId"))) {
        continue;
      }
      String target = o.string("TargetObject");
      String type = o.string("EventType");
      if (target == null || (type != null && !type.equalsIgnoreCase("SetValue"))) {
        continue;
      }
      RdpRegistry.Written w = RdpRegistry.settingAt(target);
      if (w == null || inHives.contains(w.setting())) {
        continue;
      }
      Observation s = setting(o, w, o.at());
      Observation before = last.get(w.setting());
      if (s != null && (before == null || !s.at().isBefore(before.at()))) {
        last.remove(w.setting());
        last.put(w.setting(), s);
      }
    }
    return new ArrayList<>(last.values());
  }

  private static @Nullable Observation setting(Observation event, RdpRegistry.Written w, Instant at) {
    String details = event.string("Details");
    if (details == null) {
      return null;
    }
    Object value;
    String type;
    Matcher m = DWORD.matcher(details.trim());
    if (m.matches()) {
      value = Long.parseLong(m.group(1), 16);
      type = "REG_DWORD";
    } else if (details.toUpperCase(Locale.ROOT).startsWith("QWORD") || details.equalsIgnoreCase("Binary Data")) {
      return null; // no RDP setting rdpdoctor reads is a QWORD or binary; Sysmon does not log binary data
    } else {
      value = details;
      type = "REG_SZ";
    }
    String meaning = value instanceof Long n ? w.meaningOf(n) : null;
    String writer = event.string("Image");
    String shown = value instanceof Long n ? n + " (0x" + Long.toHexString(n) + ")" : details;
    return Observation.of("registry.setting", event.provenance())
        .at(at)
        .with("setting", w.setting())
        .with("name", w.valueName())
        .with("value", value)
        .with("type", type)
        .with("key", w.key())
        .with("policyOverride", w.policy())
        .with("policy", w.policy() ? Boolean.TRUE : null)
        .with("meaning", meaning)
        .with("loggedWrite", true)
        .with("writer", writer)
        .summary(w.valueName() + "=" + shown + (meaning == null ? "" : " (" + meaning + ")") + " written to "
            + w.key() + " at " + at + (writer == null ? "" : " by " + writer)
            + " (Sysmon event 13, the last write of it in the log)");
  }
}
