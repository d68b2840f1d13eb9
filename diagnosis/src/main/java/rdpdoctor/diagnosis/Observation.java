package rdpdoctor.diagnosis;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One fact with where it came from: "server selected PROTOCOL_RDP when asked for HYBRID",
 * "Security 4625 with Status 0xC000006E", "UserAuthentication = 0".
 *
 * <p>Every source (probe, EVTX, registry, user input) produces these, and the rules read them, so
 * nothing downstream cares whether a fact came from the wire or from a file. The {@code type} names
 * a documented vocabulary (DEVELOPERS.md, "Observation types"); {@code fields} hold the typed values
 * a rule may test. Field values are limited to the kinds a rule file can compare:
 * {@link String}, {@link Long} (every integer), {@link Double}, {@link Boolean}, {@link Instant},
 * and {@link List}s of those.
 *
 * @param type dotted vocabulary name, such as {@code probe.negotiation} or {@code event}
 * @param fields the values, in a stable order (insertion order is kept for reports)
 * @param summary one human sentence for reports
 * @param at when the fact was true (event time, probe time), if known
 * @param provenance where it came from
 */
public record Observation(
    String type,
    Map<String, Object> fields,
    String summary,
    @Nullable Instant at,
    Provenance provenance) {

  public Observation {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(provenance, "provenance");
    LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : fields.entrySet()) {
      copy.put(e.getKey(), normalise(e.getKey(), e.getValue()));
    }
    fields = Collections.unmodifiableMap(copy);
  }

  /** The value of {@code name}, or null when this observation does not have it. */
  public @Nullable Object get(String name) {
    return fields.get(name);
  }

  public @Nullable String string(String name) {
    Object v = fields.get(name);
    return v == null ? null : v.toString();
  }

  public @Nullable Long number(String name) {
    return fields.get(name) instanceof Long l ? l : null;
  }

  /** Starts an observation of {@code type}; fields are added in the order reports show them. */
  public static Builder of(String type, Provenance provenance) {
    return new Builder(type, provenance);
  }

  private static Object normalise(String name, Object value) {
    Objects.requireNonNull(value, () -> "field " + name + " is null");
    return switch (value) {
      case Integer i -> i.longValue();
      case Short s -> s.longValue();
      case Byte b -> b.longValue();
      case Float f -> f.doubleValue();
      case Long l -> l;
      case Double d -> d;
      case String s -> s;
      case Boolean b -> b;
      case Instant t -> t;
      case Enum<?> e -> e.name();
      case List<?> list -> list.stream().map(x -> normalise(name, x)).toList();
      default ->
          throw new IllegalArgumentException(
              "field " + name + " has unsupported type " + value.getClass().getName());
    };
  }

  /** Collects fields before the record is made; null values are skipped, not stored. */
  public static final class Builder {
    private final String type;
    private final Provenance provenance;
    private final Map<String, Object> fields = new LinkedHashMap<>();
    private @Nullable Instant at;

    private Builder(String type, Provenance provenance) {
      this.type = type;
      this.provenance = provenance;
    }

    public Builder with(String name, @Nullable Object value) {
      if (value != null) {
        fields.put(name, value);
      }
      return this;
    }

    public Builder at(@Nullable Instant time) {
      this.at = time;
      return this;
    }

    public Observation summary(String summary) {
      return new Observation(type, fields, summary, at, provenance);
    }
  }
}
