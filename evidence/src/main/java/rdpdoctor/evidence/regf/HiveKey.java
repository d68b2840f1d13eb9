package rdpdoctor.evidence.regf;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import rdpdoctor.evidence.even6.FileTime;
import rdpdoctor.evidence.registry.RegistryKey;
import rdpdoctor.evidence.registry.RegistryValue;
import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.DecodeException;

/**
 * msuhanov/regf "Key node" (nk), with its subkeys and values read on demand.
 *
 * <p>Subkey lists that point back to this key or one of its ancestors are cut there, so any walk
 * over {@link #subkeys()} ends even on a cyclic hive; {@link HiveCheck} reports the cycle.
 */
public final class HiveKey implements RegistryKey {
  static final int FLAG_HIVE_ENTRY = 0x0004;
  static final int FLAG_SYM_LINK = 0x0010;
  static final int FLAG_COMP_NAME = 0x0020;
  static final int VALUE_COMP_NAME = 0x0001;

  private final Hive hive;
  private final @Nullable HiveKey parentKey;
  private final long offset;
  private final int flags;
  private final long lastWritten;
  private final long parentOffset;
  private final long subkeyCount;
  private final long subkeyListOffset;
  private final long valueCount;
  private final long valueListOffset;
  private final long securityOffset;
  private final long classOffset;
  private final int classLength;
  private final String name;
  private final int depth;
  /**
   * Built on first use from the parent chain ({@link #path()}): a walk that never prints a path,
   * such as {@link HiveCheck} over a sound hive, then builds none. A racy cache, like
   * {@code String.hash}: two threads may both build it, and get equal strings.
   */
  private @Nullable String path;

  private HiveKey(Hive hive, @Nullable HiveKey parentKey, long offset, ByteReader r) {
    this.hive = hive;
    this.parentKey = parentKey;
    this.offset = offset;
    long sig = r.u16be("Signature");
    if (sig != Hive.SIG_NK) {
      throw new DecodeException.UnexpectedValue(
          "key node at 0x" + Long.toHexString(offset), "signature", sig, "\"nk\"");
    }
    this.flags = r.u16le("Flags");
    this.lastWritten = r.u64le("Last written timestamp");
    r.skip("Access bits", 4);
    this.parentOffset = r.u32le("Parent");
    this.subkeyCount = r.u32le("Number of subkeys");
    r.skip("Number of volatile subkeys", 4);
    this.subkeyListOffset = r.u32le("Subkeys list offset");
    r.skip("Volatile subkeys list offset", 4);
    this.valueCount = r.u32le("Number of key values");
    this.valueListOffset = r.u32le("Key values list offset");
    this.securityOffset = r.u32le("Key security offset");
    this.classOffset = r.u32le("Class name offset");
    r.skip("Largest subkey name length", 4);
    r.skip("Largest subkey class name length", 4);
    r.skip("Largest value name length", 4);
    r.skip("Largest value data size", 4);
    r.skip("WorkVar", 4);
    int nameLength = r.u16le("Key name length");
    this.classLength = r.u16le("Class name length");
    this.name = (flags & FLAG_COMP_NAME) != 0
        ? r.latin1("Key name string", nameLength)
        : r.utf16le("Key name string", nameLength / 2);
    this.depth = parentKey == null ? 0 : parentKey.depth + 1;
    this.path = parentKey == null ? "" : null;
  }

