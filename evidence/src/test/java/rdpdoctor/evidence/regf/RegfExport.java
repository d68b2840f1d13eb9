package rdpdoctor.evidence.regf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs libregf's {@code regfexport} and parses its text: "Key path:" blocks with "Value: i name",
 * "Type: ... (REG_X)", "Data size: n" and either an inline "Data: text" (strings and integers) or
 * a hex dump.
 */
final class RegfExport {
  /** One value as regfexport prints it; data is the inline text or the hex bytes ("0a0b..."). */
  record Value(String name, String type, long size, String data, boolean hex) {}

  private RegfExport() {}

  /** Key path (without the root key's name) to its values, in output order. */
  static int lastExitCode;

  static Map<String, List<Value>> run(Path hive) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("regfexport", hive.toString()).redirectErrorStream(false).start();
    Map<String, List<Value>> keys = new LinkedHashMap<>();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      List<Value> current = null;
      String line;
      String vName = null;
      String vType = null;
      long vSize = -1;
      StringBuilder hex = null;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("Key path: ")) {
          String path = line.substring(10);
          int slash = path.indexOf('\\');
          path = slash < 0 ? "" : path.substring(slash + 1);
          current = new ArrayList<>();
          keys.put(path, current);
        } else if (line.startsWith("Value: ") && current != null) {
          int sp = line.indexOf(' ', 7);
          vName = line.substring(sp + 1);
          if (vName.equals("(default)")) {
            vName = "";
          }
        } else if (line.startsWith("Type: ")) {
          int open = line.lastIndexOf('(');
          vType = line.startsWith("Type: unknown: ") || open < 0
              ? line.substring(6)
              : line.substring(open + 1, line.length() - 1);
        } else if (line.startsWith("Data size: ")) {
          vSize = Long.parseLong(line.substring(11).trim());
          if (vSize == 0) {
            current.add(new Value(vName, vType, 0, "", false));
            vName = null;
          }
        } else if (line.startsWith("Data:") && vName != null) {
          String rest = line.length() > 6 ? line.substring(6) : "";
          if (!rest.isEmpty() || line.equals("Data: ")) {
            current.add(new Value(vName, vType, vSize, rest, false));
            vName = null;
          } else {
            hex = new StringBuilder();
          }
        } else if (hex != null && line.length() > 10 && line.charAt(8) == ':') {
          String body = line.substring(10, Math.min(line.length(), 10 + 49));
          hex.append(body.replace(" ", ""));
        } else if (hex != null && line.isEmpty()) {
          current.add(new Value(vName, vType, vSize, hex.toString(), true));
          hex = null;
          vName = null;
        }
      }
      if (hex != null && vName != null) {
        current.add(new Value(vName, vType, vSize, hex.toString(), true));
      }
    }
    p.getErrorStream().readAllBytes();
    lastExitCode = p.waitFor();
    return keys;
  }
}
