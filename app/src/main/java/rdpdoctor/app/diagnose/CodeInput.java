package rdpdoctor.app.diagnose;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.UserError;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.Provenance;

/**
 * The codes a user gives with {@code --error}, as {@code code} observations: "0x904 0x7", the
 * dialog text "Error code: 0x904, Extended error code: 0x7", or explicit {@code family:value}
 * tokens ({@code ntstatus:0xC000006E}). A lone 0xC....... number is an NTSTATUS and a lone
 * 0x8....... number an HRESULT; otherwise the first number is the disconnect reason and the second
 * the extended reason, which is the order the mstsc dialog prints them.
 */
public final class CodeInput {
  private static final Pattern EXPLICIT = Pattern.compile("(?i)\\b(disconnectReason|extendedReason|errinfo|ntstatus|hresult|negFailure):(0x[0-9a-f]+|-?\\d+)\\b");
  private static final Pattern NUMBER = Pattern.compile("(?i)(?<![\\w:])(0x[0-9a-f]{1,8}|-?\\d{1,10})(?![\\w:])");
  private static final Pattern EXTENDED = Pattern.compile("(?i)extended\\s+error\\s+code\\s*:?\\s*(0x[0-9a-f]+|\\d+)");

  private CodeInput() {}

  public static List<Observation> parse(String text) {
    Provenance p = new Provenance(Provenance.Source.USER_INPUT, "--error", text.length() > 80 ? text.substring(0, 80) : text);
    List<Observation> out = new ArrayList<>();
    Matcher e = EXPLICIT.matcher(text);
    String rest = text;
    while (e.find()) {
      out.add(code(canonical(e.group(1)), value(e.group(2)), p));
      rest = rest.replace(e.group(), " ");
    }
    Long extended = null;
    Matcher x = EXTENDED.matcher(rest);
    if (x.find()) {
      extended = value(x.group(1));
      rest = rest.substring(0, x.start()) + " " + rest.substring(x.end());
    }
    Matcher n = NUMBER.matcher(rest);
    int plain = 0;
    while (n.find()) {
      long v = value(n.group(1));
      long u = v & 0xFFFFFFFFL;
      if ((u & 0xF0000000L) == 0xC0000000L) {
        out.add(code("ntstatus", u, p));
      } else if ((u & 0xF0000000L) == 0x80000000L) {
        out.add(code("hresult", u, p));
      } else if (plain++ == 0) {
        out.add(code("disconnectReason", v, p));
      } else if (extended == null) {
        extended = v;
      }
    }
    if (extended != null) {
      out.add(code("extendedReason", extended, p));
    }
    if (out.isEmpty()) {
      throw new UserError(ExitCodes.USAGE, "--error '" + text + "' holds no code; give numbers such as \"0x904 0x7\" or family:value such as ntstatus:0xC000006E");
    }
    return out;
  }

  private static String canonical(String family) {
    for (String f : List.of("disconnectReason", "extendedReason", "errinfo", "ntstatus", "hresult", "negFailure")) {
      if (f.equalsIgnoreCase(family)) {
        return f;
      }
    }
    return family;
  }

  private static long value(String s) {
    String t = s.toLowerCase(Locale.ROOT);
    return t.startsWith("0x") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
  }

  private static Observation code(String family, long v, Provenance p) {
    String hex = "0x" + Long.toHexString(v & (v < 0 ? 0xFFFFFFFFL : Long.MAX_VALUE)).toUpperCase(Locale.ROOT);
    return Observation.of("code", p).with("family", family).with("value", v).with("hex", hex)
        .summary("you reported " + family + " " + hex);
  }
}
