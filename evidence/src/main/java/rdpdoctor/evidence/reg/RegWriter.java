package rdpdoctor.evidence.reg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.CharBuffer;
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
 * put together in one char array, byte by byte from the value data, and handed to the
 * {@code Appendable} in large pieces: no string per value, line or hex byte.
 */
public final class RegWriter {
  public static final String HEADER = "Windows Registry Editor Version 5.00";

  /** Handed on to the Appendable once this much text is waiting, between keys or values. */
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
    Text t = new Text(out);
    t.append(HEADER).append("\r\n\r\n");
    String base = top.path();
    RegistryWalker.walk(top, new RegistryWalker.Visitor() {
      @Override
      public void key(RegistryKey key, int depth) {
        t.flushIfFull();
        String path = key.path();
        int from = Math.min(base.length(), path.length());
        if (from < path.length() && path.charAt(from) == '\\') {
          from++;
        }
        t.append('[').append(prefix);
        if (from < path.length()) {
          if (!prefix.isEmpty()) {
            t.append('\\');
          }
          t.append(path, from, path.length());
        }
        t.append("]\r\n");
        List<RegistryValue> values;
        try {
          values = key.values();
        } catch (DecodeException e) {
          t.append("; values not readable: ").append(e.getMessage()).append("\r\n\r\n");
          return;
        }
        for (RegistryValue v : values) {
          value(v, t);
          t.flushIfFull();
        }
        t.append("\r\n");
      }

      @Override
      public void error(RegistryKey key, DecodeException e) {
        t.append("; subkeys of ").append(key.path()).append(" not readable: ")
            .append(e.getMessage()).append("\r\n\r\n");
      }
    });
    t.flush();
  }

  static void value(RegistryValue v, Text t) {
    int lineStart = t.length;
    if (v.name().isEmpty()) {
      t.append('@');
    } else {
      t.append('"').appendEscaped(v.name()).append('"');
    }
    t.append('=');
    byte[] d = v.data();
    long type = v.type();
    if (type == 1 && isPlainString(d)) {
      t.append('"');
      t.ensure(d.length); // at most two chars (an escape) per two bytes
      for (int i = 0; i < d.length - 2; i += 2) {
        char c = (char) ((d[i] & 0xFF) | (d[i + 1] & 0xFF) << 8);
        if (c == '\\' || c == '"') {
          t.buf[t.length++] = '\\';
        }
        t.buf[t.length++] = c;
      }
      t.append('"');
    } else if (type == 4 && d.length == 4) {
      t.append("dword:");
      t.ensure(8);
      for (int i = 3; i >= 0; i--) {
        t.hexByte(d[i]);
      }
    } else {
      if (type == 3) {
        t.append("hex:");
      } else {
        t.append("hex(").appendHex(type).append("):");
      }
      // Three chars per byte, plus a wrap ("\\\r\n  ", 5 chars) per 25 bytes at most.
      t.ensure(3L * d.length + 5L * (d.length / 24 + 1));
      char[] buf = t.buf;
      int at = t.length;
      for (int i = 0; i < d.length; i++) {
        if (i > 0) {
          buf[at++] = ',';
          // regedit wraps before column 80: "  " indent, a trailing backslash on each cut line.
          if (at - lineStart > WRAP_AFTER) {
            buf[at++] = '\\';
            buf[at++] = '\r';
            buf[at++] = '\n';
            lineStart = at;
            buf[at++] = ' ';
            buf[at++] = ' ';
          }
        }
        buf[at++] = HEX[(d[i] >>> 4) & 0xF];
        buf[at++] = HEX[d[i] & 0xF];
      }
      t.length = at;
    }
    t.append("\r\n");
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

  /** The text being built: a growable char array handed to the Appendable in large pieces. */
  static final class Text {
    private final Appendable out;
    char[] buf = new char[FLUSH_AT + 4096];
    int length;

    Text(Appendable out) {
      this.out = out;
    }

    /** Room for {@code n} more chars; a value's text is never split, so it may grow past FLUSH_AT. */
    void ensure(long n) {
      if (length + n > buf.length) {
        long want = Math.max(2L * buf.length, length + n);
        if (want > Integer.MAX_VALUE - 16) {
          throw new OutOfMemoryError(".reg text of " + want + " chars");
        }
        buf = java.util.Arrays.copyOf(buf, (int) want);
      }
    }

    Text append(char c) {
      ensure(1);
      buf[length++] = c;
      return this;
    }

    Text append(String s) {
      return append(s, 0, s.length());
    }

    Text append(String s, int from, int to) {
      ensure(to - from);
      s.getChars(from, to, buf, length);
      length += to - from;
      return this;
    }

    /** {@code s} with backslashes and double quotes escaped, as regedit writes names and text. */
    Text appendEscaped(String s) {
      if (s.indexOf('\\') < 0 && s.indexOf('"') < 0) {
        return append(s);
      }
      ensure(2L * s.length());
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '\\' || c == '"') {
          buf[length++] = '\\';
        }
        buf[length++] = c;
      }
      return this;
    }

    /** An unsigned number in lowercase hex without leading zeros, as Long.toHexString. */
    Text appendHex(long v) {
      ensure(16);
      int digits = Math.max(1, (64 - Long.numberOfLeadingZeros(v) + 3) / 4);
      for (int i = digits - 1; i >= 0; i--) {
        buf[length++] = HEX[(int) (v >>> (4 * i)) & 0xF];
      }
      return this;
    }

    /** Two hex digits; the caller made room. */
    void hexByte(byte b) {
      buf[length++] = HEX[(b >>> 4) & 0xF];
      buf[length++] = HEX[b & 0xF];
    }

    void flushIfFull() {
      if (length >= FLUSH_AT) {
        flush();
      }
    }

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
}
