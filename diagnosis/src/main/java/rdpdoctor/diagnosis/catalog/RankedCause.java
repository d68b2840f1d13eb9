package rdpdoctor.diagnosis.catalog;

import java.util.Objects;

/**
 * A cause in the order an explanation ranks it, with the code it came from.
 *
 * @param cause the catalog's cause
 * @param from the code or pair it belongs to, such as "0x904 + 0x7" or "extendedReason 0x7"
 */
public record RankedCause(Cause cause, String from) {
  public RankedCause {
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(from, "from");
  }
}
