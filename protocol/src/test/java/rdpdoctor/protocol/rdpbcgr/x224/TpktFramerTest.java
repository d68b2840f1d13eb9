package rdpdoctor.protocol.rdpbcgr.x224;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.Hex;

class TpktFramerTest {

  @Test
  void asksForTheHeaderThenTheRest() {
    TpktFramer f = new TpktFramer();
    assertThat(f.bytesNeeded()).isEqualTo(4);
    byte[] cc = X224Test.SPEC_CC;
    assertThat(f.offer(cc, 0, 1)).isEqualTo(1);
    assertThat(f.bytesNeeded()).isEqualTo(3);
    f.offer(cc, 1, 3);
    assertThat(f.bytesNeeded()).isEqualTo(15);
    assertThat(f.complete()).isFalse();
    // offering more than needed takes only the frame's bytes
    byte[] twoFrames = new byte[cc.length * 2];
    System.arraycopy(cc, 0, twoFrames, 0, cc.length);
    System.arraycopy(cc, 0, twoFrames, cc.length, cc.length);
    assertThat(f.offer(twoFrames, 4, twoFrames.length - 4)).isEqualTo(15);
    assertThat(f.frame()).isEqualTo(cc);
    assertThat(f.bytesNeeded()).isEqualTo(4);
  }

  @Test
  void lengthBelowTheHeaderIsRefused() {
    TpktFramer f = new TpktFramer();
    assertThatThrownBy(() -> f.offer(Hex.parse("03 00 00 03"), 0, 4))
        .isInstanceOf(DecodeException.class)
        .hasMessage("cannot read TPKT header: invalid field tpkt length: 3 (expected: >= 4)");
  }

  @Test
  void lengthAboveTheBoundIsRefusedBeforeAllocation() {
    TpktFramer f = new TpktFramer();
    assertThatThrownBy(() -> f.offer(Hex.parse("03 00 ff ff"), 0, 4))
        .hasMessage("cannot read TPKT header: invalid field tpkt length: 65535 (expected: <= 16384)");
  }

  @Test
  void notATpktIsRefusedOnTheFirstHeader() {
    TpktFramer f = new TpktFramer();
    byte[] ssh = "SSH-2.0-OpenSSH_9.6\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> f.offer(ssh, 0, ssh.length))
        .hasMessageContaining("unexpected version in tpkt header: 0x53 (expected: 0x3)");
    assertThat(f.received()).isEqualTo("SSH-".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  @FuzzTest(maxDuration = "30s")
  void framerFailsOnlyWithDecodeException(byte[] input) {
    TpktFramer f = new TpktFramer(1024);
    int pos = 0;
    try {
      while (pos < input.length) {
        int n = Math.min(f.bytesNeeded(), Math.max(1, input[pos] & 7));
        n = Math.min(n, input.length - pos);
        pos += f.offer(input, pos, n);
        if (f.complete()) {
          byte[] frame = f.frame();
          assertThat(frame.length).isBetween(4, 1024);
        }
      }
    } catch (DecodeException expected) {
      // the only allowed failure
    }
  }
}
