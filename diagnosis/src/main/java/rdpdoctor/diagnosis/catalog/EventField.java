package rdpdoctor.diagnosis.catalog;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A field of an event that matters for diagnosis.
 *
 * @param name the field name as the event's XML carries it ({@code EventData/Data[@Name]} or the
 *     element name inside {@code UserData}), such as {@code Status} or {@code Reason}
 * @param decodes the code family the field's value decodes in, or null when it is not a code
 * @param note what the field holds and how it is written (decimal, hex, HRESULT...)
 */
public record EventField(String name, @Nullable String decodes, String note) {
  public EventField {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(note, "note");
  }
}
