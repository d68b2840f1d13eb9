package rdpdoctor.app.diagnose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.report.Report;
import rdpdoctor.diagnosis.Diagnosis;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.rules.RuleEngine;
import rdpdoctor.diagnosis.rules.RuleSet;

/** {@code rdpdoctor analyze PATH...}: the diagnosis over files, folders or a bundle, without a network. */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = {
      "Names the cause of an RDP failure from evidence files: event logs (EVTX), registry hives,",
      "certificates, CBS.log, collect's install checks, or a bundle zip from 'rdpdoctor collect'.",
      "File kinds are recognised by content. No network traffic."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  rdpdoctor analyze bundle-host01.zip",
      "  rdpdoctor analyze C:\\Windows\\System32\\winevt\\Logs\\Security.evtx SYSTEM --error \"0x904 0x7\"",
      "  rdpdoctor analyze evidence/ --html report.html",
      "  rdpdoctor analyze evidence/ --json > report.json && rdpdoctor fix --report report.json",
      "",
      "Exit codes: 0 no cause found, 1 a cause was found, 2 usage, 3 a file could not be read, 4 internal error."
    })
public final class AnalyzeCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "PATH", description = "evidence files, folders or bundle zips")
  List<Path> paths = new ArrayList<>();

  @Option(names = "--error", paramLabel = "CODES", description = "the codes you saw, e.g. \"0x904 0x7\" or ntstatus:0xC000006E")
  @Nullable String error;

  @Mixin ReportOptions report = new ReportOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Report r = run("analyze", null, paths, error, List.of(), List.of());
    report.emit(r, spec.commandLine().getOut());
    return r.causeFound() ? ExitCodes.FOUND : ExitCodes.OK;
  }

  /** Loads the evidence, adds the codes and any extra observations, runs the rules. */
  public static Report run(String command, @Nullable String target, List<Path> paths, @Nullable String error,
      List<Observation> extra, List<String> extraNotes) throws IOException {
    List<Observation> obs = new ArrayList<>(extra);
    List<String> files = new ArrayList<>();
    List<String> notes = new ArrayList<>(extraNotes);
    if (error != null) {
      obs.addAll(CodeInput.parse(error));
    }
    if (!paths.isEmpty()) {
      Path scratch = Files.createTempDirectory("rdpdoctor-");
      try {
        EvidenceLoader.Loaded l = EvidenceLoader.load(paths, scratch);
        obs.addAll(l.observations());
        files.addAll(l.files());
        notes.addAll(l.notes());
      } finally {
        delete(scratch);
      }
    }
    // Attempts rebuilt from the events, so that rules can see patterns across them (timeline.attempt).
    obs.addAll(rdpdoctor.diagnosis.timeline.Correlator.correlate(obs).observations());
    Instant now = Instant.now();
    Diagnosis d = new RuleEngine(RuleSet.builtIn()).diagnose(obs, now);
    return new Report(command, target, d, files, notes, now);
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
