package rdpdoctor.app.scan;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import rdpdoctor.app.Durations;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.ProgressLine;
import rdpdoctor.app.UserError;
import rdpdoctor.fleet.HostResult;
import rdpdoctor.fleet.Scanner;
import rdpdoctor.fleet.Store;
import rdpdoctor.fleet.Targets;

/** {@code rdpdoctor scan TARGET...}: the probe of every endpoint of an estate, kept in the store. */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description = {
      "Probes many RDP endpoints (hosts, CIDRs, ranges, files of targets) the way `probe` does and"
          + " keeps each result in a database as it finishes, so `history` and `diff` can say what"
          + " changed. Ctrl-C stops cleanly; --resume continues the same scan."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  rdpdoctor scan 10.0.0.0/24 --quick             negotiation sweep of 256 hosts",
      "  rdpdoctor scan -iL estate.txt --tag prod        full probe of every line of estate.txt",
      "  rdpdoctor scan 10.0.0.0/16 --exclude 10.0.9.0/24 --rate 2000",
      "  rdpdoctor scan -iL estate.txt --tag prod --resume   continue after Ctrl-C",
      "  rdpdoctor scan 10.0.0.0/24 --json | jq 'select(.nla != \"required\")'",
      "",
      "Exit codes: 0 no problem found, 1 a host has a problem (or is down), 2 bad arguments,",
      "3 the store cannot be used, 4 internal error, 130 stopped by Ctrl-C (resume with --resume)."
    })
