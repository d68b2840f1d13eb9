package rdpdoctor.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable little/big-endian byte sink for encoders; the counterpart of {@link ByteReader}. */
public final class ByteWriter {
  private byte[] buf;
  private int len;

  public ByteWriter() {
    this(64);
  }

  public ByteWriter(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
  }

  public int size() {
    return len;
  }

  public ByteWriter u8(int v) {
    ensure(1);
    buf[len++] = (byte) v;
    return this;
  }

  public ByteWriter u16le(int v) {
    ensure(2);
    buf[len++] = (byte) v;
    buf[len++] = (byte) (v >>> 8);
    return this;
  }

  public ByteWriter u16be(int v) {
    ensure(2);
    buf[len++] = (byte) (v >>> 8);
    buf[len++] = (byte) v;
    return this;
  }

  public ByteWriter u32le(long v) {
    ensure(4);
    buf[len++] = (byte) v;
    buf[len++] = (byte) (v >>> 8);
    buf[len++] = (byte) (v >>> 16);
    buf[len++] = (byte) (v >>> 24);
    return this;
  }

  public ByteWriter u32be(long v) {
    ensure(4);
    buf[len++] = (byte) (v >>> 24);
    buf[len++] = (byte) (v >>> 16);
    buf[len++] = (byte) (v >>> 8);
    buf[len++] = (byte) v;
    return this;
  }

  public ByteWriter u64le(long v) {
    u32le(v);
    return u32le(v >>> 32);
  }

  public ByteWriter bytes(byte[] b) {
    return bytes(b, 0, b.length);
  }

  public ByteWriter bytes(byte[] b, int off, int n) {
    ensure(n);
    System.arraycopy(b, off, buf, len, n);
    len += n;
    return this;
  }

  public ByteWriter utf16le(String s) {
    return bytes(s.getBytes(StandardCharsets.UTF_16LE));
  }

  public ByteWriter zeros(int n) {
    ensure(n);
    len += n; // the array is zero-filled past len already
    return this;
  }

  /** Overwrites two bytes at {@code offset}, for length fields known only after the body. */
  public ByteWriter putU16be(int offset, int v) {
    buf[offset] = (byte) (v >>> 8);
    buf[offset + 1] = (byte) v;
    return this;
  }

  public ByteWriter putU16le(int offset, int v) {
    buf[offset] = (byte) v;
    buf[offset + 1] = (byte) (v >>> 8);
    return this;
  }

  public ByteWriter putU32le(int offset, long v) {
    buf[offset] = (byte) v;
    buf[offset + 1] = (byte) (v >>> 8);
    buf[offset + 2] = (byte) (v >>> 16);
    buf[offset + 3] = (byte) (v >>> 24);
    return this;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }
}
