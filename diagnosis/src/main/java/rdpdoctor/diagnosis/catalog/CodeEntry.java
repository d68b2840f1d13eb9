package rdpdoctor.diagnosis.catalog;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Phase;

/**
 * One code of one family: "disconnectReason 0x904 = disconnectReasonAtClientWinsockFDCLOSE".
 *
 * <p>Values are kept as unsigned 32-bit numbers in a {@code long}; {@link #signed()} gives the
 * negative form in which .NET, PowerShell and some logs print HRESULTs and NTSTATUS codes. An
 * entry may cover a range ({@code valueTo} above {@code value}) when a source documents a range
 * rather than single values, such as the extended reason protocol range 4096-32767.
 *
 * @param family the family id, such as {@code disconnectReason}
 * @param value the number (or the first of the range)
 * @param valueTo the last number of the range, equal to {@code value} for a single code
 * @param name the symbolic name the sources use
 * @param meaning what it means, in plain words
 * @param phase the connection phase it belongs to
 * @param whereSeen where a user meets it (client dialog, an event field, the wire)
 * @param causes likely causes, most likely first
 * @param sources the sources that document it
 * @param disputed readings that sources disagree on, with which one the catalog trusts
 * @param related codes in other families that are the same thing, as {@code family:value}
 * @param note anything else a reader should know, or null
 */
public record CodeEntry(
    String family,
    long value,
    long valueTo,
    String name,
    String meaning,
    Phase phase,
    List<String> whereSeen,
    List<Cause> causes,
    List<Citation> sources,
    List<Dispute> disputed,
    List<String> related,
    @Nullable String note) {

  public CodeEntry {
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(meaning, "meaning");
    Objects.requireNonNull(phase, "phase");
    whereSeen = List.copyOf(whereSeen);
    causes = List.copyOf(causes);
    sources = List.copyOf(sources);
    disputed = List.copyOf(disputed);
    related = List.copyOf(related);
  }

  /** True when this entry documents a range of values rather than one. */
  public boolean isRange() {
    return valueTo != value;
  }

  /** True when {@code v} is this code or lies in its range. */
  public boolean covers(long v) {
    return v >= value && v <= valueTo;
  }

  /** The value as hex the way the sources write it: {@code 0x904}, {@code 0x80090322}. */
  public String hex() {
    return hex(value);
  }

  /** The 32-bit signed form ({@code -2146893022} for 0x80090322). */
  public int signed() {
    return (int) value;
  }

  /** Hex without padding, upper-case digits, as dialogs and Microsoft tables print codes. */
  public static String hex(long v) {
    return "0x" + Long.toHexString(v).toUpperCase(Locale.ROOT);
  }

  /** {@code 2308}, {@code 0x904}; null when the text is neither. */
  public static @Nullable Long parseNumber(String s) {
    String t = s.strip().replace("_", "");
    try {
      if (t.startsWith("0x") || t.startsWith("0X")) {
        return Long.parseLong(t.substring(2), 16);
      }
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
