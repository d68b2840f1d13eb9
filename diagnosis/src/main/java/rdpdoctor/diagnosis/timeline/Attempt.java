package rdpdoctor.diagnosis.timeline;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Phase;

/**
 * One connection attempt rebuilt from the events of one side (the client's log or the host's logs):
 * how far it got, where it stopped and how it ended, with the events that prove each step.
 *
 * @param side {@code client} (RDPClient/Operational) or {@code host} (the server's channels)
 * @param computer the Computer of the events (the client machine or the host)
 * @param start the first event's time
 * @param endTime the last event's time
 * @param client the client's address (host side), or null when no event named it
 * @param server the server the client typed (client side 1024), or null
 * @param user the account, when an event named it
 * @param phases the phases the events prove, in connection order
 * @param stoppedAt the phase where it ended: the failing event's phase, else the furthest reached
 * @param end how it ended
 * @param code the code of the ending event, decoded by the catalog, or null
 * @param authenticated true when an event proves the credentials were accepted
 * @param proof the events, in time order
 */
public record Attempt(
    String side,
    @Nullable String computer,
    Instant start,
    Instant endTime,
    @Nullable String client,
    @Nullable String server,
    @Nullable String user,
    List<Phase> phases,
    Phase stoppedAt,
    End end,
    @Nullable Code code,
    boolean authenticated,
    List<Proof> proof) {

  /** How an attempt ended, as its events show it. */
  public enum End {
    /** An event says it failed (a 4625, an RdpCoreTS 140, a Gateway refusal). */
    FAILED("failed"),
    /** An event says the connection closed (1026 on the client, RdpCoreTS 102/103, LSM 24/40). */
    DISCONNECTED("disconnected"),
    /** It reached a logon and nothing closed it within the log: the session goes on. */
    LOGGED_ON("logged on"),
    /** The events stop before any outcome: what happened next is not in the logs read. */
    NO_END("no end recorded");

    private final String label;

    End(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public Attempt {
    Objects.requireNonNull(side, "side");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(endTime, "endTime");
    Objects.requireNonNull(stoppedAt, "stoppedAt");
    Objects.requireNonNull(end, "end");
    phases = List.copyOf(phases);
    proof = List.copyOf(proof);
  }

  public Duration duration() {
    return Duration.between(start, endTime);
  }
}
