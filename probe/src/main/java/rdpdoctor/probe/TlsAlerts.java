package rdpdoctor.probe;

import rdpdoctor.protocol.tls.TlsNames;

/** Alert names for messages ("handshake_failure (40)"). */
final class TlsAlerts {
  private TlsAlerts() {}

  static String name(short description) {
    return TlsNames.alert(description) + " (" + description + ")";
  }
}
