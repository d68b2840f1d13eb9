package rdpdoctor.diagnosis.timeline;

import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.catalog.Catalog;
import rdpdoctor.diagnosis.catalog.CodeEntry;

/**
 * A code an event carried (a disconnect reason, an NTSTATUS, an HRESULT), decoded by the catalog.
 *
 * @param family the catalog family the correlation rules say the field holds
 * @param value the number as the event gave it (unsigned 32-bit)
 * @param name the catalog's symbolic name, or null when the catalog does not know the value
 * @param meaning the catalog's meaning, or null
 */
public record Code(String family, long value, @Nullable String name, @Nullable String meaning) {

  static Code decode(String family, long value) {
    long v = value & 0xFFFF_FFFFL;
    CodeEntry e = Catalog.find(family, v).orElse(null);
    return new Code(family, v, e == null ? null : e.name(), e == null ? null : e.meaning());
  }

  public String hex() {
    return CodeEntry.hex(value);
  }

  /** "disconnectReason:0x904 (ERRINFO...)": the family:value form rules use, with the name. */
  @Override
  public String toString() {
    return family + ":" + hex() + (name == null ? "" : " " + name);
  }
}
