package rdpdoctor.evidence.even6;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import rdpdoctor.protocol.DecodeException;

/**
 * [MS-EVEN6] chunk: a 64 KiB block holding a 512-byte header and event records, decoded on its
 * own (names and templates are chunk-local, which is what lets chunks be read in parallel).
 *
 * @param index chunk index in the file (0 = offset 4096)
 * @param fileOffset where the chunk starts
 * @param header the chunk header, or null when the chunk is empty (all zero) or not a chunk
 * @param headerCrcOk the header checksum matched, or checksums are off
 * @param dataCrcOk the records checksum matched, or checksums are off
 * @param records the records decoded, in chunk order
 * @param issues what could not be read, and checksum warnings
 */
public record Chunk(
    int index,
    long fileOffset,
    @Nullable ChunkHeader header,
    boolean headerCrcOk,
    boolean dataCrcOk,
    List<EventRecord> records,
    List<EvtxIssue> issues) {

  private static final int RECORD_MAGIC = 0x00002a2a;
  private static final int RECORD_HEADER = 24;
  /** Smallest record: header (24) + at least one token... + copy of size (4). */
  private static final int RECORD_MIN = 28;

  /** True for an all-zero (never used) chunk slot. */
  public boolean empty() {
    return header == null && issues.isEmpty();
  }

  /**
   * Decodes the chunk in {@code b[0, length)} ({@code length} is less than 64 KiB only for a file
   * that ends inside its last chunk).
   *
   * @param checkCrc false when the file header says checksums are not kept
   */
  static Chunk decode(BinXml binxml, byte[] b, int length, int index, long fileOffset, boolean checkCrc) {
    List<EvtxIssue> issues = new ArrayList<>(0);
    if (length < ChunkHeader.SIZE) {
      issues.add(new EvtxIssue(EvtxIssue.Kind.CHUNK_TRUNCATED, index, fileOffset, null,
          "file ends " + length + " bytes into the chunk (expected: 65536)"));
      return new Chunk(index, fileOffset, null, false, false, List.of(), issues);
    }
    long magic = Values.i64(b, 0);
    if (magic != ChunkHeader.MAGIC) {
      if (allZero(b, length)) {
        return new Chunk(index, fileOffset, null, true, true, List.of(), List.of());
      }
      issues.add(new EvtxIssue(EvtxIssue.Kind.CHUNK_INVALID, index, fileOffset, null,
          "chunk signature is 0x" + Long.toHexString(magic) + " (expected: \"ElfChnk\\0\"); chunk skipped"));
      return new Chunk(index, fileOffset, null, false, false, List.of(), issues);
    }
    if (length < ChunkHeader.CHUNK_SIZE) {
      issues.add(new EvtxIssue(EvtxIssue.Kind.CHUNK_TRUNCATED, index, fileOffset, null,
          "file ends " + length + " bytes into the chunk (expected: 65536); reading what is there"));
    }
    ChunkHeader h = ChunkHeader.parse(b);
    boolean noCrc = !checkCrc || (h.flags() & FileHeader.FLAG_NO_CRC32) != 0;
    boolean headerOk = true;
    boolean dataOk = true;
    if (!noCrc) {
      long hc = ChunkHeader.headerCrc(b);
      if (hc != h.storedHeaderCrc()) {
        headerOk = false;
        issues.add(new EvtxIssue(EvtxIssue.Kind.CHUNK_HEADER_CHECKSUM, index, fileOffset, null,
            String.format("header checksum is 0x%08x (computed: 0x%08x)", h.storedHeaderCrc(), hc)));
      }
      long dc = ChunkHeader.dataCrc(b, length, h.freeSpaceOffset());
      if (dc != h.storedDataCrc()) {
        dataOk = false;
        issues.add(new EvtxIssue(EvtxIssue.Kind.CHUNK_RECORDS_CHECKSUM, index, fileOffset, null,
            String.format("records checksum is 0x%08x (computed: 0x%08x)", h.storedDataCrc(), dc)));
      }
    }
    binxml.reset(b, length);
    List<EventRecord> records = new ArrayList<>(128);
    // The free space offset can be wrong in dirty files (omerbenamram issue #197): clamp it.
    long free = h.freeSpaceOffset();
    int limit = free >= ChunkHeader.SIZE + RECORD_MIN && free <= length ? (int) free : length;
    int pos = ChunkHeader.SIZE;
    while (pos + RECORD_HEADER <= limit) {
      int m = Values.i32(b, pos);
      if (m == 0 && (pos + 8 > length || Values.i32(b, pos + 4) == 0)) {
        break; // zero fill: the end of the used part of the chunk
      }
      long size = m == RECORD_MAGIC ? Values.u32(b, pos + 4) : -1;
      boolean fits = m == RECORD_MAGIC && size >= RECORD_MIN && pos + size <= length;
      long copy = fits ? Values.u32(b, pos + (int) size - 4) : -1;
      EventRecord decoded = null;
      String error = null;
      long id = fits ? Values.i64(b, pos + 8) : 0; // Event record identifier (8 bytes)
      if (fits) {
        long written = Values.i64(b, pos + 16); // Written date and time, FILETIME (8 bytes)
        try {
          List<Object> content = binxml.record(pos + RECORD_HEADER, pos + (int) size - 4);
          decoded = new EventRecord(id, written, fileOffset + pos, index, content);
        } catch (DecodeException e) {
          error = e.getMessage();
        }
      }
      if (decoded != null || (fits && copy == size)) {
        if (decoded != null) {
          records.add(decoded);
          if (copy != size) {
            // The last record of a chunk Windows was writing can lack its trailing size copy.
            issues.add(new EvtxIssue(EvtxIssue.Kind.RECORD_SIZE_MISMATCH, index, fileOffset + pos, id,
                "record size " + size + " differs from its copy " + copy + "; the record decoded and was kept"));
          }
        } else {
          issues.add(new EvtxIssue(EvtxIssue.Kind.RECORD_INVALID, index, fileOffset + pos, id,
              "cannot decode record BinXml: " + error));
        }
      } else {
        int next = resync(b, pos + 8, limit);
        String why = m != RECORD_MAGIC
            ? String.format("record signature is 0x%08x (expected: 0x00002a2a)", m)
            : !fits
                ? "record size " + size + " does not fit the chunk (" + (length - pos) + " bytes left)"
                : "record size " + size + " differs from its copy " + copy + " and its BinXml does not decode (" + error + ")";
        issues.add(new EvtxIssue(EvtxIssue.Kind.RECORD_SKIPPED_BYTES, index, fileOffset + pos, null,
            why + (next < 0 ? "; rest of the chunk skipped" : "; skipped " + (next - pos) + " bytes to the next record")));
        if (next < 0) {
          break;
        }
        pos = next;
        continue;
      }
      pos += (int) size;
      if (id == h.lastRecordId() && headerOk) {
        break;
      }
    }
    return new Chunk(index, fileOffset, h, headerOk, dataOk, records, issues);
  }

  /** The next 8-aligned offset that holds a plausible record (signature, size = copy of size). */
  private static int resync(byte[] b, int from, int limit) {
    for (int p = (from + 7) & ~7; p + RECORD_MIN <= limit; p += 8) {
      if (Values.i32(b, p) == RECORD_MAGIC) {
        long size = Values.u32(b, p + 4);
        if (size >= RECORD_MIN && p + size <= limit && Values.u32(b, p + (int) size - 4) == size) {
          return p;
        }
      }
    }
    return -1;
  }

  private static boolean allZero(byte[] b, int length) {
    for (int i = 0; i < length; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
