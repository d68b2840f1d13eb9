package rdpdoctor.probe;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Observation;

/**
 * Everything one probe learnt, in the order a report shows it.
 *
 * @param target what the user typed
 * @param address the address connected to, or null when the name did not resolve
 * @param startedAt wall-clock start
 * @param micros total wall time
 * @param connections TCP connections opened
 * @param phases the timed phases, by start time
 * @param negotiation the sweep's answers, in request order
 * @param verdict what the sweep proves
 * @param tls the TLS profile, when TLS was probed
 * @param failure the failure that stopped the probe before any answer, if one did
 * @param stageFailures failures of later stages, by stage name
 * @param sections results of extra stages by name ("ntlm", "rdpSecurity")
 * @param observations every observation, for the diagnosis rules
 */
public record ProbeReport(
    Target target,
    @Nullable InetAddress address,
    Instant startedAt,
    long micros,
    int connections,
    List<PhaseTiming> phases,
    List<NegotiationResult> negotiation,
    @Nullable NegotiationVerdict verdict,
    @Nullable TlsReport tls,
    @Nullable ProbeFailure failure,
    Map<String, ProbeFailure> stageFailures,
    Map<String, Object> sections,
    List<Observation> observations) {

  /** Wall time of the whole probe in milliseconds. */
  public double millis() {
    return micros / 1000.0;
  }

  /**
   * The problems this probe proves, one sentence each, most important first; empty when the
   * listener looks healthy. {@code rdpdoctor probe} exits with 1 when there are any.
   */
  public List<String> problems() {
    List<String> p = new java.util.ArrayList<>();
    if (failure != null) {
      p.add(failure.describe() + "; a Windows client shows error code " + failure.kind().clientCodeHex());
      return p;
    }
    if (verdict != null) {
      switch (verdict.nla()) {
        case OPTIONAL -> p.add("NLA is offered but not required: clients can connect without CredSSP");
        case UNAVAILABLE -> p.add("NLA is not offered: a request for CredSSP (HYBRID) gets "
            + hybridAnswer() + "; anyone reaches the logon screen without credentials");
        default -> { }
      }
      if (Boolean.TRUE.equals(verdict.rdpSecurityAccepted())) {
        p.add("Standard RDP Security is accepted" + (verdict.rdpSecurityForTlsClient()
            ? " even when the client offers TLS" : "")
            + ": the server is not authenticated, so a man-in-the-middle can read the session");
      }
      if (!verdict.notOffered().isEmpty()) {
        p.add("the server selected a protocol that was not requested for " + verdict.notOffered()
            + " (a conforming client disconnects)");
      }
    }
    if (tls != null) {
      if (tls.versions() != null) {
        List<String> old = tls.versions().entrySet().stream()
            .filter(e -> e.getValue() && (e.getKey().startsWith("SSL") || e.getKey().equals("TLS 1.0")
                || e.getKey().equals("TLS 1.1")))
            .map(Map.Entry::getKey).toList();
        if (!old.isEmpty()) {
          p.add("obsolete TLS versions accepted: " + String.join(", ", old));
        }
      }
      if (tls.certificate() != null) {
        for (String c : tls.certificate().problems()) {
          p.add("certificate: " + c);
        }
      }
      if (tls.handshakeError() != null) {
        p.add("TLS handshake failed: " + tls.handshakeError());
      }
    }
    stageFailures.forEach((stage, f) -> {
      if (!"tls".equals(stage)) {
        p.add(stage + ": " + f.describe());
      }
    });
    return p;
  }

  private String hybridAnswer() {
    for (NegotiationResult r : negotiation) {
      if ("SSL|HYBRID".equals(r.requested())) {
        return r.outcome() == NegotiationResult.Outcome.SELECTED ? r.selectedName()
            : r.outcome() == NegotiationResult.Outcome.FAILURE ? r.failureName() : r.outcome().name();
      }
    }
    return "no CredSSP";
  }
}
