package rdpdoctor.diagnosis;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where a fact came from, precisely enough for a person to go and look: the file and the record,
 * the host and the probe step, or the text the user pasted.
 *
 * @param source what kind of source produced it
 * @param location the file path, {@code host:port}, or "user input"
 * @param detail the place inside it: "record 1234", "HKLM\SYSTEM\ControlSet001\...", "step 2 (3 ms)"
 */
public record Provenance(Source source, String location, @Nullable String detail) {

  /** Kinds of sources; reports group evidence by them. */
  public enum Source {
    USER_INPUT,
    PROBE,
    EVTX,
    REGISTRY_HIVE,
    REG_FILE,
    CERTIFICATE,
    TEXT
  }

  public Provenance {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(location, "location");
  }

  @Override
  public String toString() {
    return detail == null ? location : location + " (" + detail + ")";
  }
}
