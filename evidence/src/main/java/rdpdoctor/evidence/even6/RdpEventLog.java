package rdpdoctor.evidence.even6;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.timeline.LogCoverage;

/**
 * One event log read for the timeline: the {@code event} observations {@link RdpEvents#relevant}
 * keeps, and what the file covers (every record counts for the spans, not only RDP's, so a quiet
 * RDP channel inside a busy System log still shows the log's reach) with the reader's damage.
 */
public final class RdpEventLog {
  private RdpEventLog() {}

  /**
   * @param events the observations, in file order
   * @param coverage what the file covers
   */
  public record Read(List<Observation> events, LogCoverage coverage) {}

  public static Read read(Path file) throws IOException {
    String location = file.toString();
    List<Observation> events = new ArrayList<>();
    Map<String, Instant[]> first = new LinkedHashMap<>();
    Map<String, long[]> counts = new LinkedHashMap<>();
    List<String> damage = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    try (EvtxReader reader = EvtxReader.open(file)) {
      for (EvtxIssue i : reader.headerIssues()) {
        (i.kind().dataLost() ? damage : warnings).add(i.toString());
      }
      reader.forEachChunk(c -> {
        for (EvtxIssue i : c.issues()) {
          (i.kind().dataLost() ? damage : warnings).add(i.toString());
        }
        for (EventRecord r : c.records()) {
          String channel = r.system().channel() == null || r.system().channel().isBlank() ? "(no channel)" : r.system().channel();
          Instant t = r.time();
          if (t != null) {
            Instant[] span = first.computeIfAbsent(channel, k -> new Instant[] {t, t});
            span[0] = t.isBefore(span[0]) ? t : span[0];
            span[1] = t.isAfter(span[1]) ? t : span[1];
          }
          counts.computeIfAbsent(channel, k -> new long[1])[0]++;
          if (RdpEvents.relevant(r)) {
            events.add(RdpEvents.observation(r, location));
          }
        }
      });
    }
    List<LogCoverage.Span> spans = new ArrayList<>();
    first.forEach((ch, s) -> spans.add(new LogCoverage.Span(ch, s[0], s[1], counts.get(ch)[0])));
    return new Read(events, new LogCoverage(location, spans, damage, warnings));
  }
}
