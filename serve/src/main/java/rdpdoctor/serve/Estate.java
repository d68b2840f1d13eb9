package rdpdoctor.serve;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import rdpdoctor.fleet.HostResult;
import rdpdoctor.fleet.Store;
import rdpdoctor.fleet.Targets;

/**
 * One consistent picture of the estate: each endpoint's newest result in the store, whatever
 * scan or tag it came from, read at {@link #at}. Pages and {@code /metrics} read a snapshot and
 * never the database, so a scrape costs no query; the server reloads it after each scan and on a
 * timer (a {@code rdpdoctor scan} from the command line writes the same store).
 *
 * @param at when it was read
 * @param hosts every endpoint, hosts with problems first (down, then most problems), then by endpoint
 */
public record Estate(Instant at, List<Host> hosts) {
  public Estate {
    hosts = List.copyOf(hosts);
  }

  /** One endpoint's newest result and the scan that found it. */
  public record Host(String key, String tag, long scanId, HostResult result) {
    public boolean troubled() {
      return !result.reachable() || !result.problems().isEmpty();
    }
  }

  /** Posture counts for the overview. */
  public record Counts(int hosts, int up, int down, int nlaRequired, int nlaNotRequired, int rdpSecurity,
      int certExpired, int certWithin14Days, int troubled) { }

  static final Comparator<Host> PROBLEMS_FIRST = Comparator
      .comparing((Host h) -> !h.troubled())
      .thenComparing(h -> h.result().reachable())
      .thenComparing(h -> -h.result().problems().size())
      .thenComparing(Host::key);

  /** Reads the newest result of every endpoint (one query, one row at a time). */
  public static Estate load(Store store, Instant now) {
    List<Host> hosts = new ArrayList<>();
    store.forEachLatest(e -> hosts.add(new Host(Targets.key(e.result().target()), e.scan().tag(), e.scan().id(), e.result())));
    hosts.sort(PROBLEMS_FIRST);
    return new Estate(now, hosts);
  }

  public static Estate empty(Instant now) {
    return new Estate(now, List.of());
  }

  public Counts counts() {
    int up = 0;
    int nlaRequired = 0;
    int nlaNot = 0;
    int rdpSec = 0;
    int expired = 0;
    int soon = 0;
    int troubled = 0;
    for (Host h : hosts) {
      HostResult r = h.result();
      up += r.reachable() ? 1 : 0;
      troubled += h.troubled() ? 1 : 0;
      if (r.nla() != null && r.reachable()) {
        if (r.nla().equals("required")) {
          nlaRequired++;
        } else if (!r.nla().equals("unknown")) {
          nlaNot++;
        }
      }
      rdpSec += Boolean.TRUE.equals(r.rdpSecurity()) ? 1 : 0;
      if (r.certNotAfter() != null) {
        if (!r.certNotAfter().isAfter(at)) {
          expired++;
        } else if (r.certNotAfter().isBefore(at.plus(Duration.ofDays(14)))) {
          soon++;
        }
      }
    }
    return new Counts(hosts.size(), up, hosts.size() - up, nlaRequired, nlaNot, rdpSec, expired, soon, troubled);
  }
}
