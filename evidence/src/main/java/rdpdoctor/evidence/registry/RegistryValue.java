package rdpdoctor.evidence.registry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import rdpdoctor.protocol.Hex;

/**
 * One registry value: its name ("" for the default value), its type number exactly as stored
 * (see {@link ValueType}; undefined numbers are kept) and its raw data bytes.
 *
 * <p>Typed views ({@link #asString()}, {@link #asNumber()}, {@link #asStrings()}) decode the data
 * the way Windows APIs would present it and return null when the data cannot be read as that type,
 * so a caller never mistakes a damaged value for a real zero.
 */
public record RegistryValue(String name, long type, byte[] data) {

  public RegistryValue {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(data, "data");
  }

  public @Nullable ValueType kind() {
    return ValueType.of(type);
  }

  /** The type's name, {@code REG_DWORD}, or {@code 0x...} when undefined. */
  public String typeName() {
    return ValueType.name(type);
  }

  /**
   * The data as a string for REG_SZ, REG_EXPAND_SZ and REG_LINK (UTF-16LE up to the first NUL;
   * an odd last byte is dropped), and for other string-less types null.
   */
  public @Nullable String asString() {
    if (type != 1 && type != 2 && type != 6) {
      return null;
    }
    return utf16UntilNul(data, 0, data.length);
  }

  /** REG_DWORD, REG_DWORD_BIG_ENDIAN and REG_QWORD as a number; null for other types or short data. */
  public @Nullable Long asNumber() {
    if (type == 4 && data.length >= 4) {
      return (data[0] & 0xFFL) | (data[1] & 0xFFL) << 8 | (data[2] & 0xFFL) << 16
          | (data[3] & 0xFFL) << 24;
    }
    if (type == 5 && data.length >= 4) {
      return (data[3] & 0xFFL) | (data[2] & 0xFFL) << 8 | (data[1] & 0xFFL) << 16
          | (data[0] & 0xFFL) << 24;
    }
    if (type == 11 && data.length >= 8) {
      long v = 0;
      for (int i = 7; i >= 0; i--) {
        v = v << 8 | (data[i] & 0xFFL);
      }
      return v;
    }
    return null;
  }

  /**
   * REG_MULTI_SZ as its strings: split at NULs, ending at the empty string that terminates the
   * list (or at the end of the data when the terminator is missing, which real hives have).
   */
  public @Nullable List<String> asStrings() {
    if (type != 7) {
      return null;
    }
    List<String> out = new ArrayList<>();
    int start = 0;
    int n = data.length & ~1;
    for (int i = 0; i < n; i += 2) {
      if (data[i] == 0 && data[i + 1] == 0) {
        if (i == start) {
          return out;
        }
        out.add(new String(data, start, i - start, StandardCharsets.UTF_16LE));
        start = i + 2;
      }
    }
    if (start < n) {
      out.add(new String(data, start, n - start, StandardCharsets.UTF_16LE));
    }
    return out;
  }

  /** A short human rendering for tables: the string, the number, the list, or hex bytes. */
  public String display() {
    String s = asString();
    if (s != null) {
      return s;
    }
    Long n = asNumber();
    if (n != null) {
      return n + " (0x" + Long.toHexString(n) + ")";
    }
    List<String> list = asStrings();
    if (list != null) {
      return String.join(" | ", list);
    }
    String hex = Hex.of(data.length > 64 ? Arrays.copyOf(data, 64) : data);
    return data.length > 64 ? hex + "... (" + data.length + " bytes)" : hex;
  }

  static String utf16UntilNul(byte[] data, int from, int to) {
    int n = (to - from) & ~1;
    int end = from;
    while (end < from + n && (data[end] != 0 || data[end + 1] != 0)) {
      end += 2;
    }
    return new String(data, from, end - from, StandardCharsets.UTF_16LE);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RegistryValue v
        && v.type == type
        && v.name.equals(name)
        && Arrays.equals(v.data, data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, Arrays.hashCode(data));
  }

  @Override
  public String toString() {
    return (name.isEmpty() ? "@" : name) + " " + typeName() + " " + display();
  }
}
