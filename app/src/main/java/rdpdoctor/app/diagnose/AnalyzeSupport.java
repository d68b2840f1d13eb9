package rdpdoctor.app.diagnose;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import rdpdoctor.app.report.Report;

/** The analysis other commands (fix) run without printing a report: one report per computer. */
public final class AnalyzeSupport {
  private AnalyzeSupport() {}

  public static List<Report> analyze(List<Path> paths, @Nullable String error) throws IOException {
    return AnalyzeCommand.run("analyze", null, paths, error, List.of(), List.of(), null);
  }
}
