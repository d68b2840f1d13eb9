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
import rdpdoctor.fleet.ScanDiff;
import rdpdoctor.fleet.Store;

/** {@code rdpdoctor diff [SCAN_A SCAN_B]}: what changed between two scans. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = {
      "Says what changed between two scans, host by host: new, gone, down, up; certificate renewed,"
          + " expiring, expired; NLA off or on; TLS versions enabled or disabled; Standard RDP Security"
          + " allowed; CredSSP version or OS build changed. Without scan ids: the tag's last two"
          + " finished scans."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  rdpdoctor diff                          the last two scans of tag 'default'",
      "  rdpdoctor diff --tag prod --days 14     certificates expiring within 14 days count",
      "  rdpdoctor diff 3 7 --json",
      "",
      "Exit codes: 0 nothing got worse, 1 something got worse (for cron and CI), 2 bad arguments,",
      "3 the store cannot be used."
    })
public final class DiffCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SCAN", arity = "0..2", description = "the older and the newer scan's id")
  List<Long> scans = new java.util.ArrayList<>();

  @Option(names = "--tag", paramLabel = "NAME", defaultValue = "default",
      description = "without SCAN ids: compare this tag's last two finished scans (default: ${DEFAULT-VALUE})")
  String tag;

  @Option(names = "--days", paramLabel = "N", defaultValue = "30",
      description = "a certificate expiring within N days of the newer scan is a change (default: ${DEFAULT-VALUE})")
  int days;

  @Mixin StoreOption store = new StoreOption();

  @Option(names = "--json", description = "one JSON object per change (JSON lines)")
  boolean json;

  @Override
  public Integer call() {
    if (scans.size() == 1) {
      throw new UserError(ExitCodes.USAGE, "diff takes two scan ids or none, not one");
    }
    if (days < 0) {
      throw new UserError(ExitCodes.USAGE, "--days must be >= 0: " + days);
    }
    try (Store db = store.open()) {
      Store.ScanInfo a;
      Store.ScanInfo b;
      if (scans.isEmpty()) {
        List<Store.ScanInfo> done = db.scans(tag).stream().filter(s -> s.finishedAt() != null).toList();
        if (done.size() < 2) {
          throw new UserError(ExitCodes.USAGE, "diff: tag '" + tag + "' has " + done.size()
              + " finished scans; it takes two (or give two scan ids)");
        }
        a = done.get(done.size() - 2);
        b = done.get(done.size() - 1);
      } else {
        a = find(db, scans.get(0));
        b = find(db, scans.get(1));
      }
      List<ScanDiff.Change> changes = ScanDiff.of(db.results(a.id()), db.results(b.id()), days);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        changes.forEach(c -> out.println(ScanJson.change(c)));
      } else {
        out.println("scan " + a.id() + " (" + a.startedAt() + ") -> scan " + b.id() + " (" + b.startedAt() + "): "
            + changes.size() + (changes.size() == 1 ? " change" : " changes"));
        for (ScanDiff.Change c : changes) {
          out.println("  " + c.target() + "  " + c.kind().word()
              + (c.before() == null && c.after() == null ? "" : "  " + (c.before() == null ? "" : c.before() + " -> ")
                  + (c.after() == null ? "(none)" : c.after()))
              + (c.direction() == ScanDiff.Direction.NEUTRAL ? "" : "  (" + c.direction().name().toLowerCase(java.util.Locale.ROOT) + ")"));
        }
      }
      out.flush();
      return ScanDiff.worse(changes) ? ExitCodes.FOUND : ExitCodes.OK;
    } catch (Store.StoreException e) {
      throw new UserError(ExitCodes.IO, e.getMessage());
    }
  }

  private static Store.ScanInfo find(Store db, long id) {
    return db.scan(id).orElseThrow(() -> new UserError(ExitCodes.USAGE, "diff: no scan " + id + " in the store"));
  }
}
