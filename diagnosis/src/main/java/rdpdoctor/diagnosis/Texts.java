package rdpdoctor.diagnosis;

import java.util.Locale;

/**
 * Report text without {@link java.util.Formatter}: fixed-point numbers as {@code "%.2f"} prints
 * them, and columns as {@code "%-24s"} and {@code "%8s"} pad them. The first format in a JVM sets
 * up the locale's number formatting, 10-15 ms measured, as much as a quick probe's network time.
 */
public final class Texts {
  private Texts() {}

  /**
   * {@code v} with {@code places} digits after the point (0 to 9), rounded half up from its
   * shortest decimal form, as Formatter rounds. Values this code does not handle by itself (not
   * finite, or in the range where {@link Double#toString} writes an exponent) go to Formatter.
   */
  public static String fixed(double v, int places) {
    if (places < 0 || places > 9) {
      throw new IllegalArgumentException("places " + places + " (expected: 0 to 9)");
    }
    double a = Math.abs(v);
    if (!Double.isFinite(v) || a >= 1e7 || (a != 0 && a < 1e-3)) {
      return String.format(Locale.ROOT, "%." + places + "f", v);
    }
    String s = Double.toString(a); // "digits.digits": no exponent in [1e-3, 1e7)
    int dot = s.indexOf('.');
    // All the digits without the point, and how many of them are before it.
    StringBuilder digits = new StringBuilder(s.length() + places).append(s, 0, dot).append(s, dot + 1, s.length());
    int whole = dot;
    while (digits.length() < whole + places + 1) {
      digits.append('0');
    }
    boolean up = digits.charAt(whole + places) >= '5';
    digits.setLength(whole + places);
    if (up) {
      int i = digits.length() - 1;
      while (i >= 0 && digits.charAt(i) == '9') {
        digits.setCharAt(i--, '0');
      }
      if (i >= 0) {
        digits.setCharAt(i, (char) (digits.charAt(i) + 1));
      } else {
        digits.insert(0, '1');
        whole++;
      }
    }
    StringBuilder out = new StringBuilder(digits.length() + 2);
    // Formatter keeps the sign of a negative value that rounds to zero ("-0.00"), and of -0.0.
    if (v < 0 || (v == 0 && 1 / v < 0)) {
      out.append('-');
    }
    out.append(digits, 0, whole);
    if (places > 0) {
      out.append('.').append(digits, whole, whole + places);
    }
    return out.toString();
  }

  /** As {@link #fixed} with a sign always written, as {@code "%+.Nf"} prints it: "+0.10", "-0.05". */
  public static String signed(double v, int places) {
    String s = fixed(v, places);
    return s.startsWith("-") || Double.isNaN(v) ? s : "+" + s;
  }

  /** {@code s} followed by spaces up to {@code width} characters, as {@code "%-<width>s"}. */
  public static String padRight(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }

  /** Spaces then {@code s}, {@code width} characters in all, as {@code "%<width>s"}. */
  public static String padLeft(String s, int width) {
    return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
  }
}
