package rdpdoctor.app.evtx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.Json;
import rdpdoctor.app.Style;
import rdpdoctor.app.UserError;
import rdpdoctor.evidence.even6.Chunk;
import rdpdoctor.evidence.even6.EventFilter;
import rdpdoctor.evidence.even6.EventRecord;
import rdpdoctor.evidence.even6.EventSystem;
import rdpdoctor.evidence.even6.EvtxIssue;
import rdpdoctor.evidence.even6.EvtxReader;
import rdpdoctor.evidence.even6.FileHeader;
import rdpdoctor.protocol.DecodeException;

/** {@code rdpdoctor evtx}: reads Windows XML event logs (.evtx) without Windows. */
@Command(
    name = "evtx",
    mixinStandardHelpOptions = true,
    description = {"Reads Windows event log files (.evtx): every record, fast, with a recovery report."},
    footerHeading = "%nExamples:%n",
    footer = {
      "  rdpdoctor evtx dump Security.evtx --id 4625 --since 2024-05-01",
      "  rdpdoctor evtx dump Microsoft-Windows-TerminalServices-RDPClient%4Operational.evtx --json",
      "  rdpdoctor evtx stats System.evtx",
      "",
      "Exit codes: 0 done, 1 the file is damaged: records were lost (what could be read is still printed),",
      "2 bad arguments, 3 the file cannot be read or is not an EVTX file."
    })
public final class EvtxCommand implements Callable<Integer> {
  /** Its subcommands, in --help order; Main adds them (only the one a run needs). */
  public static final List<Class<?>> SUBCOMMANDS = List.of(Dump.class, Stats.class);


  @Override
  public Integer call() {
    throw new UserError(ExitCodes.USAGE, "say what to do: rdpdoctor evtx dump FILE or rdpdoctor evtx stats FILE");
  }

  static EvtxReader open(Path file, boolean recover) {
    if (!Files.isRegularFile(file)) {
      throw new UserError(ExitCodes.IO, "no such file: " + file + " (give the path of an .evtx file)");
    }
    try {
      return EvtxReader.open(file, recover);
    } catch (NoSuchFileException e) {
      throw new UserError(ExitCodes.IO, "no such file: " + file);
    } catch (IOException e) {
      throw new UserError(ExitCodes.IO, "cannot read " + file + ": " + e.getMessage());
    } catch (DecodeException e) {
      throw new UserError(ExitCodes.IO, e.getMessage() + " (is it an .evtx file? .evt files from Windows XP are a different format)");
    }
  }

