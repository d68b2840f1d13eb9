package rdpdoctor.evidence.even6;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
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

  /** Reads on one thread. */
  public static Read read(Path file) throws IOException {
    return read(file, 1);
  }

  /**
   * Reads with chunks decoded (and their events turned into observations) on {@code threads}
   * threads; the results are merged in file order, so the output is the same for any count.
   */
  public static Read read(Path file, int threads) throws IOException {
    String location = file.toString();
    List<Observation> events = new ArrayList<>();
    Map<String, Stats> spans = new LinkedHashMap<>();
    List<String> damage = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    try (EvtxReader reader = EvtxReader.open(file)) {
      for (EvtxIssue i : reader.headerIssues()) {
        (i.kind().dataLost() ? damage : warnings).add(i.toString());
      }
      reader.forEachChunk(threads, c -> ChunkResult.of(c, location), r -> {
        for (EvtxIssue i : r.issues()) {
          (i.kind().dataLost() ? damage : warnings).add(i.toString());
        }
        r.spans().forEach((ch, st) -> spans.merge(ch, st, Stats::plus));
        events.addAll(r.events());
      });
    }
    List<LogCoverage.Span> out = new ArrayList<>();
    spans.forEach((ch, st) -> {
      if (st.first() != null) {
        out.add(new LogCoverage.Span(ch, st.first(), st.last(), st.records()));
      }
    });
    return new Read(events, new LogCoverage(location, out, damage, warnings));
  }

  /** One channel's reach within a chunk or a file. */
  private record Stats(@Nullable Instant first, @Nullable Instant last, long records) {
    Stats plus(Stats o) {
      return new Stats(first == null || (o.first != null && o.first.isBefore(first)) ? o.first : first,
          last == null || (o.last != null && o.last.isAfter(last)) ? o.last : last, records + o.records);
    }
  }

  /** What one chunk gives, computed on a worker thread. */
  private record ChunkResult(List<Observation> events, Map<String, Stats> spans, List<EvtxIssue> issues) {
    static ChunkResult of(Chunk c, String location) {
      List<Observation> events = new ArrayList<>();
      Map<String, Stats> spans = new LinkedHashMap<>();
      for (EventRecord r : c.records()) {
        String ch = r.system().channel();
        String channel = ch == null || ch.isBlank() ? "(no channel)" : ch;
        Instant t = r.time();
        spans.merge(channel, new Stats(t, t, 1), Stats::plus);
        if (RdpEvents.relevant(r)) {
          events.add(RdpEvents.observation(r, location));
        }
      }
      return new ChunkResult(events, spans, c.issues());
    }
  }
}
