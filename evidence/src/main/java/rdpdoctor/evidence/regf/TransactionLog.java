package rdpdoctor.evidence.regf;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.DecodeException;

/**
 * A transaction log file (msuhanov/regf "Format of transaction log files"): a partial base block
 * in the first sector, then either the old format's dirty vector and dirty pages ({@code DIRT},
 * Windows XP to 8) or the new format's log entries ({@code HvLE}, Windows 8.1 and later).
 *
 * <p>Reading never fails on a damaged body: entries are read until the first one that is not
 * valid, and why reading stopped is kept in {@link #stopReason()}, since Windows stops there too.
 *
 * @param name the file name, for reports
 * @param baseBlock the log's copy of the base block (null when its first sector is not one)
 * @param baseBlockProblem why the base block cannot be used, or null when it is valid
 * @param format OLD, NEW, or EMPTY (a zero-filled or absent body, common for an unused .LOG2)
 * @param entries new format: valid log entries in file order
 * @param dirtyPages old format: pages to write, as hive-bins-relative offsets and bytes
 * @param stopReason why reading stopped before the end of the file, or null
 * @param baseSector a copy of the log's first 512 bytes (the base block Windows recovers from)
 * @param remnant reading stopped at bytes that are no log entry after valid ones: remnants of
 *     older, longer entries, as every reused log holds (msuhanov/regf "Log entries" note 4), not
 *     damage
 */
