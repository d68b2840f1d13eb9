package rdpdoctor.diagnosis.catalog;

import java.util.Objects;

/**
 * A source a catalog entry rests on.
 *
 * @param key the short key the data files use, such as {@code ms-rdpbcgr-errinfo}
 * @param text where to find it: a specification section and URL, or repository and path
 * @param authoritative true for Microsoft specifications and documentation and for the code of
 *     the implementations themselves; false for community notes
 */
public record Citation(String key, String text, boolean authoritative) {
  public Citation {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(text, "text");
  }
}
