package rdpdoctor.fleet;

import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import rdpdoctor.probe.Target;

/**
 * What a scan covers: target specs (a host, {@code host:port}, an IPv4 or IPv6 CIDR, an IPv4 range,
 * each with an optional port), minus the excluded specs, each endpoint once. The endpoints are
 * produced one at a time, so a large estate is never held as a list; only the keys already seen
 * are kept, to scan a duplicate once.
 *
 * <p>Spec syntax: {@code host}, {@code host:3390}, {@code 10.0.0.0/24}, {@code 10.0.0.0/24:3390},
 * {@code 10.0.0.1-10.0.0.20}, {@code 10.0.0.1-20}, {@code fd00::/120}, {@code [fd00::/120]:3390},
 * {@code [fd00::1]:3390}.
 */
public final class Targets implements Iterable<Target> {
  /** A spec may expand to this many endpoints (a /16) unless the user confirms a bigger one. */
  public static final long DEFAULT_MAX_PER_SPEC = 1L << 16;
  /** Never more than this (a /8), confirmed or not: 16 million probes is a typo, not a scan. */
  public static final long HARD_MAX_PER_SPEC = 1L << 24;

  /** One parsed spec: an inclusive address range (or one host name) and a port. */
  public record Spec(String text, String name, BigInteger low, BigInteger high, boolean v6, int port) {
    /** How many endpoints the spec stands for. */
    public BigInteger size() {
      return name.isEmpty() ? high.subtract(low).add(BigInteger.ONE) : BigInteger.ONE;
    }

    boolean covers(Target t) {
      if (t.port() != port) {
        return false;
      }
      if (!name.isEmpty()) {
        return name.equalsIgnoreCase(t.host());
      }
      BigInteger a = literal(t.host());
      return a != null && (t.host().contains(":") == v6) && a.compareTo(low) >= 0 && a.compareTo(high) <= 0;
    }

