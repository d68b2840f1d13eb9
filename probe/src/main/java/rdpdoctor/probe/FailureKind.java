package rdpdoctor.probe;

import java.util.Optional;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Phase;
import rdpdoctor.diagnosis.catalog.Catalog;
import rdpdoctor.diagnosis.catalog.CodeEntry;

/**
 * The ways a connection attempt fails, as a user meets them, each with the code the Windows
 * client (mstsc, discReason) shows for it.
 *
 * <p>The codes are disconnect reasons of {@code IMsTscAxEvents::OnDisconnected} (family
 * {@code disconnectReason} of the code catalog); their names and meanings come from the catalog. The
 * name given here is used only for a code the catalog does not list (0x1104, the client's own
 * "protocol error" code, is documented only as a note of the extendedReason family).
 */
public enum FailureKind {
  /** The name does not resolve. */
  DNS_FAILURE(Phase.NAME_RESOLUTION, 0x104, "the host name does not resolve"),
  /** RST to the SYN: nothing listens on the port, or a firewall rejects. */
  CONNECTION_REFUSED(Phase.TCP, 0x204, "the connection was refused"),
  /** No answer to the SYN: a firewall drops the packets, or the host is down. */
  CONNECT_TIMEOUT(Phase.TCP, 0x108, "the TCP connection timed out (filtered or host down)"),
  /** ICMP unreachable or no route. */
  UNREACHABLE(Phase.TCP, 0x204, "the host or network is unreachable"),
  /** The server accepted TCP but did not answer in time (silence, or too slow). */
  NO_RESPONSE(Phase.X224, 0x704, "the server did not answer in time"),
  /** The server reset the connection. */
  CONNECTION_RESET(Phase.X224, 0x904, "the server reset the connection"),
  /** The server closed the connection (FIN) without an answer. */
  CONNECTION_CLOSED(Phase.X224, 0x904, "the server closed the connection"),
  /** An HTTP server answered. */
  NOT_RDP_HTTP(Phase.X224, 0x904, "an HTTP server answers on this port, not RDP"),
  /** An SSH server answered. */
  NOT_RDP_SSH(Phase.X224, 0x904, "an SSH server answers on this port, not RDP"),
  /** A TLS server answered the X.224 request with TLS records. */
  NOT_RDP_TLS(Phase.X224, 0x904, "a bare TLS service answers on this port, not RDP"),
  /** Bytes that are no RDP PDU: wrong service or a broken middlebox. */
  PROTOCOL_ERROR(Phase.X224, 0x1104, "the server sent something that is not a valid RDP PDU", "protocol error detected at the client"),
  /** The server sent a TLS alert during the handshake. */
  TLS_ALERT(Phase.TLS, 0x904, "the server refused the TLS handshake with an alert"),
  /** The TLS handshake failed otherwise. */
  TLS_FAILED(Phase.TLS, 0x904, "the TLS handshake failed"),
  /** The whole probe ran out of time before this step. */
  DEADLINE(Phase.TCP, 0x704, "the probe's time ran out");

  private final Phase phase;
  private final int clientCode;
  private final String description;
  /** The code's name when the catalog does not list it; null for catalog codes (the catalog names them). */
  private final @Nullable String uncataloguedName;

  FailureKind(Phase phase, int clientCode, String description) {
    this(phase, clientCode, description, null);
  }

  FailureKind(Phase phase, int clientCode, String description, @Nullable String uncataloguedName) {
    this.phase = phase;
    this.clientCode = clientCode;
    this.description = description;
    this.uncataloguedName = uncataloguedName;
  }

  /** Where in the connection this failure normally shows. */
  public Phase phase() {
    return phase;
  }

  /** The error code the Windows client shows ("Error code: 0x204"). */
  public int clientCode() {
    return clientCode;
  }

  public String clientCodeHex() {
    return "0x" + Integer.toHexString(clientCode).toUpperCase(java.util.Locale.ROOT);
  }

  /** The code's name from the catalog, e.g. "disconnectReasonSocketConnectFailed". */
  public String clientCodeName() {
    return catalogEntry().map(CodeEntry::name)
        .orElseGet(() -> uncataloguedName != null ? uncataloguedName : clientCodeHex());
  }

  /** The catalog's plain-words meaning of the client code, or this failure's description. */
  public String clientCodeMeaning() {
    return catalogEntry().map(CodeEntry::meaning).orElse(description);
  }

  /** The catalog entry of the client code, when the catalog has it. */
  public Optional<CodeEntry> catalogEntry() {
    return Catalog.find("disconnectReason", clientCode);
  }

  public String description() {
    return description;
  }
}
