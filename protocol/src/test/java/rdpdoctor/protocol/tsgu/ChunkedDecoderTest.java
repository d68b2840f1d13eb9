package rdpdoctor.protocol.tsgu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import rdpdoctor.protocol.DecodeException;

class ChunkedDecoderTest {
  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void theRfcExampleByteByByte() {
    // RFC 9112 7.1 style: two chunks with an extension, the last chunk, a trailer field
    byte[] wire = ascii("4\r\nWiki\r\n5;name=x\r\npedia\r\n0\r\nExpires: never\r\n\r\n");
    ChunkedDecoder d = new ChunkedDecoder();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < wire.length; i++) {
      out.writeBytes(d.decode(wire, i, 1));
    }
    assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo("Wikipedia");
    assertThat(d.ended()).isTrue();
  }

  @Test
  void aPacketPerChunkAsRdgInDataWritesIt() {
    byte[] packet = new TsguPacket.Keepalive().encode();
    byte[] wire = RdgRequest.chunk(packet);
    assertThat(new ChunkedDecoder().decode(wire, 0, wire.length)).isEqualTo(packet);
  }

  @Test
  void aHugeSizeAllocatesNothingAndBadSizesAreNamed() {
    ChunkedDecoder d = new ChunkedDecoder();
    assertThat(d.decode(ascii("fffffffffffffff\r\nab"), 0, 19)).isEqualTo(ascii("ab"));
    assertThatThrownBy(() -> new ChunkedDecoder().decode(ascii("zz\r\n"), 0, 4))
        .isInstanceOf(DecodeException.class)
        .hasMessage("cannot read chunked body: invalid field chunk size: \"zz\" (expected: 1 to 15 hex digits)");
    assertThatThrownBy(() -> new ChunkedDecoder().decode(ascii("1\r\naXY"), 0, 6))
        .hasMessage("cannot read chunked body: unexpected byte after the data in chunk: 0x58 (expected: 0xd (CRLF))");
    byte[] endless = ascii("1".repeat(300));
    assertThatThrownBy(() -> new ChunkedDecoder().decode(endless, 0, endless.length))
        .hasMessage("cannot read chunked body: invalid field chunk size line: more than 256 bytes");
  }

  @FuzzTest(maxDuration = "30s")
  void chunkedDecoderFailsOnlyWithDecodeException(byte[] input) {
    ChunkedDecoder d = new ChunkedDecoder();
    try {
      int pos = 0;
      while (pos < input.length) {
        int n = Math.min(input.length - pos, 1 + (input[pos] & 15));
        assertThat(d.decode(input, pos, n).length).isLessThanOrEqualTo(n);
        pos += n;
      }
    } catch (DecodeException expected) {
      // the only allowed failure
    }
  }
}
