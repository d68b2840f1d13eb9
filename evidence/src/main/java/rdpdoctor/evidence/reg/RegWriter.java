package rdpdoctor.evidence.reg;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import rdpdoctor.evidence.registry.RegistryKey;
import rdpdoctor.evidence.registry.RegistryValue;
import rdpdoctor.evidence.registry.RegistryWalker;
import rdpdoctor.protocol.DecodeException;

/**
 * Writes keys as a "Windows Registry Editor Version 5.00" file, the way regedit exports them:
 * one {@code [path]} line per key, {@code "name"=} or {@code @=} per value, {@code dword:} and
 * strings when the data is exactly that, {@code hex(n):} otherwise, hex lines wrapped before
 * column 80 with a trailing backslash. {@link RegFile} reads the result back to the same keys,
 * types and bytes.
 *
 * <p>A whole hive is tens of megabytes of text (SYSTEM: 13 million characters), so the text is
 * put together in one array (of chars, or of UTF-8 bytes for a stream), byte by byte from the
 * value data, and handed on in large pieces: no string per value, line or hex byte.
 */
public final class RegWriter {
  public static final String HEADER = "Windows Registry Editor Version 5.00";

  /** Handed on once this much text is waiting, between keys or values. */
  private static final int FLUSH_AT = 1 << 15;

  /** regedit wraps a hex line after the comma that takes it past this column. */
  private static final int WRAP_AFTER = 75;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RegWriter() {}

  /**
   * Writes {@code top} and everything below it, naming each key {@code prefix} + its path below
   * {@code top}. Keys whose subkeys cannot be read are written, with a comment saying so.
   */
  public static void write(RegistryKey top, String prefix, Appendable out) {
    write(top, prefix, new CharText(out));
  }

  /**
   * As {@link #write(RegistryKey, String, Appendable)}, UTF-8 encoded into {@code out}: the bytes
   * an {@code OutputStreamWriter} in UTF-8 would write (a lone surrogate becomes '?'), without
   * turning 13 million chars into bytes one more time.
   */
  public static void writeUtf8(RegistryKey top, String prefix, OutputStream out) {
    write(top, prefix, new Utf8Text(out));
  }

  private static void write(RegistryKey top, String prefix, Text t) {
    t.ascii(HEADER).ascii("\r\n\r\n");
    String base = RegNames.escape(top.path());
    RegistryWalker.walk(top, new RegistryWalker.Visitor() {
      @Override
      public void key(RegistryKey key, int depth) {
        t.flushIfFull();
        String path = RegNames.escape(key.path()); // the same instance unless a name needs it
        int from = Math.min(base.length(), path.length());
        if (from < path.length() && path.charAt(from) == '\\') {
          from++;
        }
        t.ascii('[').text(prefix, 0, prefix.length(), false);
        if (from < path.length()) {
          if (!prefix.isEmpty()) {
            t.ascii('\\');
          }
          t.text(path, from, path.length(), false);
        }
        t.ascii("]\r\n");
        List<RegistryValue> values;
        try {
          values = key.values();
        } catch (DecodeException e) {
          t.ascii("; values not readable: ").text(String.valueOf(e.getMessage())).ascii("\r\n\r\n");
          return;
        }
        for (RegistryValue v : values) {
          value(v, t);
          t.flushIfFull();
        }
        t.ascii("\r\n");
      }

      @Override
      public void error(RegistryKey key, DecodeException e) {
        t.ascii("; subkeys of ").text(RegNames.escape(key.path())).ascii(" not readable: ")
            .text(String.valueOf(e.getMessage())).ascii("\r\n\r\n");
      }

      @Override
      public void recovered(RegistryKey key, List<? extends RegistryKey> found) {
        t.ascii("; ").ascii(Integer.toString(found.size())).ascii(" subkey(s) of ").text(RegNames.escape(key.path()))
            .ascii(" recovered: key nodes in the hive bins that name it as their parent, written next in the order they lie in the file\r\n\r\n");
      }

      @Override
      public void repeated(RegistryKey key, int depth) {
        // yarp's BadSubkeyHive lists one key node under two keys: the second place gets a word.
        t.ascii("; ").text(RegNames.escape(key.path())).ascii(" not written: it is key node 0x")
            .ascii(Long.toHexString(key.cellOffset()))
            .ascii(", already written under another key (the hive lists it twice)\r\n\r\n");
      }
    });
    t.flush();
  }

