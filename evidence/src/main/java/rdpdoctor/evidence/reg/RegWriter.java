package rdpdoctor.evidence.reg;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 */
public final class RegWriter {
  public static final String HEADER = "Windows Registry Editor Version 5.00";

  private RegWriter() {}

  /**
   * Writes {@code top} and everything below it, naming each key {@code prefix} + its path below
   * {@code top}. Keys whose subkeys cannot be read are written, with a comment saying so.
   */
  public static void write(RegistryKey top, String prefix, Appendable out) {
    try {
      out.append(HEADER).append("\r\n\r\n");
      String base = top.path();
      RegistryWalker.walk(top, new RegistryWalker.Visitor() {
        @Override
        public void key(RegistryKey key, int depth) {
          try {
            String rel = key.path().substring(Math.min(base.length(), key.path().length()));
            if (rel.startsWith("\\")) {
              rel = rel.substring(1);
            }
            out.append('[').append(prefix);
            if (!rel.isEmpty()) {
              out.append(prefix.isEmpty() ? "" : "\\").append(rel);
            }
            out.append("]\r\n");
            List<RegistryValue> values;
            try {
              values = key.values();
            } catch (DecodeException e) {
              out.append("; values not readable: ").append(e.getMessage()).append("\r\n\r\n");
              return;
            }
            for (RegistryValue v : values) {
              value(v, out);
            }
            out.append("\r\n");
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }

        @Override
        public void error(RegistryKey key, DecodeException e) {
          try {
            out.append("; subkeys of ").append(key.path()).append(" not readable: ")
                .append(e.getMessage()).append("\r\n\r\n");
          } catch (IOException io) {
            throw new UncheckedIOException(io);
          }
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  static void value(RegistryValue v, Appendable out) throws IOException {
    StringBuilder line = new StringBuilder(96);
    if (v.name().isEmpty()) {
      line.append('@');
    } else {
      line.append('"').append(escape(v.name())).append('"');
    }
    line.append('=');
    byte[] d = v.data();
    String text = plainString(v);
    if (text != null) {
      line.append('"').append(escape(text)).append('"');
    } else if (v.type() == 4 && d.length == 4) {
      line.append("dword:");
      for (int i = 3; i >= 0; i--) {
        line.append(HEX[(d[i] >>> 4) & 0xF]).append(HEX[d[i] & 0xF]);
      }
    } else {
      line.append(v.type() == 3 ? "hex:" : "hex(" + Long.toHexString(v.type()) + "):");
      for (int i = 0; i < d.length; i++) {
        if (i > 0) {
          line.append(',');
          // regedit wraps before column 80: "  " indent, a trailing backslash on each cut line.
          if (line.length() > 75) {
            out.append(line).append("\\\r\n");
            line.setLength(0);
            line.append("  ");
          }
        }
        line.append(HEX[(d[i] >>> 4) & 0xF]).append(HEX[d[i] & 0xF]);
      }
    }
    out.append(line).append("\r\n");
  }

  /**
   * The REG_SZ text when writing it as {@code "text"} gives back the same bytes: UTF-16LE with
   * one terminating NUL, no other NUL and no line break; else null (written as hex(1)).
   */
  private static String plainString(RegistryValue v) {
    if (v.type() != 1 || v.data().length < 2 || v.data().length % 2 != 0) {
      return null;
    }
    String s = new String(v.data(), 0, v.data().length - 2, StandardCharsets.UTF_16LE);
    byte[] back = (s + "\0").getBytes(StandardCharsets.UTF_16LE);
    if (!java.util.Arrays.equals(back, v.data()) || s.indexOf('\0') >= 0 || s.indexOf('\n') >= 0
        || s.indexOf('\r') >= 0) {
      return null;
    }
    return s;
  }

  private static String escape(String s) {
    if (s.indexOf('\\') < 0 && s.indexOf('"') < 0) {
      return s;
    }
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
