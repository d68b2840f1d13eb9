package rdpdoctor.evidence.registry;

import java.util.Arrays;
import java.util.List;
import rdpdoctor.protocol.DecodeException;

/**
 * Depth-first walk over a key tree in document order, without recursion (a damaged hive can nest
 * deeper than a thread stack) and visiting each stored key node once (a damaged hive can list the
 * same node twice or point back to an ancestor).
 */
public final class RegistryWalker {

  /** Deeper than Windows allows (512 levels), so a real tree is never cut. */
  public static final int MAX_DEPTH = 512;

  /** What the walk calls back with. */
  public interface Visitor {
    /** Called for each key, parents before children. */
    void key(RegistryKey key, int depth);

    /** A key whose subkeys could not be read; the walk goes on with its siblings. */
    default void error(RegistryKey key, DecodeException e) {}

    /**
     * A key whose stored key node was visited already under another path (a damaged hive lists
     * one node twice): not visited again, so that a writer can say it left it out.
     */
    default void repeated(RegistryKey key, int depth) {}

    /**
     * After {@link #error}: {@code found} subkeys of {@code key} were recovered (by their parent
     * field) and are walked next, like listed ones.
     */
    default void recovered(RegistryKey key, List<? extends RegistryKey> found) {}
  }

  private RegistryWalker() {}

  public static void walk(RegistryKey root, Visitor visitor) {
    LongSet seen = new LongSet();
    // The stack as two parallel arrays (key, depth): a hive has tens of thousands of keys, and
    // a frame object and a boxed depth per key show in a cold walk.
    RegistryKey[] keys = new RegistryKey[64];
    int[] depths = new int[64];
    int top = 0;
    keys[top++] = root;
    while (top > 0) {
      RegistryKey key = keys[--top];
      keys[top] = null;
      int depth = depths[top];
      long id = key.cellOffset();
      if (id >= 0 && !seen.add(id)) {
        visitor.repeated(key, depth);
        continue;
      }
      visitor.key(key, depth);
      if (depth >= MAX_DEPTH) {
        continue;
      }
      List<? extends RegistryKey> children;
      try {
        children = key.subkeys();
      } catch (DecodeException e) {
        visitor.error(key, e);
        children = key.recoveredSubkeys();
        if (children.isEmpty()) {
          continue;
        }
        visitor.recovered(key, children);
      }
      if (top + children.size() > keys.length) {
        int size = Math.max(2 * keys.length, top + children.size());
        keys = Arrays.copyOf(keys, size);
        depths = Arrays.copyOf(depths, size);
      }
      for (int i = children.size() - 1; i >= 0; i--) {
        keys[top] = children.get(i);
        depths[top++] = depth + 1;
      }
    }
  }

  /**
   * The cell offsets already visited: open addressing over a long array (ids are never
   * negative, so -1 marks a free slot), without a boxed Long and a map node per key.
   */
  private static final class LongSet {
    private long[] table = filled(256);
    private int size;

    private static long[] filled(int n) {
      long[] t = new long[n];
      Arrays.fill(t, -1);
      return t;
    }

    /** Adds {@code id} (>= 0); false when it was there already. */
    boolean add(long id) {
      if (2 * (size + 1) > table.length) {
        long[] old = table;
        table = filled(2 * old.length);
        for (long v : old) {
          if (v >= 0) {
            table[slot(v)] = v;
          }
        }
      }
      int i = slot(id);
      if (table[i] == id) {
        return false;
      }
      table[i] = id;
      size++;
      return true;
    }

    /** The slot holding {@code id}, or the free one where it goes (linear probing). */
    private int slot(long id) {
      int mask = table.length - 1;
      int i = (int) ((id * 0x9E3779B97F4A7C15L) >>> 32) & mask;
      while (table[i] >= 0 && table[i] != id) {
        i = (i + 1) & mask;
      }
      return i;
    }
  }
}
