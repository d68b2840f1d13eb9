package rdpdoctor.evidence.regf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import rdpdoctor.evidence.registry.RegistryValue;

/**
 * A test-only writer of small, valid primary files (one hive bin, lh subkey lists sorted by
 * uppercase name, resident data up to 4 bytes, db big data past 16344 bytes, one shared sk cell),
 * so tests can build the hives the public corpus lacks (a SOFTWARE hive with ProfileList .bak
 * twins, Group Policy overrides) and then damage them byte by byte.
 */
public final class HiveWriter {

  /** A key to write: its name, values and subkeys, in the order given. */
  public static final class Key {
    final String name;
    final List<Key> subkeys = new ArrayList<>();
    final List<RegistryValue> values = new ArrayList<>();
    /** Filled in when written: the key node's offset, for tests that damage it. */
    public long offset = -1;
    public long subkeyListOffset = -1;

    public Key(String name) {
      this.name = name;
    }

    /** The subkey at {@code path} ("A\B"), created when missing. */
    public Key key(String path) {
      Key k = this;
      for (String part : path.split("\\\\")) {
        Key found = null;
        for (Key c : k.subkeys) {
          if (c.name.equalsIgnoreCase(part)) {
            found = c;
          }
        }
        if (found == null) {
          found = new Key(part);
          k.subkeys.add(found);
        }
        k = found;
      }
      return k;
    }

    public Key value(String name, long type, byte[] data) {
      values.add(new RegistryValue(name, type, data));
      return this;
    }

