package rdpdoctor.diagnosis.catalog;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the numbers in pasted text that are not codes, by the layouts of the real sources: the
 * Remote Desktop Connection dialog (Windows 10/11 end it with "Timestamp (UTC): 04/17/24 09:23:11
 * PM" and sometimes "Activity ID: {GUID}"; Windows 7-era dialogs number their reasons "1) ... 2)
 * ..."), Event Viewer's "Copy details as text" (Log Name, Source, Date, Event ID, Task Category,
 * Level, Keywords, User, Computer, Description), FreeRDP 2 and 3 log lines ({@code [HH:MM:SS:mmm]
 * [pid:tid] [LEVEL][tag] - ...}, FreeRDP 3 with the thread id in hex), PowerShell error records
 * ({@code At line:1 char:1}), and what any of them quote: IP addresses, host:port, versions,
 * build and KB numbers, GUIDs, SIDs.
 *
 * <p>Why a separate pass: {@link CodeQuery} reads every remaining number as a candidate code, and
 * a number such as the "11" of "09:23:11" exists in four families. Each recogniser here is one
 * layout; where two overlap the earlier (more specific) one wins, so the "21:23:11:123" of a
 * FreeRDP prefix is one log time, not a time and a count.
 */
final class TextLayout {

  /**
   * One layout: a pattern and what its pieces are. Without groups the whole match is one piece of
   * {@code kind}; else each named group is, of {@code kind} or of the kind it names ("pid=...").
   */
  private record Recogniser(Pattern pattern, String kind, String... groups) {}

  private static final String HEX4 = "[0-9A-Fa-f]{1,4}";

