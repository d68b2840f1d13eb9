package rdpdoctor.evidence.even6;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongPredicate;
import org.jspecify.annotations.Nullable;
import rdpdoctor.protocol.DecodeException;

/**
 * Streams an EVTX file chunk by chunk: every 64 KiB slot after the header up to the end of the
 * file, not just the count the header gives (dirty files hold more), so memory stays bounded
 * whatever the file size and files over 2 GiB work (positional reads, no single mapping).
 *
 * <p>Chunks are independent, so {@link #forEachChunk} decodes them on several threads and still
 * delivers them in file order; at most {@code 2 x threads + 2} chunks are in flight.
 *
 * <p>After a pass, {@link #report()} compares what was read with what the file header promises
 * (chunks, the next record identifier) and with the record identifiers of the chunks around a
 * gap, so that a short copy or a zeroed chunk is counted as a loss, not read as a small log.
 * Opened with {@code recoverSlack}, each chunk's slack is scanned for records of its previous use.
 */
public final class EvtxReader implements Closeable {
  private final Path path;
  private final FileChannel channel;
  private final long size;
  private final @Nullable FileHeader header;
  private final List<EvtxIssue> headerIssues = new ArrayList<>();
  private final boolean recoverSlack;
  private Tally tally = new Tally();

  private EvtxReader(Path path, FileChannel channel, boolean recoverSlack) throws IOException {
    this.path = path;
    this.channel = channel;
    this.size = channel.size();
    this.recoverSlack = recoverSlack;
    byte[] h = new byte[(int) Math.min(FileHeader.SIZE, size)];
    readFully(h, h.length, 0);
    FileHeader parsed = null;
    if (h.length < 128 && h.length >= 8 && java.util.Arrays.equals(h, 0, 8, FileHeader.MAGIC, 0, 8)) {
      // An EVTX file cut inside its header fields (a partial download): damage, not "not EVTX".
      headerIssues.add(new EvtxIssue(EvtxIssue.Kind.FILE_TRUNCATED, -1, 0, null,
          "file is " + size + " bytes: it ends inside the 128 bytes of header fields, before any chunk"));
    } else try {
      if (h.length < 128) {
        throw new DecodeException.NotEnoughBytes("EVTX file header", h.length, 128);
      }
      parsed = FileHeader.parse(h);
    } catch (DecodeException e) {
      // A broken header with chunks behind it is still worth reading; anything else is not EVTX.
      if (!chunkAt(FileHeader.SIZE)) {
        throw e.in("not an EVTX file: " + path);
      }
      headerIssues.add(new EvtxIssue(EvtxIssue.Kind.FILE_HEADER_INVALID, -1, 0, null,
          e.getMessage() + "; reading the chunks anyway"));
    }
    if (parsed != null && !parsed.crcOk()) {
      headerIssues.add(new EvtxIssue(EvtxIssue.Kind.FILE_HEADER_CHECKSUM, -1, 0, null,
          String.format("header checksum is 0x%08x (computed: 0x%08x)", parsed.storedCrc(), parsed.computedCrc())));
    }
    if (parsed != null && size < FileHeader.SIZE) {
      // A log that never wrapped (first chunk 0, not full) holds ids 1..next-1: that many are lost.
      long promised = parsed.nextRecordId() - 1;
      boolean fromOne = parsed.firstChunk() == 0 && (parsed.flags() & FileHeader.FLAG_FULL) == 0
          && promised > 0 && promised <= (long) parsed.chunkCount() * Chunk.MAX_RECORDS;
      headerIssues.add(new EvtxIssue(EvtxIssue.Kind.FILE_TRUNCATED, -1, 0, null,
          "file is " + size + " bytes: it ends inside its 4096-byte header block; the header promises "
              + parsed.chunkCount() + " chunk(s) (" + (FileHeader.SIZE + (long) parsed.chunkCount() * ChunkHeader.CHUNK_SIZE)
              + " bytes) and records up to id " + promised + ", none of which is there"
              + (fromOne ? ": " + promised + " record(s) lost" : ""),
          fromOne ? promised : 0));
    }
    this.header = parsed;
  }

  /** Opens {@code path}; fails with a {@link DecodeException} when it is not an EVTX file. */
  public static EvtxReader open(Path path) throws IOException {
    return open(path, false);
  }

