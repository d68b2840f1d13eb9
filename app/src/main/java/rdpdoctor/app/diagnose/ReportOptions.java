package rdpdoctor.app.diagnose;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import rdpdoctor.app.Json;
import rdpdoctor.app.Style;
import rdpdoctor.app.report.HtmlReport;
import rdpdoctor.app.report.MarkdownReport;
import rdpdoctor.app.report.Report;
import rdpdoctor.app.report.TextReport;

/** The report options diagnose and analyze share. */
public final class ReportOptions {
  @Option(names = "--json", description = "print the report as JSON (schema: docs/schema/diagnosis-report-v1.schema.json)")
  boolean json;

  @Option(names = "--markdown", description = "print the report as Markdown, for a ticket")
  boolean markdown;

  @Option(names = "--html", paramLabel = "FILE", description = "also write a self-contained HTML page to FILE")
  @Nullable Path html;

  /** The JSON document for several computers: one v1 report per computer. */
  public static final String SET_SCHEMA = "rdpdoctor.diagnosis-report-set/1";

  /**
   * Prints the chosen format to {@code out} and writes the HTML file when asked. One report is
   * printed as before; several (one per computer) are printed one after the other under a line
   * naming the computers, as a {@link #SET_SCHEMA} JSON document, and as one HTML page per
   * computer ({@code report-HOST01.html}), each named on {@code err}.
   */
  void emit(List<Report> rs, PrintWriter out, PrintWriter err) throws IOException {
    if (json) {
      Object doc;
      if (rs.size() == 1) {
        doc = rs.get(0).toTree();
      } else {
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("schema", SET_SCHEMA);
        set.put("causeFound", rs.stream().anyMatch(Report::causeFound));
        set.put("reports", rs.stream().map(Report::toTree).toList());
        doc = set;
      }
      out.println(Json.MAPPER.writeValueAsString(doc));
      out.flush();
    } else {
      if (rs.size() > 1) {
        out.println("Evidence from " + rs.size() + " computers, one report each: "
            + String.join(", ", rs.stream().map(ReportOptions::name).toList()));
      }
      for (int i = 0; i < rs.size(); i++) {
        if (rs.size() > 1) {
          out.println();
          out.println((markdown ? "# " : "=== ") + (i + 1) + " of " + rs.size() + ": " + name(rs.get(i)) + (markdown ? "" : " ==="));
          out.println();
        }
        if (markdown) {
          MarkdownReport.render(rs.get(i), out);
        } else {
          TextReport.render(rs.get(i), Style.detect(), out);
        }
      }
      out.flush();
    }
    if (html != null) {
      for (Report r : rs) {
        Path file = rs.size() == 1 ? html : perComputer(html, r.computer() == null ? "unknown" : r.computer().key());
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
          HtmlReport.render(r, w);
        }
        if (rs.size() > 1) {
          err.println("wrote " + file + " (" + name(r) + ")");
        }
      }
      err.flush();
    }
  }

  private static String name(Report r) {
    return r.computer() == null ? "computer unknown" : r.computerLabel();
  }

  /**
   * {@code report.html} → {@code report-HOST01.html}: the file for one computer's output. The key
   * is a NetBIOS name, but it comes from evidence: anything outside letters, digits and dashes
   * becomes an underscore so it cannot name another folder.
   */
  public static Path perComputer(Path file, String key) {
    String safe = key.replaceAll("[^A-Za-z0-9-]", "_");
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String out = dot > 0 ? name.substring(0, dot) + "-" + safe + name.substring(dot) : name + "-" + safe;
    return file.resolveSibling(out);
  }
}
