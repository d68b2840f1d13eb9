package rdpdoctor.evidence.regf;

/**
 * Marvin32, the keyed 64-bit hash Windows uses for the Hash-1 and Hash-2 fields of new-format
 * log entries (msuhanov/regf "Log entries", notes 1-3; the algorithm is the one published with
 * .NET's string hashing). Two 32-bit lanes mix each little-endian dword of input; the tail is
 * padded with a 0x80 byte and two final rounds run.
 */
final class Marvin32 {
  /**
   * The seed for log entries. msuhanov/regf lists it as the bytes 82 EF 4D 88 7A 4E 55 C5; the
   * hashes in real logs (transactions_ntuser.dat.log1 in the corpus) match only when those bytes
   * are read as one big-endian number, so the low lane starts at 0x7A4E55C5.
   */
  static final long LOG_SEED = 0x82EF4D887A4E55C5L;

  private Marvin32() {}

  static long hash(byte[] data, int offset, int length, long seed) {
    long state = seed;
    int i = offset;
    int end = offset + length;
    for (; end - i >= 4; i += 4) {
      state = round(state, (data[i] & 0xFF) | (data[i + 1] & 0xFF) << 8 | (data[i + 2] & 0xFF) << 16
          | (data[i + 3] & 0xFF) << 24);
    }
    int last = 0x80;
    switch (end - i) {
      case 1 -> last = 0x8000 | (data[i] & 0xFF);
      case 2 -> last = 0x800000 | (data[i] & 0xFF) | (data[i + 1] & 0xFF) << 8;
      case 3 -> last = 0x80000000 | (data[i] & 0xFF) | (data[i + 1] & 0xFF) << 8
          | (data[i + 2] & 0xFF) << 16;
      default -> { }
    }
    return round(round(state, last), 0);
  }

  /**
   * Adds {@code block} to the low lane and runs the block function once. The state is the two
   * lanes packed as (p1 &lt;&lt; 32 | p0), which is also the final hash's layout.
   */
  private static long round(long state, int block) {
    int p0 = (int) state + block;
    int p1 = (int) (state >>> 32);
    p1 ^= p0;
    p0 = Integer.rotateLeft(p0, 20);
    p0 += p1;
    p1 = Integer.rotateLeft(p1, 9);
    p1 ^= p0;
    p0 = Integer.rotateLeft(p0, 27);
    p0 += p1;
    p1 = Integer.rotateLeft(p1, 19);
    return (p1 & 0xFFFFFFFFL) << 32 | (p0 & 0xFFFFFFFFL);
  }
}
