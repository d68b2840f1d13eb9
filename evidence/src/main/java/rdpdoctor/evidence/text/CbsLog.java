package rdpdoctor.evidence.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.Provenance;

/**
 * Reads the Component-Based Servicing log ({@code %windir%\Logs\CBS\CBS.log}) that
 * {@code sfc /scannow} writes its results into, and reports each file it found corrupt and whether
 * it was repaired. Only the System File Checker lines (tagged {@code [SR]}) matter:
 *
 * <pre>
 * 2026-10-02 10:00:01, Info  CSI  00000008 [SR] Cannot repair member file [l:11]"mstscax.dll" of Microsoft-Windows-TerminalServices-..., Version = ...
 * 2026-10-02 10:00:02, Info  CSI  00000009 [SR] Repairing corrupted file \??\C:\Windows\System32\x.dll from store
 * 2026-10-02 10:00:03, Info  CSI  0000000a [SR] Could not reproject corrupted file \??\C:\...\y.dll; source file in store is also corrupted
 * 2026-10-02 10:05:00, Info  CSI  0000000b [SR] Verify complete
 * </pre>
 *
 * Emits {@code cbs.file} per file (the last verdict wins: a file first "cannot repair" and later
 * "repaired" counts as repaired) and one {@code cbs.summary}.
 */
public final class CbsLog {
  private static final Pattern LINE_START = Pattern.compile("^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}, \\w+\\s+(CBS|CSI|DPX|CMIADAPTER)\\b");
  private static final Pattern CANNOT_REPAIR =
      Pattern.compile("\\[SR\\] Cannot repair member file \\[l:\\d+\\]\"([^\"]{1,512})\" of ([^,]{1,512})");
  private static final Pattern REPAIRING =
      Pattern.compile("\\[SR\\] Repair(?:ing|ed) (?:corrupted )?file (.{1,1024}?) (?:from store|by copying)");
  private static final Pattern COULD_NOT =
      Pattern.compile("\\[SR\\] Could not reproject corrupted file (.{1,1024}?);");
  private static final Pattern VERIFY = Pattern.compile("\\[SR\\] Verify complete");

  private CbsLog() {}

  /** Whether the first bytes look like CBS.log: a timestamped CBS/CSI line. */
  public static boolean looksLike(byte[] head) {
    String s = new String(head, 0, Math.min(head.length, 4096), StandardCharsets.UTF_8);
    for (String line : s.split("\r?\n", 8)) {
      if (LINE_START.matcher(line.replace("\uFEFF", "")).find()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The observations in {@code data}, read from {@code location} (a path, for provenance).
   *
   * @throws rdpdoctor.protocol.DecodeException when the file is larger than the readers allow
   */
  public static List<Observation> read(byte[] data, String location) {
    List<String> lines = TextLines.split(data, "CBS.log");
    Map<String, Observation> files = new LinkedHashMap<>();
    boolean verified = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (!line.contains("[SR]")) {
        continue;
      }
      long n = i + 1L;
      Matcher m;
      if ((m = CANNOT_REPAIR.matcher(line)).find()) {
        put(files, m.group(1), m.group(2).trim(), false, n, location);
      } else if ((m = COULD_NOT.matcher(line)).find()) {
        put(files, path(m.group(1)), null, false, n, location);
      } else if ((m = REPAIRING.matcher(line)).find()) {
        put(files, path(m.group(1)), null, true, n, location);
      } else if (VERIFY.matcher(line).find()) {
        verified = true;
      }
    }
    List<Observation> out = new ArrayList<>(files.values());
    long repaired = out.stream().filter(o -> Boolean.TRUE.equals(o.get("repaired"))).count();
    long unrepaired = out.size() - repaired;
    Provenance p = new Provenance(Provenance.Source.TEXT, location, lines.size() + " lines");
    out.add(Observation.of("cbs.summary", p)
        .with("verified", verified).with("repaired", repaired).with("unrepaired", unrepaired)
        .summary("CBS.log: " + (verified ? "sfc verification complete, " : "no completed sfc verification, ")
            + repaired + " file(s) repaired, " + unrepaired + " not repaired"));
    return out;
  }

  /** {@code \??\C:\Windows\System32\x.dll} → {@code C:\Windows\System32\x.dll}. */
  private static String path(String raw) {
    String s = raw.trim();
    return s.startsWith("\\??\\") ? s.substring(4) : s;
  }

  private static void put(Map<String, Observation> files, String file, String component, boolean repaired, long line, String location) {
    String name = file.substring(file.lastIndexOf('\\') + 1).toLowerCase(Locale.ROOT);
    Observation before = files.get(name);
    if (component == null && before != null) {
      component = before.string("component");
    }
    Provenance p = new Provenance(Provenance.Source.TEXT, location, "line " + line);
    files.put(name, Observation.of("cbs.file", p)
        .with("file", file).with("component", component).with("repaired", repaired).with("line", line)
        .summary("CBS.log line " + line + ": " + file + (repaired ? " was repaired" : " is corrupt and was not repaired")));
  }
}