public record TransactionLog(
    String name,
    @Nullable BaseBlock baseBlock,
    @Nullable String baseBlockProblem,
    Format format,
    List<Entry> entries,
    List<Page> dirtyPages,
    @Nullable String stopReason,
    byte[] baseSector,
    boolean remnant) {

  public enum Format { OLD, NEW, EMPTY }

  /** A page to write to the primary file at {@code 4096 + offset}. */
  public record Page(long offset, int start, int length, byte[] source) {}

  /**
   * msuhanov/regf "Log entries": one HvLE entry.
   *
   * @param fileOffset where the entry starts in the log
   * @param sequence the sequence number the hive has after this entry is applied
   * @param hiveBinsDataSize the hive bins size the primary file grows to
   * @param flags bit 0 restores the base block's KTM flag
   * @param pages dirty pages, in reference order
   */
  public record Entry(long fileOffset, long sequence, long hiveBinsDataSize, long flags, List<Page> pages) {}

  /** Entries and pages are bounded by the file, so no count from it sizes an allocation alone. */
  public static TransactionLog read(String name, byte[] file) {
    BaseBlock base;
    try {
      base = BaseBlock.read(file);
    } catch (DecodeException e) {
      return new TransactionLog(name, null, e.getMessage(), Format.EMPTY, List.of(), List.of(), null, new byte[0], false);
    }
    byte[] sector = java.util.Arrays.copyOf(file, BaseBlock.SECTOR);
    String problem = null;
    if (!base.checksumValid()) {
      problem = String.format("log base block checksum 0x%08x does not match its contents (0x%08x)",
          base.storedChecksum(), base.computedChecksum());
    } else if (!base.sequencesMatch()) {
      problem = "log base block sequence numbers differ (" + base.primarySequence() + " / "
          + base.secondarySequence() + ")";
    } else if (base.fileType() != BaseBlock.TYPE_LOG_OLD && base.fileType() != BaseBlock.TYPE_LOG_NEW
        && base.fileType() != BaseBlock.TYPE_LOG_NT2000) {
      problem = "file type " + base.fileType() + " is not a transaction log (expected: 1, 2 or 6)";
    }
    if (file.length < 1024) {
      return new TransactionLog(name, base, problem, Format.EMPTY, List.of(), List.of(), null, sector, false);
    }
    long sig = ByteReader.of(file, 512, 4).u32be("Signature");
    if (sig == 0x48764c45L) { // "HvLE"
      return readNew(name, file, base, problem, sector);
    }
    if (sig == 0x44495254L) { // "DIRT"
      return readOld(name, file, base, problem, sector);
    }
    String stop = allZero(file, 512, Math.min(file.length, 1024))
        ? null : String.format("no DIRT or HvLE signature at offset 512 (found 0x%08x)", sig);
    return new TransactionLog(name, base, problem, Format.EMPTY, List.of(), List.of(), stop, sector, false);
  }

  private static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static TransactionLog readNew(String name, byte[] file, BaseBlock base, @Nullable String problem, byte[] sector) {
    List<Entry> entries = new ArrayList<>();
    String stop = null;
    boolean remnant = false;
    long at = 512;
    while (at + 40 <= file.length) {
      ByteReader r = ByteReader.of(file, (int) at, file.length - (int) at);
      long sig = r.u32be("Signature");
      if (sig != 0x48764c45L) {
        if (!allZero(file, (int) at, (int) Math.min(file.length, at + 512))) {
          stop = String.format("no HvLE signature at offset 0x%x", at);
          remnant = !entries.isEmpty();
        }
        break;
      }
      long size = r.u32le("Size");
      long flags = r.u32le("Flags");
      long sequence = r.u32le("Sequence number");
      long binsSize = r.u32le("Hive bins data size");
      long pageCount = r.u32le("Dirty pages count");
      long hash1 = r.u64le("Hash-1");
      long hash2 = r.u64le("Hash-2");
      if (size < 40 || size % 512 != 0 || size > file.length - at) {
        stop = String.format("log entry at 0x%x has size %d (expected: a multiple of 512, <= %d)",
            at, size, file.length - at);
        break;
      }
      if (binsSize % 4096 != 0 || binsSize == 0) {
        stop = String.format("log entry %d at 0x%x has hive bins data size %d (expected: a multiple of 4096)",
            sequence, at, binsSize);
        break;
      }
      if (Marvin32.hash(file, (int) at + 40, (int) size - 40, Marvin32.LOG_SEED) != hash1) {
        stop = String.format("log entry %d at 0x%x fails its Hash-1 check", sequence, at);
        break;
      }
      if (Marvin32.hash(file, (int) at, 32, Marvin32.LOG_SEED) != hash2) {
        stop = String.format("log entry %d at 0x%x fails its Hash-2 check", sequence, at);
        break;
      }
      // Dirty pages references: Offset (4) + Size (4) each, then the pages themselves.
      if (pageCount > (size - 40) / 8) {
        stop = String.format("log entry %d has %d dirty pages (expected: <= %d)", sequence, pageCount,
            (size - 40) / 8);
        break;
      }
      List<Page> pages = new ArrayList<>();
      long pageAt = at + 40 + 8 * pageCount;
      String bad = null;
      for (int i = 0; i < pageCount; i++) {
        long offset = r.u32le("Offset");
        long length = r.u32le("Size");
        if (length > at + size - pageAt || offset % 4096 != 0 || length % 4096 != 0) {
          bad = String.format("log entry %d page %d (offset 0x%x, %d bytes) does not fit the entry",
              sequence, i, offset, length);
          break;
        }
        pages.add(new Page(offset, (int) pageAt, (int) length, file));
        pageAt += length;
      }
      if (bad != null) {
        stop = bad;
        break;
      }
      entries.add(new Entry(at, sequence, binsSize, flags, List.copyOf(pages)));
      at += size;
    }
    return new TransactionLog(name, base, problem, Format.NEW, List.copyOf(entries), List.of(), stop, sector,
        remnant);
  }

  private static TransactionLog readOld(String name, byte[] file, BaseBlock base, @Nullable String problem, byte[] sector) {
    // Bitmap length in bits = hive bins data size / 512, from the log's own base block.
    long bits = base.hiveBinsDataSize() / 512;
    long bitmapBytes = (bits + 7) / 8;
    if (bitmapBytes > file.length - 516L) {
      return new TransactionLog(name, base, problem, Format.OLD, List.of(), List.of(),
          "dirty vector of " + bitmapBytes + " bytes does not fit the log (" + file.length + " bytes)",
          sector, false);
    }
    long pagesAt = (512 + 4 + bitmapBytes + 511) / 512 * 512;
    List<Page> pages = new ArrayList<>();
    String stop = null;
    long next = pagesAt;
    for (long bit = 0; bit < bits; bit++) {
      int b = file[(int) (516 + bit / 8)] & 0xFF;
      if ((b >>> (bit % 8) & 1) == 0) {
        continue;
      }
      if (next + 512 > file.length) {
        stop = "dirty page for offset 0x" + Long.toHexString(bit * 512) + " is past the end of the log";
        break;
      }
      pages.add(new Page(bit * 512, (int) next, 512, file));
      next += 512;
    }
    return new TransactionLog(name, base, problem, Format.OLD, List.of(), List.copyOf(pages), stop, sector, false);
  }

  public boolean baseBlockValid() {
    return baseBlock != null && baseBlockProblem == null;
  }

  /** The first and last sequence numbers of this log's entries, or null without entries. */
  public long @Nullable [] sequenceRange() {
    return entries.isEmpty() ? null
        : new long[] {entries.get(0).sequence(), entries.get(entries.size() - 1).sequence()};
  }
}
