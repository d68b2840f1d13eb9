package rdpdoctor.fleet;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.evidence.x509.CertificateAnalysis;
import rdpdoctor.probe.ProbeReport;
import rdpdoctor.probe.Target;

/**
 * What the store keeps of one endpoint's probe: the posture facts that {@code diff} compares, the
 * probe's problems as it states them, and why the host could not be probed if it could not. A
 * field the probe did not learn (a quick scan learns no TLS versions) is null, never a guess.
 *
 * @param target the endpoint
 * @param finishedAt when its probe ended (second precision: what the store keeps)
 * @param reachable the negotiation got an answer
 * @param failure why not ("CONNECTION_REFUSED: ..."), or null
 * @param nla "required", "optional", "unavailable", "unknown" (NegotiationVerdict.Nla), or null
 * @param rdpSecurity Standard RDP Security accepted, or null when unknown
 * @param tlsVersions accepted TLS versions in order, or null when not enumerated
 * @param certSha1 the leaf certificate's SHA-1 (SSLCertificateSHA1Hash form), or null
 * @param certNotAfter the leaf certificate's expiry, or null
 * @param credsspVersion the server's CredSSP TSRequest version, or null
 * @param osBuild the OS version from NTLM ("10.0.17763"), or null
 * @param problems the probe's problems, most important first ({@link ProbeReport#problems()})
 * @param millis the probe's wall time
 */
public record HostResult(
    Target target,
    Instant finishedAt,
    boolean reachable,
    @Nullable String failure,
    @Nullable String nla,
    @Nullable Boolean rdpSecurity,
    @Nullable List<String> tlsVersions,
    @Nullable String certSha1,
    @Nullable Instant certNotAfter,
    @Nullable Long credsspVersion,
    @Nullable String osBuild,
    List<String> problems,
    long millis) {

  public HostResult {
    finishedAt = finishedAt.truncatedTo(ChronoUnit.SECONDS);
    certNotAfter = certNotAfter == null ? null : certNotAfter.truncatedTo(ChronoUnit.SECONDS);
    tlsVersions = tlsVersions == null ? null : List.copyOf(tlsVersions);
    problems = List.copyOf(problems);
  }

  /** Reads the posture out of a probe's report (its typed parts; CredSSP and NTLM from observations). */
  public static HostResult of(ProbeReport r, Instant finishedAt) {
    boolean reachable = r.failure() == null;
    String failure = r.failure() == null ? null : r.failure().kind() + ": " + r.failure().describe();
    String nla = r.verdict() == null || !reachable ? null : r.verdict().nla().json();
    Boolean rdpSec = r.verdict() == null || !reachable ? null : r.verdict().rdpSecurityAccepted();
    List<String> versions = null;
    String sha1 = null;
    Instant notAfter = null;
    if (r.tls() != null) {
      if (r.tls().versions() != null) {
        versions = new ArrayList<>();
        for (Map.Entry<String, Boolean> e : r.tls().versions().entrySet()) {
          if (e.getValue()) {
            versions.add(e.getKey());
          }
        }
      }
      CertificateAnalysis leaf = r.tls().certificate();
      if (leaf != null) {
        sha1 = leaf.sha1();
        notAfter = leaf.notAfter();
      }
    }
    Long credssp = null;
    String os = null;
    for (Observation o : r.observations()) {
      if (o.type().equals("probe.credssp") && o.number("serverVersion") != null) {
        credssp = o.number("serverVersion");
      } else if (o.type().equals("probe.ntlm") && o.string("osVersion") != null) {
        os = o.string("osVersion");
      }
    }
    return new HostResult(r.target(), finishedAt, reachable, failure, nla, rdpSec, versions, sha1, notAfter,
        credssp, os, r.problems(), Math.round(r.millis()));
  }
}
