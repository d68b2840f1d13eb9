package rdpdoctor.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;

class ByteReaderTest {

  @Test
  void readsBothByteOrders() {
    ByteReader r = ByteReader.of(Hex.parse("03 00 00 13 // TPKT\n 78 56 34 12"));
    assertThat(r.u8("version")).isEqualTo(3);
    assertThat(r.u8("reserved")).isZero();
    assertThat(r.u16be("length")).isEqualTo(0x13);
    assertThat(r.u32le("value")).isEqualTo(0x12345678L);
    assertThat(r.hasRemaining()).isFalse();
  }

  @Test
  void unsigned32BitValuesAreNotTruncated() {
    assertThat(ByteReader.of(Hex.parse("ff ff ff ff")).u32le("v")).isEqualTo(0xFFFFFFFFL);
  }

  @Test
  void shortInputNamesTheFieldAndTheNumbers() {
    assertThatThrownBy(() -> ByteReader.of(new byte[] {1}).u16be("length"))
        .isInstanceOf(DecodeException.NotEnoughBytes.class)
        .hasMessage("not enough bytes for length: 1 (expected: 2)");
  }

  @Test
  void contextComposesIntoOneLine() {
    DecodeException e =
        new DecodeException.InvalidField("length", "70000 (expected: <= 8192)")
            .in("cannot read MCS connect response");
    assertThat(e).hasMessage(
        "cannot read MCS connect response: invalid field length: 70000 (expected: <= 8192)");
    assertThat(e.root()).isInstanceOf(DecodeException.InvalidField.class);
  }

  @Test
  void hugeLengthIsRefusedBeforeAllocation() {
    ByteReader r = ByteReader.of(new byte[8]);
    assertThatThrownBy(() -> r.bytes("blob", Integer.MAX_VALUE))
        .isInstanceOf(DecodeException.NotEnoughBytes.class);
    assertThatThrownBy(() -> r.utf16le("name", Long.MAX_VALUE / 2))
        .isInstanceOf(DecodeException.NotEnoughBytes.class);
    assertThatThrownBy(() -> DecodeException.checkBound("count", 70000, 8192))
        .hasMessage("invalid field count: 70000 (expected: <= 8192)");
  }

  @Test
  void writerRoundTrips() {
    byte[] b = new ByteWriter().u8(3).u8(0).u16be(0x13).u32le(0x12345678L).u64le(-1L).toByteArray();
    ByteReader r = ByteReader.of(b);
    assertThat(r.u8("a")).isEqualTo(3);
    r.skip("b", 1);
    assertThat(r.u16be("c")).isEqualTo(0x13);
    assertThat(r.u32le("d")).isEqualTo(0x12345678L);
    assertThat(r.u64le("e")).isEqualTo(-1L);
  }

  /** Any sequence of reads over any input either succeeds or fails with a DecodeException. */
  @FuzzTest(maxDuration = "30s")
  void readsNeverFailOtherwise(byte[] input) {
    if (input.length == 0) {
      return;
    }
    ByteReader r = ByteReader.of(input, 1, input.length - 1);
    int ops = input[0] & 0xFF;
    try {
      while (r.hasRemaining()) {
        switch (ops++ % 6) {
          case 0 -> r.u8("a");
          case 1 -> r.u16le("b");
          case 2 -> r.u32be("c");
          case 3 -> r.bytes("d", r.u8("n"));
          case 4 -> r.utf16le("e", r.u8("n"));
          default -> r.slice("f", r.u8("n")).u64le("g");
        }
      }
    } catch (DecodeException expected) {
      // the only allowed failure
    }
  }
}
