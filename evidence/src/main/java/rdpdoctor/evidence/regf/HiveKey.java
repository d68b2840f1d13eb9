package rdpdoctor.evidence.regf;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import rdpdoctor.evidence.even6.FileTime;
import rdpdoctor.evidence.reg.RegNames;
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

  /** Bytes of a key node before its name: the fields {@link #HiveKey} reads at fixed offsets. */
  private static final int NK_FIXED = 76;

  private final Hive hive;
  private final @Nullable HiveKey parentKey;
  // Unsigned 32-bit fields are kept as ints (the accessors widen them): a hive has tens of
  // thousands of keys, and a cold walk pays for every byte it allocates.
  private final int offset;
  private final int flags;
  private final long lastWritten;
  private final int parentOffset;
  private final int subkeyCount;
  private final int subkeyListOffset;
  private final int valueCount;
  private final int valueListOffset;
  private final int securityOffset;
  private final int classOffset;
  private final int classLength;
  /** Where the name's bytes start in the file, and its length in code units (bytes if Latin-1). */
  private final int nameStart;
  private final int nameUnits;
  /** Decoded on first use: the check compares names in place, and needs few as strings. */
  private @Nullable String name;
  private final int depth;
  /**
   * Built on first use from the parent chain ({@link #path()}): a walk that never prints a path,
   * such as {@link HiveCheck} over a sound hive, then builds none. A racy cache, like
   * {@code String.hash}: two threads may both build it, and get equal strings.
   */
  private @Nullable String path;

  /**
   * The key node whose cell data starts at {@code p} in {@code f}; {@link #read} has checked that
   * it is one (signature "nk") and that its fixed fields and name lie inside its cell.
   */
  private HiveKey(Hive hive, @Nullable HiveKey parentKey, long offset, byte[] f, int p) {
    this.hive = hive;
    this.parentKey = parentKey;
    this.offset = (int) offset;
    // 0 Signature (2), checked by read()
    this.flags = Hive.u16le(f, p + 2); // Flags
    this.lastWritten = Hive.u32le(f, p + 4) | (long) Hive.i32le(f, p + 8) << 32; // Last written timestamp
    // 12 Access bits (4)
    this.parentOffset = Hive.i32le(f, p + 16); // Parent
    this.subkeyCount = Hive.i32le(f, p + 20); // Number of subkeys
    // 24 Number of volatile subkeys (4)
    this.subkeyListOffset = Hive.i32le(f, p + 28); // Subkeys list offset
    // 32 Volatile subkeys list offset (4)
    this.valueCount = Hive.i32le(f, p + 36); // Number of key values
    this.valueListOffset = Hive.i32le(f, p + 40); // Key values list offset
    this.securityOffset = Hive.i32le(f, p + 44); // Key security offset
    this.classOffset = Hive.i32le(f, p + 48); // Class name offset
    // 52 Largest subkey name length, Largest subkey class name length, Largest value name
    // length, Largest value data size, WorkVar (4 each)
    int nameLength = Hive.u16le(f, p + 72); // Key name length
    this.classLength = Hive.u16le(f, p + 74); // Class name length
    this.nameStart = p + NK_FIXED;
    this.nameUnits = (flags & FLAG_COMP_NAME) != 0 ? nameLength : nameLength / 2;
    this.depth = parentKey == null ? 0 : parentKey.depth + 1;
    this.path = parentKey == null ? "" : null;
  }

  static HiveKey read(Hive hive, long offset, @Nullable HiveKey parent) {
    int p = soundRecord(hive, offset, "key node", Hive.SIG_NK, NK_FIXED, 72, 2, FLAG_COMP_NAME,
        HiveKey::explainKeyNode);
    return new HiveKey(hive, parent, offset, hive.bytes(), p);
  }

  /** Says, field by field, why a cell is not a sound record (see {@link #soundRecord}). */
  private interface Explainer {
    void explain(ByteReader r, long offset);
  }

  /**
   * Where the data of the {@code what} ("key node", "key value") at {@code offset} starts, once
   * one quick check says the cell holds its {@code signature}, its {@code fixed} bytes of fields
   * and its name (length at {@code nameLengthAt}, one byte per character when the flags at
   * {@code flagsAt} have {@code compressed}). For a cell that fails it, {@code explain} replays
   * the fields through a ByteReader and throws the exact reason.
   */
  private static int soundRecord(Hive hive, long offset, String what, int signature, int fixed,
      int nameLengthAt, int flagsAt, int compressed, Explainer explain) {
    int n = hive.checkedCellDataLength(offset, what);
    int p = Hive.dataStart(offset);
    byte[] f = hive.bytes();
    if (n >= fixed && Hive.u16be(f, p) == signature) {
      int nameLength = Hive.u16le(f, p + nameLengthAt);
      int nameBytes = (Hive.u16le(f, p + flagsAt) & compressed) != 0 ? nameLength : nameLength / 2 * 2;
      if (nameBytes <= n - fixed) {
        return p;
      }
    }
    try {
      explain.explain(ByteReader.of(f, p, n), offset);
    } catch (DecodeException e) {
      throw e.in("cannot read " + what + " at 0x" + Long.toHexString(offset));
    }
    throw new IllegalStateException(what + " at 0x" + Long.toHexString(offset) + " read field by field"
        + " after the quick check refused it");
  }

  /**
   * msuhanov/regf "Key node" field by field, in the spec's order, through a ByteReader: for a
   * cell {@link #read} found unsound, this throws the exact reason (the field that does not fit,
   * or the signature).
   */
  private static void explainKeyNode(ByteReader r, long offset) {
    long sig = r.u16be("Signature");
    if (sig != Hive.SIG_NK) {
      throw new DecodeException.UnexpectedValue(
          "key node at 0x" + Long.toHexString(offset), "signature", sig, "\"nk\"");
    }
    int flags = r.u16le("Flags");
    r.skip("Last written timestamp", 4); // read as two 32-bit halves
    r.skip("Last written timestamp", 4);
    r.skip("Access bits", 4);
    r.skip("Parent", 4);
    r.skip("Number of subkeys", 4);
    r.skip("Number of volatile subkeys", 4);
    r.skip("Subkeys list offset", 4);
    r.skip("Volatile subkeys list offset", 4);
    r.skip("Number of key values", 4);
    r.skip("Key values list offset", 4);
    r.skip("Key security offset", 4);
    r.skip("Class name offset", 4);
    r.skip("Largest subkey name length", 4);
    r.skip("Largest subkey class name length", 4);
    r.skip("Largest value name length", 4);
    r.skip("Largest value data size", 4);
    r.skip("WorkVar", 4);
    int nameLength = r.u16le("Key name length");
    r.skip("Class name length", 2);
    // Latin-1 names are nameLength bytes, UTF-16LE ones nameLength / 2 code units.
    r.skip("Key name string", (flags & FLAG_COMP_NAME) != 0 ? nameLength : nameLength / 2 * 2L);
  }

  @Override
  public String name() {
    String n = name;
    if (n == null) {
      // Latin-1 or UTF-16LE code units as they are; read() saw them inside the cell.
      n = (flags & FLAG_COMP_NAME) != 0
          ? new String(hive.bytes(), nameStart, nameUnits, StandardCharsets.ISO_8859_1)
          : rawUtf16(hive.bytes(), nameStart, nameUnits);
      name = n; // a racy cache, as path
    }
    return n;
  }

  /**
   * The UTF-16LE code units at {@code start} as a String, unpaired surrogates kept: a decoder
   * would turn each into U+FFFD, and two keys whose names differ only there would merge into one
   * name (and one path). Printing escapes them visibly ({@code RegNames}).
   */
  static String rawUtf16(byte[] f, int start, int units) {
    char[] c = new char[units];
    for (int i = 0; i < units; i++) {
      c[i] = (char) Hive.u16le(f, start + 2 * i);
    }
    return new String(c);
  }

  /**
   * {@link HiveCheck}'s order of subkey names: upcased UTF-16 code units compared one by one, then
   * the lengths; the same as comparing the two {@link #name()}s that way, read in place.
   */
  int compareNameUpcase(HiveKey other) {
    byte[] f = hive.bytes();
    int n = Math.min(nameUnits, other.nameUnits);
    for (int i = 0; i < n; i++) {
      char x = nameUnit(f, i);
      char y = other.nameUnit(f, i);
      if (x == y) {
        continue;
      }
      // name() keeps every code unit (a lone surrogate too), so the units read in place are the
      // name's, and so are the lengths.
      x = upcase(x);
      y = upcase(y);
      if (x != y) {
        return x - y;
      }
    }
    return nameUnits - other.nameUnits;
  }

  private char nameUnit(byte[] f, int i) {
    return (flags & FLAG_COMP_NAME) != 0
        ? (char) (f[nameStart + i] & 0xFF)
        : (char) Hive.u16le(f, nameStart + 2 * i);
  }

  /** Character.toUpperCase, with ASCII (nearly every key name) done in place. */
  private static char upcase(char c) {
    if (c < 0x80) {
      return c >= 'a' && c <= 'z' ? (char) (c - 32) : c;
    }
    return Character.toUpperCase(c);
  }

  /** Ordinal comparison of upcased UTF-16 code units, as msuhanov/regf "Index leaf" says. */
  static int compareUpcase(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = upcase(a.charAt(i));
      char y = upcase(b.charAt(i));
      if (x != y) {
        return x - y;
      }
    }
    return a.length() - b.length();
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
      p = c.parentKey.depth == 0 ? c.name() : p + "\\" + c.name();
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
    return offset & 0xFFFFFFFFL;
  }

  public int flags() {
    return flags;
  }

  public long parentOffset() {
    return parentOffset & 0xFFFFFFFFL;
  }

  public long subkeyCount() {
    return subkeyCount & 0xFFFFFFFFL;
  }

  public long valueCount() {
    return valueCount & 0xFFFFFFFFL;
  }

  long subkeyListOffset() {
    return subkeyListOffset & 0xFFFFFFFFL;
  }

  long valueListOffset() {
    return valueListOffset & 0xFFFFFFFFL;
  }

  public long securityOffset() {
    return securityOffset & 0xFFFFFFFFL;
  }

  public @Nullable HiveKey parent() {
    return parentKey;
  }

  public int depth() {
    return depth;
  }

  /** The class name (UTF-16LE), or null when the key has none. */
  public @Nullable String className() {
    long classAt = classOffset & 0xFFFFFFFFL;
    if (classAt == Hive.NONE || classLength == 0) {
      return null;
    }
    Hive.Cell c = hive.cell(classAt, "class name");
    return c.reader(hive).utf16le("Class name", Math.min(classLength, c.length()) / 2);
  }

  /** True when {@code offset} is this key or one of its ancestors: following it would loop. */
  boolean onPath(long cell) {
    for (HiveKey k = this; k != null; k = k.parentKey) {
      if (k.cellOffset() == cell) {
        return true;
      }
    }
    return false;
  }

  @Override
  public List<HiveKey> subkeys() {
    if (subkeyCount == 0 || subkeyListOffset() == Hive.NONE) {
      return List.of();
    }
    long[] offsets;
    try {
      offsets = hive.subkeyOffsets(subkeyListOffset());
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

  /**
   * When {@link #subkeys} fails: the key nodes that name this key as their parent, found in the
   * hive bins (unreadable ones and ones on this key's own path left out). A damaged hive can hold
   * a node whose Parent field is stale, so these are a recovery, to be shown as such.
   */
  @Override
  public List<HiveKey> recoveredSubkeys() {
    List<HiveKey> out = new ArrayList<>();
    for (long o : hive.keyNodesWithParent(cellOffset())) {
      if (onPath(o)) {
        continue;
      }
      try {
        out.add(read(hive, o, this));
      } catch (DecodeException e) {
        // a node that is not a sound key node is not recovered
      }
    }
    return out;
  }

  /** The direct subkey called {@code name}, ignoring case; uses the list order, no hash. */
  @Override
  public @Nullable HiveKey subkey(String wanted) {
    for (HiveKey k : subkeys()) {
      if (k.name().equalsIgnoreCase(wanted)) {
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
      long[] offsets = hive.valueOffsets(valueListOffset(), valueCount());
      List<RegistryValue> out = new ArrayList<>(offsets.length);
      for (long o : offsets) {
        out.add(readValue(hive, o));
      }
      return out;
    } catch (DecodeException e) {
      throw e.in("cannot read values of " + display());
    }
  }

  /** The hive this key was read from. */
  public Hive hive() {
    return hive;
  }

  /** For problem messages: the path, with unreadable characters escaped as in every output. */
  String display() {
    String p = path();
    return p.isEmpty() ? "the root key" : "key " + RegNames.escape(p);
  }

  /** Bytes of a key value before its name: the fields {@link #keyValue} lays out. */
  private static final int VK_FIXED = 20;

  /** msuhanov/regf "Key value" (vk) and its data (resident, in one cell, or big data). */
  static RegistryValue readValue(Hive hive, long offset) {
    int p = keyValue(hive, offset);
    byte[] f = hive.bytes();
    int nameLength = Hive.u16le(f, p + 2);
    String name = (Hive.u16le(f, p + 16) & VALUE_COMP_NAME) != 0
        ? new String(f, p + VK_FIXED, nameLength, StandardCharsets.ISO_8859_1)
        : rawUtf16(f, p + VK_FIXED, nameLength / 2);
    try {
      return new RegistryValue(name, Hive.u32le(f, p + 12),
          valueData(hive, Hive.u32le(f, p + 4), Hive.u32le(f, p + 8), p));
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
    int p = keyValue(hive, offset);
    byte[] f = hive.bytes();
    try {
      return dataLength(hive, Hive.u32le(f, p + 4), Hive.u32le(f, p + 8));
    } catch (DecodeException e) {
      throw e.in("cannot read key value at 0x" + Long.toHexString(offset));
    }
  }

  /**
   * Where the data of the key value cell at {@code offset} starts in the file, once checked as
   * every read of it needs: the signature, and the fixed fields and the name inside the cell.
   * The layout, read at these offsets by the callers:
   *
   * <pre>
   *  0 Signature "vk" (2)   2 Name length (2)   4 Data size (4)   8 Data offset (4)
   * 12 Data type (4)       16 Flags (2)        18 Spare (2)      20 Value name string
   * </pre>
   */
  private static int keyValue(Hive hive, long offset) {
    return soundRecord(hive, offset, "key value", Hive.SIG_VK, VK_FIXED, 2, 16, VALUE_COMP_NAME,
        HiveKey::explainKeyValue);
  }

  /**
   * A key value field by field, in the spec's order, through a ByteReader: for a cell
   * {@link #keyValue} found unsound, this throws the exact reason.
   */
  private static void explainKeyValue(ByteReader r, long offset) {
    long sig = r.u16be("Signature");
    if (sig != Hive.SIG_VK) {
      throw new DecodeException.UnexpectedValue(
          "key value at 0x" + Long.toHexString(offset), "signature", sig, "\"vk\"");
    }
    int nameLength = r.u16le("Name length");
    r.skip("Data size", 4);
    r.skip("Data offset", 4);
    r.skip("Data type", 4);
    int flags = r.u16le("Flags");
    r.skip("Spare", 2);
    // Latin-1 names are nameLength bytes, UTF-16LE ones nameLength / 2 code units.
    r.skip("Value name string", (flags & VALUE_COMP_NAME) != 0 ? nameLength : nameLength / 2 * 2L);
  }

  /** The data of a key value whose cell data starts at {@code vk}. */
  static byte[] valueData(Hive hive, long dataSize, long dataOffset, int vk) {
    byte[] file = hive.bytes();
    if ((dataSize & 0x80000000L) != 0) {
      // Resident data: up to 4 bytes stored in the Data offset field itself (vk offset 8).
      long n = dataSize & 0x7FFFFFFFL;
      DecodeException.checkBound("resident data size", n, 4);
      byte[] out = new byte[(int) n];
      System.arraycopy(file, vk + 8, out, 0, (int) n);
      return out;
    }
    if (dataSize == 0) {
      return new byte[0];
    }
    int n = hive.checkedCellDataLength(dataOffset, "value data");
    if (isBigData(hive, dataSize, dataOffset)) {
      return bigData(hive, dataSize, hive.cell(dataOffset, "value data"), true);
    }
    checkCellData(dataSize, n);
    byte[] out = new byte[(int) dataSize];
    System.arraycopy(file, Hive.dataStart(dataOffset), out, 0, (int) dataSize);
    return out;
  }

  /** What {@link #valueData} checks, in the same order and with the same failures; no copy. */
  private static long dataLength(Hive hive, long dataSize, long dataOffset) {
    if ((dataSize & 0x80000000L) != 0) {
      return DecodeException.checkBound("resident data size", dataSize & 0x7FFFFFFFL, 4);
    }
    if (dataSize == 0) {
      return 0;
    }
    int n = hive.checkedCellDataLength(dataOffset, "value data");
    if (isBigData(hive, dataSize, dataOffset)) {
      bigData(hive, dataSize, hive.cell(dataOffset, "value data"), false);
      return dataSize;
    }
    checkCellData(dataSize, n);
    return dataSize;
  }

  /** Whether the data of a value is big data; its cell (4 data bytes at least) was checked. */
  private static boolean isBigData(Hive hive, long dataSize, long dataOffset) {
    return dataSize > Hive.SEGMENT_SIZE && hive.baseBlock().minor() > 3
        && Hive.u16be(hive.bytes(), Hive.dataStart(dataOffset)) == Hive.SIG_DB;
  }

  private static void checkCellData(long dataSize, int cellLength) {
    if (dataSize > cellLength) {
      throw new DecodeException.InvalidField(
          "Data size", dataSize + " (expected: <= " + cellLength + ", the data cell's size)");
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
