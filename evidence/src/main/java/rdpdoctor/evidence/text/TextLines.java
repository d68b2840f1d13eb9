package rdpdoctor.evidence.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import rdpdoctor.protocol.DecodeException;

/** Splits collected text into lines, with the bounds every text reader shares. */
final class TextLines {
  /** A text evidence file larger than this is refused (CBS.log rotates long before it). */
  static final int MAX_BYTES = 256 * 1024 * 1024;

  /** Lines longer than this are cut (CBS.log lines are a few hundred characters). */
  static final int MAX_LINE = 16 * 1024;

  private TextLines() {}

  /** Decodes UTF-8 or UTF-16LE (with BOM, as PowerShell 5 writes), then splits on CR/LF. */
  static List<String> split(byte[] data, String what) {
    DecodeException.checkBound(what + " size", data.length, MAX_BYTES);
    String text;
    if (data.length >= 2 && (data[0] & 0xFF) == 0xFF && (data[1] & 0xFF) == 0xFE) {
      text = new String(data, 2, data.length - 2, StandardCharsets.UTF_16LE);
    } else if (data.length >= 3 && (data[0] & 0xFF) == 0xEF && (data[1] & 0xFF) == 0xBB && (data[2] & 0xFF) == 0xBF) {
      text = new String(data, 3, data.length - 3, StandardCharsets.UTF_8);
    } else {
      text = new String(data, StandardCharsets.UTF_8);
    }
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      if (i == text.length() || text.charAt(i) == '\n') {
        int end = i > start && text.charAt(i - 1) == '\r' ? i - 1 : i;
        if (i < text.length() || end > start) {
          out.add(text.substring(start, Math.min(end, start + MAX_LINE)));
        }
        start = i + 1;
      }
    }
    return out;
  }
}