  static void value(RegistryValue v, Text t) {
    String name = RegNames.escape(v.name());
    // The line's length so far in chars, for wrapping hex lines as regedit does.
    int column;
    if (name.isEmpty()) {
      t.ascii('@');
      column = 1;
    } else {
      t.ascii('"').text(name, 0, name.length(), true).ascii('"');
      column = 2 + escapedLength(name);
    }
    t.ascii('=');
    column++;
    byte[] d = v.data();
    long type = v.type();
    if (type == 1 && isPlainString(d)) {
      t.ascii('"').plainString(d).ascii('"');
    } else if (type == 4 && d.length == 4) {
      t.ascii("dword:").hexByte(d[3]).hexByte(d[2]).hexByte(d[1]).hexByte(d[0]);
    } else {
      if (type == 3) {
        t.ascii("hex:");
        column += 4;
      } else {
        t.ascii("hex(").hexNumber(type).ascii("):");
        column += 4 + hexDigits(type) + 2;
      }
      t.hexList(d, column);
    }
    t.ascii("\r\n");
  }

  /** The chars of {@code s} once backslashes and double quotes are escaped. */
  private static int escapedLength(String s) {
    int n = s.length();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' || c == '"') {
        n++;
      }
    }
    return n;
  }

  /** Digits of an unsigned number in hex without leading zeros, as Long.toHexString has. */
  private static int hexDigits(long v) {
    return Math.max(1, (64 - Long.numberOfLeadingZeros(v) + 3) / 4);
  }

  /**
   * True when a REG_SZ's bytes are exactly what writing it as {@code "text"} gives back:
   * UTF-16LE that decodes without replacement (every surrogate paired), one terminating NUL, no
   * other NUL and no line break; else it is written as hex(1). The same answer as decoding the
   * text and encoding it again, without either.
   */
  static boolean isPlainString(byte[] d) {
    int n = d.length;
    if (n < 2 || n % 2 != 0 || d[n - 2] != 0 || d[n - 1] != 0) {
      return false;
    }
    for (int i = 0; i < n - 2; i += 2) {
      char c = (char) ((d[i] & 0xFF) | (d[i + 1] & 0xFF) << 8);
      if (c == 0 || c == '\n' || c == '\r' || Character.isLowSurrogate(c)) {
        return false; // a low surrogate here has no high one before it
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 2 >= n - 2) {
          return false; // the text ends with half a pair
        }
        char next = (char) ((d[i + 2] & 0xFF) | (d[i + 3] & 0xFF) << 8);
        if (!Character.isLowSurrogate(next)) {
          return false;
        }
        i += 2;
      }
    }
    return true;
  }

  /**
   * The text being built, in a growable array handed on in large pieces. Two kinds, chars for an
   * Appendable and UTF-8 bytes for a stream, each with its own copy of the string loops, so the
   * stream's UTF-8 needs no second pass over chars; the hex lists (ASCII) are made once, in bytes.
   */
  abstract static sealed class Text permits CharText, Utf8Text {
    int length;

    /** ASCII text (the format's own words and punctuation), as is. */
    abstract Text ascii(String s);

    abstract Text ascii(char c);

    /** {@code s[from, to)}, with backslashes and double quotes escaped when {@code escape}. */
    abstract Text text(String s, int from, int to, boolean escape);

    final Text text(String s) {
      return text(s, 0, s.length(), false);
    }

    /** The UTF-16LE text of {@code d} before its terminating NUL, escaped; see isPlainString. */
    abstract Text plainString(byte[] d);

    /** Two lowercase hex digits. */
    abstract Text hexByte(byte b);

    /** An unsigned number in lowercase hex without leading zeros, as Long.toHexString. */
    abstract Text hexNumber(long v);

    /**
     * {@code d} as comma-separated hex bytes, wrapped as regedit does: after the comma that takes
     * the line past column 75, a backslash, CRLF and a two-space indent. The line holds
     * {@code column} chars before the first byte.
     */
    abstract void hexList(byte[] d, int column);

    final void flushIfFull() {
      if (length >= FLUSH_AT) {
        flush();
      }
    }

    abstract void flush();
  }

  /** Chars, for an Appendable. */
  static final class CharText extends Text {
    private final Appendable out;
    private char[] buf = new char[FLUSH_AT + 4096];

    CharText(Appendable out) {
      this.out = out;
    }

    /** Room for {@code n} more chars; a value's text is never split, so it may grow past FLUSH_AT. */
    private void ensure(long n) {
      if (length + n > buf.length) {
        buf = java.util.Arrays.copyOf(buf, grown(buf.length, length, n));
      }
    }

    @Override
    Text ascii(String s) {
      return text(s, 0, s.length(), false);
    }

    @Override
    Text ascii(char c) {
      ensure(1);
      buf[length++] = c;
      return this;
    }

    @Override
    Text text(String s, int from, int to, boolean escape) {
      if (!escape || s.indexOf('\\') < 0 && s.indexOf('"') < 0) {
        ensure(to - from);
        s.getChars(from, to, buf, length);
        length += to - from;
        return this;
      }
      ensure(2L * (to - from));
      for (int i = from; i < to; i++) {
        char c = s.charAt(i);
        if (c == '\\' || c == '"') {
          buf[length++] = '\\';
        }
        buf[length++] = c;
      }
      return this;
    }

    @Override
    Text plainString(byte[] d) {
      ensure(d.length); // at most two chars (an escape) per two bytes
      char[] b = buf;
      int at = length;
      for (int i = 0; i < d.length - 2; i += 2) {
        char c = (char) ((d[i] & 0xFF) | (d[i + 1] & 0xFF) << 8);
        if (c == '\\' || c == '"') {
          b[at++] = '\\';
        }
        b[at++] = c;
      }
      length = at;
      return this;
    }

    @Override
    Text hexByte(byte v) {
      ensure(2);
      buf[length++] = HEX[(v >>> 4) & 0xF];
      buf[length++] = HEX[v & 0xF];
      return this;
    }

    @Override
    Text hexNumber(long v) {
      ensure(16);
      for (int i = hexDigits(v) - 1; i >= 0; i--) {
        buf[length++] = HEX[(int) (v >>> (4 * i)) & 0xF];
      }
      return this;
    }

    @Override
    void hexList(byte[] d, int column) {
      // The list is ASCII: made once by the byte writer's loop, then widened. This writer serves
      // -o files and tests; stdout, where the volume is, takes the bytes directly.
      byte[] ascii = new byte[(int) hexListSize(d.length)];
      int n = hexListBytes(d, column, ascii, 0);
      ensure(n);
      for (int i = 0; i < n; i++) {
        buf[length++] = (char) ascii[i];
      }
    }

    @Override
    void flush() {
      try {
        if (out instanceof Writer w) {
          w.write(buf, 0, length);
        } else if (out instanceof StringBuilder sb) {
          sb.append(buf, 0, length);
        } else {
          out.append(CharBuffer.wrap(buf, 0, length));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      length = 0;
      if (buf.length > 4 * FLUSH_AT) {
        buf = new char[FLUSH_AT + 4096]; // one huge value does not keep a huge buffer
      }
    }
  }

  /** UTF-8 bytes, for a stream. */
  static final class Utf8Text extends Text {
    private final OutputStream out;
    private byte[] buf = new byte[FLUSH_AT + 4096];

    Utf8Text(OutputStream out) {
      this.out = out;
    }

    /** Room for {@code n} more bytes; a value's text is never split, so it may grow past FLUSH_AT. */
    private void ensure(long n) {
      if (length + n > buf.length) {
        buf = java.util.Arrays.copyOf(buf, grown(buf.length, length, n));
      }
    }

    @Override
    Text ascii(String s) {
      ensure(s.length());
      for (int i = 0; i < s.length(); i++) {
        buf[length++] = (byte) s.charAt(i);
      }
      return this;
    }

    @Override
    Text ascii(char c) {
      ensure(1);
      buf[length++] = (byte) c;
      return this;
    }

    @Override
    Text text(String s, int from, int to, boolean escape) {
      ensure(3L * (to - from)); // an escaped ASCII char is 2 bytes, a BMP char at most 3, a pair 4
      byte[] b = buf;
      int at = length;
      for (int i = from; i < to; i++) {
        char c = s.charAt(i);
        if (c < 0x80) {
          if (escape && (c == '\\' || c == '"')) {
            b[at++] = '\\';
          }
          b[at++] = (byte) c;
        } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
          at = utf8(b, at, Character.toCodePoint(c, s.charAt(++i)));
        } else if (Character.isSurrogate(c)) {
          b[at++] = '?'; // what the JDK's UTF-8 encoder writes for half a pair
        } else {
          at = utf8(b, at, c);
        }
      }
      length = at;
      return this;
    }

    @Override
    Text plainString(byte[] d) {
      ensure(3L * d.length / 2); // 2 bytes of UTF-16 give at most 3 of UTF-8 (or 2, escaped)
      byte[] b = buf;
      int at = length;
      for (int i = 0; i < d.length - 2; i += 2) {
        char c = (char) ((d[i] & 0xFF) | (d[i + 1] & 0xFF) << 8);
        if (c < 0x80) {
          if (c == '\\' || c == '"') {
            b[at++] = '\\';
          }
          b[at++] = (byte) c;
        } else if (Character.isHighSurrogate(c)) {
          // isPlainString saw to it that a low surrogate follows, inside the text.
          i += 2;
          char low = (char) ((d[i] & 0xFF) | (d[i + 1] & 0xFF) << 8);
          at = utf8(b, at, Character.toCodePoint(c, low));
        } else {
          at = utf8(b, at, c);
        }
      }
      length = at;
      return this;
    }

    /** The UTF-8 bytes of code point {@code cp} (not ASCII, not a surrogate). */
    private static int utf8(byte[] b, int at, int cp) {
      if (cp < 0x800) {
        b[at++] = (byte) (0xC0 | cp >> 6);
      } else if (cp < 0x10000) {
        b[at++] = (byte) (0xE0 | cp >> 12);
        b[at++] = (byte) (0x80 | (cp >> 6 & 0x3F));
      } else {
        b[at++] = (byte) (0xF0 | cp >> 18);
        b[at++] = (byte) (0x80 | (cp >> 12 & 0x3F));
        b[at++] = (byte) (0x80 | (cp >> 6 & 0x3F));
      }
      b[at++] = (byte) (0x80 | (cp & 0x3F));
      return at;
    }

    @Override
    Text hexByte(byte v) {
      ensure(2);
      buf[length++] = HEX_BYTES[(v >>> 4) & 0xF];
      buf[length++] = HEX_BYTES[v & 0xF];
      return this;
    }

    @Override
    Text hexNumber(long v) {
      ensure(16);
      for (int i = hexDigits(v) - 1; i >= 0; i--) {
        buf[length++] = HEX_BYTES[(int) (v >>> (4 * i)) & 0xF];
      }
      return this;
    }

    @Override
    void hexList(byte[] d, int column) {
      ensure(hexListSize(d.length));
      length = hexListBytes(d, column, buf, length);
    }

    @Override
    void flush() {
      try {
        out.write(buf, 0, length);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      length = 0;
      if (buf.length > 4 * FLUSH_AT) {
        buf = new byte[FLUSH_AT + 4096]; // one huge value does not keep a huge buffer
      }
    }
  }

  private static final byte[] HEX_BYTES = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  /**
   * {@code d} as comma-separated hex bytes into {@code b} from {@code at} (room for
   * {@link #hexListSize} checked by the caller), wrapped as regedit does: after the comma that
   * takes the line past column 75, a backslash, CRLF and a two-space indent. Returns the end.
   */
  private static int hexListBytes(byte[] d, int column, byte[] b, int at) {
    for (int i = 0; i < d.length; i++) {
      if (i > 0) {
        b[at++] = ',';
        if (++column > WRAP_AFTER) {
          b[at++] = '\\';
          b[at++] = '\r';
          b[at++] = '\n';
          b[at++] = ' ';
          b[at++] = ' ';
          column = 2;
        }
      }
      b[at++] = HEX_BYTES[(d[i] >>> 4) & 0xF];
      b[at++] = HEX_BYTES[d[i] & 0xF];
      column += 2;
    }
    return at;
  }

  /**
   * Chars of a hex list of {@code n} bytes at most: two digits and a comma per byte, and a wrap
   * (backslash, CRLF, two spaces) per 24 bytes and one more (a long name wraps at once).
   */
  private static long hexListSize(int n) {
    return 3L * n + 5L * (n / 24 + 1);
  }

  /** A buffer size for {@code n} more units after {@code length}, doubling. */
  private static int grown(int size, int length, long n) {
    long want = Math.max(2L * size, length + n);
    if (want > Integer.MAX_VALUE - 16) {
      throw new OutOfMemoryError(".reg text of " + want + " chars");
    }
    return (int) want;
  }
}
