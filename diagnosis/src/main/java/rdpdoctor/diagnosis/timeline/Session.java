package rdpdoctor.diagnosis.timeline;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A Remote Desktop session on a host as LocalSessionManager (and Security 4778/4779) record it:
 * logon, disconnects and reconnects, logoff, and the client addresses it was used from.
 *
 * @param computer the host
 * @param sessionId the session number, or null for Security events that name a session only by
 *     its window-station name
 * @param name the window-station name (RDP-Tcp#N) when the events give it
 * @param user the account
 * @param events what happened, in time order
 * @param addresses the client addresses, in the order they first appear
 */
public record Session(
    @Nullable String computer,
    @Nullable Long sessionId,
    @Nullable String name,
    @Nullable String user,
    List<Event> events,
    List<String> addresses) {

  /** What one session event says happened. */
  public enum Kind {
    LOGON, SHELL, DISCONNECT, RECONNECT, LOGOFF, ARBITRATION
  }

  /**
   * @param at when
   * @param kind what
   * @param address the client address the event names, or null
   * @param code the reason code (LSM 40), decoded, or null
   * @param proof the event
   */
  public record Event(Instant at, Kind kind, @Nullable String address, @Nullable Code code, Proof proof) {
    public Event {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(proof, "proof");
    }
  }

  public Session {
    events = List.copyOf(events);
    addresses = List.copyOf(addresses);
  }

  /** The logon time, or null when the log starts inside the session. */
  public @Nullable Instant logon() {
    return events.stream().filter(e -> e.kind() == Kind.LOGON).map(Event::at).findFirst().orElse(null);
  }

  /** The logoff time, or null when the session was still open where the log ends. */
  public @Nullable Instant logoff() {
    return events.stream().filter(e -> e.kind() == Kind.LOGOFF).map(Event::at).reduce((a, b) -> b).orElse(null);
  }
}
