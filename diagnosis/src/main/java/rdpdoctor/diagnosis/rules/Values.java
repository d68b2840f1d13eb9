package rdpdoctor.diagnosis.rules;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How a rule compares an observation's value with the value written in the rule. Sources do not
 * agree on representation (an EVTX reader may give Status as the string "0xc000006e" or as a
 * number, a .reg file gives a DWORD as a number, a person writes 0xC000006E), so comparison is by
 * meaning: numbers compare as numbers whatever their notation, a 32-bit code compares equal in its
 * signed and unsigned form, times compare as instants, and other text compares without case (the
 * way Windows compares names).
 */
public final class Values {
  private static final Pattern HEX = Pattern.compile("(?i)^\\s*(-)?0x([0-9a-f]{1,16})\\s*$");
  private static final Pattern DEC = Pattern.compile("^\\s*-?[0-9]{1,19}\\s*$");
  private static final Pattern DUR = Pattern.compile("(?i)^\\s*([0-9]{1,9})\\s*(ms|s|m|h|d)\\s*$");
  private static final Pattern INSTANT = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T.*");

  private Values() {}

  /** The value as a whole number, if it is one in any notation (42, "42", "0x2A"). */
  public static @Nullable Long asLong(@Nullable Object v) {
    switch (v) {
      case null -> {
        return null;
      }
      case Long l -> {
        return l;
      }
      case Integer i -> {
        return i.longValue();
      }
      case Double d -> {
        return d == Math.rint(d) && !Double.isInfinite(d) ? (long) (double) d : null;
      }
      case String s -> {
        Matcher h = HEX.matcher(s);
        if (h.matches()) {
          try {
            long x = Long.parseUnsignedLong(h.group(2), 16);
            return h.group(1) == null ? x : -x;
          } catch (NumberFormatException e) {
            return null;
          }
        }
        if (DEC.matcher(s).matches()) {
          try {
            return Long.parseLong(s.trim());
          } catch (NumberFormatException e) {
            return null;
          }
        }
        return null;
      }
      default -> {
        return null;
      }
    }
  }

  private static @Nullable Double asDouble(@Nullable Object v) {
    if (v instanceof Double d) {
      return d;
    }
    Long l = asLong(v);
    if (l != null) {
      return l.doubleValue();
    }
    if (v instanceof String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /** The value as an instant, if it is one or an ISO-8601 text of one. */
  public static @Nullable Instant asInstant(@Nullable Object v) {
    if (v instanceof Instant t) {
      return t;
    }
    if (v instanceof String s && INSTANT.matcher(s).matches()) {
      try {
        return Instant.parse(s.trim());
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    return null;
  }

  /** "30s", "5m", "2h", "1d", "500ms"; null when the text is not a duration. */
  public static @Nullable Duration asDuration(@Nullable Object v) {
    if (!(v instanceof String s)) {
      return null;
    }
    Matcher m = DUR.matcher(s);
    if (!m.matches()) {
      return null;
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  private static @Nullable Boolean asBoolean(@Nullable Object v) {
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof String s) {
      if (s.equalsIgnoreCase("true")) {
        return true;
      }
      if (s.equalsIgnoreCase("false")) {
        return false;
      }
    }
    return null;
  }

  /**
   * Whether two values mean the same. A list on the observation side equals a value when any of
   * its items does (a certificate's SANs "equal" the name the user typed when one of them is it).
   */
  public static boolean same(@Nullable Object actual, @Nullable Object expected) {
    if (actual == null || expected == null) {
      return false;
    }
    if (actual instanceof List<?> l) {
      for (Object x : l) {
        if (same(x, expected)) {
          return true;
        }
      }
      return false;
    }
    Long a = asLong(actual);
    Long b = asLong(expected);
    if (a != null && b != null) {
      // A 32-bit code written as a signed int (-1073741714) is the same code as its unsigned
      // form (0xC000006E): NTSTATUS and HRESULT values reach us in both.
      return a.longValue() == b.longValue()
          || (fits32(a) && fits32(b) && (a & 0xFFFFFFFFL) == (b & 0xFFFFFFFFL));
    }
    Instant ta = asInstant(actual);
    Instant tb = asInstant(expected);
    if (ta != null && tb != null) {
      return ta.equals(tb);
    }
    Boolean ba = asBoolean(actual);
    Boolean bb = asBoolean(expected);
    if (ba != null && bb != null) {
      return ba.equals(bb);
    }
    if (a != null || b != null) {
      Double da = asDouble(actual);
      Double db = asDouble(expected);
      if (da != null && db != null) {
        return da.doubleValue() == db.doubleValue();
      }
    }
    return text(actual).equalsIgnoreCase(text(expected));
  }

  private static boolean fits32(long v) {
    return v >= Integer.MIN_VALUE && v <= 0xFFFFFFFFL;
  }

  /**
   * Orders two values when both are numbers or both are instants; empty when they cannot be
   * ordered, and then every ordering test is false (a rule never fires on a guess).
   */
  public static OptionalInt order(@Nullable Object actual, @Nullable Object expected) {
    if (actual == null || expected == null) {
      return OptionalInt.empty();
    }
    Instant ta = asInstant(actual);
    Instant tb = asInstant(expected);
    if (ta != null && tb != null) {
      return OptionalInt.of(ta.compareTo(tb));
    }
    Long a = asLong(actual);
    Long b = asLong(expected);
    if (a != null && b != null) {
      return OptionalInt.of(Long.compare(a, b));
    }
    Double da = asDouble(actual);
    Double db = asDouble(expected);
    if (da != null && db != null) {
      return OptionalInt.of(Double.compare(da, db));
    }
    return OptionalInt.empty();
  }

  /** How a value is written into an explanation or a report. */
  public static String text(@Nullable Object v) {
    return switch (v) {
      case null -> "";
      case List<?> l -> String.join(", ", l.stream().map(Values::text).toList());
      default -> v.toString();
    };
  }
}