  public static int threads() {
    return Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 4));
  }

  /** Options that select records, shared by dump. */
  public static final class FilterOptions {
    @Option(names = "--id", split = ",", paramLabel = "ID", description = "only these event ids, e.g. --id 1026,4625")
    List<Long> ids = new ArrayList<>();

    @Option(names = "--channel", split = ",", paramLabel = "NAME", description = "only these channels (case-insensitive)")
    List<String> channels = new ArrayList<>();

    @Option(names = "--provider", split = ",", paramLabel = "NAME", description = "only these providers (case-insensitive)")
    List<String> providers = new ArrayList<>();

    @Option(names = "--since", paramLabel = "TIME", description = "only events at or after TIME (2024-05-01, 2024-05-01T10:00:00, or ...Z; UTC)")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "only events at or before TIME (UTC)")
    String until;

    @Option(names = "--record", split = ",", paramLabel = "N[-M]", description = "only these record ids or ranges, e.g. --record 100-200,305")
    List<String> records = new ArrayList<>();

    EventFilter filter() {
      List<long[]> ranges = new ArrayList<>();
      for (String r : records) {
        ranges.add(range(r));
      }
      return new EventFilter(Set.copyOf(channels), Set.copyOf(providers), new HashSet<>(ids),
          time("--since", since, false), time("--until", until, true), ranges);
    }

    private static long[] range(String s) {
      try {
        int dash = s.indexOf('-', 1);
        if (dash < 0) {
          long v = Long.parseLong(s.trim());
          return new long[] {v, v};
        }
        long from = Long.parseLong(s.substring(0, dash).trim());
        long to = Long.parseLong(s.substring(dash + 1).trim());
        if (from > to) {
          // An inverted range matches nothing: say so rather than print nothing with exit 0.
          throw new UserError(ExitCodes.USAGE, "--record: range \"" + s + "\" ends before it starts ("
              + to + " < " + from + "; expected: N-M with N <= M, e.g. 100-200)");
        }
        return new long[] {from, to};
      } catch (NumberFormatException e) {
        throw new UserError(ExitCodes.USAGE, "--record: cannot read \"" + s + "\" (expected: N or N-M, e.g. 100-200)");
      }
    }

    public static Instant time(String option, String s, boolean endOfDay) {
      if (s == null) {
        return null;
      }
      try {
        if (s.endsWith("Z") || s.matches(".*[+-]\\d\\d:\\d\\d$")) {
          return java.time.OffsetDateTime.parse(s).toInstant();
        }
        if (s.length() == 10) {
          LocalDate d = LocalDate.parse(s);
          return endOfDay
              ? d.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).minusNanos(1)
              : d.atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw new UserError(ExitCodes.USAGE, option + ": cannot read time \"" + s
            + "\" (expected: 2024-05-01, 2024-05-01T10:00:00 or 2024-05-01T10:00:00Z)");
      }
    }
  }

  @Command(
      name = "dump",
      mixinStandardHelpOptions = true,
      description = {"Prints the events of an .evtx file as XML (like Event Viewer's XML view) or JSON lines."},
      footerHeading = "%nExamples:%n",
      footer = {
        "  rdpdoctor evtx dump Security.evtx --id 4625,4624 --since 2024-05-01",
        "  rdpdoctor evtx dump System.evtx --json --provider Microsoft-Windows-TerminalServices-RemoteConnectionManager",
        "  rdpdoctor evtx dump RDPClient.evtx --record 100-200",
        "",
        "  rdpdoctor evtx dump copied-Security.evtx --recover --json | jq 'select(.recovered)'",
        "",
        "Problems that lost records (a file shorter than its header says, zeroed ranges, records that",
        "cannot be decoded) go to stderr with their numbers, then one summary line; rdpdoctor evtx stats",
        "lists every problem. Records found by a recovery scan are marked: an XML comment before the",
        "event, \"recovered\":\"after-damage\" or \"slack\" in JSON.",
        "Exit codes: 0 done, 1 the file is damaged: records were lost (what could be read is still printed),",
        "2 bad arguments, 3 the file cannot be read or is not an EVTX file."
      })
  static final class Dump implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "the .evtx file")
    Path file;

    @Option(names = "--json", description = "one JSON object per event and line instead of XML")
    boolean json;

    @Option(names = "--threads", paramLabel = "N", description = "decoding threads (default: the cores, at most 4)")
    int threads = threads();

    @Option(names = "--recover", description = "also read the records left in chunk slack (reused chunks), marked as recovered")
    boolean recover;

    @picocli.CommandLine.Mixin
    FilterOptions filterOptions = new FilterOptions();

    @Override
    public Integer call() throws IOException {
      EventFilter filter = filterOptions.filter();
      EvtxReader.Report report;
      // System.out, not the file descriptor: tests and callers may redirect it. Flushed, not closed.
      java.io.OutputStream out = new java.io.BufferedOutputStream(System.out, 1 << 16);
      try (EvtxReader reader = open(file, recover)) {
        boolean all = filter.matchesAll();
        Progress progress = new Progress(reader.chunkSlots(), Progress.terminal());
        reader.forEachChunk(Math.max(1, threads), chunk -> {
          StringBuilder sb = new StringBuilder(chunk.records().size() * 1500 + 16);
          for (EventRecord r : chunk.records()) {
            if (all || filter.test(r)) {
              if (json) {
                r.appendJson(sb);
                sb.append('\n');
              } else {
                if (r.recovered()) {
                  recoveredComment(r, sb);
                }
                r.appendXml(sb);
                sb.append('\n');
              }
            }
          }
          // Encode on the worker: the writing thread then only copies bytes.
          return new Rendered(chunk.index(), chunk.issues(), sb.toString().getBytes(StandardCharsets.UTF_8));
        }, rendered -> {
          try {
            out.write(rendered.bytes());
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          progress.chunkDone(rendered.chunk());
        });
        progress.done();
        out.flush();
        report = reader.report();
      } catch (java.io.UncheckedIOException e) {
        throw new UserError(ExitCodes.IO, "cannot write the output: " + e.getCause().getMessage());
      }
      // Losses and what the recovery scans found, then one line with the totals.
      for (EvtxIssue i : report.issues()) {
        if (i.kind().dataLost() || i.kind() == EvtxIssue.Kind.RECORDS_RECOVERED) {
          System.err.println("rdpdoctor evtx: " + i);
        }
      }
      if (report.damaged() || report.recoveredAfterDamage() + report.recoveredFromSlack() > 0) {
        System.err.println("rdpdoctor evtx: " + file + ": " + report.summary()
            + (report.damaged() ? "" : "; nothing lost"));
      }
      return report.damaged() ? ExitCodes.FOUND : ExitCodes.OK;
    }
  }

  /** The XML view's mark of a recovered record: a comment, so the events stay what Windows wrote. */
  static void recoveredComment(EventRecord r, StringBuilder sb) {
    sb.append("<!-- recovered: ")
        .append(r.origin() == EventRecord.Origin.SLACK ? "from chunk slack" : "found by scanning past damage")
        .append(", chunk ").append(r.chunk()).append(", offset 0x").append(Long.toHexString(r.fileOffset()))
        .append(", record header id ").append(r.headerRecordId()).append(" -->\n");
  }

  record Rendered(int chunk, List<EvtxIssue> issues, byte[] bytes) {}

  @Command(
      name = "stats",
      mixinStandardHelpOptions = true,
      description = {"Summarises an .evtx file: records, channels, event ids, time span, checksums, recovery."},
      footerHeading = "%nExamples:%n",
      footer = {
        "  rdpdoctor evtx stats Security.evtx",
        "  rdpdoctor evtx stats System.evtx --json | jq .eventIds",
        "  rdpdoctor evtx stats copied-Security.evtx --recover",
        "",
        "Exit codes: 0 done, 1 the file is damaged: records were lost (the summary says which and how many),",
        "2 bad arguments, 3 the file cannot be read or is not an EVTX file."
      })
  static final class Stats implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the .evtx file")
    Path file;

    @Option(names = "--json", description = "print the summary as JSON")
    boolean json;

    @Option(names = "--recover", description = "also read the records left in chunk slack (reused chunks)")
    boolean recover;

    @Override
    public Integer call() throws IOException {
      Summary s = new Summary();
      try (EvtxReader reader = open(file, recover)) {
        s.file = file.toString();
        s.bytes = reader.size();
        FileHeader h = reader.header();
        s.header = h;
        s.chunkSlots = reader.chunkSlots();
        Progress progress = new Progress(reader.chunkSlots(), Progress.terminal());
        reader.forEachChunk(threads(), chunk -> chunk, chunk -> {
          s.add(chunk);
          progress.chunkDone(chunk.index());
        });
        progress.done();
        s.report = reader.report();
      }
      // picocli's writer, unlike dump's raw byte stream: a summary is small, and tests capture it
      java.io.PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(Json.MAPPER.writeValueAsString(s.toJson()));
      } else {
        print(s, Style.detect(), out);
      }
      out.flush();
      return s.report.damaged() ? ExitCodes.FOUND : ExitCodes.OK;
    }

    private static void print(Summary s, Style st, java.io.PrintWriter out) {
      StringBuilder sb = new StringBuilder();
      sb.append(st.bold(s.file)).append('\n');
      EvtxReader.Report rep = s.report;
      sb.append("  records        ").append(s.records);
      if (rep.recoveredAfterDamage() + rep.recoveredFromSlack() > 0) {
        sb.append(" (").append(rep.recoveredAfterDamage()).append(" found by scanning past damage, ")
            .append(rep.recoveredFromSlack()).append(" recovered from chunk slack)");
      }
      sb.append('\n');
      FileHeader h = s.header;
      if (h != null) {
        sb.append("  format         ").append(h.majorVersion()).append('.').append(h.minorVersion())
            .append(h.dirty() ? ", dirty" : "").append(h.noCrc() ? ", no checksums" : "").append('\n');
        sb.append("  chunks         ").append(s.chunksUsed).append(" used of ").append(s.chunkSlots)
            .append(" in the file; the header says ").append(h.chunkCount()).append('\n');
      } else {
        sb.append("  chunks         ").append(s.chunksUsed).append(" used of ").append(s.chunkSlots).append('\n');
      }
      if (s.first != null) {
        sb.append("  time span      ").append(s.first).append(" .. ").append(s.last).append('\n');
      }
      if (s.minId != Long.MAX_VALUE) {
        sb.append("  record ids     ").append(s.minId).append(" .. ").append(s.maxId).append('\n');
      }
      sb.append("  channels\n");
      s.channels.forEach((k, v) -> sb.append("    ").append(pad(v, 8)).append(k).append('\n'));
      sb.append("  event ids\n");
      s.eventIds.forEach((k, v) -> sb.append("    ").append(pad(v, 8)).append(k).append('\n'));
      sb.append("  checksums      ").append(s.headerCrcBad + s.dataCrcBad == 0 ? st.green("all chunks verify")
          : st.yellow(s.headerCrcBad + " chunk header(s) and " + s.dataCrcBad + " record area(s) do not verify (records were still read)")).append('\n');
      sb.append("  recovery       ").append(rep.damaged() ? st.red(rep.summary()) : st.green("nothing lost"
          + (rep.recoveredAfterDamage() + rep.recoveredFromSlack() > 0 ? "; " + rep.summary() : ""))).append('\n');
      for (EvtxIssue i : rep.issues()) {
        String mark = i.kind().dataLost() ? st.red("!") : i.kind() == EvtxIssue.Kind.RECORDS_RECOVERED ? st.green("+") : st.yellow("~");
        sb.append("    ").append(mark).append(' ').append(i).append('\n');
      }
      out.print(sb);
    }

    private static String pad(long v, int w) {
      String s = Long.toString(v);
      return s.length() >= w ? s + " " : " ".repeat(w - s.length()) + s + "  ";
    }
  }

  /** What stats collects while the chunks stream past. */
  static final class Summary {
    String file;
    long bytes;
    FileHeader header;
    int chunkSlots;
    int chunksUsed;
    int chunksEmpty;
    long records;
    int headerCrcBad;
    int dataCrcBad;
    Instant first;
    Instant last;
    long minId = Long.MAX_VALUE;
    long maxId = Long.MIN_VALUE;
    final Map<String, Long> channels = new TreeMap<>();
    /** "provider id" keys, by provider and then by the id as a number (65 before 101). */
    final Map<String, Long> eventIds = new TreeMap<>(Summary::byProviderThenId);
    EvtxReader.Report report;

    static int byProviderThenId(String a, String b) {
      int sa = a.lastIndexOf(' ');
      int sb = b.lastIndexOf(' ');
      int c = a.substring(0, sa).compareTo(b.substring(0, sb));
      if (c != 0) {
        return c;
      }
      Long ia = EventSystem.number(a.substring(sa + 1));
      Long ib = EventSystem.number(b.substring(sb + 1));
      if (ia != null && ib != null) {
        return Long.compare(ia, ib);
      }
      return a.compareTo(b);
    }

    void add(Chunk c) {
      if (c.empty()) {
        chunksEmpty++;
        return;
      }
      if (c.header() != null) {
        chunksUsed++;
      }
      if (!c.headerCrcOk()) {
        headerCrcBad++;
      }
      if (!c.dataCrcOk()) {
        dataCrcBad++;
      }
      for (EventRecord r : c.records()) {
        records++;
        EventSystem s = r.system();
        channels.merge(s.channel() == null ? "(none)" : s.channel(), 1L, Long::sum);
        String key = (s.provider() == null ? "(none)" : s.provider()) + " " + (s.eventId() == null ? "?" : s.eventId());
        eventIds.merge(key, 1L, Long::sum);
        Instant t = r.time();
        if (first == null || t.isBefore(first)) {
          first = t;
        }
        if (last == null || t.isAfter(last)) {
          last = t;
        }
        minId = Math.min(minId, r.recordId());
        maxId = Math.max(maxId, r.recordId());
      }
    }

    Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("file", file);
      m.put("bytes", bytes);
      m.put("records", records);
      if (header != null) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("version", header.majorVersion() + "." + header.minorVersion());
        h.put("chunkCount", header.chunkCount());
        h.put("flags", header.flags());
        h.put("dirty", header.dirty());
        h.put("noCrc", header.noCrc());
        h.put("checksumOk", header.crcOk());
        h.put("nextRecordId", header.nextRecordId());
        m.put("header", h);
      }
      m.put("chunkSlots", chunkSlots);
      m.put("chunksUsed", chunksUsed);
      m.put("chunksEmpty", chunksEmpty);
      m.put("chunkHeaderChecksumMismatches", headerCrcBad);
      m.put("chunkRecordsChecksumMismatches", dataCrcBad);
      m.put("firstTime", first == null ? null : first.toString());
      m.put("lastTime", last == null ? null : last.toString());
      m.put("firstRecordId", minId == Long.MAX_VALUE ? null : minId);
      m.put("lastRecordId", maxId == Long.MIN_VALUE ? null : maxId);
      m.put("channels", channels);
      m.put("eventIds", eventIds);
      Map<String, Object> rec = new LinkedHashMap<>();
      rec.put("damaged", report.damaged());
      rec.put("recordsLost", report.recordsLost());
      rec.put("recoveredAfterDamage", report.recoveredAfterDamage());
      rec.put("recoveredFromSlack", report.recoveredFromSlack());
      rec.put("chunksPromised", report.chunksPromised());
      rec.put("summary", report.summary());
      m.put("recovery", rec);
      List<Map<String, Object>> is = new ArrayList<>();
      for (EvtxIssue i : report.issues()) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("kind", i.kind().name());
        x.put("dataLost", i.kind().dataLost());
        x.put("chunk", i.chunk());
        x.put("offset", i.offset());
        x.put("recordId", i.recordId());
        x.put("records", i.records());
        x.put("message", i.message());
        is.add(x);
      }
      m.put("issues", is);
      return m;
    }
  }
}
