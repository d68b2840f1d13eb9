package rdpdoctor.diagnosis.catalog;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The events rdpdoctor knows, from {@code rdpdoctor/catalog/events.yaml}: channel + provider +
 * event id to meaning and the fields that matter. Obtain it with {@link Catalog#events()}.
 *
 * @param events every event, in file order
 */
public record EventCatalog(List<EventEntry> events) {

  public EventCatalog {
    events = List.copyOf(events);
  }

  /**
   * The event with this id in this log: {@code source} may be the channel name
   * ({@code Security}, {@code Microsoft-Windows-TerminalServices-LocalSessionManager/Operational})
   * or the provider name ({@code Microsoft-Windows-Security-Auditing}); case does not matter.
   */
  public Optional<EventEntry> find(String source, int id) {
    Objects.requireNonNull(source, "source");
    for (EventEntry e : events) {
      if (e.id() == id
          && (e.channel().equalsIgnoreCase(source) || e.provider().equalsIgnoreCase(source))) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /** Every event with this id, in any log (ids repeat across providers). */
  public List<EventEntry> withId(int id) {
    return events.stream().filter(e -> e.id() == id).toList();
  }
}
