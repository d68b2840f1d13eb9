package rdpdoctor.evidence.even6;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Damaged EVTX files the project writes itself (no public sample has them with known contents),
 * each with the intact log it was made from, so a test can say exactly which records a reader
 * must still find: those whose bytes are all still there, unchanged.
 *
 * <p>The kinds are the ones people bring: a copy cut at a chunk boundary, inside a chunk and
 * inside the file header (a locked file copied while written, a partial download); a zero-filled
 * range inside a chunk; a chunk Windows reused, whose slack still holds records of its previous
 * use; and an exported log, whose record headers are numbered from 1 again.
 */
public final class DamagedEvtx {
  static final Instant T = Instant.parse("2024-05-01T10:00:00Z");
  static final int CHUNK = ChunkHeader.CHUNK_SIZE;

  /**
   * One damaged file.
   *
   * @param name a file name for the case (also the fuzz seed's name)
   * @param bytes the damaged file
   * @param sources the intact files whose records it is made of, at the same file offsets
   */
  public record Case(String name, byte[] bytes, List<byte[]> sources) {}

  private DamagedEvtx() {}

  /** Every case, for the fuzz seeds and the tests that go over all of them. */
  public static List<Case> all() {
    return List.of(truncatedAtChunkBoundary(), truncatedInsideChunk(), truncatedInsideHeader(), zeroedRange(),
        zeroedChunk(), reusedChunk(), zeroedChunkHeader(), unfinishedRecord());
  }

  /** A log of {@code events} failed logons (264 a chunk), record ids from {@code firstId}. */
  public static byte[] log(int events, long firstId) {
    EvtxWriter w = new EvtxWriter().firstRecordId(firstId);
    for (int i = 0; i < events; i++) {
      w.add(RdpFixtures.logonFailed(T.plusSeconds(i), "user" + (firstId + i), "10.0.0." + (i % 250 + 1),
          0xC000006DL, 0xC000006AL));
    }
    return w.toBytes();
  }

  static int chunkOffset(int i) {
    return FileHeader.SIZE + i * CHUNK;
  }

  /** A two-chunk log cut after its first chunk: the header promises 2 chunks, the file holds 1. */
  public static Case truncatedAtChunkBoundary() {
    byte[] full = log(400, 1);
    return new Case("truncated-at-chunk-boundary.evtx", Arrays.copyOf(full, chunkOffset(1)), List.of(full));
  }

  /** A three-chunk log cut 20000 bytes into its second chunk. */
  public static Case truncatedInsideChunk() {
    byte[] full = log(700, 1);
    return new Case("truncated-inside-chunk.evtx", Arrays.copyOf(full, chunkOffset(1) + 20000), List.of(full));
  }

  /** A two-chunk log of which only the first 2000 bytes of the header block arrived. */
  public static Case truncatedInsideHeader() {
    byte[] full = log(400, 1);
    return new Case("truncated-inside-header.evtx", Arrays.copyOf(full, 2000), List.of(full));
  }

  /**
   * A one-chunk log of 40 records with zeros from the start of record 5 to 10 bytes into record 8:
   * records 5..8 are gone, 9..40 are intact behind the gap.
   */
  public static Case zeroedRange() {
    byte[] full = log(40, 1);
    byte[] f = full.clone();
    Arrays.fill(f, recordOffset(full, 5), recordOffset(full, 8) + 10, (byte) 0);
    return new Case("zeroed-range.evtx", f, List.of(full));
  }

  /** A three-chunk log whose middle chunk is all zeros. */
  public static Case zeroedChunk() {
    byte[] full = log(700, 1);
    byte[] f = full.clone();
    Arrays.fill(f, chunkOffset(1), chunkOffset(2), (byte) 0);
    return new Case("zeroed-chunk.evtx", f, List.of(full));
  }

  /**
   * A three-chunk log whose middle chunk lost its 512-byte header (zeros: no signature, no record
   * range, no checksums), its records intact: as omerbenamram/evtx's
   * {@code sample_with_a_bad_chunk_magic.evtx}, where the zeros there run on into the records.
   */
  public static Case zeroedChunkHeader() {
    byte[] full = log(700, 1);
    byte[] f = full.clone();
    Arrays.fill(f, chunkOffset(1), chunkOffset(1) + ChunkHeader.SIZE, (byte) 0);
    return new Case("zeroed-chunk-header.evtx", f, List.of(full));
  }

