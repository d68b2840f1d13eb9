package rdpdoctor.evidence.regf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import rdpdoctor.protocol.Hex;

class Marvin32Test {

  /**
   * Golden bytes from a log Windows wrote (regipy's transactions_ntuser.dat.log1, first entry):
   * Hash-2 is the Marvin32 hash of the entry's first 32 bytes, Hash-1 included.
   */
  @Test
  void hash2OfARealLogEntry() {
    byte[] header = Hex.parse("""
        48 76 4c 45              // Signature "HvLE"
        00 ae 03 00              // Size 241152
        00 00 00 00              // Flags
        36 02 00 00              // Sequence number 566
        00 e0 0b 00              // Hive bins data size 778240
        18 00 00 00              // Dirty pages count 24
        cd c9 8b 95 d9 a7 67 75  // Hash-1 0x7567a7d9958bc9cd
        """);
    assertThat(Marvin32.hash(header, 0, 32, Marvin32.LOG_SEED)).isEqualTo(0x3a7721d280253d1cL);
  }

  @Test
  void everyTailLengthIsPaddedDifferently() {
    byte[] data = {1, 2, 3, 4, 5, 6, 7};
    long[] h = new long[8];
    for (int n = 0; n <= 7; n++) {
      h[n] = Marvin32.hash(data, 0, n, Marvin32.LOG_SEED);
    }
    assertThat(h).doesNotHaveDuplicates();
  }
}
