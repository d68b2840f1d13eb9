package rdpdoctor.diagnosis.timeline;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.Phase;
import rdpdoctor.diagnosis.rules.Values;

/**
 * What one kind of event means for the timeline, as {@code rdpdoctor/timeline/correlation.yaml}
 * says: whether it opens an attempt, which phase it proves, whether it ends the attempt and how,
 * which field holds its code, and what it means for a session.
 *
 * @param channel the channel (or the provider, for forwarded events) the event comes from
 * @param eventId the event id
 * @param where extra field tests (every one must hold: the field's value is one of the listed)
 * @param side {@code client} or {@code host}: attempts never mix the two sides
 * @param opens when the event starts a new attempt
 * @param phase the phase it proves the attempt reached, or null when it proves none
 * @param outcome what it says about the attempt's result, or null
 * @param codeField the event field that holds a code, or null
 * @param codeFamily the catalog family of that code, or null
 * @param session what it means for a session, or null
 * @param line the line of the rule in its file (errors and tests name it)
 */
public record EventRule(
    String channel,
    long eventId,
    Map<String, List<Object>> where,
    String side,
    Opens opens,
    @Nullable Phase phase,
    @Nullable Outcome outcome,
    @Nullable String codeField,
    @Nullable String codeFamily,
    Session.@Nullable Kind session,
    int line) {

  /** When an event starts an attempt instead of joining one. */
  public enum Opens {
    /** Always: it is the first event of every connection (1024 on the client, 131 on the host). */
    ALWAYS,
    /** When no open attempt of the same client takes it (a lone 4625 is an attempt by itself). */
    ALONE,
    /** Never: it only adds to an attempt (a trace event without a client is no attempt). */
    NEVER
  }

  /** What an event says about the result; FAILED and DISCONNECTED end the attempt. */
  public enum Outcome {
    AUTHENTICATED, LOGGED_ON, FAILED, DISCONNECTED;

    boolean closes() {
      return this == FAILED || this == DISCONNECTED;
    }
  }

  public EventRule {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(side, "side");
    Objects.requireNonNull(opens, "opens");
    where = Map.copyOf(where);
  }

  /** True when this rule is about {@code o}: same channel or provider, same id, every where-test holds. */
  boolean matches(Observation o) {
    Long id = o.number("eventId");
    if (id == null || id != eventId) {
      return false;
    }
    if (!channel.equalsIgnoreCase(String.valueOf(o.get("channel")))
        && !channel.equalsIgnoreCase(String.valueOf(o.get("provider")))) {
      return false;
    }
    for (Map.Entry<String, List<Object>> w : where.entrySet()) {
      Object actual = o.get(w.getKey());
      if (w.getValue().stream().noneMatch(v -> Values.same(actual, v))) {
        return false;
      }
    }
    return true;
  }

  /** True when the event takes part in attempts (session-only events do not). */
  boolean inAttempts() {
    return phase != null || outcome != null || opens != Opens.NEVER;
  }

  /** The code the event carries, decoded, or null. */
  @Nullable Code code(Observation o) {
    if (codeField == null || codeFamily == null) {
      return null;
    }
    // "subStatus|status": a 4625's SubStatus is the precise reason, but it is 0 when Status says it all.
    for (String f : codeField.split("\\|")) {
      Long v = Values.asLong(o.get(f));
      if (v != null && v != 0) {
        return Code.decode(codeFamily, v);
      }
    }
    return null;
  }
}
