package rdpdoctor.app.scan;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.UserError;
import rdpdoctor.fleet.HostResult;
import rdpdoctor.fleet.Store;
import rdpdoctor.probe.Target;

/** {@code rdpdoctor history HOST[:PORT]}: one endpoint's results over every scan in the store. */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = {"Shows one endpoint's results in every scan of the store, oldest first."},
    footerHeading = "%nExamples:%n",
    footer = {
      "  rdpdoctor history 10.0.0.5",
      "  rdpdoctor history rdp.example.com:3390 --json",
      "",
      "Exit codes: 0 shown, 1 the endpoint is in no scan, 2 bad arguments, 3 the store cannot be used."
    })
public final class HistoryCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "HOST[:PORT]", description = "as it was scanned; port 3389 unless given")
  String host;

  @Mixin StoreOption store = new StoreOption();

  @Option(names = "--json", description = "one JSON object per scan (JSON lines)")
  boolean json;

  @Override
  public Integer call() {
    Target t;
    try {
      t = rdpdoctor.fleet.Targets.one(host);
    } catch (IllegalArgumentException e) {
      throw new UserError(ExitCodes.USAGE, e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    try (Store db = store.open()) {
      List<Store.Entry> entries = db.history(t);
      if (entries.isEmpty()) {
        spec.commandLine().getErr().println("history: " + t + " is in no scan of the store");
        return ExitCodes.FOUND;
      }
      for (Store.Entry e : entries) {
        out.println(json ? ScanJson.line(e.scan(), e.result()) : text(e));
      }
      out.flush();
      return ExitCodes.OK;
    } catch (Store.StoreException e) {
      throw new UserError(ExitCodes.IO, e.getMessage());
    }
  }

  /** One line per scan: when, whether it answered, the posture facts, the problem count. */
  static String text(Store.Entry e) {
    HostResult r = e.result();
    StringBuilder b = new StringBuilder();
    b.append("scan ").append(e.scan().id()).append(" (").append(e.scan().tag()).append(", ")
        .append(e.scan().mode()).append(") ").append(r.finishedAt()).append("  ");
    if (!r.reachable()) {
      return b.append("down: ").append(r.failure()).toString();
    }
    b.append("up  nla ").append(r.nla());
    b.append("  rdp-security ").append(r.rdpSecurity() == null ? "unknown" : r.rdpSecurity() ? "accepted" : "refused");
    if (r.tlsVersions() != null) {
      b.append("  tls ").append(r.tlsVersions().isEmpty() ? "none" : String.join(",", r.tlsVersions()));
    }
    if (r.certNotAfter() != null) {
      b.append("  certificate ").append(r.certSha1()).append(" until ").append(r.certNotAfter());
    }
    if (r.credsspVersion() != null) {
      b.append("  credssp ").append(r.credsspVersion());
    }
    if (r.osBuild() != null) {
      b.append("  os ").append(r.osBuild());
    }
    return b.append("  ").append(r.problems().size()).append(r.problems().size() == 1 ? " problem" : " problems")
        .toString();
  }
}
