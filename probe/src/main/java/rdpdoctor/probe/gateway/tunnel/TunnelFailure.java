package rdpdoctor.probe.gateway.tunnel;

import org.jspecify.annotations.Nullable;

/**
 * A tunnel step that did not succeed: which {@link GatewayTunnel.Stage}, why in one line with the
 * numbers, and what the gateway answered (an HRESULT inside MS-TSGU, an HTTP status before it).
 */
public final class TunnelFailure extends Exception {
  private static final long serialVersionUID = 1L;
  private final GatewayTunnel.Stage stage;
  private final @Nullable Long hresult;
  private final @Nullable Integer httpStatus;
  private final boolean timedOut;

  TunnelFailure(GatewayTunnel.Stage stage, String detail, @Nullable Long hresult, @Nullable Integer httpStatus,
      boolean timedOut, @Nullable Throwable cause) {
    super(detail, cause, false, false);
    this.stage = stage;
    this.hresult = hresult;
    this.httpStatus = httpStatus;
    this.timedOut = timedOut;
  }

  static TunnelFailure of(GatewayTunnel.Stage stage, String detail) {
    return new TunnelFailure(stage, detail, null, null, false, null);
  }

  public GatewayTunnel.Stage stage() {
    return stage;
  }

  /** The gateway's HRESULT (unsigned 32-bit), when it sent one. */
  public @Nullable Long hresult() {
    return hresult;
  }

  /** The HTTP status of the authentication step, when there was one. */
  public @Nullable Integer httpStatus() {
    return httpStatus;
  }

  /** The gateway went silent until the deadline. */
  public boolean timedOut() {
    return timedOut;
  }
}
