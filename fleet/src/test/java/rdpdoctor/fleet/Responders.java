package rdpdoctor.fleet;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * The loopback X.224 responders one test starts, closed together after it (call {@link #close}
 * from {@code @AfterEach}), and closed ports to scan beside them.
 */
public final class Responders implements AutoCloseable {
  private final List<X224Responder> started = new ArrayList<>();

  /** A responder on {@code address} (a 127.x.y.z), closed with the others. */
  public X224Responder start(String address, X224Responder.Policy policy) throws Exception {
    X224Responder r = new X224Responder(address, policy);
    started.add(r);
    return r;
  }

  /** A port that was just free on 127.0.0.1: nothing listens there (connection refused). */
  public static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    for (X224Responder r : started) {
      r.close();
    }
    started.clear();
  }
}
