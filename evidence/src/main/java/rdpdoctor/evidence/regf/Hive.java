package rdpdoctor.evidence.regf;

import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.nio.file.Path;
import rdpdoctor.evidence.EvidenceFiles;
import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.DecodeException;

/**
 * A primary registry file (msuhanov/regf "Format of primary files"), read from memory.
 *
 * <p>Opening checks only what every read depends on (signature, a root cell inside the file);
 * keys and values are decoded when asked for, so a damaged part of a hive fails only the reads
 * that touch it, with a {@link DecodeException} naming the cell. {@link HiveCheck} walks the whole
 * file and reports what is wrong in Windows' terms; {@link LogReplay} gives the state Windows would
 * load from a dirty hive and its transaction logs.
 */
public final class Hive {
  /** Larger than any real hive (SYSTEM and SOFTWARE stay well under 1 GiB), bounds the read. */
  public static final long MAX_FILE_SIZE = 2L * 1024 * 1024 * 1024 - 16;

  /** Data segments of big data are at most this long (msuhanov/regf "Data segment"). */
  static final int SEGMENT_SIZE = 16344;

  static final long NONE = 0xFFFFFFFFL;

  private final byte[] data;
  private final BaseBlock baseBlock;
  private final int limit;
  /** Key node offsets by their Parent field; built on first use ({@link #keyNodesWithParent}). */
  private java.util.@Nullable Map<Long, long[]> keysByParent;

  private Hive(byte[] data, BaseBlock baseBlock) {
    this.data = data;
    this.baseBlock = baseBlock;
    // Cells may only lie inside the hive bins data (the header's size, unless it is damaged),
    // and inside the file.
    this.limit = (int) Math.min(data.length, BaseBlock.SIZE + bins(data, baseBlock).size());
  }

  /**
   * How much hive bins data to read.
   *
   * @param declared the base block's Hive bins data size
   * @param size the size read: {@code declared}, or the bins present when the field is damaged
   * @param present bytes of the unbroken chain of hive bins from offset 0 (0 when not walked)
   * @param presentBins hive bins in that chain (0 when not walked)
   */
  public record Bins(long declared, long size, long present, int presentBins) {
    /** True when the base block's size was not used. */
    public boolean fellBack() {
      return size != declared;
    }
  }

  /**
   * The hive bins data to read from {@code data}: the base block's size, unless it cannot be
   * right and the file holds more bins, then the unbroken chain of hive bins from the start
   * (each header's "hbin" signature, its Offset equal to where it is, a Size that is a
   * non-zero multiple of 4096 inside the file), up to the end of the file.
   *
   * <p>The field cannot be right when it is not a non-zero multiple of 4096, when it ends
   * inside a hive bin (Windows only ever grows a hive by whole bins), or when the base block's
   * checksum fails (any field may be the damaged one). A well-formed size that ends on a bin
   * boundary is kept even with more bins after it: a dirty hive (SYSTEM_WIN_10_1709 in the
   * corpus) holds bins its base block does not count yet, which Windows reads only through its
   * logs. When the file ends within the declared size, nothing is walked: no more bins can be
   * found there, so a sound hive pays nothing for this.
   */
  public static Bins bins(byte[] data, BaseBlock b) {
    long declared = b.hiveBinsDataSize();
    boolean wellFormed = declared != 0 && declared % 4096 == 0;
    long available = data.length - (long) BaseBlock.SIZE;
    if (wellFormed && declared >= available) {
      return new Bins(declared, declared, 0, 0);
    }
    long at = 0;
    int count = 0;
    boolean onBoundary = false;
    // Each hive bin header: Signature "hbin" (4), Offset (4), Size (4), then 20 bytes.
    while (at + 32 <= available) {
      int p = (int) (BaseBlock.SIZE + at);
      long size = u32le(data, p + 8);
      if (u32le(data, p) != 0x6e696268L /* "hbin" read little-endian */ || u32le(data, p + 4) != at
          || size == 0 || size % 4096 != 0 || size > available - at) {
        break;
      }
      if (at == declared) {
        onBoundary = true;
      }
      at += size;
      count++;
    }
    onBoundary |= at == declared;
    boolean damaged = !wellFormed || !b.checksumValid() || !onBoundary;
    // A damaged size gives way to more bins; a malformed one to any bins at all. A chain that
    // breaks before a sound size keeps that size: the check reports the break there.
    boolean fallBack = damaged && at > declared || !wellFormed && at > 0;
    return new Bins(declared, fallBack ? at : declared, at, count);
  }

  /** Reads the hive in {@code file}; its logs are not looked at (see {@link LogReplay}). */
  public static Hive open(Path file) throws IOException {
    return of(EvidenceFiles.read(file, "file size", MAX_FILE_SIZE));
  }

  /** A hive over {@code data}, which is not copied and must not change afterwards. */
  public static Hive of(byte[] data) {
    BaseBlock b = BaseBlock.read(data);
    if (data.length < BaseBlock.SIZE + 32) {
      throw new DecodeException.NotEnoughBytes("hive bins data", Math.max(0, data.length - 4096), 32)
          .in("not a registry hive");
    }
    return new Hive(data, b);
  }

