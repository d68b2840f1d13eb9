package rdpdoctor.evidence.even6;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.Provenance;

/**
 * Turns the events that matter for RDP diagnosis into {@link Observation}s of type {@code event}:
 * the System fields, every EventData/UserData value by its name, and typed fields derived where
 * rules need numbers (NTSTATUS, logon type, disconnect reason) or a normalised name (ipAddress).
 *
 * <p>The list of (channel, event id) pairs lives here until the diagnosis event catalog
 * ({@code rdpdoctor.diagnosis.catalog}, being written on another branch) is merged; then this
 * list is replaced by the catalog's.
 */
public final class RdpEvents {

  /** A channel (case-insensitive) and an event id. */
  public record Key(String channel, long eventId) {
    public Key {
      channel = channel.toLowerCase(Locale.ROOT);
    }
  }

  static final String SECURITY = "Security";
  static final String SYSTEM = "System";
  static final String APPLICATION = "Application";
  static final String RDP_CLIENT = "Microsoft-Windows-TerminalServices-RDPClient/Operational";
  static final String LSM = "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational";
  static final String RCM = "Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational";
  static final String RCM_ADMIN = "Microsoft-Windows-TerminalServices-RemoteConnectionManager/Admin";
  static final String RDPCORETS = "Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational";
  static final String GATEWAY = "Microsoft-Windows-TerminalServices-Gateway/Operational";
  static final String PROFILE = "Microsoft-Windows-User Profile Service/Operational";

  /**
   * RDP-relevant events (research: ../shared/reference/evidence-formats.md §7 and
   * rdp-error-codes.md). Temporary home until the diagnosis catalog lands; keep it in one place.
   */
  static final Set<Key> EVENTS = Set.of(
      // Client side: connecting, disconnect reason, connected, user hash, UDP multi-transport, target IP
      new Key(RDP_CLIENT, 1024), new Key(RDP_CLIENT, 1025), new Key(RDP_CLIENT, 1026),
      new Key(RDP_CLIENT, 1027), new Key(RDP_CLIENT, 1029), new Key(RDP_CLIENT, 1102),
      new Key(RDP_CLIENT, 1105), new Key(RDP_CLIENT, 226),
      // Server sessions: logon, shell start, logoff, disconnect, reconnect, disconnect by, reason
      new Key(LSM, 21), new Key(LSM, 22), new Key(LSM, 23), new Key(LSM, 24), new Key(LSM, 25),
      new Key(LSM, 39), new Key(LSM, 40), new Key(LSM, 41),
      // Listener: connection received, network authentication succeeded, certificate problems
      new Key(RCM, 261), new Key(RCM, 1149), new Key(RCM, 1057), new Key(RCM, 1058),
      new Key(RCM_ADMIN, 1057), new Key(RCM_ADMIN, 1058), new Key(SYSTEM, 1057), new Key(SYSTEM, 1058),
      // RDP stack: TCP accepted, logon failed (IP), disconnect reasons, state-machine errors
      new Key(RDPCORETS, 131), new Key(RDPCORETS, 140), new Key(RDPCORETS, 98), new Key(RDPCORETS, 100),
      new Key(RDPCORETS, 101), new Key(RDPCORETS, 102), new Key(RDPCORETS, 103), new Key(RDPCORETS, 129),
      new Key(RDPCORETS, 226), new Key(RDPCORETS, 227), new Key(RDPCORETS, 228),
      // Logons: success (remote interactive only, see keep()), failure, reconnect/disconnect, no RDP right
      new Key(SECURITY, 4624), new Key(SECURITY, 4625), new Key(SECURITY, 4778), new Key(SECURITY, 4779),
      new Key(SECURITY, 4825),
      // TLS (Schannel): fatal alert sent/received, no suitable credential
      new Key(SYSTEM, 36870), new Key(SYSTEM, 36874), new Key(SYSTEM, 36887), new Key(SYSTEM, 36888),
      // RD Gateway: connect, authorisation, disconnect, failures
      new Key(GATEWAY, 200), new Key(GATEWAY, 300), new Key(GATEWAY, 302), new Key(GATEWAY, 303),
      new Key(GATEWAY, 304), new Key(GATEWAY, 312),
      // User profile: temporary profile, cannot load NTUSER.DAT
      new Key(APPLICATION, 1500), new Key(APPLICATION, 1511), new Key(APPLICATION, 1515),
      new Key(APPLICATION, 1530), new Key(PROFILE, 1500), new Key(PROFILE, 1511),
      new Key(PROFILE, 1515), new Key(PROFILE, 1530));

  private RdpEvents() {}

  /** True when the record is on the list (and, for 4624, is a remote interactive or unlock logon). */
  public static boolean relevant(EventRecord r) {
    EventSystem s = r.system();
    if (s.channel() == null || s.eventId() == null) {
      return false;
    }
    if (!EVENTS.contains(new Key(s.channel(), s.eventId()))) {
      return false;
    }
    if (SECURITY.equalsIgnoreCase(s.channel()) && s.eventId() == 4624) {
      Long type = EventSystem.number(r.data("LogonType"));
      return type != null && (type == 10 || type == 7);
    }
    return true;
  }

