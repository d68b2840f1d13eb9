package rdpdoctor.diagnosis.catalog;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import rdpdoctor.diagnosis.Phase;

/**
 * One Windows event that tells something about an RDP connection.
 *
 * @param channel the log channel, such as {@code Microsoft-Windows-TerminalServices-RDPClient/Operational}
 * @param provider the provider name in {@code System/Provider[@Name]}
 * @param id the event id as Event Viewer shows it (without qualifier or severity bits)
 * @param meaning what the event says, in plain words
 * @param phase the connection phase it documents
 * @param fields the fields that matter, with the code family each one decodes in
 * @param sources where the event and its fields are documented
 */
public record EventEntry(
    String channel,
    String provider,
    int id,
    String meaning,
    Phase phase,
    List<EventField> fields,
    List<Citation> sources) {

  public EventEntry {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(meaning, "meaning");
    Objects.requireNonNull(phase, "phase");
    fields = List.copyOf(fields);
    sources = List.copyOf(sources);
  }

  /** The field with this name, compared without regard to case. */
  public Optional<EventField> field(String name) {
    return fields.stream().filter(f -> f.name().equalsIgnoreCase(name)).findFirst();
  }

  /** Fields whose value is a catalogued code, in the order the event lists them. */
  public List<EventField> codeFields() {
    return fields.stream().filter(f -> f.decodes() != null).toList();
  }
}
