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

  /** Total network time of the probe's phases on the critical path, in ms (wall time). */
  public double millis() {
    return micros / 1000.0;
  }
}