    Iterator<Target> iterator() {
      if (!name.isEmpty()) {
        return List.of(new Target(name, port)).iterator();
      }
      return new Iterator<>() {
        BigInteger next = low;

        @Override
        public boolean hasNext() {
          return next.compareTo(high) <= 0;
        }

        @Override
        public Target next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          Target t = new Target(Targets.text(next, v6), port);
          next = next.add(BigInteger.ONE);
          return t;
        }
      };
    }
  }

  private final List<Spec> include;
  private final List<Spec> exclude;

  private Targets(List<Spec> include, List<Spec> exclude) {
    this.include = List.copyOf(include);
    this.exclude = List.copyOf(exclude);
  }

  /**
   * Parses the targets of a scan.
   *
   * @param specs targets from the command line
   * @param files target files: one spec per line, {@code #} starts a comment
   * @param excludes specs to leave out
   * @param confirmed the user allowed specs bigger than {@link #DEFAULT_MAX_PER_SPEC} ({@code --yes})
   * @throws IllegalArgumentException naming the spec (and file and line) and the numbers
   */
  public static Targets of(List<String> specs, List<Path> files, List<String> excludes, boolean confirmed)
      throws IOException {
    long max = confirmed ? HARD_MAX_PER_SPEC : DEFAULT_MAX_PER_SPEC;
    List<Spec> in = new ArrayList<>();
    for (String s : specs) {
      in.add(bounded(parse(s), max, confirmed, s));
    }
    for (Path f : files) {
      try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
        String line;
        int n = 0;
        while ((line = r.readLine()) != null) {
          n++;
          int hash = line.indexOf('#');
          String s = (hash >= 0 ? line.substring(0, hash) : line).strip();
          if (s.isEmpty()) {
            continue;
          }
          try {
            in.add(bounded(parse(s), max, confirmed, s));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(f + ":" + n + ": " + e.getMessage(), e);
          }
        }
      }
    }
    List<Spec> out = new ArrayList<>();
    for (String s : excludes) {
      out.add(parse(s));
    }
    return new Targets(in, out);
  }

  private static Spec bounded(Spec s, long max, boolean confirmed, String text) {
    if (s.size().compareTo(BigInteger.valueOf(max)) > 0) {
      throw new IllegalArgumentException("'" + text + "' expands to " + s.size() + " hosts, more than "
          + max + (confirmed ? " (a /8), the most one spec may stand for; split it"
              : " (a /16); add --yes if that is meant"));
    }
    return s;
  }

  /** Endpoints before exclusions and duplicates are taken out: the progress line's total. */
  public long upperBound() {
    long n = 0;
    for (Spec s : include) {
      n += s.size().longValueExact(); // bounded by HARD_MAX_PER_SPEC each
    }
    return n;
  }

  public List<Spec> specs() {
    return include;
  }

  /** A stable description of what is scanned, so that {@code --resume} can tell it is the same scan. */
  public String description() {
    StringBuilder b = new StringBuilder();
    for (Spec s : include) {
      b.append(b.isEmpty() ? "" : " ").append(s.text());
    }
    for (Spec s : exclude) {
      b.append(" --exclude ").append(s.text());
    }
    return b.toString();
  }

  /** Each endpoint once, in the order given, without the excluded ones. */
  @Override
  public Iterator<Target> iterator() {
    return new Lookahead<>() {
      final Iterator<Spec> specs = include.iterator();
      final Set<String> seen = new HashSet<>();
      Iterator<Target> current = java.util.Collections.emptyIterator();

      @Override
      protected Target advance() {
        while (true) {
          while (!current.hasNext()) {
            if (!specs.hasNext()) {
              return null;
            }
            current = specs.next().iterator();
          }
          Target t = current.next();
          if (exclude.stream().noneMatch(e -> e.covers(t)) && seen.add(key(t))) {
            return t;
          }
        }
      }
    };
  }

  /** The identity of an endpoint in the store: host names compare without case. */
  public static String key(Target t) {
    return t.host().toLowerCase(java.util.Locale.ROOT) + "|" + t.port();
  }

  /** One endpoint as the store keys it (an IPv6 address in its full form), for {@code history}. */
  public static Target one(String text) {
    Spec s = parse(text);
    if (!s.size().equals(BigInteger.ONE)) {
      throw new IllegalArgumentException("'" + text + "' is " + s.size() + " hosts; give one HOST[:PORT]");
    }
    return s.iterator().next();
  }

  /** Parses one spec. */
  public static Spec parse(String text) {
    String s = text.strip();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty target");
    }
    int port = Target.DEFAULT_PORT;
    String body = s;
    if (s.startsWith("[")) { // [v6], [v6]:port, [v6/n]:port
      int close = s.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("missing ']' in '" + text + "'");
      }
      body = s.substring(1, close);
      String rest = s.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException("expected ':PORT' after ']' in '" + text + "'");
        }
        port = port(rest.substring(1), text);
      }
    } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) { // IPv4 or name with a port
      body = s.substring(0, s.indexOf(':'));
      port = port(s.substring(s.indexOf(':') + 1), text);
    }
    int slash = body.indexOf('/');
    if (slash >= 0) {
      String addr = body.substring(0, slash);
      BigInteger a = literal(addr);
      if (a == null) {
        throw new IllegalArgumentException("not an address before '/' in '" + text + "'");
      }
      boolean v6 = addr.contains(":");
      int bits = v6 ? 128 : 32;
      int prefix;
      try {
        prefix = Integer.parseInt(body.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException("prefix length out of range in '" + text + "': '"
            + body.substring(slash + 1) + "' (expected: 0.." + bits + ")");
      }
      BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
      BigInteger low = a.andNot(hostMask);
      return new Spec(s, "", low, low.or(hostMask), v6, port);
    }
    int dash = body.indexOf('-');
    if (dash >= 0 && literal(body.substring(0, dash)) != null && !body.contains(":")) {
      BigInteger low = literal(body.substring(0, dash));
      String end = body.substring(dash + 1);
      BigInteger high;
      if (end.matches("\\d{1,3}")) { // 10.0.0.1-20: the last octet
        int last = Integer.parseInt(end);
        if (last > 255) {
          throw new IllegalArgumentException("range end out of range in '" + text + "': " + last + " (expected: 0..255)");
        }
        high = low.andNot(BigInteger.valueOf(0xff)).or(BigInteger.valueOf(last));
      } else {
        high = literal(end);
        if (high == null || end.contains(":")) {
          throw new IllegalArgumentException("not an IPv4 address after '-' in '" + text + "'");
        }
      }
      if (high.compareTo(low) < 0) {
        throw new IllegalArgumentException("range ends before it starts in '" + text + "'");
      }
      return new Spec(s, "", low, high, false, port);
    }
    BigInteger a = literal(body);
    if (a != null) {
      return new Spec(s, "", a, a, body.contains(":"), port);
    }
    if (body.contains(":")) {
      throw new IllegalArgumentException("not an IPv6 address: '" + body + "' in '" + text + "'");
    }
    if (!body.matches("[A-Za-z0-9]([A-Za-z0-9_.-]{0,252})")) {
      throw new IllegalArgumentException("not a host name, address, CIDR or range: '" + text + "'");
    }
    if (body.matches("[0-9.]+")) {
      throw new IllegalArgumentException("not an IPv4 address: '" + body + "' in '" + text + "'");
    }
    return new Spec(s, body, BigInteger.ZERO, BigInteger.ZERO, false, port);
  }

  private static int port(String digits, String text) {
    try {
      int p = Integer.parseInt(digits);
      if (p >= 1 && p <= 65535) {
        return p;
      }
      throw new IllegalArgumentException("port out of range in '" + text + "': " + p + " (expected: 1..65535)");
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a port number: '" + digits + "' in '" + text + "'");
    }
  }

  /** An IPv4 dotted quad or an IPv6 literal as a number, or null when it is neither (never a lookup). */
  static BigInteger literal(String s) {
    if (s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      long v = 0;
      for (String part : s.split("\\.")) {
        int o = Integer.parseInt(part);
        if (o > 255) {
          return null;
        }
        v = v << 8 | o;
      }
      return BigInteger.valueOf(v);
    }
    if (s.contains(":") && s.matches("[0-9A-Fa-f:.]+")) {
      try {
        // a string with ':' is parsed as an IPv6 literal, never looked up
        return new BigInteger(1, InetAddress.getByName(s).getAddress());
      } catch (UnknownHostException e) {
        return null;
      }
    }
    return null;
  }

  static String text(BigInteger a, boolean v6) {
    if (!v6) {
      long v = a.longValueExact();
      return (v >> 24 & 0xff) + "." + (v >> 16 & 0xff) + "." + (v >> 8 & 0xff) + "." + (v & 0xff);
    }
    byte[] raw = a.toByteArray();
    byte[] b = new byte[16];
    int n = Math.min(raw.length, 16);
    System.arraycopy(raw, raw.length - n, b, 16 - n, n);
    try {
      return InetAddress.getByAddress(b).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes are always an IPv6 address", e);
    }
  }
}
