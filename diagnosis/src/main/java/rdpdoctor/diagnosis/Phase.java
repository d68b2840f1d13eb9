package rdpdoctor.diagnosis;

/**
 * Where in a connection a code, an observation or a finding belongs, in the order a client
 * meets them. Reports draw the timeline in this order and say "it broke here".
 */
public enum Phase {
  NAME_RESOLUTION("name resolution"),
  TCP("TCP connect"),
  X224("X.224 negotiation"),
  TLS("TLS"),
  NLA("CredSSP/NLA"),
  MCS("MCS/GCC basic settings"),
  LICENSING("licensing"),
  LOGON("logon"),
  SESSION("session/profile"),
  GATEWAY("RD Gateway"),
  CLIENT("client configuration"),
  HOST("host configuration");

  private final String label;

  Phase(String label) {
    this.label = label;
  }

  /** The words a report uses for this phase. */
  public String label() {
    return label;
  }
}
