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
      "Exit codes: 0 done, 2 bad arguments, 3 the file cannot be read or is not an EVTX file."
    })
public final class EvtxCommand implements Callable<Integer> {
  /** Its subcommands, in --help order; Main adds them (only the one a run needs). */
  public static final List<Class<?>> SUBCOMMANDS = List.of(Dump.class, Stats.class);


  @Override
  public Integer call() {
    throw new UserError(ExitCodes.USAGE, "say what to do: rdpdoctor evtx dump FILE or rdpdoctor evtx stats FILE");
  }

  static EvtxReader open(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new UserError(ExitCodes.IO, "no such file: " + file + " (give the path of an .evtx file)");
    }
    try {
      return EvtxReader.open(file);
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
        return new long[] {Long.parseLong(s.substring(0, dash).trim()), Long.parseLong(s.substring(dash + 1).trim())};
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
        "Problems found while reading (bad checksums, records that cannot be decoded) go to stderr;",
        "rdpdoctor evtx stats lists them all.",
        "Exit codes: 0 done, 2 bad arguments, 3 the file cannot be read or is not an EVTX file."
      })
  static final class Dump implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "the .evtx file")
    Path file;

    @Option(names = "--json", description = "one JSON object per event and line instead of XML")
    boolean json;

    @Option(names = "--threads", paramLabel = "N", description = "decoding threads (default: the cores, at most 4)")
    int threads = threads();

    @picocli.CommandLine.Mixin
    FilterOptions filterOptions = new FilterOptions();

    @Override
    public Integer call() throws IOException {
      EventFilter filter = filterOptions.filter();
      List<EvtxIssue> lost = new ArrayList<>();
      // System.out, not the file descriptor: tests and callers may redirect it. Flushed, not closed.
      java.io.OutputStream out = new java.io.BufferedOutputStream(System.out, 1 << 16);
      try (EvtxReader reader = open(file)) {
        for (EvtxIssue i : reader.headerIssues()) {
          System.err.println("rdpdoctor evtx: " + i);
        }
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
          for (EvtxIssue i : rendered.issues()) {
            if (i.kind().dataLost()) {
              lost.add(i);
            }
          }
          progress.chunkDone(rendered.chunk());
        });
        progress.done();
        out.flush();
      } catch (java.io.UncheckedIOException e) {
        throw new UserError(ExitCodes.IO, "cannot write the output: " + e.getCause().getMessage());
      }
      for (EvtxIssue i : lost) {
        System.err.println("rdpdoctor evtx: " + i);
      }
      return ExitCodes.OK;
    }
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
        "",
        "Exit codes: 0 done, 2 bad arguments, 3 the file cannot be read or is not an EVTX file."
      })
  static final class Stats implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the .evtx file")
    Path file;

    @Option(names = "--json", description = "print the summary as JSON")
    boolean json;

    @Override
    public Integer call() throws IOException {
      Summary s = new Summary();
      try (EvtxReader reader = open(file)) {
        s.file = file.toString();
        s.bytes = reader.size();
        FileHeader h = reader.header();
        s.header = h;
        s.issues.addAll(reader.headerIssues());
        s.chunkSlots = reader.chunkSlots();
        Progress progress = new Progress(reader.chunkSlots(), Progress.terminal());
        reader.forEachChunk(threads(), chunk -> chunk, chunk -> {
          s.add(chunk);
          progress.chunkDone(chunk.index());
        });
        progress.done();
      }
      // picocli's writer, unlike dump's raw byte stream: a summary is small, and tests capture it
      java.io.PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(Json.MAPPER.writeValueAsString(s.toJson()));
      } else {
        print(s, Style.detect(), out);
      }
      out.flush();
      return ExitCodes.OK;
    }

    private static void print(Summary s, Style st, java.io.PrintWriter out) {
      StringBuilder sb = new StringBuilder();
      sb.append(st.bold(s.file)).append('\n');
      sb.append("  records        ").append(s.records).append('\n');
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
      long lost = s.issues.stream().filter(i -> i.kind().dataLost()).count();
      sb.append("  recovery       ").append(lost == 0 ? st.green("nothing lost") : st.red(lost + " problem(s) lost data")).append('\n');
      for (EvtxIssue i : s.issues) {
        sb.append("    ").append(i.kind().dataLost() ? st.red("!") : st.yellow("~")).append(' ').append(i).append('\n');
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
    final List<EvtxIssue> issues = new ArrayList<>();

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
      issues.addAll(c.issues());
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
      List<Map<String, Object>> is = new ArrayList<>();
      for (EvtxIssue i : issues) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("kind", i.kind().name());
        x.put("dataLost", i.kind().dataLost());
        x.put("chunk", i.chunk());
        x.put("offset", i.offset());
        x.put("recordId", i.recordId());
        x.put("message", i.message());
        is.add(x);
      }
      m.put("issues", is);
      return m;
    }
  }
}
