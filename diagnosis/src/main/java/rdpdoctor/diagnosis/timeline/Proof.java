package rdpdoctor.diagnosis.timeline;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Observation;

/**
 * One event that proves a step of an attempt or a session: where a person finds it again
 * (the file and the EventRecordID) and what it said.
 *
 * @param file the log file (the observation's provenance location)
 * @param recordId the EventRecordID, when the event has one
 * @param channel the event's channel
 * @param eventId the event id
 * @param at when Windows wrote it
 * @param summary the observation's one-line summary
 */
public record Proof(String file, @Nullable Long recordId, String channel, long eventId, @Nullable Instant at, String summary) {

  static Proof of(Observation o) {
    Long id = o.number("eventId");
    String channel = o.string("channel");
    return new Proof(o.provenance().location(), o.number("recordId"), channel == null ? "?" : channel,
        id == null ? -1 : id, o.at(), o.summary());
  }

  /** "Security.evtx record 1234" : how reports cite it. */
  public String cite() {
    String name = file.substring(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
    return name + (recordId == null ? "" : " record " + recordId);
  }
}
