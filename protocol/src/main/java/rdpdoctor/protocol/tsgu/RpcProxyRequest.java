package rdpdoctor.protocol.tsgu;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * [MS-RPCH] 2.1.2.1 the RPC-over-HTTP request of the gateway's legacy RPC transport ([MS-TSGU]
 * 2.1: TsProxy over ncacn_http): {@code RPC_IN_DATA /rpc/rpcproxy.dll?localhost:3388}. Enough of it to
 * ask whether the endpoint is there and what authentication it wants (mstsc falls back to it when
 * RDG_OUT_DATA is refused; FreeRDP 2 when it gets 404). The header set is FreeRDP 2.11's
 * (libfreerdp/core/gateway/rpc.c, ncacn_http.c); the Pragma carries the TSGU interface's
 * ResourceTypeUuid.
 *
 * @param host the Host header
 * @param authorization "NTLM TlRMTVNT..." or null for an anonymous probe
 * @param contentLength 0 while authenticating; 0x40000000 (1 GiB, the channel's lifetime budget) after
 */
public record RpcProxyRequest(String host, @Nullable String authorization, long contentLength) {
  public static final String IN = "RPC_IN_DATA";
  public static final String OUT = "RPC_OUT_DATA";
  /** The RPC proxy's URI with the gateway's own RPC endpoint (localhost, port 3388). */
  public static final String URI = "/rpc/rpcproxy.dll?localhost:3388";
  /** The Pragma FreeRDP sends: the TsProxy resource type and a session id. */
  public static final String PRAGMA = "ResourceTypeUuid=44e265dd-7daf-42cd-8560-3cdb6e7a2729, "
      + "SessionId=fbd9c34f-397d-471d-a109-1b08cc554624";

  public HttpHead head() {
    List<HttpHead.Header> h = new ArrayList<>();
    h.add(new HttpHead.Header("Cache-Control", "no-cache"));
    h.add(new HttpHead.Header("Pragma", PRAGMA));
    h.add(new HttpHead.Header("Accept", "application/rpc"));
    h.add(new HttpHead.Header("User-Agent", "MSRPC"));
    h.add(new HttpHead.Header("Host", host));
    h.add(new HttpHead.Header("Connection", "Keep-Alive"));
    h.add(new HttpHead.Header("Content-Length", Long.toString(contentLength)));
    if (authorization != null) {
      h.add(new HttpHead.Header("Authorization", authorization));
    }
    return new HttpHead(IN + " " + URI + " HTTP/1.1", h);
  }

  public byte[] encode() {
    return head().encode();
  }
}
