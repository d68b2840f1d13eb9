package rdpdoctor.probe;

import java.util.List;
import org.jspecify.annotations.Nullable;
import rdpdoctor.protocol.rdpbcgr.x224.ConnectionConfirm;
import rdpdoctor.protocol.rdpbcgr.x224.NegotiationData;
import rdpdoctor.protocol.rdpbcgr.x224.NegotiationRequest;
import rdpdoctor.protocol.rdpbcgr.x224.SecurityProtocols;
import rdpdoctor.protocol.rdpbcgr.x224.X224;

/**
 * What the server answered to one X.224 Connection Request of the sweep.
 *
 * @param requested label of the request ("SSL|HYBRID", "legacy")
 * @param requestedProtocols the raw requestedProtocols, or null for the legacy request
 * @param outcome what came back
 * @param selected the raw selectedProtocol of an RDP_NEG_RSP, or null
 * @param failureCode the raw failureCode of an RDP_NEG_FAILURE, or null
 * @param flags the raw flags byte of the RDP_NEG_RSP/FAILURE, or null
 * @param error the connection failure, when {@code outcome} is {@link Outcome#ERROR}
 */
public record NegotiationResult(
    String requested,
    @Nullable Long requestedProtocols,
    Outcome outcome,
    @Nullable Long selected,
    @Nullable Long failureCode,
    @Nullable Integer flags,
    @Nullable ProbeFailure error) {

  /** The kinds of answer a request can get. */
  public enum Outcome {
    /** RDP_NEG_RSP: a protocol was selected. */
    SELECTED,
    /** RDP_NEG_FAILURE: the server refused with a code. */
    FAILURE,
    /** A Connection Confirm without negotiation data: Standard RDP Security (legacy servers, or the legacy request). */
    NO_NEGOTIATION_DATA,
    /** An X.224 Disconnect Request, or an MCS Disconnect Provider Ultimatum, instead of a confirm. */
    DISCONNECT,
    /** The connection failed (refused, reset, closed, silent, not RDP...). */
    ERROR
  }

  public static NegotiationResult of(@Nullable NegotiationRequest request, X224.Tpdu answer) {
    String label = X224Step.label(request);
    Long requested = request == null ? null : request.requestedProtocols();
    return switch (answer) {
      case ConnectionConfirm cc -> switch (cc.negotiation()) {
        case NegotiationData.Response r ->
            new NegotiationResult(label, requested, Outcome.SELECTED, r.selectedProtocol(), null, r.flags(), null);
        case NegotiationData.Failure f ->
            new NegotiationResult(label, requested, Outcome.FAILURE, null, f.failureCode(), f.flags(), null);
        case null -> new NegotiationResult(label, requested, Outcome.NO_NEGOTIATION_DATA, null, null, null, null);
      };
      case X224.DisconnectRequest dr ->
          new NegotiationResult(label, requested, Outcome.DISCONNECT, null, null, null, null);
      case X224.Data d when X224Step.isDisconnectProviderUltimatum(d) ->
          new NegotiationResult(label, requested, Outcome.DISCONNECT, null, null, null, null);
      default -> throw new IllegalArgumentException("not an answer: " + answer);
    };
  }

  public static NegotiationResult error(@Nullable NegotiationRequest request, ProbeFailure f) {
    return new NegotiationResult(
        X224Step.label(request), request == null ? null : request.requestedProtocols(),
        Outcome.ERROR, null, null, null, f);
  }

  /** The protocol the server will run, counting a legacy confirm as Standard RDP Security. */
  public @Nullable Long effectiveProtocol() {
    if (outcome == Outcome.SELECTED) {
      return selected;
    }
    return outcome == Outcome.NO_NEGOTIATION_DATA ? SecurityProtocols.RDP : null;
  }

  /** "PROTOCOL_HYBRID" or null. */
  public @Nullable String selectedName() {
    return selected == null ? null : SecurityProtocols.names(selected);
  }

  /** "HYBRID_REQUIRED_BY_SERVER" or null. */
  public @Nullable String failureName() {
    return failureCode == null ? null : NegotiationData.Failure.nameOf(failureCode);
  }

  /** Response flag names, empty when there is no response. */
  public List<String> flagNames() {
    return flags == null || outcome != Outcome.SELECTED
        ? List.of()
        : new NegotiationData.Response(flags, 0).flagNames();
  }

  /**
   * True when the server selected a protocol that was not offered (IronRDP rejects such a
   * confirm; so does mstsc). PROTOCOL_RDP is always allowed: it is the fallback every client has.
   */
  public boolean selectedWasNotOffered() {
    if (outcome != Outcome.SELECTED || selected == null || selected == 0 || requestedProtocols == null) {
      return false;
    }
    return (selected & ~requestedProtocols) != 0;
  }

  /** One line: "SSL|HYBRID → PROTOCOL_HYBRID flags [...]" style. */
  public String summary() {
    return switch (outcome) {
      case SELECTED -> "requested " + requested + ": server selected " + selectedName()
          + (selectedWasNotOffered() ? " (not requested!)" : "")
          + (flagNames().isEmpty() ? "" : " " + flagNames());
      case FAILURE -> "requested " + requested + ": server refused with " + failureName();
      case NO_NEGOTIATION_DATA -> "requested " + requested
          + ": server confirmed without negotiation data (Standard RDP Security)";
      case DISCONNECT -> "requested " + requested + ": server refused with a disconnect (X.224 DR or MCS ultimatum)";
      case ERROR -> "requested " + requested + ": " + (error == null ? "error" : error.describe());
    };
  }
}
