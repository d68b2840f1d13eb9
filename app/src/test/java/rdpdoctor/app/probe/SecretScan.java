package rdpdoctor.app.probe;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rdpdoctor.protocol.nlmp.NtlmCrypto;

/**
 * Searches bytes a command wrote for a password in every form it could leak in: as text, as UTF-16LE
 * (how NTLM and Windows APIs hold it), as its NT hash in hex (both cases) or raw, and base64 of each.
 */
final class SecretScan {
  private final Map<String, byte[]> forms = new LinkedHashMap<>();

  SecretScan(String password) {
    byte[] utf8 = password.getBytes(StandardCharsets.UTF_8);
    byte[] utf16 = password.getBytes(StandardCharsets.UTF_16LE);
    byte[] hash = NtlmCrypto.ntHash(password.toCharArray());
    String hex = HexFormat.of().formatHex(hash);
    forms.put("password (UTF-8)", utf8);
    forms.put("password (UTF-16LE)", utf16);
    forms.put("NT hash (hex)", hex.getBytes(StandardCharsets.US_ASCII));
    forms.put("NT hash (HEX)", hex.toUpperCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    forms.put("NT hash (raw)", hash);
    forms.put("password (base64)", Base64.getEncoder().encode(utf8));
    forms.put("NT hash (base64)", Base64.getEncoder().encode(hash));
    forms.put("password (UTF-16LE hex)", HexFormat.of().formatHex(utf16).getBytes(StandardCharsets.US_ASCII));
  }

  /** The forms found in {@code output}, by name; empty when clean. */
  List<String> find(byte[] output) {
    List<String> found = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : forms.entrySet()) {
      if (indexOf(output, e.getValue()) >= 0) {
        found.add(e.getKey());
      }
    }
    return found;
  }

  Map<String, byte[]> forms() {
    return forms;
  }

  static int indexOf(byte[] hay, byte[] needle) {
    // ISO-8859-1 maps each byte to one char and back, so the JDK's String search is a byte search.
    int at = new String(hay, java.nio.charset.StandardCharsets.ISO_8859_1)
        .indexOf(new String(needle, java.nio.charset.StandardCharsets.ISO_8859_1));
    return at;
  }
}
