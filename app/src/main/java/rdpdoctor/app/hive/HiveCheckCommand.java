package rdpdoctor.app.hive;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.Json;
import rdpdoctor.app.Style;
import rdpdoctor.evidence.regf.BaseBlock;
import rdpdoctor.evidence.regf.HiveCheck;

/** {@code rdpdoctor hive check FILE [LOGS...]}. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Checks a hive the way Windows does when it loads it: base block checksum, sequence",
      "numbers (dirty?) and transaction log replay, hive bin chain, every cell reachable from",
      "the root key. Says whether Windows loads it as is, after replaying its logs, or refuses",
      "it (for a user hive: a temporary profile at logon), and why.",
      "Logs are FILE.LOG1, FILE.LOG2 and FILE.LOG beside FILE (any case) unless given."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  rdpdoctor hive check NTUSER.DAT",
      "  rdpdoctor hive check SYSTEM SYSTEM.LOG1 SYSTEM.LOG2 --json",
      "",
      "Exit codes: 0 loads as is; 1 anything else (dirty, needs logs, damaged, refused);",
      "3 the file cannot be read; 2 bad command line."
    })
public final class HiveCheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "the hive (primary file)")
  Path file;

  @Parameters(index = "1..*", paramLabel = "LOGS", description = "its transaction logs (default: found beside FILE)")
  List<Path> logs = new ArrayList<>();

  @Option(names = "--json", description = "print the result as JSON")
  boolean json;

  @Override
  public Integer call() {
    HiveInput in = HiveInput.load(file, logs, true);
    HiveCheck c = in.check();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.MAPPER.writeValueAsString(toJson(in)));
    } else {
      print(in, out, Style.detect());
    }
    out.flush();
    return c.verdict() == HiveCheck.Verdict.LOADS_AS_IS ? ExitCodes.OK : ExitCodes.FOUND;
  }

  static Map<String, Object> toJson(HiveInput in) {
    HiveCheck c = in.check();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("file", in.file().toString());
    m.put("verdict", c.verdict().name());
    m.put("verdictText", c.verdict().words());
    m.put("reasons", c.reasons());
    m.put("consequence", c.consequence());
    m.put("kind", c.kind().name());
    BaseBlock b = c.baseBlock();
    if (b != null) {
      Map<String, Object> bb = new LinkedHashMap<>();
      bb.put("primarySequence", b.primarySequence());
      bb.put("secondarySequence", b.secondarySequence());
      bb.put("checksum", b.storedChecksum());
      bb.put("checksumValid", b.checksumValid());
      bb.put("version", b.major() + "." + b.minor());
      bb.put("fileType", b.fileType());
      bb.put("hiveBinsDataSize", b.hiveBinsDataSize());
      bb.put("rootCellOffset", b.rootCellOffset());
      bb.put("fileName", b.fileName());
      bb.put("lastWritten", b.lastWrittenTime().toString());
      m.put("baseBlock", bb);
    }
    m.put("logs", in.logPaths().stream().map(Path::toString).toList());
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("outcome", c.replay().outcome().name());
    r.put("steps", c.replay().steps());
    r.put("entries", c.replay().entries());
    r.put("pages", c.replay().pages());
    r.put("entriesNotApplied", c.replay().entriesNotApplied());
    if (c.replay().lastSequence() >= 0) {
      r.put("lastSequence", c.replay().lastSequence());
    }
    m.put("logReplay", r);
    m.put("stats", c.stats());
    m.put("problems", c.problems());
    return m;
  }

  static void print(HiveInput in, PrintWriter out, Style st) {
    HiveCheck c = in.check();
    String verdict = switch (c.verdict()) {
      case LOADS_AS_IS -> st.green(c.verdict().words());
      case LOADS_AFTER_LOG_REPLAY -> st.yellow(c.verdict().words());
      default -> st.red(c.verdict().words());
    };
    out.println(st.bold(in.file().toString()) + ": " + verdict);
    out.println("  hive:        " + c.kind().label());
    BaseBlock b = c.baseBlock();
    if (b != null) {
      // Concatenation, not printf, on the path of a clean hive: a JVM's first %d sets up the
      // locale's number formatting, 10-15 ms measured, a tenth of the whole command.
      out.println("  base block:  version " + b.major() + "." + b.minor() + ", checksum "
          + (b.checksumValid() ? "ok" : String.format("WRONG (0x%08x, contents give 0x%08x)",
              b.storedChecksum(), b.computedChecksum()))
          + ", sequence numbers " + b.primarySequence() + " / " + b.secondarySequence()
          + (b.sequencesMatch() ? "" : " (dirty)"));
    }
    out.println("  logs:        " + (in.logPaths().isEmpty()
        ? "none found (looked for " + in.file().getFileName() + ".LOG1, .LOG2, .LOG)"
        : String.join(", ", in.logPaths().stream().map(p -> p.getFileName().toString()).toList())));
    if (c.replay().outcome() != rdpdoctor.evidence.regf.LogReplay.Outcome.NOT_DIRTY) {
      for (String step : c.replay().steps()) {
        out.println("               " + step);
      }
    }
    HiveCheck.Stats s = c.stats();
    out.println("  walked:      " + s.bins() + " hive bins, " + s.cells() + " cells (" + s.freeCells()
        + " free), " + s.keys() + " keys, " + s.values() + " values, " + s.securityCells() + " security cells");
    for (String r : c.reasons()) {
      out.println("  why:         " + r);
    }
    out.println("  effect:      " + c.consequence());
    if (!c.problems().isEmpty()) {
      out.println("  problems (" + c.problems().size() + "):");
      int shown = 0;
      for (HiveCheck.Problem p : c.problems()) {
        if (shown++ == 20) {
          out.println("    ... " + (c.problems().size() - 20) + " more (use --json for all)");
          break;
        }
        out.println("    " + p.kind() + (p.offset() >= 0 ? String.format(" @0x%x", p.offset()) : "")
            + ": " + p.message());
      }
    }
  }
}
