package rdpdoctor.fleet;

import java.util.Iterator;
import rdpdoctor.probe.Target;

/**
 * One worker's part of a scan ({@code --shard K/N}), split without a coordinator the way ZMap
 * splits its address walk: every worker walks the same target stream (the same specs give the
 * same endpoints in the same order, each once), counts the endpoints, and probes the k-th of
 * every n. The N parts are disjoint and together are the whole list, whatever the workers'
 * machines; neighbouring addresses go to different workers, so no one subnet is all on one.
 *
 * @param index K, from 0 (Kubernetes' JOB_COMPLETION_INDEX, ZMap's --shard)
 * @param count N, the number of workers
 */
public record Shard(int index, int count) {
  public Shard {
    if (count < 1 || count > 65_536) {
      throw new IllegalArgumentException("--shard K/N: N must be 1..65536: " + count);
    }
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException("--shard K/N: K must be 0.." + (count - 1) + " (from 0, as"
          + " JOB_COMPLETION_INDEX): " + index);
    }
  }

  /** Parses {@code K/N}. */
  public static Shard parse(String text) {
    int slash = text.indexOf('/');
    try {
      if (slash > 0) {
        return new Shard(Integer.parseInt(text.substring(0, slash).strip()), Integer.parseInt(text.substring(slash + 1).strip()));
      }
    } catch (NumberFormatException e) {
      // named below
    }
    throw new IllegalArgumentException("--shard must be K/N, e.g. 0/4: '" + text + "'");
  }

  /** The endpoints of this part, streamed from {@code all}. */
  public Iterable<Target> of(Iterable<Target> all) {
    return () -> new Lookahead<>() {
      final Iterator<Target> it = all.iterator();
      long position = 0;

      @Override
      protected Target advance() {
        while (it.hasNext()) {
          Target t = it.next();
          if (position++ % count == index) {
            return t;
          }
        }
        return null;
      }
    };
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}