  /** Observations of every relevant record in {@code file}, in file order. */
  public static List<Observation> extract(Path file) throws IOException {
    List<Observation> out = new ArrayList<>();
    String location = file.toString();
    try (EvtxReader reader = EvtxReader.open(file)) {
      reader.forEachChunk(c -> {
        for (EventRecord r : c.records()) {
          if (relevant(r)) {
            out.add(observation(r, location));
          }
        }
      });
    }
    return out;
  }

  /** The {@code event} observation of one record; {@code location} is the file path. */
  public static Observation observation(EventRecord r, String location) {
    EventSystem s = r.system();
    long recordId = r.eventRecordId();
    Observation.Builder b = Observation.of("event",
        new Provenance(Provenance.Source.EVTX, location, "record " + recordId));
    b.at(r.time());
    b.with("channel", s.channel());
    b.with("provider", s.provider());
    b.with("eventId", s.eventId());
    b.with("recordId", recordId);
    b.with("computer", s.computer());
    b.with("level", s.level());
    b.with("userId", s.userId());
    Map<String, String> data = r.data();
    derived(s, data, b);
    for (Map.Entry<String, String> e : data.entrySet()) {
      if (!CORE.contains(e.getKey())) {
        b.with(e.getKey(), e.getValue());
      }
    }
    return b.summary(summary(s, data, recordId));
  }

  /** Field names the observation itself uses; data values with these names are not copied over. */
  private static final Set<String> CORE = Set.of("channel", "provider", "eventId", "recordId", "computer",
      "level", "userId", "status", "subStatus", "logonType", "ipAddress", "reason", "user", "sessionId", "errorCode");

  private static void derived(EventSystem s, Map<String, String> d, Observation.Builder b) {
    String channel = s.channel() == null ? "" : s.channel();
    long id = s.eventId() == null ? -1 : s.eventId();
    if (channel.equalsIgnoreCase(SECURITY)) {
      b.with("status", EventSystem.number(d.get("Status")));
      b.with("subStatus", EventSystem.number(d.get("SubStatus")));
      b.with("logonType", EventSystem.number(d.get("LogonType")));
      b.with("ipAddress", address(first(d, "IpAddress", "ClientAddress")));
      b.with("user", first(d, "TargetUserName", "AccountName"));
    } else if (channel.equalsIgnoreCase(RDP_CLIENT)) {
      if (id == 1026) {
        b.with("reason", EventSystem.number(d.get("Value")));
      } else if (id == 1102) {
        b.with("ipAddress", address(d.get("Value")));
      } else if (id == 1024) {
        b.with("server", d.get("Value"));
      }
    } else if (channel.equalsIgnoreCase(LSM)) {
      b.with("user", d.get("User"));
      b.with("sessionId", EventSystem.number(first(d, "SessionID", "Session", "TargetSession")));
      b.with("ipAddress", address(d.get("Address")));
      if (id == 40) {
        b.with("reason", EventSystem.number(d.get("Reason")));
      }
    } else if (channel.equalsIgnoreCase(RCM) && id == 1149) {
      b.with("user", d.get("Param1"));
      b.with("ipAddress", address(d.get("Param3")));
    } else if (channel.equalsIgnoreCase(RDPCORETS)) {
      b.with("ipAddress", address(first(d, "ClientIP", "IPString")));
      b.with("reason", EventSystem.number(d.get("ReasonCode")));
    } else if (channel.equalsIgnoreCase(GATEWAY)) {
      b.with("user", d.get("Username"));
      b.with("ipAddress", address(d.get("IpAddress")));
      b.with("errorCode", EventSystem.number(d.get("ErrorCode")));
    }
  }

  private static @Nullable String first(Map<String, String> d, String... names) {
    for (String n : names) {
      String v = d.get(n);
      if (v != null && !v.isEmpty()) {
        return v;
      }
    }
    return null;
  }

  /** An address without the port some events append ("1.2.3.4:5678"), or null for "-". */
  static @Nullable String address(@Nullable String v) {
    if (v == null || v.isBlank() || v.equals("-")) {
      return null;
    }
    String t = v.trim();
    int colon = t.lastIndexOf(':');
    if (colon > 0 && t.indexOf(':') == colon && t.substring(colon + 1).chars().allMatch(Character::isDigit)) {
      t = t.substring(0, colon); // IPv4:port; IPv6 has several colons and is kept whole
    }
    if (t.startsWith("::ffff:")) {
      t = t.substring(7);
    }
    return t;
  }

  private static String summary(EventSystem s, Map<String, String> d, long recordId) {
    String channel = s.channel() == null ? "?" : s.channel();
    int slash = channel.indexOf('/');
    String shortChannel = channel.startsWith("Microsoft-Windows-")
        ? channel.substring("Microsoft-Windows-".length(), slash > 0 ? slash : channel.length()) : channel;
    StringBuilder sb = new StringBuilder();
    sb.append(shortChannel).append(' ').append(s.eventId()).append(" (record ").append(recordId).append(')');
    String[] interesting = {"Status", "SubStatus", "LogonType", "IpAddress", "TargetUserName", "User",
        "Address", "Reason", "Value", "Param1", "Param3", "ErrorCode", "ClientIP"};
    int n = 0;
    for (String k : interesting) {
      String v = d.get(k);
      if (v != null && !v.isEmpty() && !v.equals("-") && n < 4) {
        sb.append(n == 0 ? ": " : ", ").append(k).append(' ').append(v);
        n++;
      }
    }
    return sb.toString();
  }
}