  static HiveKey read(Hive hive, long offset, @Nullable HiveKey parent) {
    Hive.Cell c = hive.cell(offset, "key node");
    try {
      return new HiveKey(hive, parent, offset, c.reader(hive));
    } catch (DecodeException e) {
      throw e.in("cannot read key node at 0x" + Long.toHexString(offset));
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String path() {
    String p = path;
    return p != null ? p : buildPath();
  }

  /**
   * The names from the root's child down to this key, joined by backslashes, stored in this key
   * and every ancestor that had none yet. A loop, not recursion: a damaged hive read through
   * {@link #subkeys()} can nest keys deeper than a thread stack.
   */
  private String buildPath() {
    int n = 0;
    for (HiveKey k = this; k.path == null; k = k.parentKey) {
      n++;
    }
    HiveKey[] chain = new HiveKey[n];
    HiveKey k = this;
    for (int i = n - 1; i >= 0; i--) {
      chain[i] = k;
      k = k.parentKey;
    }
    String p = k.path; // the nearest ancestor that has one (the root's is "")
    for (HiveKey c : chain) {
      // The root's children start the path; further names follow a backslash, even after an
      // empty name, as the keys below "" in a damaged hive always were.
      p = c.parentKey.depth == 0 ? c.name : p + "\\" + c.name;
      c.path = p;
    }
    return p;
  }

  @Override
  public Instant lastWritten() {
    return FileTime.toInstant(lastWritten);
  }

  @Override
  public long cellOffset() {
    return offset;
  }

  public int flags() {
    return flags;
  }

  public long parentOffset() {
    return parentOffset;
  }

  public long subkeyCount() {
    return subkeyCount;
  }

  public long valueCount() {
    return valueCount;
  }

  long subkeyListOffset() {
    return subkeyListOffset;
  }

  long valueListOffset() {
    return valueListOffset;
  }

  public long securityOffset() {
    return securityOffset;
  }

  public @Nullable HiveKey parent() {
    return parentKey;
  }

  public int depth() {
    return depth;
  }

  /** The class name (UTF-16LE), or null when the key has none. */
  public @Nullable String className() {
    if (classOffset == Hive.NONE || classLength == 0) {
      return null;
    }
    Hive.Cell c = hive.cell(classOffset, "class name");
    return c.reader(hive).utf16le("Class name", Math.min(classLength, c.length()) / 2);
  }

  /** True when {@code offset} is this key or one of its ancestors: following it would loop. */
  boolean onPath(long cell) {
    for (HiveKey k = this; k != null; k = k.parentKey) {
      if (k.offset == cell) {
        return true;
      }
    }
    return false;
  }

  @Override
  public List<HiveKey> subkeys() {
    if (subkeyCount == 0 || subkeyListOffset == Hive.NONE) {
      return List.of();
    }
    long[] offsets;
    try {
      offsets = hive.subkeyOffsets(subkeyListOffset);
    } catch (DecodeException e) {
      throw e.in("cannot read subkeys of " + display());
    }
    List<HiveKey> out = new ArrayList<>(offsets.length);
    for (long o : offsets) {
      if (onPath(o)) {
        continue; // a cycle; HiveCheck reports it
      }
      try {
        out.add(read(hive, o, this));
      } catch (DecodeException e) {
        throw e.in("cannot read subkeys of " + display());
      }
    }
    return out;
  }

  /** The direct subkey called {@code name}, ignoring case; uses the list order, no hash. */
  @Override
  public @Nullable HiveKey subkey(String wanted) {
    for (HiveKey k : subkeys()) {
      if (k.name.equalsIgnoreCase(wanted)) {
        return k;
      }
    }
    return null;
  }

  @Override
  public List<RegistryValue> values() {
    if (valueCount == 0) {
      return List.of();
    }
    try {
      long[] offsets = hive.valueOffsets(valueListOffset, valueCount);
      List<RegistryValue> out = new ArrayList<>(offsets.length);
      for (long o : offsets) {
        out.add(readValue(hive, o));
      }
      return out;
    } catch (DecodeException e) {
      throw e.in("cannot read values of " + display());
    }
  }

  String display() {
    String p = path();
    return p.isEmpty() ? "the root key" : "key " + p;
  }

  /** msuhanov/regf "Key value" (vk) and its data (resident, in one cell, or big data). */
  static RegistryValue readValue(Hive hive, long offset) {
    Hive.Cell c = hive.cell(offset, "key value");
    ByteReader r = c.reader(hive);
    try {
      ValueHeader h = ValueHeader.read(r, offset);
      String name = (h.flags & VALUE_COMP_NAME) != 0
          ? r.latin1("Value name string", h.nameLength)
          : r.utf16le("Value name string", h.nameLength / 2);
      return new RegistryValue(name, h.type, valueData(hive, h.dataSize, h.dataOffset, c));
    } catch (DecodeException e) {
      throw e.in("cannot read key value at 0x" + Long.toHexString(offset));
    }
  }

  /**
   * Checks the key value at {@code offset} exactly as {@link #readValue} reads it, failing with
   * the same exception, but without decoding its name or copying its data (what {@link HiveCheck}
   * needs for every value of a hive): the length of its data.
   */
  static long checkValue(Hive hive, long offset) {
    // The common case read straight from the array: a vk cell with its name inside, and resident
    // data or a plain data cell large enough. Anything else (damage, big data) goes the slow way
    // below, which fails with the exact reason; this path only ever accepts what that one does.
    byte[] f = hive.bytes();
    int n = hive.cellDataLength(offset);
    int p = (int) (BaseBlock.SIZE + offset) + 4; // the cell's data, after its size field
    if (n >= VK_FIXED && Hive.u16be(f, p) == Hive.SIG_VK) {
      int nameLength = Hive.u16le(f, p + 2);
      long dataSize = Hive.u32le(f, p + 4);
      long dataOffset = Hive.u32le(f, p + 8);
      int flags = Hive.u16le(f, p + 16);
      int nameBytes = (flags & VALUE_COMP_NAME) != 0 ? nameLength : nameLength / 2 * 2;
      if (nameBytes <= n - VK_FIXED) {
        if ((dataSize & 0x80000000L) != 0) {
          if ((dataSize & 0x7FFFFFFFL) <= 4) {
            return dataSize & 0x7FFFFFFFL;
          }
        } else if (dataSize == 0) {
          return 0;
        } else if (dataSize <= Hive.SEGMENT_SIZE || hive.baseBlock().minor() <= 3) {
          int d = hive.cellDataLength(dataOffset);
          if (d >= 0 && dataSize <= d) {
            return dataSize;
          }
        }
      }
    }
    return checkValueSlowly(hive, offset);
  }

  /** Bytes of a vk cell before its name: 2 + 2 + 4 + 4 + 4 + 2 + 2 (ValueHeader's fields). */
  private static final int VK_FIXED = 20;

  private static long checkValueSlowly(Hive hive, long offset) {
    Hive.Cell c = hive.cell(offset, "key value");
    ByteReader r = c.reader(hive);
    try {
      ValueHeader h = ValueHeader.read(r, offset);
      if ((h.flags & VALUE_COMP_NAME) != 0) {
        r.skip("Value name string", h.nameLength);
      } else {
        // As utf16le's bound: nameLength / 2 code units, which fit exactly when their bytes do.
        r.skip("Value name string", h.nameLength / 2 * 2L);
      }
      return dataLength(hive, h.dataSize, h.dataOffset, c);
    } catch (DecodeException e) {
      throw e.in("cannot read key value at 0x" + Long.toHexString(offset));
    }
  }

  /** The fixed part of a key value, read in the spec's order; the reader is left at the name. */
  private record ValueHeader(int nameLength, long dataSize, long dataOffset, long type, int flags) {
    static ValueHeader read(ByteReader r, long offset) {
      long sig = r.u16be("Signature");
      if (sig != Hive.SIG_VK) {
        throw new DecodeException.UnexpectedValue(
            "key value at 0x" + Long.toHexString(offset), "signature", sig, "\"vk\"");
      }
      int nameLength = r.u16le("Name length");
      long dataSize = r.u32le("Data size");
      long dataOffset = r.u32le("Data offset");
      long type = r.u32le("Data type");
      int flags = r.u16le("Flags");
      r.skip("Spare", 2);
      return new ValueHeader(nameLength, dataSize, dataOffset, type, flags);
    }
  }

  static byte[] valueData(Hive hive, long dataSize, long dataOffset, Hive.Cell vk) {
    byte[] file = hive.bytes();
    if ((dataSize & 0x80000000L) != 0) {
      // Resident data: up to 4 bytes stored in the Data offset field itself (vk offset 8).
      long n = dataSize & 0x7FFFFFFFL;
      DecodeException.checkBound("resident data size", n, 4);
      byte[] out = new byte[(int) n];
      System.arraycopy(file, vk.start() + 8, out, 0, (int) n);
      return out;
    }
    if (dataSize == 0) {
      return new byte[0];
    }
    Hive.Cell d = hive.cell(dataOffset, "value data");
    if (isBigData(hive, dataSize, d)) {
      return bigData(hive, dataSize, d, true);
    }
    checkCellData(dataSize, d);
    byte[] out = new byte[(int) dataSize];
    System.arraycopy(file, d.start(), out, 0, (int) dataSize);
    return out;
  }

  /** What {@link #valueData} checks, in the same order and with the same failures; no copy. */
  private static long dataLength(Hive hive, long dataSize, long dataOffset, Hive.Cell vk) {
    if ((dataSize & 0x80000000L) != 0) {
      return DecodeException.checkBound("resident data size", dataSize & 0x7FFFFFFFL, 4);
    }
    if (dataSize == 0) {
      return 0;
    }
    Hive.Cell d = hive.cell(dataOffset, "value data");
    if (isBigData(hive, dataSize, d)) {
      bigData(hive, dataSize, d, false);
      return dataSize;
    }
    checkCellData(dataSize, d);
    return dataSize;
  }

  private static boolean isBigData(Hive hive, long dataSize, Hive.Cell d) {
    return dataSize > Hive.SEGMENT_SIZE && hive.baseBlock().minor() > 3 && d.signature(hive) == Hive.SIG_DB;
  }

  private static void checkCellData(long dataSize, Hive.Cell d) {
    if (dataSize > d.length()) {
      throw new DecodeException.InvalidField(
          "Data size", dataSize + " (expected: <= " + d.length() + ", the data cell's size)");
    }
  }

  /**
   * msuhanov/regf "Big data" (db): a list of segments of 16344 bytes, the last one shorter. Every
   * segment is checked before the data is allocated, so a list that promises a gigabyte and
   * holds nothing costs nothing; the data is copied only when {@code copy} is set (else null).
   */
  private static byte @Nullable [] bigData(Hive hive, long dataSize, Hive.Cell db, boolean copy) {
    ByteReader r = db.reader(hive);
    r.skip("Signature", 2);
    int segments = r.u16le("Number of segments");
    long listOffset = r.u32le("Offset of a list of segments");
    long needed = (dataSize + Hive.SEGMENT_SIZE - 1) / Hive.SEGMENT_SIZE;
    if (segments < needed) {
      throw new DecodeException.InvalidField(
          "Number of segments", segments + " (expected: >= " + needed + " for " + dataSize + " bytes)");
    }
    Hive.Cell list = hive.cell(listOffset, "list of segments");
    DecodeException.checkBound("Number of segments", segments, list.length() / 4);
    ByteReader lr = list.reader(hive);
    int[] starts = copy ? new int[(int) needed] : null; // needed <= segments <= 65535
    long filled = 0;
    for (int i = 0; i < needed; i++) {
      Hive.Cell seg = hive.cell(lr.u32le("Data segment offset"), "data segment");
      int n = (int) Math.min(Hive.SEGMENT_SIZE, dataSize - filled);
      if (seg.length() < n) {
        throw new DecodeException.InvalidField(
            "data segment", "cell of " + seg.length() + " bytes (expected: >= " + n + ")");
      }
      if (starts != null) {
        starts[i] = seg.start();
      }
      filled += n;
    }
    if (starts == null) {
      return null;
    }
    byte[] out = new byte[(int) dataSize];
    for (int i = 0, at = 0; i < starts.length; i++) {
      int n = Math.min(Hive.SEGMENT_SIZE, out.length - at);
      System.arraycopy(hive.bytes(), starts[i], out, at, n);
      at += n;
    }
    return out;
  }

  @Override
  public String toString() {
    return display();
  }
}
