package rdpdoctor.diagnosis.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * All codes of one family, loaded from one data file ({@code rdpdoctor/catalog/codes/<id>.yaml}).
 *
 * @param id stable identifier used in JSON and observations, such as {@code disconnectReason}
 * @param title what the family is, in words
 * @param signedForm true for HRESULT and NTSTATUS families, whose codes are also printed negative
 * @param sharesValuesWith another family whose codes are the same numbers for the same thing, or
 *     empty (extended reasons share numbers with ERRINFO)
 * @param entries the codes in file order
 */
public record CodeFamily(
    String id, String title, boolean signedForm, String sharesValuesWith, List<CodeEntry> entries) {

  public CodeFamily {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(sharesValuesWith, "sharesValuesWith");
    entries = List.copyOf(entries);
  }

  /** The entry for exactly this value, else the range entry that covers it. */
  public Optional<CodeEntry> find(long value) {
    CodeEntry range = null;
    for (CodeEntry e : entries) {
      if (e.value() == value && !e.isRange()) {
        return Optional.of(e);
      }
      if (range == null && e.isRange() && e.covers(value)) {
        range = e;
      }
    }
    return Optional.ofNullable(range);
  }

  /** The entry with this symbolic name, compared without regard to case. */
  public Optional<CodeEntry> byName(String name) {
    return Optional.ofNullable(names().get(name.toUpperCase(Locale.ROOT)));
  }

  private Map<String, CodeEntry> names() {
    Map<String, CodeEntry> m = new LinkedHashMap<>();
    for (CodeEntry e : entries) {
      m.putIfAbsent(e.name().toUpperCase(Locale.ROOT), e);
    }
    return Collections.unmodifiableMap(m);
  }

  /** Entries that are single codes (not ranges), which the completeness tests count. */
  public List<CodeEntry> singleCodes() {
    List<CodeEntry> out = new ArrayList<>();
    for (CodeEntry e : entries) {
      if (!e.isRange()) {
        out.add(e);
      }
    }
    return out;
  }
}
