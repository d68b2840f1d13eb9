package rdpdoctor.probe;

/**
 * Recognises the service behind a port from the first bytes it sent, the way rdpscan does when an
 * X.224 answer does not parse: an HTTP status line, an SSH banner, or TLS records.
 */
final class ServiceSignature {
  private ServiceSignature() {}

  static FailureKind recognise(byte[] first) {
    if (startsWith(first, "HTTP/") || startsWith(first, "HTTP")) {
      return FailureKind.NOT_RDP_HTTP;
    }
    if (startsWith(first, "SSH-")) {
      return FailureKind.NOT_RDP_SSH;
    }
    // A TLS record: content type alert (21) or handshake (22), then major version 3.
    if (first.length >= 2 && (first[0] == 0x15 || first[0] == 0x16) && first[1] == 0x03) {
      return FailureKind.NOT_RDP_TLS;
    }
    return FailureKind.PROTOCOL_ERROR;
  }

  private static boolean startsWith(byte[] b, String prefix) {
    if (b.length < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (b[i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