  private static final List<Recogniser> RECOGNISERS =
      List.of(
          // FreeRDP 2: [21:51:06:531] [12011:12012] [ERROR][com.freerdp.core] - text
          // FreeRDP 3: [22:21:55:702] [727954:000b1b92] [WARN][com.freerdp...] - [function]: text
          new Recogniser(
              Pattern.compile(
                  "\\[(?<time>\\d{1,2}:\\d{2}:\\d{2}:\\d{1,3})\\]\\s*\\[(?<pid>\\d+:[0-9A-Fa-f]+)\\]\\s*"
                      + "\\[(?:TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL)\\]"),
              "FreeRDP log time", "time", "pid=FreeRDP process:thread id"),
          // FreeRDP's Android and iOS clients: [pid=9018:tid=dbe84770]
          new Recogniser(Pattern.compile("\\[pid=\\d+:tid=[0-9A-Fa-f]+\\]"), "FreeRDP process:thread id"),
          // PowerShell error record position: "At line:1 char:1", "At C:\\s\\rdp.ps1:12 char:5", always at
          // the start of a line (anchored there, so a text full of "At" is not scanned from each)
          new Recogniser(
              Pattern.compile("(?im)^[ \\t]{0,8}At[ \\t]{1,4}(?:line|[^\\r\\n]{1,260}?\\S):(?<line>\\d+)[ \\t]+char:(?<col>\\d+)"),
              "script line", "line", "col=script column"),
          // the CredSSP dialog's "https://go.microsoft.com/fwlink/?linkid=866660"
          new Recogniser(Pattern.compile("(?i)\\b(?:https?|ftp)://[^\\s\"'<>]+"), "URL"),
          // PowerShell: Exception calling "Connect" with "0" argument(s)
          new Recogniser(Pattern.compile("(?i)\\bwith \"(?<n>\\d+)\" argument\\(s\\)"), "argument count", "n"),
          new Recogniser(
              Pattern.compile(
                  "\\{?\\b[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\\b\\}?"),
              "GUID"),
          new Recogniser(Pattern.compile("\\bS-1-\\d{1,10}(?:-\\d{1,10}){1,15}\\b"), "SID"),
          // ISO 8601, as Event Viewer's XML view and most logs write times
          new Recogniser(
              Pattern.compile(
                  "\\b\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{2}:\\d{2}(?::\\d{2}(?:[.,]\\d{1,9})?)?(?:Z|[+-]\\d{2}:?\\d{2})?)?(?![\\d-])"),
              "date and time"),
          // The dialog's "04/17/24 09:23:11 PM", Event Viewer's "6/24/2020 7:26:58 PM", "17.04.2024 21:23",
          // and "17.04.24 21:23:11" (a two-digit year with dots only before a time: else it is a version)
          new Recogniser(
              Pattern.compile(
                  "(?<![\\d/.])(?:\\d{1,2}/\\d{1,2}/(?:\\d{4}|\\d{2})|\\d{4}/\\d{1,2}/\\d{1,2}|\\d{1,2}\\.\\d{1,2}\\.\\d{4}|\\d{1,2}\\.\\d{1,2}\\.\\d{2}(?=,?\\s+\\d{1,2}:\\d{2}))"
                      + "(?:,?\\s+\\d{1,2}:\\d{2}(?::\\d{2}(?:[.,]\\d{1,7})?)?(?:\\s?[AaPp]\\.?[Mm]\\.?(?![A-Za-z]))?)?(?![\\d/])"),
              "date and time"),
          // IPv6 (checked below: a "::" or all eight groups), optionally [bracketed] with a port
          new Recogniser(
              Pattern.compile(
                  "(?<![\\w:.])\\[?(?<ip6>(?:" + HEX4 + ")?(?::(?:" + HEX4 + ")?){2,7}(?::\\d{1,3}(?:\\.\\d{1,3}){3})?|"
                      + "(?:" + HEX4 + ":){1,6}:?\\d{1,3}(?:\\.\\d{1,3}){3})(?:%\\w+)?\\]?(?::\\d{1,5})?(?![\\w:.])"),
              "IPv6 address"),
          new Recogniser(
              Pattern.compile("(?<![\\w.])(?:\\d{1,3}\\.){3}\\d{1,3}(?::\\d{1,5})?(?![\\w.]*\\d)"),
              "IPv4 address"),
          new Recogniser(
              Pattern.compile(
                  "(?<![\\d:.])\\d{1,2}:\\d{2}(?::\\d{2}(?:[.,]\\d{1,7})?)?(?:\\s?[AaPp]\\.?[Mm]\\.?(?![A-Za-z]))?(?![\\d:])"),
              "time"),
          // host:port with a dotted name, localhost, or mstsc/xfreerdp's /v:NAME:PORT
          new Recogniser(
              Pattern.compile(
                  "(?i)(?:\\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.){1,20}[a-z][a-z0-9-]*|\\blocalhost|(?<=/v:)[^\\s:/]+):(?<port>\\d{1,5})\\b"),
              "port", "port"),
          // PowerShell's Test-NetConnection (the Microsoft cmdlet's layout, as pasted in PowerShell
          // issue 25818 and on forums): "WARNING: TCP connect to (10.0.0.5 : 3389) failed", its
          // "-Port 3389"/"-p 3389" argument, the "RemotePort : 3389" and "InterfaceAlias : Wi-Fi 2"
          // property lines and "PingReplyDetails (RTT) : 849 ms": ports, a name and a duration
          new Recogniser(
              Pattern.compile("(?i)\\bTCP connect to \\([^)\\r\\n]{1,260} : (?<n>\\d{1,5})\\)"), "port", "n"),
          new Recogniser(Pattern.compile("(?i)(?<=\\s)-(?:p|port)[ \\t]+(?<n>\\d{1,5})\\b"), "port", "n"),
          new Recogniser(
              Pattern.compile("(?im)^[ \\t]*(?:Remote|Source|Local)Port[ \\t]*:[ \\t]*(?<n>\\d{1,5})\\b"), "port", "n"),
          new Recogniser(
              Pattern.compile("(?im)^[ \\t]*InterfaceAlias[ \\t]*:[ \\t]*(?<n>[^\\r\\n]*[^\\s])"), "network interface name", "n"),
          new Recogniser(Pattern.compile("(?i)\\b(?<n>\\d{1,9})[ \\t]?ms\\b"), "duration in milliseconds", "n"),
          // GLib's message prefix, as Remmina prints it: "(remmina:20449): Gtk-CRITICAL **: ..."
          // at the start of a line (Remmina issue 1539); the 20449 is a process id
          new Recogniser(
              Pattern.compile("(?m)^\\([A-Za-z][\\w.+-]{0,40}:(?<n>\\d{1,10})\\):[ \\t]"), "GLib process id", "n"),
          // xfreerdp's "Freerdp connect error exit status 1" and "Authentication only, exit status 0":
          // client/X11/xf_client.c prints !status there (1 = failed, 0 = succeeded), not an exit code
          new Recogniser(
              Pattern.compile("(?i)\\b(?:connect error|authentication only,) exit status (?<n>[01])\\b"),
              "FreeRDP connect result (1 = failed; not an exit code)", "n"),
          // Product names with a number: "on the Windows 10 machine", "Win11", "Windows Server 2019",
          // "FreeRDP version 2.7.0", "xfreerdp 3": the 10 is no extendedReason (FreeRDP issue 3139's text)
          new Recogniser(
              Pattern.compile(
                  "(?i)\\b(?:(?:Microsoft\\s+)?Win(?:dows)?\\s?(?:Server\\s+)?(?:\\d{1,4}(?:\\.\\d)?|XP|Vista)(?:\\s+R2)?"
                      + "|(?:Windows\\s+)?Server\\s+20\\d\\d(?:\\s+R2)?"
                      + "|(?:[xw]?freerdp|remmina|rdesktop|mstsc)\\s+(?:version\\s+)?\\d+(?:\\.\\d+){0,3})\\b"),
              "product name and version"),
          new Recogniser(Pattern.compile("(?i)\\b(?:OS\\s+)?build\\s*:?\\s*\\d{4,5}(?:\\.\\d+)?\\b"), "build number"),
          new Recogniser(Pattern.compile("\\bKB\\d{6,7}\\b"), "KB number"),
          new Recogniser(Pattern.compile("(?i)\\bv?\\d+(?:\\.\\d+){1,3}\\b"), "version"),
          // FreeRDP with OpenSSL's error instead of an errno: "system error 14094438:SSL routines:..."
          // (ERR_get_error in hex without 0x: 0x14094438 is SSL_R_TLSV1_ALERT_INTERNAL_ERROR)
          new Recogniser(
              Pattern.compile("(?i)\\bsystem error (?<n>[0-9A-F]{6,8}):SSL routines"), "OpenSSL error code (hex)", "n"),
          // FreeRDP 2: "BIO_should_retry returned a system error 32: Broken pipe" (an errno)
          new Recogniser(Pattern.compile("(?i)\\bsystem error (?<n>\\d+)"), "OS error number (errno)", "n"),
          // FreeRDP: Certificate verification failure 'self-signed certificate (18)' (OpenSSL's X509_V_ERR_*)
          new Recogniser(
              Pattern.compile("(?i)verification failure '[^'\\r\\n]{0,200}\\((?<n>\\d+)\\)'"), "OpenSSL certificate error number", "n"),
          // Computer names with digits: "WS-0142.corp.example", "DESKTOP-4F2K9Q1" (the 0142 is no code)
          new Recogniser(
              Pattern.compile(
                  "\\b[A-Za-z][A-Za-z0-9]{0,62}(?:-[A-Za-z0-9]{1,63}){0,6}-\\d[A-Za-z0-9]{0,62}(?:-[A-Za-z0-9]{1,63}){0,6}(?:\\.[A-Za-z][A-Za-z0-9-]{0,62}){0,10}\\b"),
              "computer name"),
          // The Windows 7-10 dialog's "for one of these reasons: 1) ... 2) ... 3) ..."
          new Recogniser(Pattern.compile("(?<=^|[\\s:])(?<n>\\d{1,2})\\)(?=\\s+\\p{Lu})"), "list item number", "n"),
          new Recogniser(Pattern.compile("(?i)\\(?(?<n>\\d+) of (?<m>\\d+)\\)?"), "count", "n", "m"),
          // Fields whose numbers are ids, counts or positions, as Event Viewer, 4625 and logs label them
          new Recogniser(
              Pattern.compile(
                  "(?i)\\b(?<label>(?:new |caller |client )?process ?id|stack position|thread ?id|(?:linked |target |subject )?logon ?id|"
                      + "logon ?type|session ?id|session|key ?length|source port|ip ?port|port|record id|record number|"
                      + "eventrecordid|record|line|column|attempt|retry|task category|task|opcode|keywords|level|"
                      + "qualifiers|pid|tid|connection id|version)"
                      // "Logon Type: 3", "Process ID = 0x1f4", and the XML view's <Level>4</Level>,
                      // ProcessID="516", <Data Name="LogonType">3</Data>
                      + "[\\s:=#>\"']{0,4}\\(?(?<n>0[xX][0-9A-Fa-f]+|\\d+)\\b"),
              "label", "n"),
          // pointers and 64-bit words in debug logs ([0x7fe51c050fe0]): no code family is 64 bits
          new Recogniser(Pattern.compile("\\b0[xX][0-9A-Fa-f]{9,16}\\b"), "64-bit value (address)"));

