package rdpdoctor.protocol.tsgu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import rdpdoctor.protocol.DecodeException;

class HttpHeadTest {
  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void outDataRequestAsFreeRdpSendsIt() {
    RdgRequest r = new RdgRequest(RdgRequest.OUT, "gw.example", "{00000000-0000-0000-0000-000000000001}",
        "dGhlIHNhbXBsZSBub25jZQ==", "NTLM TlRMTVNTUAABAAAA", false);
    assertThat(new String(r.encode(), StandardCharsets.ISO_8859_1)).isEqualTo(
        "RDG_OUT_DATA /remoteDesktopGateway/ HTTP/1.1\r\n"
            + "Cache-Control: no-cache\r\n"
            + "Pragma: no-cache\r\n"
            + "Accept: */*\r\n"
            + "User-Agent: MS-RDGateway/1.0\r\n"
            + "Host: gw.example\r\n"
            + "Connection: Upgrade\r\n"
            + "Upgrade: websocket\r\n"
            + "Sec-Websocket-Version: 13\r\n"
            + "Sec-Websocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "RDG-Connection-Id: {00000000-0000-0000-0000-000000000001}\r\n"
            + "Content-Length: 0\r\n"
            + "Authorization: NTLM TlRMTVNTUAABAAAA\r\n"
            + "\r\n");
    HttpHead back = HttpHead.decode(r.encode());
    assertThat(back.method()).isEqualTo("RDG_OUT_DATA");
    assertThat(back.token("Authorization", "NTLM")).contains("TlRMTVNTUAABAAAA");
    assertThat(back.hasToken("connection", "upgrade")).isTrue();
  }

  @Test
  void rpcInDataAsFreeRdpSendsIt() {
    assertThat(new String(new RpcProxyRequest("gw.example", null, 0).encode(), StandardCharsets.ISO_8859_1))
        .isEqualTo("RPC_IN_DATA /rpc/rpcproxy.dll?localhost:3388 HTTP/1.1\r\n"
            + "Cache-Control: no-cache\r\n"
            + "Pragma: ResourceTypeUuid=44e265dd-7daf-42cd-8560-3cdb6e7a2729, SessionId=fbd9c34f-397d-471d-a109-1b08cc554624\r\n"
            + "Accept: application/rpc\r\n"
            + "User-Agent: MSRPC\r\n"
            + "Host: gw.example\r\n"
            + "Connection: Keep-Alive\r\n"
            + "Content-Length: 0\r\n"
            + "\r\n");
  }

  @Test
  void challengeSchemesInOrder() {
    HttpHead h = HttpHead.decode(ascii("HTTP/1.1 401 Unauthorized\r\nServer: Microsoft-HTTPAPI/2.0\r\n"
        + "WWW-Authenticate: Negotiate\r\nWWW-Authenticate: NTLM TlRMTVNTUAACAAAA\r\n"
        + "WWW-Authenticate: Basic realm=\"gw\"\r\nContent-Length: 0\r\n\r\n"));
    assertThat(h.status()).isEqualTo(401);
    assertThat(h.schemes()).containsExactly("Negotiate", "NTLM", "Basic");
    assertThat(h.token("WWW-Authenticate", "NTLM")).contains("TlRMTVNTUAACAAAA");
    assertThat(h.token("WWW-Authenticate", "Negotiate")).isEmpty();
    assertThat(h.header("server")).contains("Microsoft-HTTPAPI/2.0");
  }

  @Test
  void framerStopsAtTheBlankLineAndLeavesTheRest() {
    byte[] wire = ascii("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\u0082\u0000");
    HttpHead.Framer f = new HttpHead.Framer();
    int took = f.offer(wire, 0, wire.length);
    assertThat(took).isEqualTo(wire.length - 2);
    assertThat(f.head().status()).isEqualTo(101);
  }

  @Test
  void aTenMegabyteHeaderFailsAtTheBound() {
    HttpHead.Framer f = new HttpHead.Framer();
    byte[] chunk = ascii("X-Filler: " + "a".repeat(4000) + "\r\n");
    assertThatThrownBy(() -> {
      for (int i = 0; i < 10 * 1024 * 1024 / chunk.length; i++) {
        f.offer(chunk, 0, chunk.length);
      }
    }).isInstanceOf(DecodeException.class)
        .hasMessage("cannot read HTTP head: invalid field HTTP head length: more than 65536 bytes without the blank line that ends it");
    assertThat(f.received()).isEqualTo(65536);
  }

  @Test
  void malformedStatusLineIsNamed() {
    assertThatThrownBy(() -> HttpHead.decode(ascii("SSH-2.0-OpenSSH\r\n\r\n")).status())
        .hasMessage("cannot read HTTP response: invalid field status line: \"SSH-2.0-OpenSSH\" (expected: HTTP/1.1 NNN reason)");
  }

  @FuzzTest(maxDuration = "30s")
  void headDecoderFailsOnlyWithDecodeException(byte[] input) {
    HttpHead.Framer f = new HttpHead.Framer(4096);
    try {
      f.offer(input, 0, input.length);
      if (f.complete()) {
        HttpHead h = f.head();
        h.schemes();
        h.token("WWW-Authenticate", "NTLM");
        h.status();
      }
    } catch (DecodeException expected) {
      // the only allowed failure
    }
  }
}
