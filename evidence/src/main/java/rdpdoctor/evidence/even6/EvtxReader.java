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
import org.jspecify.annotations.Nullable;
import rdpdoctor.protocol.DecodeException;

/**
 * Streams an EVTX file chunk by chunk: every 64 KiB slot after the header up to the end of the
 * file, not just the count the header gives (dirty files hold more), so memory stays bounded
 * whatever the file size and files over 2 GiB work (positional reads, no single mapping).
 *
 * <p>Chunks are independent, so {@link #forEachChunk} decodes them on several threads and still
 * delivers them in file order; at most {@code 2 x threads + 2} chunks are in flight.
 */
public final class EvtxReader implements Closeable {
  private final Path path;
  private final FileChannel channel;
  private final long size;
  private final @Nullable FileHeader header;
  private final List<EvtxIssue> headerIssues = new ArrayList<>();

  private EvtxReader(Path path, FileChannel channel) throws IOException {
    this.path = path;
    this.channel = channel;
    this.size = channel.size();
    byte[] h = new byte[(int) Math.min(FileHeader.SIZE, size)];
    readFully(h, h.length, 0);
    FileHeader parsed = null;
    try {
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
    this.header = parsed;
  }

  /** Opens {@code path}; fails with a {@link DecodeException} when it is not an EVTX file. */
  public static EvtxReader open(Path path) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    try {
      return new EvtxReader(path, ch);
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
    if (threads <= 1 || slots < 4) {
      BinXml binxml = new BinXml();
      byte[] buf = new byte[ChunkHeader.CHUNK_SIZE];
      for (int i = 0; i < slots; i++) {
        long off = FileHeader.SIZE + (long) i * ChunkHeader.CHUNK_SIZE;
        int n = readFully(buf, ChunkHeader.CHUNK_SIZE, off);
        consumer.accept(work.apply(Chunk.decode(binxml, buf, n, i, off, checkCrc)));
      }
      return;
    }
    ThreadLocal<BinXml> decoders = ThreadLocal.withInitial(BinXml::new);
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "evtx-chunk");
      t.setDaemon(true);
      return t;
    });
    ArrayDeque<Future<T>> inFlight = new ArrayDeque<>();
    int window = 2 * threads + 2;
    try {
      for (int i = 0; i < slots; i++) {
        long off = FileHeader.SIZE + (long) i * ChunkHeader.CHUNK_SIZE;
        byte[] buf = new byte[ChunkHeader.CHUNK_SIZE];
        int n = readFully(buf, ChunkHeader.CHUNK_SIZE, off);
        int index = i;
        inFlight.add(pool.submit(() -> work.apply(Chunk.decode(decoders.get(), buf, n, index, off, checkCrc))));
        if (inFlight.size() >= window) {
          consumer.accept(take(inFlight.poll()));
        }
      }
      while (!inFlight.isEmpty()) {
        consumer.accept(take(inFlight.poll()));
      }
    } finally {
      for (Future<T> f : inFlight) {
        f.cancel(true);
      }
      pool.shutdownNow();
    }
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
