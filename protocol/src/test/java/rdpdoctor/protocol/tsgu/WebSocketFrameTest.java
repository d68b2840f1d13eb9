package rdpdoctor.protocol.tsgu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.Hex;

/** [RFC 6455] 5.7 the published example frames drive both directions. */
class WebSocketFrameTest {
  static final byte[] KEY = Hex.parse("37 fa 21 3d");
  static final byte[] HELLO = "Hello".getBytes(StandardCharsets.US_ASCII);

  private static WebSocketFrame read(boolean server, byte[] bytes) {
    WebSocketFramer f = new WebSocketFramer(server, 1 << 20);
    int pos = 0;
    while (!f.complete()) {
      pos += f.offer(bytes, pos, Math.min(f.bytesNeeded(), bytes.length - pos));
    }
    assertThat(pos).isEqualTo(bytes.length);
    return f.frame();
  }

  @Test
  void unmaskedTextFromTheRfc() {
    WebSocketFrame hello = new WebSocketFrame(true, WebSocketFrame.TEXT, HELLO);
    byte[] wire = Hex.parse("81 05 48 65 6c 6c 6f"); // FIN|text, length 5, "Hello"
    assertThat(hello.encode(null)).isEqualTo(wire);
    assertThat(read(false, wire)).isEqualTo(hello);
  }

  @Test
  void maskedTextFromTheRfc() {
    WebSocketFrame hello = new WebSocketFrame(true, WebSocketFrame.TEXT, HELLO);
    byte[] wire = Hex.parse("81 85 37 fa 21 3d 7f 9f 4d 51 58"); // MASK|5, key, masked "Hello"
    assertThat(hello.encode(KEY)).isEqualTo(wire);
    assertThat(read(true, wire)).isEqualTo(hello);
  }

  @Test
  void pingAndMaskedPongFromTheRfc() {
    assertThat(read(false, Hex.parse("89 05 48 65 6c 6c 6f"))).isEqualTo(new WebSocketFrame(true, WebSocketFrame.PING, HELLO));
    assertThat(new WebSocketFrame(true, WebSocketFrame.PONG, HELLO).encode(KEY))
        .isEqualTo(Hex.parse("8a 85 37 fa 21 3d 7f 9f 4d 51 58"));
  }

  @Test
  void sixteenAndSixtyFourBitLengthsFromTheRfc() {
    byte[] b256 = WebSocketFrame.binary(new byte[256]).encode(null);
    assertThat(Hex.of(java.util.Arrays.copyOf(b256, 4))).isEqualTo(Hex.of(Hex.parse("82 7e 01 00")));
    assertThat(read(false, b256).payload()).hasSize(256);
    byte[] b64k = WebSocketFrame.binary(new byte[65536]).encode(null);
    assertThat(Hex.of(java.util.Arrays.copyOf(b64k, 10))).isEqualTo(Hex.of(Hex.parse("82 7f 00 00 00 00 00 01 00 00")));
    assertThat(read(false, b64k).payload()).hasSize(65536);
  }

  @Test
  void closeCarriesItsStatus() {
    byte[] wire = WebSocketFrame.close(1000).encode(null);
    assertThat(wire).isEqualTo(Hex.parse("88 02 03 e8"));
    assertThat(read(false, wire).closeStatus()).isEqualTo(1000);
  }

  @Test
  void acceptKeyFromTheRfc() {
    assertThat(RdgRequest.websocketAccept("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  }

  @Test
  void aFrameClaimingTwoToTheSixtyThreeBytesFailsAfterItsHeader() {
    byte[] wire = Hex.parse("82 7f 7f ff ff ff ff ff ff ff"); // binary, 64-bit length 2^63-1
    WebSocketFramer g = new WebSocketFramer(false, 1 << 20);
    g.offer(wire, 0, 2);
    assertThatThrownBy(() -> g.offer(wire, 2, 8))
        .isInstanceOf(DecodeException.class)
        .hasMessage("cannot read WebSocket frame header: invalid field payload length: 9223372036854775807 (expected: <= 1048576)");
    WebSocketFramer h = new WebSocketFramer(false, 1 << 20);
    h.offer(wire, 0, 2);
    assertThatThrownBy(() -> h.offer(Hex.parse("82 7f 80 00 00 00 00 00 00 00"), 2, 8))
        .hasMessage("cannot read WebSocket frame header: invalid field extended payload length: the most significant bit is set (RFC 6455 5.2: it must be 0)");
  }

  @Test
  void maskingRulesAndControlFrameLimits() {
    assertThatThrownBy(() -> read(false, Hex.parse("81 85 37 fa 21 3d 7f 9f 4d 51 58")))
        .hasMessage("cannot read WebSocket frame header: invalid field MASK: a server frame is masked (RFC 6455 5.1: a server must not mask)");
    assertThatThrownBy(() -> read(true, Hex.parse("81 05 48 65 6c 6c 6f")))
        .hasMessage("cannot read WebSocket frame header: invalid field MASK: a client frame is not masked (RFC 6455 5.1: a client must mask)");
    assertThatThrownBy(() -> read(false, Hex.parse("89 7e 00 7e")))
        .hasMessage("cannot read WebSocket frame header: invalid field payload length: 126 in a control frame (expected: <= 125)");
    assertThatThrownBy(() -> read(false, Hex.parse("09 00")))
        .hasMessage("cannot read WebSocket frame header: invalid field FIN: 0 in a control frame (expected: 1, control frames are not fragmented)");
  }

  @FuzzTest(maxDuration = "30s")
  void frameDecoderFailsOnlyWithDecodeException(byte[] input) {
    if (input.length == 0) {
      return;
    }
    WebSocketFramer f = new WebSocketFramer((input[0] & 1) == 0, 4096);
    int pos = 1;
    try {
      while (pos < input.length) {
        pos += f.offer(input, pos, Math.min(Math.max(1, f.bytesNeeded()), input.length - pos));
        if (f.complete()) {
          WebSocketFrame frame = f.frame();
          assertThat(frame.payload().length).isLessThanOrEqualTo(4096);
        }
      }
    } catch (DecodeException expected) {
      // the only allowed failure
    }
  }
}
