package rdpdoctor.diagnosis.catalog;

import java.util.List;
import java.util.Objects;

/**
 * One way to read one piece of the user's input: "0x7, labelled 'Extended error code', is
 * extendedReason 7 = exDiscReasonServerDeniedConnection".
 *
 * @param token the text it was read from, exactly as typed
 * @param value the number it denotes (for a range entry, the number typed, not the range start)
 * @param entry the catalog entry
 * @param score how well the context supports this family; higher wins, only comparable within
 *     one token
 * @param why why this family was chosen or considered, in words ("labelled 'Extended error
 *     code'", "event 4625 field Status")
 * @param related the same code in other families (an extended reason's ERRINFO twin)
 */
public record Reading(
    String token, long value, CodeEntry entry, int score, String why, List<CodeEntry> related) {

  public Reading {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(why, "why");
    related = List.copyOf(related);
  }

  /** The family id of the entry. */
  public String family() {
    return entry.family();
  }

  /** The value in hex as the sources write it. */
  public String hex() {
    return CodeEntry.hex(value);
  }
}
