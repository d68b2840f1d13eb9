package rdpdoctor.probe;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Phase;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.rdpbcgr.x224.ConnectionConfirm;
import rdpdoctor.protocol.rdpbcgr.x224.ConnectionRequest;
import rdpdoctor.protocol.rdpbcgr.x224.NegotiationRequest;
import rdpdoctor.protocol.rdpbcgr.x224.SecurityProtocols;
import rdpdoctor.protocol.rdpbcgr.x224.TpktFramer;
import rdpdoctor.protocol.rdpbcgr.x224.X224;

/**
 * [MS-RDPBCGR] 1.3.1.1 Connection Initiation: sends an X.224 Connection Request and reads the one
 * TPKT frame that answers it (Connection Confirm, or a Disconnect Request from some servers).
 */
public final class X224Step implements Step<X224.Tpdu> {
  /** A Connection Confirm is 11 or 19 bytes; anything near this bound is not one. */
  static final int MAX_CONFIRM = 1024;

  private final @Nullable NegotiationRequest request;
  private final @Nullable String cookie;
  private final TpktFramer framer = new TpktFramer(MAX_CONFIRM);
  private X224.@Nullable Tpdu answer;

  /**
   * @param request the RDP_NEG_REQ, or null for a legacy request without one
   * @param cookie the mstshash cookie (a user name), or null
   */
  public X224Step(@Nullable NegotiationRequest request, @Nullable String cookie) {
    this.request = request;
    this.cookie = cookie;
  }

  /** A human label of what is requested: "SSL|HYBRID", or "legacy" without RDP_NEG_REQ. */
  public static String label(@Nullable NegotiationRequest request) {
    return request == null ? "legacy" : SecurityProtocols.shortName(request.requestedProtocols());
  }

  @Override
  public Phase phase() {
    return Phase.X224;
  }

  @Override
  public String name() {
    return "x224 " + label(request);
  }

  @Override
  public byte[] start() {
    ConnectionRequest cr = cookie == null
        ? ConnectionRequest.of(request)
        : ConnectionRequest.withCookie(cookie, request);
    return cr.encode();
  }

  @Override
  public int bytesNeeded() {
    return answer != null ? 0 : framer.bytesNeeded();
  }

  @Override
  public byte[] receive(byte[] data, Instant receivedAt) {
    framer.offer(data, 0, data.length);
    if (framer.complete()) {
      byte[] frame = framer.frame();
      try {
        answer = X224.decode(frame);
      } catch (DecodeException e) {
        throw e.in("cannot read the answer to the X.224 connection request");
      }
      if (!(answer instanceof ConnectionConfirm) && !(answer instanceof X224.DisconnectRequest)
          && !isDisconnectProviderUltimatum(answer)) {
        int code = frame.length > 5 ? frame[5] & 0xFF : -1;
        answer = null;
        throw new DecodeException.UnexpectedValue(
            "answer to the X.224 connection request", "TPDU code", code, "0xd0 (connection confirm)");
      }
    }
    return new byte[0];
  }

  /**
   * [T.125] 7 DisconnectProviderUltimatum in a Data TPDU: how xrdp refuses a request it does not
   * support (it answers RDSAAD so). In PER the first byte is the choice index 8 shifted left by 2,
   * with the top bit of the reason in the low bits: 0x20..0x23.
   */
  static boolean isDisconnectProviderUltimatum(X224.Tpdu t) {
    return t instanceof X224.Data d && d.userData().length >= 1 && (d.userData()[0] & 0xFC) == 0x20;
  }

  @Override
  public X224.Tpdu result() {
    if (answer == null) {
      throw new IllegalStateException("no answer yet");
    }
    return answer;
  }
}
