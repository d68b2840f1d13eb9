package rdpdoctor.diagnosis.catalog;

import java.util.Objects;

/**
 * A reading of a code that some source gives and another contradicts, kept so that reports can
 * say which one the catalog trusts and why (for example "extended code 7 means a user profile
 * failure", which only SEO pages claim).
 *
 * @param claim the reading, in plain words
 * @param source who says so
 * @param trusted whether the catalog uses this reading
 * @param why why the catalog trusts or rejects it
 */
public record Dispute(String claim, String source, boolean trusted, String why) {
  public Dispute {
    Objects.requireNonNull(claim, "claim");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(why, "why");
  }
}
