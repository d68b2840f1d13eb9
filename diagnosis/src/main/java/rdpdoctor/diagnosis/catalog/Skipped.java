package rdpdoctor.diagnosis.catalog;

import java.util.Objects;

/**
 * A piece of the user's input that holds digits but is not a code, and was therefore not decoded:
 * the dialog's time stamp, FreeRDP's process id, an IP address and port, a version.
 *
 * @param kind what it is, in words ("timestamp", "process:thread id", "IPv4 address:port")
 * @param text the piece exactly as typed
 * @param start offset of its first character in the input
 * @param end offset just after its last character
 */
public record Skipped(String kind, String text, int start, int end) {
  public Skipped {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(text, "text");
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("skipped span " + start + ".." + end + " (expected: 0 <= start <= end)");
    }
  }
}
