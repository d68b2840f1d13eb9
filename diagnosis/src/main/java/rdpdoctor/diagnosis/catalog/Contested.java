package rdpdoctor.diagnosis.catalog;

import java.util.Objects;

/**
 * A popular explanation of a code that the authoritative tables do not support.
 *
 * @param code the code or pair it is about, such as "extendedReason 0x7"
 * @param dispute the claim, who makes it, and why the catalog rejects it
 */
public record Contested(String code, Dispute dispute) {
  public Contested {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(dispute, "dispute");
  }
}
