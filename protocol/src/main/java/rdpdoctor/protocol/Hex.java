package rdpdoctor.protocol;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Hex text for reports and golden-byte tests: "03 00 00 13" style input is accepted. */
public final class Hex {
  private static final HexFormat LOWER = HexFormat.of();

  private Hex() {}

  /** Parses hex digits, ignoring whitespace, commas, "0x" prefixes and {@code //} comments per line. */
  public static byte[] parse(String text) {
    StringBuilder digits = new StringBuilder(text.length());
    for (String line : text.split("\n", -1)) {
      int comment = line.indexOf("//");
      String body = comment >= 0 ? line.substring(0, comment) : line;
      body = body.replace("0x", " ").replace("0X", " ");
      for (int i = 0; i < body.length(); i++) {
        char c = body.charAt(i);
        if (Character.digit(c, 16) >= 0) {
          digits.append(c);
        } else if (!Character.isWhitespace(c) && c != ',') {
          throw new IllegalArgumentException("not a hex digit: '" + c + "'");
        }
      }
    }
    return LOWER.parseHex(digits);
  }

  public static String of(byte[] bytes) {
    return LOWER.formatHex(bytes);
  }

  /**
   * Names of the set bits of {@code flags}, bit {@code i} named {@code bitNames[i]}; the bits
   * without a name stay visible as one hex value at the end ("0x60").
   */
  public static List<String> flagNames(long flags, String... bitNames) {
    List<String> out = new ArrayList<>();
    long rest = flags;
    for (int i = 0; i < bitNames.length; i++) {
      if ((flags & (1L << i)) != 0) {
        out.add(bitNames[i]);
        rest &= ~(1L << i);
      }
    }
    if (rest != 0) {
      out.add("0x" + Long.toHexString(rest));
    }
    return out;
  }

  /** Upper-case without separators, the way Windows shows thumbprints and SSLCertificateSHA1Hash. */
  public static String upper(byte[] bytes) {
    return HexFormat.of().withUpperCase().formatHex(bytes);
  }
}
