package rdpdoctor.probe.gateway.tunnel;

import java.time.Duration;
import rdpdoctor.protocol.nlmp.NtlmCredentials;

/**
 * What {@link GatewayTunnel#check} needs: the gateway, the host behind it, and the account.
 *
 * @param gatewayHost the gateway's name as the user gave it (TLS SNI and the Host header)
 * @param gatewayPort usually 443
 * @param targetHost the host name the gateway is asked to connect to (the RAP judges this name)
 * @param targetPort usually 3389
 * @param credentials the account, already hashed (read as {@code probe --user} reads it); only the
 *     NTLMv2 proof computed from it leaves the process
 * @param websocket try the WebSocket upgrade first (as FreeRDP and current mstsc do); false: the
 *     legacy RDG_OUT_DATA + RDG_IN_DATA pair only
 * @param clientName the client name sent in TUNNEL_AUTH (the gateway's event log shows it)
 * @param stepTimeout the longest one step may wait for the gateway, inside the overall deadline
 */
public record GatewayTunnelOptions(
    String gatewayHost,
    int gatewayPort,
    String targetHost,
    int targetPort,
    NtlmCredentials credentials,
    boolean websocket,
    String clientName,
    Duration stepTimeout) {
  public GatewayTunnelOptions {
    if (gatewayPort < 1 || gatewayPort > 0xFFFF || targetPort < 1 || targetPort > 0xFFFF) {
      throw new IllegalArgumentException("ports are 1..65535: " + gatewayPort + ", " + targetPort);
    }
  }

  /** The defaults: WebSocket first, client name "rdpdoctor", 10 s per step. */
  public static GatewayTunnelOptions of(String gatewayHost, int gatewayPort, String targetHost, int targetPort,
      NtlmCredentials credentials) {
    return new GatewayTunnelOptions(gatewayHost, gatewayPort, targetHost, targetPort, credentials, true,
        "rdpdoctor", Duration.ofSeconds(10));
  }

  public GatewayTunnelOptions legacyOnly() {
    return new GatewayTunnelOptions(gatewayHost, gatewayPort, targetHost, targetPort, credentials, false,
        clientName, stepTimeout);
  }

  public GatewayTunnelOptions stepTimeout(Duration d) {
    return new GatewayTunnelOptions(gatewayHost, gatewayPort, targetHost, targetPort, credentials, websocket,
        clientName, d);
  }

  /** "gw.example:443". */
  public String gateway() {
    return gatewayHost + ":" + gatewayPort;
  }
}
