package rdpdoctor.diagnosis.timeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one event log covers: per channel, the first and last event and how many records, plus
 * the damage the reader reported. A timeline says where its evidence ends with these.
 *
 * @param file the log file
 * @param channels one span per channel in the file, in order of first appearance
 * @param damage what the reader could not read (lost records, bad chunks), as its messages
 * @param warnings checksum mismatches and the like: the records were still read
 */
public record LogCoverage(String file, List<Span> channels, List<String> damage, List<String> warnings) {

  /**
   * @param channel the channel
   * @param first the earliest event
   * @param last the latest event
   * @param records how many records of the channel the file holds (all of them, not only RDP's)
   */
  public record Span(String channel, Instant first, Instant last, long records) {
    public Span {
      Objects.requireNonNull(channel, "channel");
      Objects.requireNonNull(first, "first");
      Objects.requireNonNull(last, "last");
    }
  }

  /**
   * A stretch of time one channel's logs do not cover, between two files (or two spans) of it.
   *
   * @param channel the channel
   * @param from the last event before the gap
   * @param to the first event after it
   * @param before the file that ends at {@code from}
   * @param after the file that starts at {@code to}
   */
  public record Gap(String channel, Instant from, Instant to, String before, String after) {}

  /** A stretch of time, both ends included. */
  public record Window(Instant from, Instant to) {}

  public LogCoverage {
    Objects.requireNonNull(file, "file");
    channels = List.copyOf(channels);
    damage = List.copyOf(damage);
    warnings = List.copyOf(warnings);
  }

  /**
   * Gaps between the logs of one channel: with two Security logs of Monday and Wednesday, Tuesday is
   * not covered. Overlapping or touching spans make no gap.
   */
  public static List<Gap> gaps(List<LogCoverage> logs) {
    record At(String file, Span span) {}
    List<At> all = new ArrayList<>();
    for (LogCoverage l : logs) {
      for (Span s : l.channels()) {
        all.add(new At(l.file(), s));
      }
    }
    all.sort(Comparator.comparing((At a) -> a.span().channel()).thenComparing(a -> a.span().first()));
    List<Gap> out = new ArrayList<>();
    At prev = null;
    Instant reach = null;
    for (At a : all) {
      if (prev != null && prev.span().channel().equals(a.span().channel())) {
        if (a.span().first().isAfter(reach)) {
          out.add(new Gap(a.span().channel(), reach, a.span().first(), prev.file(), a.file()));
        }
        if (a.span().last().isAfter(reach)) {
          reach = a.span().last();
          prev = a;
        }
      } else {
        prev = a;
        reach = a.span().last();
      }
    }
    return out;
  }

  /**
   * The time every log read covers: from the latest first event to the earliest last one, or null
   * when the logs share no time at all. Outside it, some channel's events may be missing.
   */
  public static @Nullable Window common(List<LogCoverage> logs) {
    Instant from = null;
    Instant to = null;
    for (LogCoverage l : logs) {
      for (Span s : l.channels()) {
        from = from == null || s.first().isAfter(from) ? s.first() : from;
        to = to == null || s.last().isBefore(to) ? s.last() : to;
      }
    }
    return from == null || to.isBefore(from) ? null : new Window(from, to);
  }
}
