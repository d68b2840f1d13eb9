package rdpdoctor.evidence.even6;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.Provenance;
import rdpdoctor.diagnosis.catalog.Catalog;
import rdpdoctor.diagnosis.catalog.EventEntry;
import rdpdoctor.evidence.registry.LoggedSettings;
import rdpdoctor.evidence.registry.RdpRegistry;

/**
 * Turns the events that matter for RDP diagnosis into {@link Observation}s of type {@code event}:
 * the System fields, every EventData/UserData value by its name, and typed fields derived where
 * rules need numbers (NTSTATUS, logon type, disconnect reason) or a normalised name (ipAddress).
 *
 * <p>Which events count is the diagnosis event catalog's business
 * ({@code rdpdoctor/catalog/events.yaml}, {@link Catalog#events()}): an event is kept when the
 * catalog lists its channel (or, for forwarded events, its provider) with its id.
 */
public final class RdpEvents {

  static final String SECURITY = "Security";
  static final String RDP_CLIENT = "Microsoft-Windows-TerminalServices-RDPClient/Operational";
  static final String LSM = "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational";
  static final String RCM = "Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational";
  static final String RDPCORETS = "Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational";
  static final String GATEWAY = "Microsoft-Windows-TerminalServices-Gateway/Operational";

  private RdpEvents() {}

  /** The catalog's entry for the event: by channel, else by provider (forwarded events). */
  static Optional<EventEntry> entry(EventSystem s) {
    if (s.eventId() == null || s.eventId() < 0 || s.eventId() > 0xFFFF) {
      return Optional.empty();
    }
    int id = s.eventId().intValue();
    Optional<EventEntry> e = s.channel() == null ? Optional.empty() : Catalog.events().find(s.channel(), id);
    if (e.isEmpty() && s.provider() != null) {
      e = Catalog.events().find(s.provider(), id);
    }
    return e;
  }

  /** True when the catalog lists the event (and, for 4624/4634, it is a remote interactive or unlock logon). */
  public static boolean relevant(EventRecord r) {
    EventSystem s = r.system();
    if (s.channel() == null || s.eventId() == null) {
      return false;
    }
    if (entry(s).isEmpty()) {
      return false;
    }
    return !excluded(r);
  }

  /**
   * True for records that are never RDP's even when a rule names their event id: a Security 4624
   * or 4634 (its logoff) other than a remote interactive (10) or unlock (7) logon. A busy server writes thousands of
   * network (3) and service (5) logons an hour; keeping them would cost memory and say nothing about
   * Remote Desktop, while the rules that read 4624 look for type 10. A Sysmon registry write (13)
   * to anything but an RDP setting ({@link RdpRegistry#settingAt}).
   */
  public static boolean excluded(EventRecord r) {
    EventSystem s = r.system();
    if (SECURITY.equalsIgnoreCase(s.channel()) && s.eventId() != null && (s.eventId() == 4624 || s.eventId() == 4634)) {
      Long type = EventSystem.number(r.data("LogonType"));
      return type == null || (type != 10 && type != 7);
    }
    if (LoggedSettings.isSysmonValueSet(s.channel(), s.provider(), s.eventId())) {
      // Sysmon logs every registry write its configuration asks for; only RDP's settings matter here.
      String target = r.data("TargetObject");
      return target == null || RdpRegistry.settingAt(target) == null;
    }
    return false;
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

  /**
   * The {@code evtx.damage} observation of a read: what was lost and what the recovery scans found,
   * with the numbers ({@link EvtxReader.Report}); {@code location} is the file path. Made only for a
   * file that lost records or had some recovered (a clean file has nothing to say).
   */
  public static Observation damage(EvtxReader.Report report, String location) {
    List<String> problems = new ArrayList<>();
    for (EvtxIssue i : report.issues()) {
      if ((i.kind().dataLost() || i.kind() == EvtxIssue.Kind.RECORDS_RECOVERED) && problems.size() < 20) {
        problems.add(i.toString());
      }
    }
    return Observation.of("evtx.damage", new Provenance(Provenance.Source.EVTX, location, null))
        .with("file", location)
        .with("damaged", report.damaged())
        .with("recordsRead", report.records())
        .with("recordsLost", report.recordsLost())
        .with("recoveredAfterDamage", report.recoveredAfterDamage())
        .with("recoveredFromSlack", report.recoveredFromSlack())
        .with("chunksPromised", (long) report.chunksPromised())
        .with("chunkSlots", (long) report.chunkSlots())
        .with("problems", problems)
        .summary(location + ": " + report.summary());
  }

  /** The {@code event} observation of one record; {@code location} is the file path. */
  public static Observation observation(EventRecord r, String location) {
    EventSystem s = r.system();
    long recordId = r.recordId();
    Observation.Builder b = Observation.of("event",
        new Provenance(Provenance.Source.EVTX, location, "record " + recordId
            + (r.recovered() ? " (recovered: " + r.origin().label() + ")" : "")));
    b.at(r.time());
    b.with("channel", s.channel());
    b.with("provider", s.provider());
    b.with("eventId", s.eventId());
    b.with("recordId", recordId);
    if (r.headerRecordId() != recordId) {
      b.with("headerRecordId", r.headerRecordId()); // exported logs number their record headers again
    }
    if (r.recovered()) {
      b.with("recovered", r.origin().label());
    }
    b.with("computer", s.computer());
    b.with("level", s.level());
    b.with("userId", s.userId());
    // RdpCoreTS writes one ActivityID per connection: the timeline joins a connection's events by it.
    b.with("activityId", s.activityId());
    entry(s).ifPresent(e -> b.with("phase", e.phase()));
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
      "level", "userId", "activityId", "phase", "headerRecordId", "recovered", "status", "subStatus", "logonType", "ipAddress", "reason", "user", "sessionId", "errorCode", "hresult");

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
      Long error = EventSystem.number(d.get("ErrorCode"));
      b.with("errorCode", error);
      b.with("hresult", gatewayHresult(error));
    }
  }

  /**
   * The HRESULT a gateway event's ErrorCode stands for: the gateway writes the low word in decimal
   * (23002 for E_PROXY_RAP_ACCESSDENIED 0x800759DA, 1226 for ERROR_GRACEFUL_DISCONNECT), so a
   * value of 16 bits is HRESULT_FROM_WIN32 of it; a larger one is an HRESULT already. Null for 0
   * (no error) or no ErrorCode.
   */
  static @Nullable Long gatewayHresult(@Nullable Long errorCode) {
    if (errorCode == null || errorCode == 0) {
      return null;
    }
    long v = errorCode & 0xFFFF_FFFFL;
    return v <= 0xFFFF ? 0x8007_0000L | v : v;
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
