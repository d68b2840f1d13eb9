package rdpdoctor.probe.gateway;

import java.util.List;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.probe.FailureKind;
import rdpdoctor.probe.Target;

/**
 * What {@link GatewayCheck#check} found.
 *
 * @param gateway the gateway checked
 * @param observations {@code gateway.tls}, {@code gateway.http}, {@code gateway.ntlm} and
 *     {@code gateway.udp}, in the order they were learnt
 * @param failure why the gateway could not be checked at all (name resolution, TCP, TLS), or null
 * @param failureKind the kind of that failure, or null
 * @param elapsedMicros how long the checks took
 */
public record GatewayReport(
    Target gateway,
    List<Observation> observations,
    @Nullable String failure,
    @Nullable FailureKind failureKind,
    long elapsedMicros) {
  public GatewayReport {
    observations = List.copyOf(observations);
  }

  /** The observations of one type ("gateway.http"). */
  public List<Observation> of(String type) {
    return observations.stream().filter(o -> o.type().equals(type)).toList();
  }
}