  public BaseBlock baseBlock() {
    return baseBlock;
  }

  /** The file bytes this hive reads (shared, do not modify). */
  byte[] bytes() {
    return data;
  }

  /** File offset where readable cells end: the declared hive bins size, cut at the file's end. */
  int limit() {
    return limit;
  }

  /** The root key; fails when the base block's root cell offset does not lead to a key node. */
  public HiveKey root() {
    try {
      return HiveKey.read(this, baseBlock.rootCellOffset(), null);
    } catch (DecodeException e) {
      throw e.in("cannot read root key");
    }
  }

  // ---- cells ----

  /**
   * The data of the allocated cell at {@code offset} (relative to the hive bins data), as the
   * absolute start in {@link #bytes()} and its length without the size field.
   */
  Cell cell(long offset, String what) {
    return new Cell(offset, dataStart(offset), checkedCellDataLength(offset, what));
  }

  /**
   * The data length of the allocated cell at {@code offset} when there is one, else -1: for the
   * checks that run per cell and only need to know, without a {@code Cell} or an exception each
   * time. The one statement of what makes a cell; {@link #noCell} only says which rule failed.
   */
  int cellDataLength(long offset) {
    long at = BaseBlock.SIZE + offset;
    if (offset < 0 || (offset & 7) != 0 || at + 4 > limit) {
      return -1; // NONE (0xffffffff) is not 8-aligned
    }
    int size = i32le(data, (int) at);
    long length = -(long) size;
    return size < 0 && length >= 8 && at + length <= limit ? (int) length - 4 : -1;
  }

  /** {@link #cellDataLength}, failing with the reason when there is no such cell. */
  int checkedCellDataLength(long offset, String what) {
    int n = cellDataLength(offset);
    if (n < 0) {
      throw noCell(offset, what);
    }
    return n;
  }

  /** Why there is no allocated cell at {@code offset}, for which {@link #cellDataLength} said -1. */
  private DecodeException noCell(long offset, String what) {
    if (offset == NONE) {
      return new DecodeException.InvalidField(what, "offset is 0xffffffff (no cell)");
    }
    long at = BaseBlock.SIZE + offset;
    if (offset < 0 || (offset & 7) != 0 || at + 4 > limit) {
      return new DecodeException.InvalidField(
          what, "cell offset 0x" + Long.toHexString(offset) + " outside the hive bins data (0x"
              + Long.toHexString(limit - BaseBlock.SIZE) + " bytes) or not 8-aligned");
    }
    int size = i32le(data, (int) at);
    if (size >= 0) {
      return new DecodeException.InvalidField(
          what, "cell at 0x" + Long.toHexString(offset) + " is free (size " + size + ")");
    }
    long length = -(long) size;
    return new DecodeException.InvalidField(
        what, "cell at 0x" + Long.toHexString(offset) + " has size " + length
            + " (expected: 8.." + (limit - at) + ")");
  }

  /** Where the data of the cell at {@code offset} starts in {@link #bytes()}: after its size field. */
  static int dataStart(long offset) {
    return (int) (BaseBlock.SIZE + offset) + 4;
  }

  // Unchecked little- and big-endian reads for loops whose bounds were checked before: a
  // ByteReader per cell costs an object and a bounds check per field in the hottest loops.

  static int i32le(byte[] d, int p) {
    return (d[p] & 0xFF) | (d[p + 1] & 0xFF) << 8 | (d[p + 2] & 0xFF) << 16 | (d[p + 3] & 0xFF) << 24;
  }

  static long u32le(byte[] d, int p) {
    return i32le(d, p) & 0xFFFFFFFFL;
  }

  static int u16le(byte[] d, int p) {
    return (d[p] & 0xFF) | (d[p + 1] & 0xFF) << 8;
  }

  static int u16be(byte[] d, int p) {
    return (d[p] & 0xFF) << 8 | (d[p + 1] & 0xFF);
  }

  /** An allocated cell: relative offset, absolute start of its data and data length. */
  record Cell(long offset, int start, int length) {
    ByteReader reader(Hive hive) {
      return ByteReader.of(hive.data, start, length);
    }

    int signature(Hive hive) {
      return length < 2 ? -1 : (hive.data[start] & 0xFF) << 8 | (hive.data[start + 1] & 0xFF);
    }
  }

  static final int SIG_NK = 0x6e6b;
  static final int SIG_VK = 0x766b;
  static final int SIG_SK = 0x736b;
  static final int SIG_LF = 0x6c66;
  static final int SIG_LH = 0x6c68;
  static final int SIG_LI = 0x6c69;
  static final int SIG_RI = 0x7269;
  static final int SIG_DB = 0x6462;

  static String signatureText(int sig) {
    if (sig < 0) {
      return "(none)";
    }
    char a = (char) (sig >>> 8);
    char b = (char) (sig & 0xFF);
    return Character.isLetterOrDigit(a) && Character.isLetterOrDigit(b)
        ? "\"" + a + b + "\""
        : String.format("0x%04x", sig);
  }

