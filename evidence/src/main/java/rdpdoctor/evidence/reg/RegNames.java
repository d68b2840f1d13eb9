package rdpdoctor.evidence.reg;

/**
 * The visible escape for characters of key and value names that text cannot show: written by
 * {@link RegWriter} and the JSON of {@code hive dump}, read back by {@link RegFile}.
 *
 * <p>A hive stores a name as Latin-1 bytes or as UTF-16LE code units, and Windows does not check
 * the UTF-16: a name may hold half a surrogate pair, or a control character. Decoding those to
 * U+FFFD, or encoding them to UTF-8 as '?', makes two distinct keys print the same (and a line
 * feed in a name would break the .reg line). So each such code unit is written as
 * <b>U+FFFD, then its four hex digits in braces</b>: "A" followed by the lone high surrogate
 * D800 is written as "A", U+FFFD, "{d800}". Why this form:
 *
 * <ul>
 *   <li>it is visible: U+FFFD is the glyph every tool shows for a character it cannot show, and
 *       the braces keep the code unit, so the raw name can be told and rebuilt;
 *   <li>distinct names stay distinct: a literal U+FFFD in a name is escaped too ({@code {fffd}}),
 *       so every U+FFFD in the output starts an escape;
 *   <li>no backslash: in a {@code [key]} line a backslash separates keys, so a backslash-u
 *       escape would turn one name into two levels of keys;
 *   <li>it encodes the same in UTF-8 (stdout, JSON) and UTF-16LE ({@code -o} files), so a name
 *       reads the same in every output and can be searched for in all of them.
 * </ul>
 *
 * Escaped: unpaired surrogates, C0 controls (U+0000..U+001F), DEL and U+FFFD itself. regedit
 * would import an escaped name literally; {@link RegFile} turns it back into the raw name.
 */
public final class RegNames {
  private static final char MARK = '\uFFFD';
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RegNames() {}

  /** {@code s} with the escape applied; {@code s} itself (no copy) when nothing needs it. */
  public static String escape(String s) {
    int first = firstToEscape(s);
    if (first < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length() + 8).append(s, 0, first);
    for (int i = first; i < s.length(); i++) {
      char c = s.charAt(i);
      if (paired(s, i)) {
        b.append(c).append(s.charAt(++i));
      } else if (needsEscape(c)) {
        b.append(MARK).append('{')
            .append(HEX[c >>> 12]).append(HEX[c >>> 8 & 0xF]).append(HEX[c >>> 4 & 0xF]).append(HEX[c & 0xF])
            .append('}');
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** The raw name of an escaped one; a U+FFFD not followed by {@code {xxxx}} stays as it is. */
  public static String unescape(String s) {
    int at = s.indexOf(MARK);
    if (at < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length()).append(s, 0, at);
    for (int i = at; i < s.length(); i++) {
      char c = s.charAt(i);
      int unit = c == MARK ? escapedUnit(s, i) : -1;
      if (unit >= 0) {
        b.append((char) unit);
        i += 6; // "{xxxx}"
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** The code unit of the escape at {@code i} (U+FFFD, '{', four hex digits, '}'), or -1. */
  private static int escapedUnit(String s, int i) {
    if (i + 7 > s.length() || s.charAt(i + 1) != '{' || s.charAt(i + 6) != '}') {
      return -1;
    }
    int v = 0;
    for (int k = i + 2; k < i + 6; k++) {
      int d = Character.digit(s.charAt(k), 16);
      if (d < 0) {
        return -1;
      }
      v = v << 4 | d;
    }
    return v;
  }

  /** Index of the first code unit to escape, or -1: the check every printed name goes through. */
  private static int firstToEscape(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7F) {
        continue; // nearly every name is printable ASCII
      }
      if (paired(s, i)) {
        i++;
      } else if (needsEscape(c)) {
        return i;
      }
    }
    return -1;
  }

  /** A high surrogate at {@code i} with its low one after it: a character, not an escape. */
  private static boolean paired(String s, int i) {
    return Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length()
        && Character.isLowSurrogate(s.charAt(i + 1));
  }

  /** Outside a pair: surrogates, C0 controls, DEL and the escape's own mark. */
  private static boolean needsEscape(char c) {
    return c < 0x20 || c == 0x7F || c == MARK || Character.isSurrogate(c);
  }
}
