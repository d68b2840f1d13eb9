package rdpdoctor.evidence.cases;

import java.util.List;
import java.util.Locale;

/**
 * The computer a case's files came from.
 *
 * @param name the name as the evidence spells it (a bundle manifest and the SYSTEM hive give the
 *     NetBIOS name, events give the DNS name)
 * @param key the NetBIOS form every source is matched by: the first DNS label, upper case, at most
 *     15 characters. It is what {@code $env:COMPUTERNAME} prints on that machine, so fix scripts
 *     compare against it
 * @param basis how the name is known, one line per source ("manifest.json of host01.zip")
 */
public record Computer(String name, String key, List<String> basis) {
  /** NetBIOS computer names are at most 15 characters; Windows truncates longer host names. */
  static final int NETBIOS_MAX = 15;

  public Computer {
    basis = List.copyOf(basis);
  }

  /** The matching key for a name from any source, or null for a blank name. */
  public static String keyOf(String name) {
    String s = name.strip();
    int dot = s.indexOf('.');
    if (dot > 0) {
      s = s.substring(0, dot);
    }
    s = s.toUpperCase(Locale.ROOT);
    return s.length() > NETBIOS_MAX ? s.substring(0, NETBIOS_MAX) : s;
  }
}
