package rdpdoctor.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import rdpdoctor.probe.Target;

/**
 * What changed between two scans, endpoint by endpoint: the changes an admin's tickets come from
 * (a certificate that expired overnight, a GPO that turned NLA off, TLS 1.0 back after an install,
 * a host that stopped answering). A fact one of the scans did not learn (a quick scan has no TLS
 * versions) is no change.
 */
public final class ScanDiff {
  /** Whether a change makes the endpoint easier to attack or harder to reach. */
  public enum Direction { WORSE, BETTER, NEUTRAL }

  /** The kinds of change, with the word the reports use. */
  public enum Kind {
    NEW("new"), GONE("gone"), DOWN("down"), UP("up"),
    CERT_RENEWED("certificate-renewed"), CERT_EXPIRING("certificate-expiring"), CERT_EXPIRED("certificate-expired"),
    NLA_OFF("nla-off"), NLA_ON("nla-on"),
    TLS_ENABLED("tls-enabled"), TLS_DISABLED("tls-disabled"),
    RDP_SECURITY_ALLOWED("rdp-security-allowed"), RDP_SECURITY_REFUSED("rdp-security-refused"),
    CREDSSP_CHANGED("credssp-changed"), OS_BUILD_CHANGED("os-build-changed");

    private final String word;

    Kind(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }
  }

  /** One change of one endpoint; before and after as the reports show them. */
  public record Change(Target target, Kind kind, @Nullable String before, @Nullable String after, Direction direction) { }

  private ScanDiff() {}

  /** TLS versions whose being enabled is a problem (the probe's own list, ProbeReport.problems). */
  static boolean obsolete(String version) {
    return version.startsWith("SSL") || version.equals("TLS 1.0") || version.equals("TLS 1.1");
  }

  /**
   * The changes from {@code older} to {@code newer}, by endpoint key, then in {@link Kind} order.
   *
   * @param expiringDays a certificate that expires within this many days of the newer scan is "expiring"
   */
  public static List<Change> of(List<HostResult> older, List<HostResult> newer, int expiringDays) {
    Map<String, HostResult> a = byKey(older);
    Map<String, HostResult> b = byKey(newer);
    TreeSet<String> keys = new TreeSet<>(a.keySet());
    keys.addAll(b.keySet());
    List<Change> out = new ArrayList<>();
    for (String k : keys) {
      HostResult x = a.get(k);
      HostResult y = b.get(k);
      if (x == null) {
        out.add(new Change(y.target(), Kind.NEW, null, state(y), Direction.NEUTRAL));
      } else if (y == null) {
        out.add(new Change(x.target(), Kind.GONE, state(x), null, Direction.NEUTRAL));
      } else {
        compare(x, y, expiringDays, out);
      }
    }
    return out;
  }

  /** Whether any change makes things worse: {@code diff}'s exit code 1, for cron and CI. */
  public static boolean worse(List<Change> changes) {
    return changes.stream().anyMatch(c -> c.direction() == Direction.WORSE);
  }

  private static String state(HostResult r) {
    return r.reachable() ? "up" : "down";
  }

  private static void compare(HostResult x, HostResult y, int days, List<Change> out) {
    Target t = y.target();
    if (x.reachable() && !y.reachable()) {
      out.add(new Change(t, Kind.DOWN, "up", y.failure(), Direction.WORSE));
      return; // nothing else is known of a host that did not answer
    }
    if (!x.reachable() && y.reachable()) {
      out.add(new Change(t, Kind.UP, x.failure(), "up", Direction.BETTER));
      return; // its old posture is unknown: nothing to compare with
    }
    if (!y.reachable()) {
      return;
    }
    if (x.certSha1() != null && y.certSha1() != null && !x.certSha1().equals(y.certSha1())) {
      out.add(new Change(t, Kind.CERT_RENEWED, x.certSha1() + " (until " + x.certNotAfter() + ")",
          y.certSha1() + " (until " + y.certNotAfter() + ")", Direction.NEUTRAL));
    }
    if (y.certNotAfter() != null) {
      boolean expiredNow = !y.certNotAfter().isAfter(y.finishedAt());
      boolean expiredThen = x.certNotAfter() != null && !x.certNotAfter().isAfter(x.finishedAt());
      boolean soonNow = !expiredNow && expiresWithin(y.certNotAfter(), y.finishedAt(), days);
      boolean soonThen = x.certNotAfter() != null && !expiredThen && expiresWithin(x.certNotAfter(), x.finishedAt(), days);
      if (expiredNow && !expiredThen) {
        out.add(new Change(t, Kind.CERT_EXPIRED, null, "expired " + y.certNotAfter(), Direction.WORSE));
      } else if (soonNow && !soonThen) {
        long left = Duration.between(y.finishedAt(), y.certNotAfter()).toDays();
        out.add(new Change(t, Kind.CERT_EXPIRING, null,
            "expires " + y.certNotAfter() + " (" + left + " days, within " + days + ")", Direction.WORSE));
      }
    }
    if (x.nla() != null && y.nla() != null && !x.nla().equals(y.nla())) {
      boolean wasRequired = x.nla().equals("required");
      boolean isRequired = y.nla().equals("required");
      if (wasRequired != isRequired) {
        out.add(new Change(t, isRequired ? Kind.NLA_ON : Kind.NLA_OFF, x.nla(), y.nla(),
            isRequired ? Direction.BETTER : Direction.WORSE));
      }
    }
    if (x.tlsVersions() != null && y.tlsVersions() != null) {
      for (String v : y.tlsVersions()) {
        if (!x.tlsVersions().contains(v)) {
          out.add(new Change(t, Kind.TLS_ENABLED, null, v, obsolete(v) ? Direction.WORSE : Direction.NEUTRAL));
        }
      }
      for (String v : x.tlsVersions()) {
        if (!y.tlsVersions().contains(v)) {
          out.add(new Change(t, Kind.TLS_DISABLED, v, null, obsolete(v) ? Direction.BETTER : Direction.WORSE));
        }
      }
    }
    if (x.rdpSecurity() != null && y.rdpSecurity() != null && !x.rdpSecurity().equals(y.rdpSecurity())) {
      out.add(y.rdpSecurity()
          ? new Change(t, Kind.RDP_SECURITY_ALLOWED, "refused", "accepted", Direction.WORSE)
          : new Change(t, Kind.RDP_SECURITY_REFUSED, "accepted", "refused", Direction.BETTER));
    }
    if (x.credsspVersion() != null && y.credsspVersion() != null
        && !Objects.equals(x.credsspVersion(), y.credsspVersion())) {
      // below 5, clients updated for CVE-2018-0886 refuse the server (probe.credssp updatedClientsRefuse)
      boolean broke = x.credsspVersion() >= 5 && y.credsspVersion() < 5;
      out.add(new Change(t, Kind.CREDSSP_CHANGED, String.valueOf(x.credsspVersion()),
          String.valueOf(y.credsspVersion()), broke ? Direction.WORSE : Direction.NEUTRAL));
    }
    if (x.osBuild() != null && y.osBuild() != null && !x.osBuild().equals(y.osBuild())) {
      out.add(new Change(t, Kind.OS_BUILD_CHANGED, x.osBuild(), y.osBuild(), Direction.NEUTRAL));
    }
  }

  private static boolean expiresWithin(Instant notAfter, Instant at, int days) {
    return notAfter.isBefore(at.plus(Duration.ofDays(days)));
  }

  private static Map<String, HostResult> byKey(List<HostResult> rs) {
    Map<String, HostResult> m = new LinkedHashMap<>();
    rs.forEach(r -> m.put(Targets.key(r.target()), r));
    return m;
  }
}
