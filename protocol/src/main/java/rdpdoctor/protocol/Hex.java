package rdpdoctor.protocol;

import java.util.HexFormat;

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

  /** Upper-case without separators, the way Windows shows thumbprints and SSLCertificateSHA1Hash. */
  public static String upper(byte[] bytes) {
    return HexFormat.of().withUpperCase().formatHex(bytes);
  }
}