  private TextLayout() {}

  /** Every non-code number span of {@code text}, in input order, none overlapping. */
  static List<Skipped> skips(String text) {
    List<Skipped> out = new ArrayList<>();
    BitSet claimed = new BitSet(text.length());
    for (Recogniser r : RECOGNISERS) {
      Matcher m = r.pattern().matcher(text);
      while (m.find()) {
        if (r.kind().equals("IPv6 address") && !isIpv6(m.group("ip6"))) {
          continue;
        }
        if (r.groups().length == 0) {
          // "10.0.0.5:3389" and "[::1]:3389" carry a port; a bare IPv6 address cannot (its colons)
          String t = m.group();
          boolean port = r.kind().equals("IPv4 address") ? t.contains(":") : r.kind().equals("IPv6 address") && t.contains("]:");
          add(out, claimed, new Skipped(port ? r.kind() + ":port" : r.kind(), m.group(), m.start(), m.end()));
          continue;
        }
        for (String piece : r.groups()) {
          int eq = piece.indexOf('=');
          String g = eq < 0 ? piece : piece.substring(0, eq);
          String kind = eq >= 0 ? piece.substring(eq + 1)
              : r.kind().equals("label") ? m.group("label").toLowerCase(Locale.ROOT) : r.kind();
          if (m.group(g) != null) {
            add(out, claimed, new Skipped(kind, m.group(g), m.start(g), m.end(g)));
          }
        }
      }
    }
    out.sort(Comparator.comparingInt(Skipped::start));
    return out;
  }

