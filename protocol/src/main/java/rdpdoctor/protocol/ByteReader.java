package rdpdoctor.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A bounds-checked cursor over a byte array window, in little- or big-endian as the spec says.
 *
 * <p>Every read names its field, so a short input fails with
 * "not enough bytes for Length: 1 (expected: 2)" instead of an index error. Unsigned 32-bit values
 * come back as {@code long} so nothing is silently truncated; callers that need an {@code int}
 * (a length to allocate) go through {@link DecodeException#checkBound} first.
 */
public final class ByteReader {
  private final byte[] data;
  private final int start;
  private final int limit;
  private int pos;

  private ByteReader(byte[] data, int start, int limit) {
    this.data = data;
    this.start = start;
    this.limit = limit;
    this.pos = start;
  }

  /** A reader over all of {@code data}. The array is not copied: do not change it while reading. */
  public static ByteReader of(byte[] data) {
    return new ByteReader(data, 0, data.length);
  }

  /** A reader over {@code data[offset, offset + length)}. */
  public static ByteReader of(byte[] data, int offset, int length) {
    if (offset < 0 || length < 0 || offset > data.length - length) {
      throw new DecodeException.NotEnoughBytes("window", Math.max(0, data.length - offset), length);
    }
    return new ByteReader(data, offset, offset + length);
  }

  /** Bytes read so far, counted from the start of this reader's window. */
  public int position() {
    return pos - start;
  }

  /** Moves to {@code offset} counted from the start of the window. */
  public ByteReader seek(String field, long offset) {
    if (offset < 0 || offset > limit - start) {
      throw new DecodeException.InvalidField(
          field, "offset " + offset + " outside " + (limit - start) + " bytes");
    }
    pos = start + (int) offset;
    return this;
  }

  public int remaining() {
    return limit - pos;
  }

  public boolean hasRemaining() {
    return pos < limit;
  }

  /** Fails unless {@code n} more bytes are there for {@code field}. */
  public void require(String field, long n) {
    if (n < 0 || n > limit - pos) {
      throw new DecodeException.NotEnoughBytes(field, limit - pos, n);
    }
  }

  public void skip(String field, long n) {
    require(field, n);
    pos += (int) n;
  }

  public int u8(String field) {
    require(field, 1);
    return data[pos++] & 0xFF;
  }

  public int peekU8(String field) {
    require(field, 1);
    return data[pos] & 0xFF;
  }

  public int u16le(String field) {
    require(field, 2);
    int v = (data[pos] & 0xFF) | (data[pos + 1] & 0xFF) << 8;
    pos += 2;
    return v;
  }

  public int u16be(String field) {
    require(field, 2);
    int v = (data[pos] & 0xFF) << 8 | (data[pos + 1] & 0xFF);
    pos += 2;
    return v;
  }

  public long u32le(String field) {
    require(field, 4);
    long v = (data[pos] & 0xFFL)
        | (data[pos + 1] & 0xFFL) << 8
        | (data[pos + 2] & 0xFFL) << 16
        | (data[pos + 3] & 0xFFL) << 24;
    pos += 4;
    return v;
  }

  public long u32be(String field) {
    require(field, 4);
    long v = (data[pos] & 0xFFL) << 24
        | (data[pos + 1] & 0xFFL) << 16
        | (data[pos + 2] & 0xFFL) << 8
        | (data[pos + 3] & 0xFFL);
    pos += 4;
    return v;
  }

  public int i32le(String field) {
    return (int) u32le(field);
  }

  /** A 64-bit little-endian value; unsigned values above {@code Long.MAX_VALUE} come back negative. */
  public long u64le(String field) {
    long lo = u32le(field);
    long hi = u32le(field);
    return hi << 32 | lo;
  }

  /** Copies {@code n} bytes; {@code n} is checked against what is left before allocating. */
  public byte[] bytes(String field, long n) {
    require(field, n);
    byte[] out = Arrays.copyOfRange(data, pos, pos + (int) n);
    pos += (int) n;
    return out;
  }

  /** A reader over the next {@code n} bytes, sharing the array; this reader moves past them. */
  public ByteReader slice(String field, long n) {
    require(field, n);
    ByteReader r = new ByteReader(data, pos, pos + (int) n);
    pos += (int) n;
    return r;
  }

  /** {@code chars} UTF-16LE code units, without trimming. */
  public String utf16le(String field, long chars) {
    if (chars < 0 || chars > (limit - pos) / 2) {
      throw new DecodeException.NotEnoughBytes(field, limit - pos, chars * 2);
    }
    String s = new String(data, pos, (int) chars * 2, StandardCharsets.UTF_16LE);
    pos += (int) chars * 2;
    return s;
  }

  /** {@code n} bytes as ISO-8859-1 (one char per byte, never fails). */
  public String latin1(String field, long n) {
    require(field, n);
    String s = new String(data, pos, (int) n, StandardCharsets.ISO_8859_1);
    pos += (int) n;
    return s;
  }

  /** The backing array and absolute offsets, for checksums over a window without copying. */
  public byte[] array() {
    return data;
  }

  public int absolutePosition() {
    return pos;
  }
}