  /**
   * Opens {@code path}; with {@code recoverSlack} every chunk's slack is scanned for records too
   * ({@code --recover}, the default of {@code analyze}): they come with
   * {@link EventRecord.Origin#SLACK}. The scan reads every chunk to its end, so it is off by default.
   */
  public static EvtxReader open(Path path, boolean recoverSlack) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    try {
      return new EvtxReader(path, ch, recoverSlack);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  public Path path() {
    return path;
  }

  /** The file header, or null when it is unreadable (the chunks are still read). */
  public @Nullable FileHeader header() {
    return header;
  }

  /** Problems with the file header (checksum, signature). */
  public List<EvtxIssue> headerIssues() {
    return List.copyOf(headerIssues);
  }

  public long size() {
    return size;
  }

  /** Number of chunk slots in the file, counting a partial last one. */
  public int chunkSlots() {
    long data = Math.max(0, size - FileHeader.SIZE);
    return (int) ((data + ChunkHeader.CHUNK_SIZE - 1) / ChunkHeader.CHUNK_SIZE);
  }

  private boolean chunkAt(long off) throws IOException {
    if (size < off + 8) {
      return false;
    }
    byte[] m = new byte[8];
    readFully(m, 8, off);
    return Values.i64(m, 0) == ChunkHeader.MAGIC;
  }

  private int readFully(byte[] into, int n, long position) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(into, 0, n);
    int total = 0;
    while (buf.hasRemaining()) {
      int r = channel.read(buf, position + total);
      if (r < 0) {
        break;
      }
      total += r;
    }
    return total;
  }

  /**
   * Decodes every chunk in file order on the calling thread and hands each to {@code consumer}.
   */
  public void forEachChunk(Consumer<Chunk> consumer) throws IOException {
    forEachChunk(1, c -> c, consumer);
  }