  /**
   * The key node offsets of a subkeys list (msuhanov/regf "Index leaf", "Fast leaf", "Hash leaf",
   * "Index root"), in list order. An index root may only point to leaves.
   */
  long[] subkeyOffsets(long listOffset) {
    Cell c = cell(listOffset, "subkeys list");
    int sig = c.signature(this);
    if (sig != SIG_RI) {
      return leafOffsets(c, sig);
    }
    // Signature (2), Number of elements (2): a cell holds at least 4 bytes of data.
    int count = u16le(data, c.start() + 2);
    DecodeException.checkBound("index root elements", count, (c.length() - 4) / 4);
    long[][] parts = new long[count][];
    int total = 0;
    for (int i = 0; i < count; i++) {
      long sub = u32le(data, c.start() + 4 + 4 * i); // Subkeys list offset, inside by the bound

      Cell leaf = cell(sub, "subkeys list in index root");
      int leafSig = leaf.signature(this);
      if (leafSig == SIG_RI) {
        throw new DecodeException.InvalidField(
            "subkeys list in index root", "index root 0x" + Long.toHexString(sub) + " nested in another");
      }
      parts[i] = leafOffsets(leaf, leafSig);
      total += parts[i].length;
    }
    long[] out = new long[total];
    int n = 0;
    for (long[] p : parts) {
      System.arraycopy(p, 0, out, n, p.length);
      n += p.length;
    }
    return out;
  }

  private long[] leafOffsets(Cell c, int sig) {
    int step;
    if (sig == SIG_LF || sig == SIG_LH) {
      step = 8; // Key node offset (4) + Name hint or Name hash (4)
    } else if (sig == SIG_LI) {
      step = 4; // Key node offset (4)
    } else {
      throw new DecodeException.UnexpectedValue(
          "subkeys list at 0x" + Long.toHexString(c.offset()), "signature", sig,
          "\"lf\", \"lh\", \"li\" or \"ri\"");
    }
    // Signature (2), Number of elements (2): a cell holds at least 4 bytes of data.
    int count = u16le(data, c.start() + 2);
    DecodeException.checkBound("subkeys list elements", count, (c.length() - 4) / step);
    // Elements: Key node offset (4), then for lf/lh a Name hint or Name hash (4); all inside the
    // cell, as the bound above says.
    long[] out = new long[count];
    for (int i = 0, p = c.start() + 4; i < count; i++, p += step) {
      out[i] = u32le(data, p);
    }
    return out;
  }

  /**
   * The allocated key node cells whose Parent field is {@code parent}, in the order they lie in
   * the hive bins. A subkeys list that cannot be read (a truncated hive cuts it off, while the
   * key nodes it listed often lie in bins that survived) leaves this as the only way to the
   * subkeys. The index is built once, by walking each hive bin's cells from the start of the hive
   * bins data up to the first bin that is not sound, so a sound hive never pays for it.
   */
  long[] keyNodesWithParent(long parent) {
    if (keysByParent == null) {
      keysByParent = indexKeyNodes();
    }
    return keysByParent.getOrDefault(parent, new long[0]);
  }

  private java.util.Map<Long, long[]> indexKeyNodes() {
    java.util.Map<Long, long[]> out = new java.util.HashMap<>();
    long end = limit - (long) BaseBlock.SIZE;
    long at = 0;
    // Each hive bin header: Signature "hbin" (4), Offset (4), Size (4), then 20 bytes; then cells,
    // each a signed size (negative: allocated) whose absolute value is a multiple of 8.
    while (at + 32 <= end) {
      int p = (int) (BaseBlock.SIZE + at);
      long size = u32le(data, p + 8);
      if (u32le(data, p) != 0x6e696268L || size == 0 || size % 4096 != 0 || size > end - at) {
        break;
      }
      long cell = at + 32;
      while (cell + 4 <= at + size) {
        int raw = i32le(data, (int) (BaseBlock.SIZE + cell));
        long len = raw < 0 ? -(long) raw : raw;
        if (len < 8 || len % 8 != 0 || len > at + size - cell) {
          break; // the rest of this bin cannot be walked; the next bin header still can
        }
        // A key node's data: Signature "nk" (2), Flags (2), Last written (8), Access bits (4), Parent (4).
        int d = (int) (BaseBlock.SIZE + cell) + 4;
        if (raw < 0 && len >= 4 + 20 && u16be(data, d) == SIG_NK) {
          long parentField = u32le(data, d + 16);
          long[] old = out.get(parentField);
          long[] grown = old == null ? new long[1] : java.util.Arrays.copyOf(old, old.length + 1);
          grown[grown.length - 1] = cell;
          out.put(parentField, grown);
        }
        cell += len;
      }
      at += size;
    }
    return out;
  }

  /** The key value offsets of a key values list ({@code count} from the key node). */
  long[] valueOffsets(long listOffset, long count) {
    int n = checkedCellDataLength(listOffset, "key values list");
    DecodeException.checkBound("number of key values", count, n / 4);
    long[] out = new long[(int) count];
    for (int i = 0, p = dataStart(listOffset); i < count; i++, p += 4) {
      out[i] = u32le(data, p); // Key value offset; inside the cell, as the bound above says
    }
    return out;
  }
}
