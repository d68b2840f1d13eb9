package rdpdoctor.serve;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import rdpdoctor.fleet.Targets;

/**
 * The addresses "probe now" and {@code /probe} may reach: the config's {@code allow} CIDRs, parsed
 * as {@code scan} parses targets. A server that probes whatever a request names is a port scanner
 * for anyone who can reach it; with this list it probes only the estate it was set up for.
 */
public final class AllowList {
  private final List<Targets.Spec> ranges;

  private AllowList(List<Targets.Spec> ranges) {
    this.ranges = List.copyOf(ranges);
  }

  /** Each entry a CIDR, a range or one address; a host name is refused (its addresses can change). */
  public static AllowList of(List<String> entries) {
    List<Targets.Spec> out = new ArrayList<>();
    for (String e : entries) {
      Targets.Spec s = Targets.parse(e);
      if (!s.name().isEmpty()) {
        throw new IllegalArgumentException("allow: '" + e + "' is a host name; give addresses or CIDRs (10.0.0.0/16)");
      }
      out.add(s);
    }
    return new AllowList(out);
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  /** Whether {@code a} lies in one of the ranges (IPv4 ranges match IPv4 addresses only). */
  public boolean permits(InetAddress a) {
    boolean v6 = !(a instanceof Inet4Address);
    BigInteger n = new BigInteger(1, a.getAddress());
    for (Targets.Spec s : ranges) {
      if (s.v6() == v6 && n.compareTo(s.low()) >= 0 && n.compareTo(s.high()) <= 0) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return ranges.isEmpty() ? "(nothing)" : String.join(", ", ranges.stream().map(Targets.Spec::text).toList());
  }
}
