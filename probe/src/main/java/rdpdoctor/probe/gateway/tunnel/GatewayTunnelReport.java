package rdpdoctor.probe.gateway.tunnel;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.probe.NegotiationResult;
import rdpdoctor.probe.NegotiationVerdict;

/**
 * What {@link GatewayTunnel#check} found.
 *
 * @param observations the {@code gateway.tunnel} observations (one per stage reached) and the host
 *     probe's ({@code probe.negotiation}, {@code probe.nla}, {@code probe.security}) through the tunnel
 * @param failure the stage that stopped the check, or null when the host answered through the tunnel
 * @param transport "websocket" or "legacy" once authentication succeeded, else null
 * @param sweep the X.224 sweep through the tunnel (empty when no channel opened)
 * @param verdict the sweep's verdict, or null without a sweep
 */
public record GatewayTunnelReport(
    List<Observation> observations,
    @Nullable TunnelFailure failure,
    @Nullable String transport,
    List<NegotiationResult> sweep,
    @Nullable NegotiationVerdict verdict) {
  public GatewayTunnelReport {
    observations = List.copyOf(observations);
    sweep = List.copyOf(sweep);
  }

  /** The gateway's HRESULT when it refused a stage. */
  public Optional<Long> hresult() {
    return failure == null ? Optional.empty() : Optional.ofNullable(failure.hresult());
  }

  /** The {@code gateway.tunnel} observation of a stage, if that stage was reached. */
  public Optional<Observation> stage(GatewayTunnel.Stage stage) {
    return observations.stream()
        .filter(o -> o.type().equals("gateway.tunnel") && stage.json().equals(o.get("stage")))
        .findFirst();
  }
}
