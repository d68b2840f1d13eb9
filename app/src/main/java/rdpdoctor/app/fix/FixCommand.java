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
import rdpdoctor.app.diagnose.ReportOptions;
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
      "Findings come from a saved 'analyze/diagnose --json' report, or from analysing PATHs now.",
      "A script is for one computer and stops on any other ($env:COMPUTERNAME is checked first);",
      "evidence from several computers gives one script each (-o fix.ps1 writes fix-HOST01.ps1, ...)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  rdpdoctor analyze bundle.zip --json > report.json",
      "  rdpdoctor fix --report report.json -o fix.ps1",
      "  rdpdoctor fix bundle.zip > fix.ps1",
      "  rdpdoctor fix host01.zip host02.zip -o fix.ps1   (a script per computer)",
      "  rdpdoctor fix --hardening bundle.zip > fix.ps1   (also close the weaknesses: NLA, TLS, ...)",
      "     then on the machine: powershell -ExecutionPolicy Bypass -File fix.ps1          (dry run)",
      "                          powershell -ExecutionPolicy Bypass -File fix.ps1 -Apply   (changes)",
      "",
      "Exit codes: 0 script written (it may hold no steps when nothing calls for a scripted fix), 2 usage, 3 unreadable input.",
      "The script exits 3 on a computer other than the one it was made for."
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

  @Option(names = "--hardening", description = "also script the weaknesses' fixes (require NLA, TLS, ...);"
      + " without it the script mends only causes, since hardening can refuse clients that connect today")
  boolean hardening;

  @Option(names = "--json", description = "print {steps, refused, script} as JSON")
  boolean json;

  @Spec CommandSpec spec;

  /**
   * The findings of one computer's report, as fix requests; {@code computer} is its NetBIOS key or
   * null; {@code withheld} counts the weaknesses' steps left out without --hardening, so the user
   * hears of them.
   */
  record Plan(@Nullable String computer, List<FixScript.Request> requests, int withheld) {}

  @Override
  public Integer call() throws IOException {
    List<Plan> plans;
    if (reportFile != null) {
      if (!paths.isEmpty()) {
        throw new UserError(ExitCodes.USAGE, "give either --report or PATHs, not both");
      }
      plans = fromReport(reportFile, hardening);
    } else if (!paths.isEmpty() || error != null) {
      plans = new ArrayList<>();
      for (Report r : AnalyzeSupport.analyze(paths, error)) {
        FixScript.Selection sel = FixScript.select(FixScript.candidates(r.diagnosis().findings()), hardening);
        plans.add(new Plan(r.computer() == null ? null : r.computer().key(), sel.requests(), sel.withheld()));
      }
    } else {
      throw new UserError(ExitCodes.USAGE, "nothing to fix from: give --report report.json or evidence PATHs");
    }
    if (plans.size() > 1 && output == null && !json) {
      throw new UserError(ExitCodes.USAGE, "the evidence comes from " + plans.size() + " computers ("
          + String.join(", ", plans.stream().map(p -> p.computer() == null ? "unknown" : p.computer()).toList())
          + ") and each gets its own script: give -o fix.ps1 to write " + String.join(" and ",
              plans.stream().map(p -> ReportOptions.perComputer(Path.of("fix.ps1"), p.computer() == null ? "unknown" : p.computer()).toString()).toList()));
    }
    Instant now = Instant.now();
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Plan p : plans) {
      FixScript.Result res;
      try {
        res = FixScript.build(p.requests(), FixCatalog.builtIn(), now, p.computer());
      } catch (IllegalArgumentException e) {
        throw new UserError(ExitCodes.USAGE, "cannot write a script that checks the computer it runs on: " + e.getMessage());
      }
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("computer", p.computer());
        m.put("steps", res.included());
        m.put("refused", res.refused());
        m.put("hardeningLeftOut", p.withheld());
        m.put("script", res.script());
        docs.add(m);
      } else if (output != null) {
        Path file = plans.size() == 1 ? output : ReportOptions.perComputer(output, p.computer() == null ? "unknown" : p.computer());
        Files.writeString(file, "\uFEFF" + res.script(), StandardCharsets.UTF_8);
        spec.commandLine().getErr().println("wrote " + file + " (" + res.included().size() + " step(s)"
            + (p.computer() == null ? "" : " for computer " + p.computer()) + "; dry run unless run with -Apply)"
            + (p.withheld() == 0 ? "" : "; " + p.withheld() + " hardening step(s) for weaknesses left out: add --hardening to include them"));
      } else {
        spec.commandLine().getOut().print(res.script());
        if (p.withheld() > 0) {
          spec.commandLine().getErr().println("note: " + p.withheld()
              + " hardening step(s) for weaknesses left out: add --hardening to include them");
        }
      }
    }
    if (json) {
      // One computer: {computer, steps, refused, script} as before; several: {"scripts": [...]}.
      Object doc = docs.size() == 1 ? docs.get(0) : Map.of("scripts", docs);
      spec.commandLine().getOut().println(Json.MAPPER.writeValueAsString(doc));
    }
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }

  /**
   * The fix requests in a saved report, per computer: every remediation step that names a fix.
   * A report of one computer ({@code rdpdoctor.diagnosis-report/1}) gives one plan; a report set
   * ({@code rdpdoctor.diagnosis-report-set/1}) one plan per report in it. A weakness's steps only
   * with {@code hardening}: the same {@link FixScript#select} as for evidence.
   */
  static List<Plan> fromReport(Path file, boolean hardening) throws IOException {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (JacksonException e) {
      throw new UserError(ExitCodes.USAGE, file + " is not JSON: " + e.getOriginalMessage());
    }
    String schema = root.path("schema").asString("");
    List<JsonNode> reports = new ArrayList<>();
    if (ReportOptions.SET_SCHEMA.equals(schema)) {
      root.path("reports").forEach(reports::add);
    } else if (Report.SCHEMA.equals(schema)) {
      reports.add(root);
    } else {
      throw new UserError(ExitCodes.USAGE, file + " is not an rdpdoctor report (schema '" + schema + "', expected '"
          + Report.SCHEMA + "' or '" + ReportOptions.SET_SCHEMA + "'); make one with 'rdpdoctor analyze ... --json'");
    }
    List<Plan> plans = new ArrayList<>();
    for (JsonNode r : reports) {
      if (!Report.SCHEMA.equals(r.path("schema").asString(""))) {
        throw new UserError(ExitCodes.USAGE, file + ": a report in the set has schema '" + r.path("schema").asString("")
            + "' (expected: '" + Report.SCHEMA + "')");
      }
      List<FixScript.Candidate> steps = new ArrayList<>();
      for (JsonNode f : r.path("findings")) {
        boolean weakness = "weakness".equals(f.path("kind").asString("cause"));
        for (JsonNode step : f.path("remediation")) {
          String fix = step.path("fix").asString(null);
          if (fix == null || fix.isEmpty()) {
            continue;
          }
          Map<String, String> params = new LinkedHashMap<>();
          for (Map.Entry<String, JsonNode> e : step.path("parameters").properties()) {
            params.put(e.getKey(), e.getValue().asString(""));
          }
          steps.add(new FixScript.Candidate(f.path("id").asString("?"), weakness, fix, params));
        }
      }
      FixScript.Selection sel = FixScript.select(steps, hardening);
      String key = r.path("computer").path("key").asString(null);
      plans.add(new Plan(key == null || key.isEmpty() ? null : key, sel.requests(), sel.withheld()));
    }
    return plans;
  }
}
