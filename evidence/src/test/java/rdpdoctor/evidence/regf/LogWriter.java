package rdpdoctor.evidence.regf;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/** Test-only: new-format (HvLE) transaction logs over a primary written by {@link HiveWriter}. */
final class LogWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** Starts a log whose base block is {@code primary}'s with sequence numbers {@code seq}, type 6. */
  LogWriter(byte[] primary, long seq) {
    byte[] base = Arrays.copyOf(primary, 512);
    HiveWriter.putI32(base, 4, (int) seq);
    HiveWriter.putI32(base, 8, (int) seq);
    HiveWriter.putI32(base, 28, 6);
    BaseBlock.writeChecksum(base, 0);
    out.writeBytes(base);
  }

  /** Appends an entry with sequence number {@code seq} carrying the 4096-byte page at {@code offset}. */
  LogWriter entry(long seq, long binsSize, long offset, byte[] page) {
    int size = 40 + 8 + page.length;
    size = (size + 511) / 512 * 512;
    byte[] e = new byte[size];
    e[0] = 'H';
    e[1] = 'v';
    e[2] = 'L';
    e[3] = 'E';
    HiveWriter.putI32(e, 4, size);
    HiveWriter.putI32(e, 12, (int) seq);
    HiveWriter.putI32(e, 16, (int) binsSize);
    HiveWriter.putI32(e, 20, 1); // Dirty pages count
    HiveWriter.putI32(e, 40, (int) offset);
    HiveWriter.putI32(e, 44, page.length);
    System.arraycopy(page, 0, e, 48, page.length);
    long h1 = Marvin32.hash(e, 40, size - 40, Marvin32.LOG_SEED);
    putU64(e, 24, h1);
    long h2 = Marvin32.hash(e, 0, 32, Marvin32.LOG_SEED);
    putU64(e, 32, h2);
    out.writeBytes(e);
    return this;
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  private static void putU64(byte[] b, int at, long v) {
    for (int i = 0; i < 8; i++) {
      b[at + i] = (byte) (v >>> (8 * i));
    }
  }
}
