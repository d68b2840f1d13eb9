package rdpdoctor.evidence.even6;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Which records to keep: by channel, provider (both case-insensitive, as Windows compares them),
 * event id, time range and record-id range. An empty criterion matches everything.
 *
 * @param channels channel names, e.g. {@code Security}
 * @param providers provider names, e.g. {@code Microsoft-Windows-Security-Auditing}
 * @param eventIds event identifiers
 * @param since keep events at or after this time
 * @param until keep events before or at this time
 * @param recordRanges EventRecordID ranges, inclusive ({@code [from, to]} pairs)
 */
public record EventFilter(
    Set<String> channels,
    Set<String> providers,
    Set<Long> eventIds,
    @Nullable Instant since,
    @Nullable Instant until,
    List<long[]> recordRanges)
    implements Predicate<EventRecord> {

  public static final EventFilter ALL = new EventFilter(Set.of(), Set.of(), Set.of(), null, null, List.of());

  public EventFilter {
    channels = channels.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    providers = providers.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    eventIds = Set.copyOf(eventIds);
    recordRanges = List.copyOf(recordRanges);
  }

  /** True when no criterion is set. */
  public boolean matchesAll() {
    return channels.isEmpty() && providers.isEmpty() && eventIds.isEmpty() && since == null
        && until == null && recordRanges.isEmpty();
  }

  @Override
  public boolean test(EventRecord r) {
    if (!recordRanges.isEmpty()) {
      boolean in = false;
      long id = r.recordId();
      for (long[] range : recordRanges) {
        if (id >= range[0] && id <= range[1]) {
          in = true;
          break;
        }
      }
      if (!in) {
        return false;
      }
    }
    if (matchesAll()) {
      return true;
    }
    EventSystem s = r.system();
    if (!eventIds.isEmpty() && (s.eventId() == null || !eventIds.contains(s.eventId()))) {
      return false;
    }
    if (!channels.isEmpty() && (s.channel() == null || !channels.contains(s.channel().toLowerCase(Locale.ROOT)))) {
      return false;
    }
    if (!providers.isEmpty()
        && (s.provider() == null || !providers.contains(s.provider().toLowerCase(Locale.ROOT)))) {
      return false;
    }
    if (since != null || until != null) {
      Instant t = r.time();
      if (since != null && t.isBefore(since)) {
        return false;
      }
      if (until != null && t.isAfter(until)) {
        return false;
      }
    }
    return true;
  }
}