  /**
   * A chunk reused by a log that wrapped: its previous use held records 1..60; the new use wrote
   * records 1001..1010 over the start and left the rest. Both uses begin with the same event
   * shape, so the names and the template the old records refer to are where they were, as in
   * Windows' own reused chunks (the same channel writes the same first events).
   */
  public static Case reusedChunk() {
    byte[] old = log(60, 1);
    byte[] now = log(10, 1001);
    byte[] f = old.clone();
    int free = (int) Values.u32(now, chunkOffset(0) + 48);
    System.arraycopy(now, 0, f, 0, chunkOffset(0) + free); // file header, chunk header, new records
    return new Case("reused-chunk-slack.evtx", f, List.of(old, now));
  }

  /**
   * A one-chunk log of 20 records whose last one Windows had begun and not finished: header and
   * template written, the substitution values still zeros, no trailing size copy (as record 6 of
   * omerbenamram/evtx {@code Microsoft-Windows-HelloForBusiness%4Operational.evtx}).
   */
  public static Case unfinishedRecord() {
    byte[] full = log(20, 1);
    byte[] f = full.clone();
    int p = recordOffset(full, 20);
    int size = (int) Values.u32(full, p + 4);
    int end = p + size - 4; // the values end where the trailing size copy starts
    // The template instance's value descriptors (count, then size/type pairs) end where the values start.
    for (int q = p + 24; q + 4 < end; q++) {
      long n = Values.u32(full, q);
      if (n == 0 || n > 64 || q + 4 + 4 * n > end) {
        continue;
      }
      long sum = 0;
      for (int i = 0; i < n; i++) {
        sum += Values.u16(full, q + 4 + 4 * i);
      }
      // The values run to the end-of-fragment token (0x00) and the zeros that pad the record to 8 bytes.
      int valuesEnd = (int) (q + 4 + 4 * n + sum);
      if (valuesEnd < end && end - valuesEnd <= 8 && allZero(full, valuesEnd, end)) {
        Arrays.fill(f, (int) (q + 4 + 4 * n), end + 4, (byte) 0);
        return new Case("unfinished-record.evtx", f, List.of(full));
      }
    }
    throw new IllegalStateException("no value descriptors found in record 20");
  }

  private static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** Offset in {@code file} of the record with header id {@code id} (walks the first chunk). */
  static int recordOffset(byte[] file, long id) {
    int p = chunkOffset(0) + ChunkHeader.SIZE;
    while (Values.i64(file, p + 8) != id) {
      p += (int) Values.u32(file, p + 4);
    }
    return p;
  }

  /**
   * The records of the sources whose bytes are all in {@code damaged} unchanged: what a reader
   * must find. Each as {header id, file offset}.
   */
  static List<long[]> intact(Case c) {
    List<long[]> out = new ArrayList<>();
    for (byte[] src : c.sources()) {
      for (int chunk = 0; chunkOffset(chunk) + CHUNK <= src.length; chunk++) {
        int base = chunkOffset(chunk);
        int free = (int) Values.u32(src, base + 48);
        for (int p = base + ChunkHeader.SIZE; p < base + free; ) {
          int size = (int) Values.u32(src, p + 4);
          if (p + size <= c.bytes().length
              && Arrays.equals(src, p, p + size, c.bytes(), p, p + size)) {
            out.add(new long[] {Values.i64(src, p + 8), p});
          }
          p += size;
        }
      }
    }
    return out;
  }

  /** The exported form: header ids 1..n, EventRecordIDs as Windows kept them (90907, 90950, 91002). */
  public static byte[] exported() {
    long[] ids = {90907, 90950, 91002};
    EvtxWriter w = new EvtxWriter();
    for (int i = 0; i < ids.length; i++) {
      w.add(RdpFixtures.logonFailed(T.plusSeconds(i), "bob", "10.23.23.9", 0xC000006DL, 0xC000006AL)
          .eventRecordId(ids[i]));
    }
    return w.toBytes();
  }
}
