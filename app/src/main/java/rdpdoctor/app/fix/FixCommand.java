package rdpdoctor.app.fix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.Json;
import rdpdoctor.app.UserError;
import rdpdoctor.app.diagnose.AnalyzeSupport;
import rdpdoctor.app.report.Report;
import rdpdoctor.diagnosis.fix.FixCatalog;
import rdpdoctor.diagnosis.fix.FixScript;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** {@code rdpdoctor fix}: the PowerShell script for the findings' remedies, dry-run unless -Apply. */
@Command(
    name = "fix",
    mixinStandardHelpOptions = true,
    description = {
      "Writes a PowerShell script for the remedies the findings call for: read-only checks first,",
      "then (only when the script runs with -Apply) a backup of every key and file it changes",
      "(reg export, certificate export, icacls /save), the change, and an undo script per step.",
      "Findings come from a saved 'analyze/diagnose --json' report, or from analysing PATHs now."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  rdpdoctor analyze bundle.zip --json > report.json",
      "  rdpdoctor fix --report report.json -o fix.ps1",
      "  rdpdoctor fix bundle.zip > fix.ps1",
      "     then on the machine: powershell -ExecutionPolicy Bypass -File fix.ps1          (dry run)",
      "                          powershell -ExecutionPolicy Bypass -File fix.ps1 -Apply   (changes)",
      "",
      "Exit codes: 0 script written (it may hold no steps when nothing calls for a scripted fix), 2 usage, 3 unreadable input."
    })
public final class FixCommand implements Callable<Integer> {
  @Option(names = "--report", paramLabel = "JSON", description = "a report saved with --json")
  @Nullable Path reportFile;

  @Parameters(arity = "0..*", paramLabel = "PATH", description = "evidence to analyse now (instead of --report)")
  List<Path> paths = new ArrayList<>();

  @Option(names = "--error", paramLabel = "CODES", description = "with PATHs: the codes you saw")
  @Nullable String error;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write the script to FILE instead of standard output")
  @Nullable Path output;

  @Option(names = "--json", description = "print {steps, refused, script} as JSON")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    List<FixScript.Request> requests;
    if (reportFile != null) {
      if (!paths.isEmpty()) {
        throw new UserError(ExitCodes.USAGE, "give either --report or PATHs, not both");
      }
      requests = fromReport(reportFile);
    } else if (!paths.isEmpty() || error != null) {
      Report r = AnalyzeSupport.analyze(paths, error);
      requests = FixScript.requests(r.diagnosis().findings());
    } else {
      throw new UserError(ExitCodes.USAGE, "nothing to fix from: give --report report.json or evidence PATHs");
    }
    FixScript.Result res = FixScript.build(requests, FixCatalog.builtIn(), Instant.now());
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("steps", res.included());
      m.put("refused", res.refused());
      m.put("script", res.script());
      spec.commandLine().getOut().println(Json.MAPPER.writeValueAsString(m));
    } else if (output != null) {
      Files.writeString(output, "\uFEFF" + res.script(), StandardCharsets.UTF_8);
      spec.commandLine().getErr().println("wrote " + output + " (" + res.included().size() + " step(s); dry run unless run with -Apply)");
    } else {
      spec.commandLine().getOut().print(res.script());
    }
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }

  /** The fix requests in a saved report: every remediation step that names a fix. */
  static List<FixScript.Request> fromReport(Path file) throws IOException {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (JacksonException e) {
      throw new UserError(ExitCodes.USAGE, file + " is not JSON: " + e.getOriginalMessage());
    }
    String schema = root.path("schema").asString("");
    if (!Report.SCHEMA.equals(schema)) {
      throw new UserError(ExitCodes.USAGE, file + " is not an rdpdoctor report (schema '" + schema + "', expected '"
          + Report.SCHEMA + "'); make one with 'rdpdoctor analyze ... --json'");
    }
    List<FixScript.Request> out = new ArrayList<>();
    for (JsonNode f : root.path("findings")) {
      for (JsonNode step : f.path("remediation")) {
        String fix = step.path("fix").asString(null);
        if (fix == null || fix.isEmpty()) {
          continue;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : step.path("parameters").properties()) {
          params.put(e.getKey(), e.getValue().asString(""));
        }
        out.add(new FixScript.Request(f.path("id").asString("?"), fix, params));
      }
    }
    return out;
  }
}