    public Key dword(String name, long v) {
      return value(name, 4, new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)});
    }

    public Key sz(String name, String s) {
      return value(name, 1, (s + "\0").getBytes(StandardCharsets.UTF_16LE));
    }

    public Key expandSz(String name, String s) {
      return value(name, 2, (s + "\0").getBytes(StandardCharsets.UTF_16LE));
    }
  }

  private byte[] buf = new byte[1 << 16];
  private int used = 32; // after the hive bin header, relative to the bin
  private long sk;
  /** One hive bin per 4096 bytes (as Windows grows a hive), instead of one bin for everything. */
  private final boolean smallBins;

  private HiveWriter(boolean smallBins) {
    this.smallBins = smallBins;
  }

  /** The whole primary file for {@code root}. */
  public static byte[] write(Key root) {
    return new HiveWriter(false).build(root);
  }

  /**
   * As {@link #write}, in hive bins of 4096 bytes each: a cell that would cross into the next
   * page starts a new bin (the rest of the old one is a free cell), so a test can damage the
   * bin chain or the base block's size bin by bin. Values must fit a bin (no big data).
   */
  public static byte[] writeSmallBins(Key root) {
    return new HiveWriter(true).build(root);
  }

  private byte[] build(Key root) {
    sk = securityCell();
    long rootOffset = key(root, -1, true);
    int binSize = (used + 4095) / 4096 * 4096;
    if (binSize - used >= 8) {
      putI32(used, binSize - used); // the rest is one free cell
    } else if (binSize - used > 0) {
      binSize += 4096;
      putI32(used, binSize - used);
    }
    byte[] file = new byte[4096 + binSize];
    System.arraycopy(buf, 0, file, 4096, Math.min(buf.length, binSize));
    // hbin header: Signature, Offset, Size, Reserved, Timestamp, Spare
    System.arraycopy("hbin".getBytes(StandardCharsets.US_ASCII), 0, file, 4096, 4);
    putI32(file, 4096 + 4, 0);
    putI32(file, 4096 + 8, smallBins ? 4096 : binSize);
    // base block
    System.arraycopy("regf".getBytes(StandardCharsets.US_ASCII), 0, file, 0, 4);
    putI32(file, 4, 1); // Primary sequence number
    putI32(file, 8, 1); // Secondary sequence number
    putI32(file, 20, 1); // Major version
    putI32(file, 24, 5); // Minor version
    putI32(file, 28, 0); // File type: primary
    putI32(file, 32, 1); // File format: direct memory load
    putI32(file, 36, (int) rootOffset);
    putI32(file, 40, binSize);
    putI32(file, 44, 1); // Clustering factor
    BaseBlock.writeChecksum(file, 0);
    return file;
  }

  /** Rewrites the base block checksum after a test changed the header. */
  public static void fixChecksum(byte[] file) {
    BaseBlock.writeChecksum(file, 0);
  }

  private long key(Key k, long parent, boolean root) {
    byte[] name = encodeName(k.name);
    boolean compressed = name.length == k.name.length();
    long nk = alloc(76 + name.length);
    k.offset = nk;
    long[] valueOffsets = new long[k.values.size()];
    for (int i = 0; i < valueOffsets.length; i++) {
      valueOffsets[i] = value(k.values.get(i));
    }
    long valueList = -1;
    if (valueOffsets.length > 0) {
      valueList = alloc(4 * valueOffsets.length);
      for (int i = 0; i < valueOffsets.length; i++) {
        putI32(rel(valueList) + 4 * i, (int) valueOffsets[i]);
      }
    }
    List<Key> sorted = new ArrayList<>(k.subkeys);
    sorted.sort(Comparator.comparing(c -> c.name.toUpperCase(Locale.ROOT)));
    long[] childOffsets = new long[sorted.size()];
    for (int i = 0; i < childOffsets.length; i++) {
      childOffsets[i] = key(sorted.get(i), nk, false);
    }
    long list = -1;
    if (childOffsets.length > 0) {
      list = alloc(4 + 8 * childOffsets.length);
      int p = rel(list);
      buf[p] = 'l';
      buf[p + 1] = 'h';
      putU16(p + 2, childOffsets.length);
      for (int i = 0; i < childOffsets.length; i++) {
        putI32(p + 4 + 8 * i, (int) childOffsets[i]);
        putI32(p + 8 + 8 * i, hash(sorted.get(i).name));
      }
      k.subkeyListOffset = list;
    }
    int p = rel(nk);
    buf[p] = 'n';
    buf[p + 1] = 'k';
    putU16(p + 2, (root ? HiveKey.FLAG_HIVE_ENTRY : 0) | (compressed ? HiveKey.FLAG_COMP_NAME : 0));
    putI32(p + 4, 0x5F0F0000); // Last written timestamp (low), any fixed time
    putI32(p + 8, 0x01D70000);
    putI32(p + 16, (int) (root ? 0 : parent));
    putI32(p + 20, childOffsets.length);
    putI32(p + 28, (int) list);
    putI32(p + 32, -1);
    putI32(p + 36, valueOffsets.length);
    putI32(p + 40, (int) valueList);
    putI32(p + 44, (int) sk);
    putI32(p + 48, -1);
    putU16(p + 72, name.length);
    System.arraycopy(name, 0, buf, p + 76, name.length);
    return nk;
  }

  private long value(RegistryValue v) {
    byte[] name = encodeName(v.name());
    boolean compressed = name.length == v.name().length();
    long vk = alloc(20 + name.length);
    byte[] d = v.data();
    long sizeField;
    long offsetField;
    if (d.length <= 4) {
      sizeField = 0x80000000L | d.length;
      byte[] four = Arrays.copyOf(d, 4);
      offsetField = (four[0] & 0xFFL) | (four[1] & 0xFFL) << 8 | (four[2] & 0xFFL) << 16 | (four[3] & 0xFFL) << 24;
    } else if (d.length > Hive.SEGMENT_SIZE) {
      int segments = (d.length + Hive.SEGMENT_SIZE - 1) / Hive.SEGMENT_SIZE;
      long[] segs = new long[segments];
      for (int i = 0; i < segments; i++) {
        int n = Math.min(Hive.SEGMENT_SIZE, d.length - i * Hive.SEGMENT_SIZE);
        segs[i] = alloc(n);
        System.arraycopy(d, i * Hive.SEGMENT_SIZE, buf, rel(segs[i]), n);
      }
      long segList = alloc(4 * segments);
      for (int i = 0; i < segments; i++) {
        putI32(rel(segList) + 4 * i, (int) segs[i]);
      }
      long db = alloc(8);
      buf[rel(db)] = 'd';
      buf[rel(db) + 1] = 'b';
      putU16(rel(db) + 2, segments);
      putI32(rel(db) + 4, (int) segList);
      sizeField = d.length;
      offsetField = db;
    } else {
      long cell = alloc(d.length);
      System.arraycopy(d, 0, buf, rel(cell), d.length);
      sizeField = d.length;
      offsetField = cell;
    }
    int p = rel(vk);
    buf[p] = 'v';
    buf[p + 1] = 'k';
    putU16(p + 2, name.length);
    putI32(p + 4, (int) sizeField);
    putI32(p + 8, (int) offsetField);
    putI32(p + 12, (int) v.type());
    putU16(p + 16, compressed ? HiveKey.VALUE_COMP_NAME : 0);
    System.arraycopy(name, 0, buf, p + 20, name.length);
    return vk;
  }

  private long securityCell() {
    // A self-relative security descriptor with no owner, group or ACLs: revision 1, control
    // SE_SELF_RELATIVE; enough for the structure checks.
    byte[] sd = {1, 0, 0, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    long c = alloc(20 + sd.length);
    int p = rel(c);
    buf[p] = 's';
    buf[p + 1] = 'k';
    putI32(p + 4, (int) c); // Flink: itself (a one-entry list)
    putI32(p + 8, (int) c); // Blink
    putI32(p + 12, 1); // Reference count
    putI32(p + 16, sd.length);
    System.arraycopy(sd, 0, buf, p + 20, sd.length);
    return c;
  }

  /**
   * Latin-1 bytes when every character fits (the compressed-name form), else UTF-16LE code
   * units as they are: a lone surrogate is written as itself, as Windows stores it, where the
   * JDK's encoder would write '?'.
   */
  private static byte[] encodeName(String s) {
    if (s.chars().allMatch(c -> c < 256)) {
      return s.getBytes(StandardCharsets.ISO_8859_1);
    }
    byte[] b = new byte[2 * s.length()];
    for (int i = 0; i < s.length(); i++) {
      b[2 * i] = (byte) s.charAt(i);
      b[2 * i + 1] = (byte) (s.charAt(i) >>> 8);
    }
    return b;
  }

  /** msuhanov/regf "Hash leaf" note: H = 37 * H + code of each uppercase character. */
  static int hash(String name) {
    int h = 0;
    for (char c : name.toUpperCase(Locale.ROOT).toCharArray()) {
      h = 37 * h + c;
    }
    return h;
  }

  /** Allocates a cell for {@code dataLength} bytes; returns its offset relative to the bins data. */
  private long alloc(int dataLength) {
    int size = (dataLength + 4 + 7) & ~7;
    if (smallBins && (used % 4096 == 0 || used % 4096 + size > 4096)) {
      if (size > 4096 - 32) {
        throw new IllegalArgumentException("a cell of " + size + " bytes does not fit a 4096-byte hive bin");
      }
      // The next bin starts here when the last cell filled its bin exactly, else at the next page.
      int next = used % 4096 == 0 ? used : (used / 4096 + 1) * 4096;
      room(next + 32);
      if (next > used) {
        putI32(used, next - used); // the rest of this bin: one free cell (8-aligned, at least 8)
      }
      // hbin header: Signature, Offset (relative to the hive bins data), Size
      System.arraycopy("hbin".getBytes(StandardCharsets.US_ASCII), 0, buf, next, 4);
      putI32(next + 4, next);
      putI32(next + 8, 4096);
      used = next + 32;
    }
    room(used + size);
    int at = used;
    putI32(at, -size);
    used += size;
    return at;
  }

  private void room(int end) {
    while (end > buf.length) {
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
  }

  private static int rel(long cell) {
    return (int) cell + 4;
  }

  private void putI32(int at, int v) {
    putI32(buf, at, v);
  }

  private void putU16(int at, int v) {
    buf[at] = (byte) v;
    buf[at + 1] = (byte) (v >>> 8);
  }

  static void putI32(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >>> 8);
    b[at + 2] = (byte) (v >>> 16);
    b[at + 3] = (byte) (v >>> 24);
  }
}
