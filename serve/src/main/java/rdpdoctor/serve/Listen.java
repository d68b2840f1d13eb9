package rdpdoctor.serve;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where the server listens: {@code 127.0.0.1:9389}, {@code [::1]:9389}, {@code 0.0.0.0:9389}.
 *
 * @param host the address literal to bind
 * @param port 0 for an ephemeral port (tests)
 */
public record Listen(String host, int port) {
  public static final String DEFAULT = "127.0.0.1:9389";

  public static Listen parse(String text) {
    String s = text.strip();
    String host;
    String port;
    if (s.startsWith("[")) {
      int close = s.indexOf("]:");
      if (close < 0) {
        throw new IllegalArgumentException("--listen: expected [ADDRESS]:PORT: " + text);
      }
      host = s.substring(1, close);
      port = s.substring(close + 2);
    } else {
      int colon = s.lastIndexOf(':');
      if (colon < 0 || s.indexOf(':') != colon) {
        throw new IllegalArgumentException("--listen: expected ADDRESS:PORT (127.0.0.1:9389): " + text);
      }
      host = s.substring(0, colon);
      port = s.substring(colon + 1);
    }
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      p = -1;
    }
    if (p < 0 || p > 65535) {
      throw new IllegalArgumentException("--listen: port must be 0..65535: " + port);
    }
    if (!host.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
      // a name could resolve to anything, now or later: bind an address you can see
      throw new IllegalArgumentException("--listen: give an address, not a name: " + host);
    }
    return new Listen(host, p);
  }

  /** Only this machine can connect: 127.0.0.0/8 or ::1. */
  public boolean loopback() {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false; // a literal always parses; anything else is not loopback
    }
  }

  @Override
  public String toString() {
    return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
  }
}