public final class ScanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "TARGET", arity = "0..*",
      description = "HOST, HOST:PORT, [IPv6]:PORT, CIDR (10.0.0.0/24, fd00::/120), range (10.0.0.1-20)")
  List<String> targets = new ArrayList<>();

  @Option(names = "-iL", paramLabel = "FILE", description = "read targets from FILE, one per line, # comments")
  List<Path> files = new ArrayList<>();

  @Option(names = "--exclude", paramLabel = "SPEC", split = ",", description = "leave these out (same syntax)")
  List<String> excludes = new ArrayList<>();

  static final class Mode {
    @Option(names = "--quick", description = "only the X.224 negotiation sweep (the default)")
    boolean quick;

    @Option(names = "--full", description = "also TLS versions, certificate, NTLM/CredSSP and Standard RDP Security")
    boolean full;
  }

  @ArgGroup(exclusive = true)
  Mode mode = new Mode();

  @Option(names = "--rate", paramLabel = "N", defaultValue = "" + Scanner.Options.DEFAULT_RATE,
      description = "new connections per second over all hosts (default: ${DEFAULT-VALUE})")
  int rate;

  @Option(names = "--parallel", paramLabel = "N", defaultValue = "" + Scanner.Options.DEFAULT_PARALLEL,
      description = "hosts in flight; each opens at most 8 sockets at once (default: ${DEFAULT-VALUE})")
  int parallel;

  @Option(names = "--timeout", paramLabel = "D", defaultValue = "10s",
      description = "each host's whole budget: 10s, 500ms, 1m (default: ${DEFAULT-VALUE})")
  String timeout;

  @Mixin StoreOption store = new StoreOption();

  @Option(names = "--tag", paramLabel = "NAME", defaultValue = "default",
      description = "name of the estate; diff compares the last two scans of a tag (default: ${DEFAULT-VALUE})")
  String tag;

  @Option(names = "--resume", description = "continue the tag's last scan, which was stopped: same targets")
  boolean resume;

  @Option(names = "--shard", paramLabel = "K/N",
      description = "scan only part K (from 0) of N of the targets, with --run: N workers of a job runner scan one estate into one store")
  String shard;

  @Option(names = "--run", paramLabel = "ID",
      description = "with --shard: the id every worker of the run shares (a Job's uid, a CI run id); they write one scan")
  String run;

  @Option(names = "--yes", description = "allow a target that expands to more than 65,536 hosts (a /16)")
  boolean yes;

  static final class Output {
    @Option(names = "--json", description = "one JSON object per host (JSON lines)")
    boolean json;

    @Option(names = "--csv", description = "one CSV row per host, with a header")
    boolean csv;
  }

  @ArgGroup(exclusive = true)
  Output output = new Output();

  @Option(names = "--sarif", paramLabel = "FILE",
      description = "also write the scan as SARIF 2.1.0: one result per host problem, rule ids = rdpdoctor's rules")
  Path sarif;

  @Option(names = "--html", paramLabel = "FILE",
      description = "also write a self-contained HTML report: posture, certificate expiry timeline, a sortable host table")
  Path html;

  @Override
  public Integer call() {
    Duration d = Durations.parse(timeout);
    Targets ts;
    Scanner.Options options;
    rdpdoctor.fleet.Shard part;
    try {
      if (targets.isEmpty() && files.isEmpty()) {
        throw new IllegalArgumentException("no targets: give TARGET... or -iL FILE");
      }
      ts = Targets.of(targets, files, excludes, yes);
      options = new Scanner.Options(!mode.full, d, rate, parallel);
      part = shard == null ? null : rdpdoctor.fleet.Shard.parse(shard);
      if (part != null && (run == null || run.isBlank())) {
        throw new IllegalArgumentException("--shard needs --run ID, the same for every worker of the run");
      }
      if (part == null && run != null) {
        throw new IllegalArgumentException("--run is for sharded scans: give --shard K/N too");
      }
      if (part != null && resume) {
        throw new IllegalArgumentException("--resume is not for shards: run the same --shard/--run command again,"
            + " it probes only what its part is missing");
      }
    } catch (IllegalArgumentException e) {
      throw new UserError(ExitCodes.USAGE, e.getMessage());
    } catch (IOException e) {
      throw new UserError(ExitCodes.IO, "cannot read the targets: " + e);
    }
    String modeName = mode.full ? "full" : "quick";
    // opened before the store and any traffic: a report that cannot be written stops here
    try (ReportFiles reports = new ReportFiles(sarif, html); Store db = store.open()) { // an unusable store stops here too
      Store.ScanInfo scan;
      Set<String> done;
      if (resume) {
        scan = db.unfinished(tag).orElseThrow(() -> new UserError(ExitCodes.USAGE,
            "--resume: tag '" + tag + "' has no stopped scan to continue"));
        Optional<String> sharded = db.shardedRun(scan.id());
        if (sharded.isPresent()) {
          throw new UserError(ExitCodes.USAGE, "--resume: scan " + scan.id() + " of tag '" + tag + "' is " + sharded.get()
              + ", not finished: run the unfinished --shard K/N commands with the same --run again");
        }
        if (!scan.targets().equals(ts.description()) || !scan.mode().equals(modeName)) {
          throw new UserError(ExitCodes.USAGE, "--resume: scan " + scan.id() + " was '" + scan.mode() + " "
              + scan.targets() + "', not '" + modeName + " " + ts.description() + "'; give the same targets");
        }
        done = db.doneKeys(scan.id());
      } else if (part != null) {
        scan = db.joinScan(tag, modeName, ts.description(), run, part.count(), Clock.systemUTC().instant());
        done = db.doneKeys(scan.id()); // a worker run again probes only what its part misses
      } else {
        scan = db.startScan(tag, modeName, ts.description(), Clock.systemUTC().instant());
        done = Set.of();
      }
      return run(db, scan, ts, options, done, reports, part);
    } catch (Store.StoreException e) {
      throw new UserError(ExitCodes.IO, e.getMessage());
    }
  }

  private int run(Store db, Store.ScanInfo scan, Targets ts, Scanner.Options options, Set<String> done,
      ReportFiles reports, rdpdoctor.fleet.@Nullable Shard part) {
    Scanner scanner = new Scanner(options, db, Clock.systemUTC());
    long total = (part == null ? ts.upperBound() : (ts.upperBound() + part.count() - 1) / part.count()) - done.size();
    AtomicLong finished = new AtomicLong();
    AtomicLong down = new AtomicLong();
    long start = System.nanoTime();
    ProgressLine progress = ProgressLine.stderr();
    PrintWriter err = spec.commandLine().getErr();
    // Ctrl-C: start no more hosts, let those in flight be recorded, then let the JVM end. The
    // scan stays unfinished in the store; --resume continues it.
    Thread hook = new Thread(() -> {
      scanner.requestStop();
      try {
        scanner.awaitOver(options.hostTimeout().plusSeconds(5));
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
      synchronized (progress) {
        progress.clear();
      }
      err.println("scan " + scan.id() + " stopped after " + finished.get() + " hosts; every result is"
          + " kept: run the same command with --resume to continue");
      err.flush();
    }, "rdpdoctor-scan-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    Scanner.Summary summary;
    try {
      summary = scanner.run(scan.id(), ts, done, r -> {
        long n = finished.incrementAndGet();
        if (!r.reachable()) {
          down.incrementAndGet();
        }
        synchronized (progress) {
          progress.update(() -> progressText(n, total, down.get(), System.nanoTime() - start));
        }
      }, part);
    } finally {
      synchronized (progress) {
        progress.clear();
      }
    }
    Runtime.getRuntime().removeShutdownHook(hook);
    PrintWriter out = spec.commandLine().getOut();
    boolean[] problems = {false};
    // one host at a time from the store: a 100,000-host scan is never held in memory
    if (output.json) {
      db.forEachResult(scan.id(), r -> {
        problems[0] |= !r.problems().isEmpty();
        out.println(ScanJson.line(scan, r));
      });
    } else if (output.csv) {
      out.println(String.join(",", ScanJson.COLUMNS));
      db.forEachResult(scan.id(), r -> {
        problems[0] |= !r.problems().isEmpty();
        out.println(ScanJson.csvRow(scan.id(), r));
      });
    } else {
      Tally tally = new Tally();
      db.forEachResult(scan.id(), tally::add);
      problems[0] = tally.problemHosts > 0;
      tally.print(scan, summary, out);
    }
    out.flush();
    Store.ScanInfo ended = db.scan(scan.id()).orElse(scan); // with its end time, when it finished
    reports.write(db, ended);
    return problems[0] ? ExitCodes.FOUND : ExitCodes.OK;
  }

  /** The report files: created before the scan starts, written from the store after it. */
  static final class ReportFiles implements AutoCloseable {
    private final @Nullable Path sarifPath;
    private final @Nullable Path htmlPath;
    private final @Nullable Writer sarif;
    private final @Nullable Writer html;
    /** False until {@link #write}: a scan that ended before its reports leaves no empty files behind. */
    private boolean written;

    ReportFiles(@Nullable Path sarifPath, @Nullable Path htmlPath) {
      this.sarifPath = sarifPath;
      this.htmlPath = htmlPath;
      this.sarif = sarifPath == null ? null : create(sarifPath, "--sarif");
      try {
        this.html = htmlPath == null ? null : create(htmlPath, "--html");
      } catch (UserError e) {
        close(); // the SARIF file already opened
        throw e;
      }
    }

    private static Writer create(Path p, String option) {
      try {
        return java.nio.file.Files.newBufferedWriter(p, java.nio.charset.StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw failed(option, p, e);
      }
    }

    private static UserError failed(String option, @Nullable Path p, Exception e) {
      return new UserError(ExitCodes.IO, "cannot write the " + option + " report " + p + ": " + e.getMessage());
    }

    void write(Store db, Store.ScanInfo scan) {
      if (sarif != null) {
        try (ScanSarif s = new ScanSarif(sarif, scan, rdpdoctor.app.report.Report.toolVersion())) {
          db.forEachResult(scan.id(), r -> s.add(scan.id(), r));
        } catch (tools.jackson.core.JacksonException e) {
          throw failed("--sarif", sarifPath, e);
        }
      }
      if (html != null) {
        try {
          ScanHtml.write(html, db, scan);
        } catch (java.io.UncheckedIOException e) {
          throw failed("--html", htmlPath, e.getCause());
        }
      }
      written = true;
    }

    @Override
    public void close() {
      try {
        if (sarif != null) {
          sarif.close();
        }
        if (html != null) {
          html.close();
        }
      } catch (IOException e) {
        throw failed(sarif != null ? "--sarif" : "--html", sarif != null ? sarifPath : htmlPath, e);
      } finally {
        if (!written) {
          // Opened early only to fail before any traffic when a report cannot be written; a scan
          // that stopped before its reports (an unusable store, a failure) must not leave an
          // empty file that looks like a report of nothing.
          for (Path p : new Path[] {sarifPath, htmlPath}) {
            try {
              if (p != null) {
                java.nio.file.Files.deleteIfExists(p);
              }
            } catch (IOException ignored) {
              // best effort: the scan's own error is what the user needs to see
            }
          }
        }
      }
    }
  }

  static String progressText(long n, long total, long down, long nanos) {
    double secs = nanos / 1e9;
    double rate = secs > 0 ? n / secs : 0;
    String eta = rate > 0 && total > n ? Math.round((total - n) / rate) + "s" : "-";
    return "scan: " + n + "/" + total + " hosts, " + Math.round(rate) + " hosts/s, ETA " + eta + ", " + down + " down";
  }

  /** Problems by how many hosts have them, most first: counted host by host. */
  static final class Tally {
    final Map<String, Integer> counts = new LinkedHashMap<>();
    long hosts;
    long up;
    long problemHosts;

    void add(HostResult r) {
      hosts++;
      if (!r.problems().isEmpty()) {
        problemHosts++;
      }
      if (r.reachable()) {
        up++;
        for (String p : r.problems()) {
          counts.merge(p, 1, Integer::sum);
        }
      } else {
        // by failure kind only: the detail names the host, and the summary counts hosts per cause
        String f = r.failure() == null ? "unknown" : r.failure();
        counts.merge("down: " + (f.contains(":") ? f.substring(0, f.indexOf(':')) : f), 1, Integer::sum);
      }
    }

    void print(Store.ScanInfo scan, Scanner.Summary s, PrintWriter out) {
      out.println("scan " + scan.id() + " (tag " + scan.tag() + ", " + scan.mode() + "): " + hosts
          + " hosts, " + up + " up, " + (hosts - up) + " down"
          + (s.skipped() > 0 ? ", " + s.skipped() + " from before the resume" : ""));
      if (counts.isEmpty()) {
        out.println("no problems found");
        return;
      }
      counts.entrySet().stream()
          .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
          .forEach(e -> out.printf("%6d  %s%n", e.getValue(), e.getKey()));
    }
  }
}
