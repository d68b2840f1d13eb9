package rdpdoctor.evidence.even6;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The {@code <System>} part of an event, typed: what Event Viewer shows in its header columns.
 * Fields the event does not carry are null.
 *
 * @param provider Provider/@Name
 * @param providerGuid Provider/@Guid
 * @param eventSourceName Provider/@EventSourceName (classic event sources)
 * @param eventId EventID
 * @param qualifiers EventID/@Qualifiers (classic events: the upper 16 bits of the message id)
 * @param version Version
 * @param level Level (1 critical, 2 error, 3 warning, 4 information, 0 log always)
 * @param task Task
 * @param opcode Opcode
 * @param keywords Keywords as written, e.g. {@code 0x8010000000000000}
 * @param timeCreated TimeCreated/@SystemTime
 * @param recordId EventRecordID
 * @param activityId Correlation/@ActivityID
 * @param relatedActivityId Correlation/@RelatedActivityID
 * @param processId Execution/@ProcessID
 * @param threadId Execution/@ThreadID
 * @param channel Channel
 * @param computer Computer
 * @param userId Security/@UserID (a SID)
 */
public record EventSystem(
    @Nullable String provider,
    @Nullable String providerGuid,
    @Nullable String eventSourceName,
    @Nullable Long eventId,
    @Nullable Long qualifiers,
    @Nullable Long version,
    @Nullable Long level,
    @Nullable Long task,
    @Nullable Long opcode,
    @Nullable String keywords,
    @Nullable Instant timeCreated,
    @Nullable Long recordId,
    @Nullable String activityId,
    @Nullable String relatedActivityId,
    @Nullable Long processId,
    @Nullable Long threadId,
    @Nullable String channel,
    @Nullable String computer,
    @Nullable String userId) {

  static final EventSystem EMPTY =
      new EventSystem(null, null, null, null, null, null, null, null, null, null, null, null, null,
          null, null, null, null, null, null);

  /** Reads the fields from a {@code <System>} element. */
  static EventSystem of(@Nullable XmlElement system) {
    if (system == null) {
      return EMPTY;
    }
    String provider = null, guid = null, source = null, keywords = null, activity = null, related = null;
    String channel = null, computer = null, user = null;
    Long eventId = null, qualifiers = null, version = null, level = null, task = null, opcode = null;
    Long recordId = null, pid = null, tid = null;
    Instant created = null;
    for (Object o : system.rawChildren()) {
      if (!(o instanceof XmlElement e)) {
        continue;
      }
      switch (e.name()) {
        case "Provider" -> {
          provider = e.attribute("Name");
          guid = e.attribute("Guid");
          source = e.attribute("EventSourceName");
        }
        case "EventID" -> {
          eventId = number(e.text());
          qualifiers = number(e.attribute("Qualifiers"));
        }
        case "Version" -> version = number(e.text());
        case "Level" -> level = number(e.text());
        case "Task" -> task = number(e.text());
        case "Opcode" -> opcode = number(e.text());
        case "Keywords" -> keywords = e.text();
        case "TimeCreated" -> created = time(e.attribute("SystemTime"));
        case "EventRecordID" -> recordId = number(e.text());
        case "Correlation" -> {
          activity = e.attribute("ActivityID");
          related = e.attribute("RelatedActivityID");
        }
        case "Execution" -> {
          pid = number(e.attribute("ProcessID"));
          tid = number(e.attribute("ThreadID"));
        }
        case "Channel" -> channel = e.text();
        case "Computer" -> computer = e.text();
        case "Security" -> user = e.attribute("UserID");
        default -> {}
      }
    }
    return new EventSystem(provider, guid, source, eventId, qualifiers, version, level, task, opcode,
        keywords, created, recordId, activity, related, pid, tid, channel, computer, user);
  }

  /** A decimal or {@code 0x} hexadecimal number, or null when the text is neither. */
  public static @Nullable Long number(@Nullable String s) {
    if (s == null) {
      return null;
    }
    String t = s.trim();
    if (t.isEmpty()) {
      return null;
    }
    try {
      if (t.startsWith("0x") || t.startsWith("0X")) {
        return Long.parseUnsignedLong(t.substring(2), 16);
      }
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static @Nullable Instant time(@Nullable String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
