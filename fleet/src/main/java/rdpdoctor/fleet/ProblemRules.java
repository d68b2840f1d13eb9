package rdpdoctor.fleet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import rdpdoctor.probe.FailureKind;

/**
 * Which diagnosis rule ({@code rdpdoctor/rules/*.yaml}) each problem the probe states fires: the
 * store keeps a host's problems as the probe words them ({@link rdpdoctor.probe.ProbeReport#problems()}),
 * and reports that speak in rule ids (SARIF) read the id from here. {@code
 * ProbeVerdictsReachDiagnosisTest} (app) runs the rule engine on real bench probes and fails when a
 * problem's rule here does not fire on that probe's observations, so this table cannot drift from
 * the rules.
 */
public final class ProblemRules {
  private ProblemRules() {}

  /** The start of each posture problem sentence, and the rule that fires on it. */
  private static final Map<String, String> BY_PREFIX = new LinkedHashMap<>();

  static {
    BY_PREFIX.put("NLA is offered but not required", "nla-off-on-host");
    BY_PREFIX.put("NLA is not offered", "nla-off-on-host");
    BY_PREFIX.put("Standard RDP Security is accepted", "rdp-security-accepted");
    BY_PREFIX.put("the server selected a protocol that was not requested", "protocol-not-requested");
    BY_PREFIX.put("obsolete TLS versions accepted", "tls-obsolete-accepted");
    BY_PREFIX.put("certificate: expired", "cert-expired");
    BY_PREFIX.put("certificate: not valid before", "cert-not-yet-valid");
    BY_PREFIX.put("certificate: name mismatch", "cert-name-mismatch");
    BY_PREFIX.put("certificate: weak signature", "cert-weak");
    BY_PREFIX.put("certificate: RSA key of", "cert-weak");
    BY_PREFIX.put("certificate: extended key usage", "cert-weak");
    BY_PREFIX.put("TLS handshake failed", "tls-handshake-failed");
  }

  /** A host that did not answer: its one problem is the failure, and the rules match its kind. */
  private static final Map<FailureKind, String> BY_FAILURE = Map.of(
      FailureKind.CONNECTION_REFUSED, "port-closed",
      FailureKind.CONNECT_TIMEOUT, "port-filtered",
      FailureKind.UNREACHABLE, "port-filtered",
      FailureKind.DNS_FAILURE, "dns-failure",
      FailureKind.NOT_RDP_HTTP, "not-rdp-service",
      FailureKind.NOT_RDP_SSH, "not-rdp-service",
      FailureKind.NOT_RDP_TLS, "not-rdp-service");

  /**
   * The rule a problem fires, or null when no rule names it (a later probe stage that failed,
   * "ntlm: the server closed the connection", or a failure kind no rule matches).
   *
   * @param failure the kind of the failure that kept the host from answering, or null when it answered
   */
  public static @Nullable String rule(String problem, @Nullable FailureKind failure) {
    if (failure != null) {
      return BY_FAILURE.get(failure);
    }
    for (Map.Entry<String, String> e : BY_PREFIX.entrySet()) {
      if (problem.startsWith(e.getKey())) {
        return e.getValue();
      }
    }
    return null;
  }

  /** The failure kind of a stored result ("CONNECTION_REFUSED: ..."), or null when it answered. */
  public static @Nullable FailureKind failureKind(HostResult r) {
    if (r.reachable() || r.failure() == null) {
      return null;
    }
    int colon = r.failure().indexOf(':');
    String name = colon < 0 ? r.failure() : r.failure().substring(0, colon);
    try {
      return FailureKind.valueOf(name);
    } catch (IllegalArgumentException e) {
      return null; // written by another rdpdoctor with a kind this one does not know
    }
  }

  /** Every rule id this table can give, in a stable order (a SARIF file lists its rules first). */
  public static List<String> ruleIds() {
    Set<String> ids = new java.util.LinkedHashSet<>(BY_PREFIX.values());
    List.of(FailureKind.values()).forEach(k -> {
      if (BY_FAILURE.containsKey(k)) {
        ids.add(BY_FAILURE.get(k));
      }
    });
    return List.copyOf(ids);
  }
}
