package rdpdoctor.diagnosis.timeline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.Phase;
import rdpdoctor.diagnosis.Provenance;

/**
 * What the logs show: the attempts and sessions the correlation rebuilt.
 *
 * @param attempts in start order
 * @param sessions in order of their first event
 * @param eventsUsed how many events a correlation rule knew
 * @param eventsUnused how many event observations no correlation rule names
 */
public record Timeline(List<Attempt> attempts, List<Session> sessions, int eventsUsed, int eventsUnused) {

  public Timeline {
    attempts = List.copyOf(attempts);
    sessions = List.copyOf(sessions);
  }

  /**
   * One sentence for a report that found no cause, or as the first line of a timeline: "154
   * attempts from 37 addresses in 3.5 s, none authenticated; 126 failed at CredSSP/NLA, ...". Null
   * when the events hold no attempt and no session.
   */
  public @org.jspecify.annotations.Nullable String summary() {
    if (attempts.isEmpty() && sessions.isEmpty()) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    if (!attempts.isEmpty()) {
      Set<String> addresses = new LinkedHashSet<>();
      Instant first = attempts.getFirst().start();
      Instant last = first;
      int authenticated = 0;
      for (Attempt a : attempts) {
        if (a.client() != null) {
          addresses.add(a.client());
        }
        last = a.endTime().isAfter(last) ? a.endTime() : last;
        authenticated += a.authenticated() ? 1 : 0;
      }
      sb.append(count(attempts.size(), "attempt"));
      if (!addresses.isEmpty()) {
        sb.append(" from ").append(count(addresses.size(), "address"));
      }
      sb.append(" in ").append(span(Duration.between(first, last)));
      sb.append(", ").append(authenticated == 0 ? "none" : authenticated == attempts.size() ? "all" : authenticated)
          .append(" authenticated");
      Map<String, Integer> ends = new LinkedHashMap<>();
      for (Attempt a : attempts) {
        String k = a.end() == Attempt.End.LOGGED_ON ? a.end().label()
            : a.end().label() + " at " + a.stoppedAt().label() + (a.code() == null ? "" : " (" + a.code().hex()
                + (a.code().name() == null ? "" : " " + a.code().name()) + ")");
        ends.merge(k, 1, Integer::sum);
      }
      List<String> parts = new ArrayList<>();
      ends.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(4)
          .forEach(e -> parts.add(e.getValue() + " " + e.getKey()));
      sb.append("; ").append(String.join(", ", parts));
      if (ends.size() > 4) {
        sb.append(", ...");
      }
    }
    if (!sessions.isEmpty()) {
      sb.append(sb.isEmpty() ? "" : "; ").append(count(sessions.size(), "session"));
    }
    return sb.toString();
  }

  /**
   * One {@code timeline.attempt} observation per attempt (and one {@code timeline.summary} with
   * {@link #summary()}), so that rules (data, like every other
   * cause) can find patterns across attempts with their counts and windows: bursts of
   * unauthenticated attempts, a client whose attempts all stop at one phase, a repeated disconnect
   * reason. Provenance: the attempt's first log and its records.
   */
  public List<Observation> observations() {
    List<Observation> out = new ArrayList<>();
    for (Attempt a : attempts) {
      Proof first = a.proof().getFirst();
      String records = a.proof().stream().map(p -> p.recordId() == null ? "?" : p.recordId().toString())
          .limit(20).collect(Collectors.joining(", "));
      Observation.Builder b = Observation.of("timeline.attempt",
          new Provenance(Provenance.Source.EVTX, first.file(), "records " + records + (a.proof().size() > 20 ? ", ..." : "")));
      b.at(a.start());
      b.with("side", a.side());
      b.with("computer", a.computer());
      b.with("client", a.client());
      b.with("server", a.server());
      b.with("user", a.user());
      b.with("phases", a.phases().stream().map(Phase::name).toList());
      b.with("stoppedAt", a.stoppedAt().name());
      b.with("end", a.end().name());
      b.with("authenticated", a.authenticated());
      if (a.code() != null) {
        b.with("code", a.code().family() + ":" + a.code().hex());
        b.with("codeName", a.code().name());
      }
      b.with("durationSeconds", a.duration().toMillis() / 1000.0);
      b.with("events", (long) a.proof().size());
      // One field to group by "this client, this phase": a client whose attempts all stop there.
      b.with("clientStop", (a.client() != null ? a.client() : a.server() != null ? a.server() : "?") + " " + a.stoppedAt().name());
      out.add(b.summary("attempt " + a.side() + (a.client() == null ? "" : " from " + a.client())
          + (a.server() == null ? "" : " to " + a.server()) + (a.user() == null ? "" : " user " + a.user())
          + " at " + a.start() + ": " + a.end().label()
          + (a.end() == Attempt.End.LOGGED_ON ? "" : " at " + a.stoppedAt().label())
          + (a.code() == null ? "" : " " + a.code())));
    }
    String text = summary();
    if (text != null) {
      // The sentence reports print, computed once here rather than by every renderer.
      Proof any = !attempts.isEmpty() ? attempts.getFirst().proof().getFirst() : sessions.getFirst().events().getFirst().proof();
      out.add(Observation.of("timeline.summary", new Provenance(Provenance.Source.EVTX, any.file(), null))
          .with("text", text).with("attempts", (long) attempts.size()).with("sessions", (long) sessions.size())
          .summary("what the logs show: " + text));
    }
    return out;
  }

  static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : noun.endsWith("s") ? "es" : "s");
  }

  /** "3.5 s", "12 min", "2.4 h", "3.0 d": the span of the attempts, to the precision it matters. */
  public static String span(Duration d) {
    double s = d.toMillis() / 1000.0;
    if (s < 120) {
      return String.format(Locale.ROOT, "%.1f s", s);
    }
    if (s < 7200) {
      return String.format(Locale.ROOT, "%d min", Math.round(s / 60));
    }
    if (s < 172800) {
      return String.format(Locale.ROOT, "%.1f h", s / 3600);
    }
    return String.format(Locale.ROOT, "%.1f d", s / 86400);
  }
}
