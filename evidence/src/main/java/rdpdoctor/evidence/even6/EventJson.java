package rdpdoctor.evidence.even6;

import java.util.Map;

/**
 * One event as a JSON object, for {@code rdpdoctor evtx dump --json} (one object per line):
 *
 * <pre>
 * {"recordId":90907,"timeCreated":"2021-10-23T21:50:11.666519700Z","provider":"...",
 *  "eventId":4625,"qualifiers":null,"version":0,"level":0,"task":12544,"opcode":0,
 *  "keywords":"0x8010000000000000","channel":"Security","computer":"FS03",
 *  "userId":null,"processId":512,"threadId":500,"activityId":null,
 *  "data":{"SubjectUserSid":"S-1-5-18",...},"chunk":0,"offset":4608}
 * </pre>
 *
 * {@code recordId} is the EventRecordID; {@code headerRecordId} follows it only when the record
 * header's number differs (exported logs), and {@code "recovered":"after-damage"} or
 * {@code "slack"} ends the object of a record a recovery scan found.
 *
 * Written by hand (no mapper) because it runs once per record on the hot path.
 */
public final class EventJson {
  private EventJson() {}

  static void write(EventRecord r, StringBuilder sb) {
    EventSystem s = r.system();
    long id = r.recordId();
    sb.append("{\"recordId\":").append(id);
    if (r.headerRecordId() != id) {
      sb.append(",\"headerRecordId\":").append(r.headerRecordId()); // exported logs: headers from 1 again
    }
    sb.append(",\"timeCreated\":");
    string(s.timeCreated() != null ? FileTime.format(FileTime.fromInstant(s.timeCreated())) : null, sb);
    sb.append(",\"provider\":");
    string(s.provider(), sb);
    sb.append(",\"eventId\":").append(s.eventId());
    sb.append(",\"qualifiers\":").append(s.qualifiers());
    sb.append(",\"version\":").append(s.version());
    sb.append(",\"level\":").append(s.level());
    sb.append(",\"task\":").append(s.task());
    sb.append(",\"opcode\":").append(s.opcode());
    sb.append(",\"keywords\":");
    string(s.keywords(), sb);
    sb.append(",\"channel\":");
    string(s.channel(), sb);
    sb.append(",\"computer\":");
    string(s.computer(), sb);
    sb.append(",\"userId\":");
    string(s.userId(), sb);
    sb.append(",\"processId\":").append(s.processId());
    sb.append(",\"threadId\":").append(s.threadId());
    sb.append(",\"activityId\":");
    string(s.activityId(), sb);
    sb.append(",\"data\":{");
    boolean first = true;
    for (Map.Entry<String, String> e : r.data().entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      string(e.getKey(), sb);
      sb.append(':');
      string(e.getValue(), sb);
    }
    sb.append("},\"chunk\":").append(r.chunk()).append(",\"offset\":").append(r.fileOffset());
    if (r.recovered()) {
      sb.append(",\"recovered\":\"").append(r.origin().label()).append('"');
    }
    sb.append('}');
  }

  /** A JSON string literal (RFC 8259 escapes), or null. */
  public static void string(String s, StringBuilder sb) {
    if (s == null) {
      sb.append("null");
      return;
    }
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
