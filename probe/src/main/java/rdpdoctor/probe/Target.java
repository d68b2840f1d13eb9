package rdpdoctor.probe;

import java.util.Objects;

/**
 * What the user typed: a host name or address and a TCP port. The host is kept exactly as typed,
 * because the certificate name check compares against it.
 *
 * @param host name or literal address, IPv6 without brackets
 * @param port TCP port, 3389 unless given
 */
public record Target(String host, int port) {
  public static final int DEFAULT_PORT = 3389;

  public Target {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("the host is empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port + " (expected: 1..65535)");
    }
  }

  /**
   * Parses {@code HOST}, {@code HOST:PORT}, {@code [v6]:PORT} or a bare IPv6 address.
   *
   * @throws IllegalArgumentException with a message the command line can show as it is
   */
  public static Target parse(String text) {
    return parse(text, DEFAULT_PORT);
  }

  /** The same with another port when none is typed (an RD Gateway's is 443). */
  public static Target parse(String text, int defaultPort) {
    String s = text.strip();
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("missing ']' in " + text);
      }
      String host = s.substring(1, close);
      String rest = s.substring(close + 1);
      if (rest.isEmpty()) {
        return new Target(host, defaultPort);
      }
      if (!rest.startsWith(":")) {
        throw new IllegalArgumentException("expected ':PORT' after ']' in " + text);
      }
      return new Target(host, port(rest.substring(1), text));
    }
    int colon = s.indexOf(':');
    if (colon >= 0 && colon == s.lastIndexOf(':')) {
      return new Target(s.substring(0, colon), port(s.substring(colon + 1), text));
    }
    return new Target(s, defaultPort); // no colon, or a bare IPv6 address
  }

  private static int port(String digits, String text) {
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a port number: '" + digits + "' in " + text);
    }
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