  /** {@code text} with every skipped span blanked: same length, so offsets still match. */
  static String mask(String text, List<Skipped> skipped) {
    if (skipped.isEmpty()) {
      return text;
    }
    char[] c = text.toCharArray();
    for (Skipped s : skipped) {
      for (int i = s.start(); i < s.end(); i++) {
        c[i] = ' ';
      }
    }
    return new String(c);
  }

  /**
   * The text as message patterns are matched: lower case, typographic quotes and apostrophes
   * straightened (dialogs write "can’t"), every run of white space one space.
   */
  static String normalise(String text) {
    StringBuilder b = new StringBuilder(text.length());
    boolean space = false;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      ch = switch (ch) {
        case '\u2018', '\u2019', '\u02BC', '\u00B4', '`' -> '\'';
        case '\u201C', '\u201D', '\u201E', '\u00AB', '\u00BB' -> '"';
        case '\u00A0', '\u202F' -> ' ';
        default -> ch;
      };
      if (Character.isWhitespace(ch)) {
        space = true;
        continue;
      }
      if (space && !b.isEmpty()) {
        b.append(' ');
      }
      space = false;
      b.append(Character.toLowerCase(ch));
    }
    return b.toString();
  }

  /** A match is kept only where no earlier, more specific recogniser has claimed any of it. */
  private static void add(List<Skipped> out, BitSet claimed, Skipped s) {
    int next = claimed.nextSetBit(s.start());
    if (next >= 0 && next < s.end()) {
      return;
    }
    claimed.set(s.start(), s.end());
    out.add(s);
  }

  /**
   * The IPv6 pattern also matches times ("09:23:11") and FreeRDP prefixes: an address either
   * compresses zeros ("::") or writes all eight groups, and has at least one hex letter or "::".
   */
  private static boolean isIpv6(String candidate) {
    int colons = 0;
    for (int i = 0; i < candidate.length(); i++) {
      if (candidate.charAt(i) == ':') {
        colons++;
      }
    }
    boolean compressed = candidate.contains("::");
    if (compressed) {
      return candidate.indexOf("::") == candidate.lastIndexOf("::") && colons <= 8;
    }
    return colons == 7 || (candidate.contains(".") && colons == 6);
  }
}
