package rdpdoctor.app.timeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.Json;
import rdpdoctor.app.Style;
import rdpdoctor.app.UserError;
import rdpdoctor.app.evtx.EvtxCommand;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.timeline.Attempt;
import rdpdoctor.diagnosis.timeline.Correlator;
import rdpdoctor.diagnosis.timeline.LogCoverage;
import rdpdoctor.diagnosis.timeline.Session;
import rdpdoctor.diagnosis.timeline.Timeline;
import rdpdoctor.evidence.even6.RdpEventLog;
import rdpdoctor.protocol.DecodeException;

/** {@code rdpdoctor timeline PATH...}: the connection attempts and sessions the event logs show. */
@Command(
    name = "timeline",
    mixinStandardHelpOptions = true,
    description = {
      "Rebuilds RDP connection attempts and sessions from event logs (.evtx) of the client and the",
      "host: when, from where, who, how far each attempt got, how it ended (codes decoded), and the",
      "records that prove it; then what the logs cover. Folders are searched for .evtx files."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  rdpdoctor timeline C:\\Windows\\System32\\winevt\\Logs",
      "  rdpdoctor timeline logs/ --client 10.0.0.5 --since 2024-05-01",
      "  rdpdoctor timeline Security.evtx RemoteConnectionManager.evtx --csv > attempts.csv",
      "  rdpdoctor timeline logs/ --html timeline.html",
      "  rdpdoctor timeline logs/ --json | jq 'select(.kind == \"attempt\" and .end == \"FAILED\")'",
      "",
      "Exit codes: 0 done, 2 bad arguments, 3 a file cannot be read or is not an EVTX file."
    })
public final class TimelineCommand implements Callable<Integer> {
  /** A folder holds at most this many logs: more is a wrong path, not a log folder. */
  static final int MAX_FILES = 4096;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = ".evtx files or folders holding them")
  List<Path> paths = new ArrayList<>();

  @Option(names = "--since", paramLabel = "TIME", description = "only attempts and session events at or after TIME (2024-05-01, 2024-05-01T10:00:00, or ...Z; UTC)")
  @Nullable String since;

  @Option(names = "--until", paramLabel = "TIME", description = "only those at or before TIME (UTC)")
  @Nullable String until;

  @Option(names = "--user", paramLabel = "USER", description = "only this account (DOMAIN\\user or user, case-insensitive)")
  @Nullable String user;

  @Option(names = "--client", paramLabel = "ADDR", description = "only this client address")
  @Nullable String client;

  @Option(names = "--json", description = "JSON lines: one object per attempt, session event and log")
  boolean json;

  @Option(names = "--csv", description = "CSV: one row per attempt and session event, for a spreadsheet or a SIEM")
  boolean csv;

  @Option(names = "--html", paramLabel = "FILE", description = "also write a self-contained HTML page: the attempts on a time axis, coloured by how they ended")
  @Nullable Path html;

  @Spec CommandSpec spec;

  /** What the logs gave: the timeline and what each log covers. */
  public record Result(Timeline timeline, List<LogCoverage> coverage) {}

  @Override
  public Integer call() {
    if (json && csv) {
      throw new UserError(ExitCodes.USAGE, "--json and --csv: choose one output format");
    }
    Instant from = EvtxCommand.FilterOptions.time("--since", since, false);
    Instant to = EvtxCommand.FilterOptions.time("--until", until, true);
    Result r = read(files(paths));
    Filter f = new Filter(from, to, user, client);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      TimelineFormats.json(r, f, out);
    } else if (csv) {
      TimelineFormats.csv(r, f, out);
    } else {
      TimelineFormats.text(r, f, out, Style.detect());
    }
    out.flush();
    if (html != null) {
      try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(html, java.nio.charset.StandardCharsets.UTF_8))) {
        TimelineHtml.render(r, f, w);
      } catch (IOException e) {
        throw new UserError(ExitCodes.IO, "cannot write " + html + ": " + e.getMessage());
      }
    }
    return ExitCodes.OK;
  }

  /** Reads every log and correlates their events together (client and host logs may be mixed). */
  public static Result read(List<Path> files) {
    List<Observation> events = new ArrayList<>();
    List<LogCoverage> coverage = new ArrayList<>();
    for (Path p : files) {
      try {
        // Chunks decode on up to four threads, as for evtx dump; the result does not depend on it.
        RdpEventLog.Read r = RdpEventLog.read(p, EvtxCommand.threads());
        events.addAll(r.events());
        coverage.add(r.coverage());
      } catch (IOException e) {
        throw new UserError(ExitCodes.IO, "cannot read " + p + ": " + e.getMessage());
      } catch (DecodeException e) {
        throw new UserError(ExitCodes.IO, p + ": " + e.getMessage() + " (is it an .evtx file?)");
      }
    }
    return new Result(Correlator.correlate(events), coverage);
  }

  /** The .evtx files the paths name: files as given, folders searched for the EVTX signature. */
  static List<Path> files(List<Path> paths) {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.walk(p, 12)) {
          for (Path f : s.filter(x -> Files.isRegularFile(x, LinkOption.NOFOLLOW_LINKS)).sorted().toList()) {
            if (isEvtx(f)) {
              out.add(f);
            }
          }
        } catch (IOException e) {
          throw new UserError(ExitCodes.IO, "cannot list " + p + ": " + e.getMessage());
        }
      } else if (Files.isRegularFile(p)) {
        out.add(p);
      } else {
        throw new UserError(ExitCodes.IO, "no such file or folder: " + p);
      }
      if (out.size() > MAX_FILES) {
        throw new UserError(ExitCodes.USAGE, "more than " + MAX_FILES + " event logs under the given paths; point at the log folder itself");
      }
    }
    if (out.isEmpty()) {
      throw new UserError(ExitCodes.IO, "no .evtx file under " + paths + " (give event log files or the folder that holds them)");
    }
    return out;
  }

  private static boolean isEvtx(Path f) {
    byte[] magic = new byte[8];
    try (InputStream in = Files.newInputStream(f)) {
      return in.readNBytes(magic, 0, 8) == 8 && new String(magic, java.nio.charset.StandardCharsets.ISO_8859_1).equals("ElfFile\0");
    } catch (IOException e) {
      return false; // unreadable files in a folder are not logs we were asked for
    }
  }

  /** Which attempts and session events a run shows. */
  record Filter(@Nullable Instant from, @Nullable Instant to, @Nullable String user, @Nullable String client) {
    boolean time(Instant t) {
      return (from == null || !t.isBefore(from)) && (to == null || !t.isAfter(to));
    }

    boolean user(@Nullable String u) {
      if (user == null) {
        return true;
      }
      if (u == null) {
        return false;
      }
      String a = u.toLowerCase(Locale.ROOT);
      String w = user.toLowerCase(Locale.ROOT);
      // "CORP\alice" matches --user alice, and "alice" matches --user CORP\alice.
      return a.equals(w) || a.endsWith("\\" + w) || w.endsWith("\\" + a);
    }

    boolean attempt(Attempt a) {
      return time(a.start()) && user(a.user()) && (client == null || client.equals(a.client()));
    }

    boolean session(Session s, Session.Event e) {
      return time(e.at()) && user(s.user()) && (client == null || s.addresses().contains(client));
    }
  }
}
