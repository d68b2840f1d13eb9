package rdpdoctor.protocol.tsgu;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * [MS-TSGU] 2.2.3.3 the HTTP transport's two requests, RDG_OUT_DATA (gateway to client) and
 * RDG_IN_DATA (client to gateway) on {@code /remoteDesktopGateway/}, with the {@code
 * RDG-Connection-Id} that pairs them, and the RFC 6455 upgrade of RDG_OUT_DATA that replaces both.
 * The header set and order are FreeRDP 2.11's (libfreerdp/core/gateway/http.c), which Windows
 * gateways accept.
 *
 * @param method {@link #OUT} or {@link #IN}
 * @param host the Host header (the gateway's name as the user gave it)
 * @param connectionId the braced GUID both channels send
 * @param websocketKey the Sec-WebSocket-Key, or null for the legacy transport
 * @param authorization the Authorization value ("NTLM TlRMTVNTUAAB..."), or null
 * @param chunked Transfer-Encoding: chunked (RDG_IN_DATA's body) instead of Content-Length: 0
 */
public record RdgRequest(
    String method, String host, String connectionId, @Nullable String websocketKey,
    @Nullable String authorization, boolean chunked) {
  public static final String OUT = "RDG_OUT_DATA";
  public static final String IN = "RDG_IN_DATA";
  public static final String PATH = "/remoteDesktopGateway/";
  /** RFC 6455 1.3: the GUID appended to the key for Sec-WebSocket-Accept. */
  public static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  public HttpHead head() {
    List<HttpHead.Header> h = new ArrayList<>();
    h.add(new HttpHead.Header("Cache-Control", "no-cache"));
    h.add(new HttpHead.Header("Pragma", "no-cache"));
    h.add(new HttpHead.Header("Accept", "*/*"));
    h.add(new HttpHead.Header("User-Agent", "MS-RDGateway/1.0"));
    h.add(new HttpHead.Header("Host", host));
    if (websocketKey == null) {
      h.add(new HttpHead.Header("Connection", "Keep-Alive"));
    } else {
      h.add(new HttpHead.Header("Connection", "Upgrade"));
      h.add(new HttpHead.Header("Upgrade", "websocket"));
      h.add(new HttpHead.Header("Sec-Websocket-Version", "13"));
      h.add(new HttpHead.Header("Sec-Websocket-Key", websocketKey));
    }
    h.add(new HttpHead.Header("RDG-Connection-Id", connectionId));
    h.add(chunked ? new HttpHead.Header("Transfer-Encoding", "chunked") : new HttpHead.Header("Content-Length", "0"));
    if (authorization != null) {
      h.add(new HttpHead.Header("Authorization", authorization));
    }
    return new HttpHead(method + " " + PATH + " HTTP/1.1", h);
  }

  public byte[] encode() {
    return head().encode();
  }

  /** The request again with another Authorization (the NTLM round trip). */
  public RdgRequest authorization(@Nullable String value) {
    return new RdgRequest(method, host, connectionId, websocketKey, value, chunked);
  }

  /** RFC 6455 4.2.2: Sec-WebSocket-Accept = base64(SHA-1(key ‖ GUID)). */
  public static String websocketAccept(String key) {
    try {
      byte[] sha1 = MessageDigest.getInstance("SHA-1")
          .digest((key + WEBSOCKET_GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every JDK", e);
    }
  }

  /** "\r\n"-terminated chunk header and trailer around one MS-TSGU packet (RDG_IN_DATA's body). */
  public static byte[] chunk(byte[] packet) {
    byte[] head = (Integer.toHexString(packet.length).toUpperCase(java.util.Locale.ROOT) + "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[head.length + packet.length + 2];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(packet, 0, out, head.length, packet.length);
    out[out.length - 2] = '\r';
    out[out.length - 1] = '\n';
    return out;
  }
}
