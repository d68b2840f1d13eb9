package rdpdoctor.diagnosis.catalog;

import java.util.Objects;

/**
 * A disconnect reason read together with its extended reason, and what the pair means.
 *
 * @param disconnect the client's disconnect reason ("Error code")
 * @param extended the server's reason ("Extended error code")
 * @param combination the catalog's reading of the pair
 */
public record PairReading(Reading disconnect, Reading extended, Combination combination) {
  public PairReading {
    Objects.requireNonNull(disconnect, "disconnect");
    Objects.requireNonNull(extended, "extended");
    Objects.requireNonNull(combination, "combination");
  }

  /** "0x904 + 0x7". */
  public String label() {
    return disconnect.hex() + " + " + extended.hex();
  }
}