  /**
   * Decodes the chunks on {@code threads} threads, applies {@code work} on the same worker thread
   * (rendering, filtering), and hands the results to {@code consumer} on the calling thread in
   * file order.
   */
  public <T> void forEachChunk(int threads, Function<Chunk, T> work, Consumer<T> consumer)
      throws IOException {
    boolean checkCrc = header == null || !header.noCrc();
    int slots = chunkSlots();
    // Read always (48 bytes a slot): the slack scan and slots without a chunk header use it.
    LongPredicate claimed = claimedIds(slots);
    boolean slack = recoverSlack;
    Tally pass = new Tally();
    tally = pass;
    // The tally is taken on the worker and added on the calling thread, in file order.
    Function<Chunk, Tallied<T>> job = c -> new Tallied<>(work.apply(c), Tally.of(c));
    Consumer<Tallied<T>> deliver = x -> {
      pass.add(x.facts());
      consumer.accept(x.value());
    };
    if (threads <= 1 || slots < 4) {
      BinXml binxml = new BinXml();
      byte[] buf = new byte[ChunkHeader.CHUNK_SIZE];
      for (int i = 0; i < slots; i++) {
        long off = FileHeader.SIZE + (long) i * ChunkHeader.CHUNK_SIZE;
        int n = readFully(buf, ChunkHeader.CHUNK_SIZE, off);
        deliver.accept(job.apply(Chunk.decode(binxml, buf, n, i, off, checkCrc, claimed, slack)));
      }
      pass.complete = true;
      return;
    }
    ThreadLocal<BinXml> decoders = ThreadLocal.withInitial(BinXml::new);
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "evtx-chunk");
      t.setDaemon(true);
      return t;
    });
    ArrayDeque<Future<Tallied<T>>> inFlight = new ArrayDeque<>();
    int window = 2 * threads + 2;
    try {
      for (int i = 0; i < slots; i++) {
        long off = FileHeader.SIZE + (long) i * ChunkHeader.CHUNK_SIZE;
        byte[] buf = new byte[ChunkHeader.CHUNK_SIZE];
        int n = readFully(buf, ChunkHeader.CHUNK_SIZE, off);
        int index = i;
        inFlight.add(pool.submit(() -> job.apply(Chunk.decode(decoders.get(), buf, n, index, off, checkCrc, claimed, slack))));
        if (inFlight.size() >= window) {
          deliver.accept(take(inFlight.poll()));
        }
      }
      while (!inFlight.isEmpty()) {
        deliver.accept(take(inFlight.poll()));
      }
      pass.complete = true;
    } finally {
      for (Future<Tallied<T>> f : inFlight) {
        f.cancel(true);
      }
      pool.shutdownNow();
    }
  }

  /**
   * The record header ids the chunk headers claim ({@code first..last} of every chunk whose numbers
   * agree with each other), for the slack scan to tell an older copy from a record the file does
   * not otherwise hold. Reads 48 bytes of each chunk slot: a quick pass before the slack scan.
   */
  private LongPredicate claimedIds(int slots) throws IOException {
    List<long[]> ranges = new ArrayList<>();
    byte[] h = new byte[48];
    for (int i = 0; i < slots; i++) {
      long off = FileHeader.SIZE + (long) i * ChunkHeader.CHUNK_SIZE;
      if (readFully(h, h.length, off) < h.length || Values.i64(h, 0) != ChunkHeader.MAGIC) {
        continue;
      }
      long firstNumber = Values.i64(h, 8);
      long lastNumber = Values.i64(h, 16);
      long first = Values.i64(h, 24);
      long last = Values.i64(h, 32);
      long n = lastNumber - firstNumber + 1;
      if (n > 0 && n <= Chunk.MAX_RECORDS && last - first + 1 == n) {
        ranges.add(new long[] {first, last});
      }
    }
    ranges.sort((a, b) -> Long.compare(a[0], b[0]));
    long[] from = new long[ranges.size()];
    long[] to = new long[ranges.size()];
    int k = 0;
    for (long[] r : ranges) {
      if (k > 0 && r[0] <= to[k - 1] + 1) {
        to[k - 1] = Math.max(to[k - 1], r[1]); // merge overlapping and adjacent ranges
      } else {
        from[k] = r[0];
        to[k++] = r[1];
      }
    }
    int count = k;
    return id -> {
      int i = java.util.Arrays.binarySearch(from, 0, count, id);
      int at = i >= 0 ? i : -i - 2; // the last range starting at or before id
      return at >= 0 && id <= to[at];
    };
  }

  private static <T> T take(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading chunks", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException re) {
        throw re;
      }
      if (c instanceof Error err) {
        throw err;
      }
      if (c instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw new IllegalStateException(c);
    }
  }

  /**
   * What the last {@link #forEachChunk} pass read and lost: every issue (the header's, each
   * chunk's, and the file-level ones found by comparing the chunks with each other and with the
   * file header), with the record counts.
   *
   * @param records records read, recovered ones included
   * @param recoveredAfterDamage records found by scanning past damaged ranges
   * @param recoveredFromSlack records found in chunk slack ({@code recoverSlack} only)
   * @param recordsLost records counted as lost: promised by a chunk header or the file header
   *     and not read (a loss whose size is unknown, such as an unreadable chunk, counts 0 here
   *     and is still an issue)
   * @param chunksPromised the file header's chunk count (-1 without a header)
   * @param chunkSlots 64 KiB slots in the file, a partial last one included
   * @param issues every issue, in file order
   */
  public record Report(long records, long recoveredAfterDamage, long recoveredFromSlack, long recordsLost,
      int chunksPromised, int chunkSlots, List<EvtxIssue> issues) {
    public Report {
      issues = List.copyOf(issues);
    }

    /** True when some issue lost data. */
    public boolean damaged() {
      return issues.stream().anyMatch(i -> i.kind().dataLost());
    }

    /** One line for stderr and reports: "312 records read; 160 lost; 31 recovered after damage; ...". */
    public String summary() {
      StringBuilder sb = new StringBuilder().append(records).append(" record(s) read");
      if (recoveredAfterDamage > 0) {
        sb.append(", ").append(recoveredAfterDamage).append(" of them found by scanning past damage");
      }
      if (recoveredFromSlack > 0) {
        sb.append(", ").append(recoveredFromSlack).append(" of them recovered from chunk slack");
      }
      long lostIssues = issues.stream().filter(i -> i.kind().dataLost()).count();
      if (lostIssues > 0) {
        // An unreadable chunk or a file cut inside its header loses records no header counts.
        boolean uncounted = issues.stream().anyMatch(i -> i.records() == 0
            && (i.kind() == EvtxIssue.Kind.CHUNK_INVALID || i.kind() == EvtxIssue.Kind.FILE_TRUNCATED));
        sb.append("; ").append(!uncounted ? recordsLost + " record(s)"
            : recordsLost == 0 ? "an unknown number of records" : "at least " + recordsLost + " record(s)").append(" lost");
        if (chunksPromised > chunkSlots) {
          sb.append(", the header promises ").append(chunksPromised).append(" chunk(s) and the file holds ")
              .append(chunkSlots);
        }
        sb.append(" (").append(lostIssues).append(" problem(s))");
      }
      return sb.toString();
    }
  }

  /** The report of the last completed pass; fails when no pass has completed. */
  public Report report() {
    Tally t = tally;
    if (!t.complete) {
      throw new IllegalStateException("report() needs a completed forEachChunk pass");
    }
    List<EvtxIssue> all = new ArrayList<>(headerIssues);
    all.addAll(t.issues);
    List<EvtxIssue> file = fileIssues(t);
    all.addAll(file);
    long lost = 0;
    for (EvtxIssue i : all) {
      if (i.kind().dataLost()) {
        lost += i.records();
      }
    }
    return new Report(t.records, t.afterDamage, t.slack, lost, header == null ? -1 : header.chunkCount(),
        chunkSlots(), all);
  }

  /**
   * Losses no single chunk can see: record identifiers that fall between two chunks' ranges where
   * chunk slots before the last used one hold no records (a zeroed or unreadable chunk: a jump in
   * identifiers without such a slot is a circular log's rotation, not a loss, and at most as many
   * records as those slots can hold are counted), and identifiers after the last chunk read up
   * to the header's next record identifier, a short file when the header also promises more
   * chunks than the file holds. Ranges are the record header numbering (the chunk headers' too).
   */
  private List<EvtxIssue> fileIssues(Tally t) {
    List<EvtxIssue> out = new ArrayList<>(0);
    List<long[]> ranges = new ArrayList<>(t.ranges);
    ranges.sort((a, b) -> Long.compare(a[0], b[0]));
    long lastUsed = -1;
    for (long[] r : t.ranges) {
      lastUsed = Math.max(lastUsed, r[2]);
    }
    long holes = lastUsed + 1 - t.ranges.size(); // slots before the last used one without records
    long bound = Math.max(0, holes) * Chunk.MAX_RECORDS;
    long maxLast = Long.MIN_VALUE;
    long[] prev = null;
    for (long[] r : ranges) {
      if (prev != null && r[0] > maxLast + 1 && r[0] - maxLast - 1 <= bound) {
        long from = maxLast + 1;
        long to = r[0] - 1;
        long inSlack = t.slackIds.stream().filter(id -> id >= from && id <= to).distinct().count();
        long scanned = t.headerlessIds.stream().filter(id -> id >= from && id <= to && !t.slackIds.contains(id))
            .distinct().count();
        long n = to - from + 1 - inSlack - scanned;
        // Every id found again (in slack, or in a slot that lost its chunk header): nothing lost there.
        if (n > 0) out.add(new EvtxIssue(EvtxIssue.Kind.RECORDS_MISSING, (int) r[2], FileHeader.SIZE + r[2] * ChunkHeader.CHUNK_SIZE,
            null, "record ids " + from + ".." + to + " are in no chunk (chunk " + prev[2] + " ends at " + maxLast
                + ", chunk " + r[2] + " starts at " + r[0] + ")"
                + (inSlack > 0 ? "; " + inSlack + " of them were recovered from chunk slack" : "")
                + (scanned > 0 ? "; " + scanned + " of them were found in chunk slots without a chunk header" : "")
                + ": " + n + " lost", n));
      }
      if (r[1] > maxLast) {
        maxLast = r[1];
        prev = r;
      }
    }
    if (header == null) {
      return out;
    }
    long promisedLast = header.nextRecordId() - 1;
    long tail = maxLast == Long.MIN_VALUE ? 0 : promisedLast - maxLast;
    boolean cut = header.chunkCount() > chunkSlots() && size >= FileHeader.SIZE;
    long tailBound = (long) Math.max(0, header.chunkCount() - chunkSlots() + 1) * Chunk.MAX_RECORDS;
    if (tail < 0 || tail > tailBound) {
      tail = 0; // the header is older than the chunks (dirty files) or garbage: it promises nothing
    }
    if (cut) {
      long expected = FileHeader.SIZE + (long) header.chunkCount() * ChunkHeader.CHUNK_SIZE;
      out.add(new EvtxIssue(EvtxIssue.Kind.FILE_TRUNCATED, -1, size, null,
          "the file header promises " + header.chunkCount() + " chunk(s) (" + expected + " bytes) and records up to id "
              + promisedLast + "; the file is " + size + " bytes (" + chunkSlots() + " chunk slot(s)"
              + (maxLast == Long.MIN_VALUE ? ", no record" : ", records up to id " + maxLast) + ")"
              + (tail > 0 ? ": " + tail + " record(s) lost" : ""),
          tail));
    } else if (tail > 0) {
      out.add(new EvtxIssue(EvtxIssue.Kind.RECORDS_MISSING, -1, size, null,
          "the file header's next record id is " + header.nextRecordId() + " but the last chunk ends at record id "
              + maxLast + ": " + tail + " record(s) lost", tail));
    }
    return out;
  }

  /** Counts and ranges of one pass, added on the calling thread in file order. */
  private static final class Tally {
    boolean complete;
    long records;
    long afterDamage;
    long slack;
    final List<EvtxIssue> issues = new ArrayList<>();
    /** Record header ids of the records recovered from slack (few: a loss they fill is not counted). */
    final List<Long> slackIds = new ArrayList<>();
    /** Record header ids of the records found in slots without a chunk header (in no chunk's range). */
    final List<Long> headerlessIds = new ArrayList<>();
    /** {first record id, last record id, chunk index} of each chunk that holds records. */
    final List<long[]> ranges = new ArrayList<>();

    /** One chunk's part, computed on the worker. */
    record Facts(long records, long afterDamage, List<Long> slackIds, List<Long> headerlessIds, long @Nullable [] range,
        List<EvtxIssue> issues) {}

    static Facts of(Chunk c) {
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      long afterDamage = 0;
      List<Long> slack = List.of();
      for (EventRecord r : c.records()) {
        switch (r.origin()) {
          case SLACK -> {
            if (slack.isEmpty()) {
              slack = new ArrayList<>();
            }
            slack.add(r.headerRecordId());
          }
          case AFTER_DAMAGE -> afterDamage++;
          case RECORDS -> { }
        }
        if (r.origin() == EventRecord.Origin.RECORDS) {
          // Records found by scanning can be from an earlier use of the chunk: not its range.
          min = Math.min(min, r.headerRecordId());
          max = Math.max(max, r.headerRecordId());
        }
      }
      ChunkHeader h = c.header();
      List<Long> headerless = List.of();
      if (h == null && !c.records().isEmpty()) {
        headerless = new ArrayList<>(c.records().size());
        for (EventRecord r : c.records()) {
          headerless.add(r.headerRecordId());
        }
      }
      if (h != null) {
        long promised = h.lastRecordNumber() - h.firstRecordNumber() + 1;
        if (promised > 0 && promised <= Chunk.MAX_RECORDS && h.lastRecordId() - h.firstRecordId() + 1 == promised) {
          min = Math.min(min, h.firstRecordId());
          max = Math.max(max, h.lastRecordId());
        }
      }
      long[] range = min <= max ? new long[] {min, max, c.index()} : null;
      return new Facts(c.records().size(), afterDamage, slack, headerless, range, c.issues());
    }

    void add(Facts f) {
      records += f.records();
      afterDamage += f.afterDamage();
      slack += f.slackIds().size();
      slackIds.addAll(f.slackIds());
      headerlessIds.addAll(f.headerlessIds());
      issues.addAll(f.issues());
      if (f.range() != null) {
        ranges.add(f.range());
      }
    }
  }

  private record Tallied<T>(T value, Tally.Facts facts) {}

  /** All records of the file, in file order (small files and tests; large files: forEachChunk). */
  public List<EventRecord> readAll() throws IOException {
    List<EventRecord> out = new ArrayList<>();
    forEachChunk(c -> out.addAll(c.records()));
    return out;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
