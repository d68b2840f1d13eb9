package rdpdoctor.evidence.registry;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
  }

  private RegistryWalker() {}

  public static void walk(RegistryKey root, Visitor visitor) {
    Set<Long> seen = new HashSet<>();
    Deque<Object[]> stack = new ArrayDeque<>();
    stack.push(new Object[] {root, 0});
    while (!stack.isEmpty()) {
      Object[] top = stack.pop();
      RegistryKey key = (RegistryKey) top[0];
      int depth = (Integer) top[1];
      long id = key.cellOffset();
      if (id >= 0 && !seen.add(id)) {
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
        continue;
      }
      for (int i = children.size() - 1; i >= 0; i--) {
        stack.push(new Object[] {children.get(i), depth + 1});
      }
    }
  }
}
