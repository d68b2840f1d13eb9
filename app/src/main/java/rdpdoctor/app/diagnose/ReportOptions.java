package rdpdoctor.app.diagnose;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /** Prints the chosen format to {@code out} and writes the HTML file when asked. */
  void emit(Report r, PrintWriter out) throws IOException {
    if (json) {
      out.println(Json.MAPPER.writeValueAsString(r.toTree()));
      out.flush();
    } else if (markdown) {
      MarkdownReport.render(r, out);
    } else {
      TextReport.render(r, Style.detect(), out);
    }
    if (html != null) {
      try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(html, StandardCharsets.UTF_8))) {
        HtmlReport.render(r, w);
      }
    }
  }
}
