package rdpdoctor.app.scan;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rdpdoctor.app.Json;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;
import rdpdoctor.fleet.HostResult;
import rdpdoctor.fleet.ScanDiff;
import rdpdoctor.fleet.Store;

/** The machine-readable forms of scan results: JSON lines and CSV, the same fields in the same order. */
final class ScanJson {
  private ScanJson() {}

  /** One object per line: the project's mapper without its indentation. */
  private static final ObjectWriter LINE = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

  static final List<String> COLUMNS = List.of("scan", "host", "port", "finishedAt", "reachable", "failure", "nla",
      "rdpSecurity", "tlsVersions", "certSha1", "certNotAfter", "credsspVersion", "osBuild", "problems", "millis");

  static Map<String, Object> fields(long scanId, HostResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scan", scanId);
    m.put("host", r.target().host());
    m.put("port", r.target().port());
    m.put("finishedAt", r.finishedAt().toString());
    m.put("reachable", r.reachable());
    m.put("failure", r.failure());
    m.put("nla", r.nla());
    m.put("rdpSecurity", r.rdpSecurity());
    m.put("tlsVersions", r.tlsVersions());
    m.put("certSha1", r.certSha1());
    m.put("certNotAfter", r.certNotAfter() == null ? null : r.certNotAfter().toString());
    m.put("credsspVersion", r.credsspVersion());
    m.put("osBuild", r.osBuild());
    m.put("problems", r.problems());
    m.put("millis", r.millis());
    return m;
  }

  static String line(Store.ScanInfo scan, HostResult r) {
    return LINE.writeValueAsString(fields(scan.id(), r));
  }

  static String change(ScanDiff.Change c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("host", c.target().host());
    m.put("port", c.target().port());
    m.put("change", c.kind().word());
    m.put("before", c.before());
    m.put("after", c.after());
    m.put("direction", c.direction().name().toLowerCase(java.util.Locale.ROOT));
    return LINE.writeValueAsString(m);
  }

  /** One CSV row (RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled; lists joined by ';'). */
  static String csvRow(long scanId, HostResult r) {
    Map<String, Object> m = fields(scanId, r);
    List<String> cells = new java.util.ArrayList<>();
    for (String c : COLUMNS) {
      Object v = m.get(c);
      String s = v == null ? "" : v instanceof List<?> l ? String.join(";", l.stream().map(String::valueOf).toList())
          : String.valueOf(v);
      if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
        s = "\"" + s.replace("\"", "\"\"") + "\"";
      }
      cells.add(s);
    }
    return String.join(",", cells);
  }
}
