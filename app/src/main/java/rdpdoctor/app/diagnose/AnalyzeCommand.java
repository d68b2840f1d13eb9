package rdpdoctor.app.diagnose;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.ProgressLine;
import rdpdoctor.app.UserError;
import rdpdoctor.app.report.Report;
import rdpdoctor.probe.ProbeReport;
import rdpdoctor.diagnosis.Diagnosis;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.rules.RuleEngine;
import rdpdoctor.diagnosis.timeline.Correlator;
import rdpdoctor.diagnosis.rules.RuleSet;
import rdpdoctor.evidence.cases.Case;
import rdpdoctor.evidence.cases.CaseLoader;
import rdpdoctor.evidence.cases.Computer;
import rdpdoctor.evidence.cases.EvidenceFile;
import rdpdoctor.evidence.cases.EvidenceRefused;

/** {@code rdpdoctor analyze PATH...}: the diagnosis over files, folders or a bundle, without a network. */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = {
      "Names the cause of an RDP failure from evidence files: event logs (EVTX), registry hives,",
      "certificates, CBS.log, collect's install checks, or a bundle zip from 'rdpdoctor collect'.",
      "File kinds are recognised by content; a hive's .LOG1/.LOG2 are replayed with it. Files are",
      "grouped per computer (bundle manifest, events' Computer, SYSTEM's ComputerName) and each",
      "computer gets its own report. No network traffic."
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
    List<Report> rs = run("analyze", null, paths, error, List.of(), List.of(), null);
    report.emit(rs, spec.commandLine().getOut(), spec.commandLine().getErr());
    return rs.stream().anyMatch(Report::causeFound) ? ExitCodes.FOUND : ExitCodes.OK;
  }

  /** The ids of the events some rule tests: analyze keeps those records as well as the RDP ones. */
  private static final Set<Long> RULE_EVENT_IDS = RuleSet.eventIds(RuleSet.builtIn());

  /**
   * Loads the evidence as one case per computer and runs the rules on each case alone, so facts
   * from two computers never combine into one finding. The codes the user gave go with every case
   * (they describe the connection that failed); {@code extra} observations (diagnose's probe) go
   * with the case of the computer the probe met (its NTLM computer name), with the only case, or
   * into a report of their own when they match none of several.
   *
   * @return one report per computer, in the order the evidence named them; one report without a
   *     computer when no file named one
   */
  public static List<Report> run(String command, @Nullable String target, List<Path> paths, @Nullable String error,
      List<Observation> extra, List<String> extraNotes, @Nullable ProbeReport probe) throws IOException {
    List<Observation> codes = error == null ? List.of() : CodeInput.parse(error);
    Report.Inputs inputs = new Report.Inputs(paths.stream().map(Path::toString).toList(), error, codes, null);
    CaseLoader.Cases loaded;
    try {
      loaded = paths.isEmpty() ? new CaseLoader.Cases(List.of(), List.of()) : loadShowingProgress(paths);
    } catch (NoSuchFileException e) {
      throw new UserError(ExitCodes.IO, "no such file or folder: " + e.getFile() + " (give files, folders or a bundle .zip)");
    } catch (EvidenceRefused e) {
      throw new UserError(ExitCodes.IO, e.getMessage());
    }
    List<Case> cases = loaded.cases();
    int probed = extra.isEmpty() ? -1 : probedCase(cases, extra);
    Instant now = Instant.now();
    RuleEngine engine = new RuleEngine(RuleSet.builtIn());
    List<Report> out = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      List<Observation> obs = new ArrayList<>(codes);
      List<String> notes = new ArrayList<>();
      if (i == probed) {
        obs.addAll(extra);
        notes.addAll(extraNotes);
      }
      Report.Inputs in = i == probed ? inputs.withProbe(probe) : inputs;
      obs.addAll(c.observations());
      if (i == 0) {
        notes.addAll(loaded.notes());
      }
      if (cases.size() > 1) {
        notes.add("the evidence comes from " + cases.size() + " computers (" + String.join(", ", cases.stream().map(Case::label).toList())
            + "); this report uses only " + c.label() + "'s files");
      }
      out.add(report(command, target, engine, obs, c.files().stream().map(EvidenceFile::describe).toList(), notes, now, c.computer(), in));
    }
    if (cases.isEmpty() || probed < 0 && !extra.isEmpty()) {
      List<Observation> obs = new ArrayList<>(codes);
      obs.addAll(extra);
      List<String> notes = new ArrayList<>(extraNotes);
      if (cases.isEmpty()) {
        notes.addAll(loaded.notes());
      } else {
        notes.add("the probed host matches none of the computers in the evidence ("
            + String.join(", ", cases.stream().map(Case::label).toList()) + "); its findings are reported on their own");
      }
      out.add(report(command, target, engine, obs, List.of(), notes, now, null, inputs.withProbe(probe)));
    }
    return out;
  }

  /** The progress line's text while the evidence is read. */
  static String progressText(int done, int total, long records, String current) {
    return "analyze: " + done + " of " + total + " files, " + records + " event records read"
        + (current.isEmpty() ? "" : " (" + current + ")");
  }

  /** Loads the evidence with a progress line on stderr (drawn only on a terminal, erased at the end). */
  static CaseLoader.Cases loadShowingProgress(List<Path> paths) throws IOException {
    return load(paths, ProgressLine.stderr());
  }

  static CaseLoader.Cases load(List<Path> paths, ProgressLine line) throws IOException {
    try {
      return CaseLoader.load(paths, RULE_EVENT_IDS,
          (done, total, records, current) -> line.update(() -> progressText(done, total, records, current)));
    } finally {
      line.clear();
    }
  }

  private static Report report(String command, @Nullable String target, RuleEngine engine, List<Observation> obs,
      List<String> files, List<String> notes, Instant now, @Nullable Computer computer, Report.Inputs inputs) {
    // Attempts rebuilt from this computer's events, so that rules see patterns across them
    // (timeline.attempt) and the report can say what the logs show (timeline.summary).
    obs.addAll(Correlator.correlate(obs).observations());
    Diagnosis d = engine.diagnose(obs, now);
    return new Report(command, target, d, files, notes, now, computer, inputs);
  }

  /**
   * The case the probe's observations belong to: the computer its NTLM challenge named
   * ({@code probe.ntlm} netbiosComputer), else the only case; -1 when several cases match none.
   */
  static int probedCase(List<Case> cases, List<Observation> probe) {
    for (Observation o : probe) {
      String name = "probe.ntlm".equals(o.type()) ? o.string("netbiosComputer") : null;
      if (name == null || name.isBlank()) {
        continue;
      }
      String key = Computer.keyOf(name);
      for (int i = 0; i < cases.size(); i++) {
        Computer c = cases.get(i).computer();
        if (c != null && c.key().equals(key)) {
          return i;
        }
      }
    }
    return cases.size() == 1 ? 0 : -1;
  }
}
