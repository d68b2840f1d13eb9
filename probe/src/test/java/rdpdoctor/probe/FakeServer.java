package rdpdoctor.probe;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import rdpdoctor.protocol.rdpbcgr.x224.ConnectionConfirm;
import rdpdoctor.protocol.rdpbcgr.x224.ConnectionRequest;
import rdpdoctor.protocol.rdpbcgr.x224.NegotiationData;
import rdpdoctor.protocol.rdpbcgr.x224.Tpkt;

/**
 * An in-process server on 127.0.0.1 with an ephemeral port; each accepted connection runs
 * {@link Handler} on a virtual thread. Tests use it for RDP fakes, hostile servers and the NLA fake.
 */
public final class FakeServer implements AutoCloseable {
  /** What the server does with one connection. */
  public interface Handler {
    void handle(Socket s) throws Exception;
  }

  private final ServerSocket server;
  private final List<Socket> sockets = new ArrayList<>();

  public FakeServer(Handler handler) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          synchronized (sockets) {
            sockets.add(s);
          }
          Thread.ofVirtual().start(() -> {
            try (s) {
              handler.handle(s);
            } catch (Exception ignored) {
              // the client went away or gave up: normal for a probe
            }
          });
        } catch (IOException e) {
          return;
        }
      }
    });
  }

  public int port() {
    return server.getLocalPort();
  }

  public Target target() {
    return new Target("127.0.0.1", port());
  }

  /** Reads one TPKT frame (the client's connection request). */
  public static byte[] readTpkt(InputStream in) throws IOException {
    byte[] h = in.readNBytes(4);
    if (h.length < 4) {
      throw new IOException("client closed");
    }
    int len = (h[2] & 0xFF) << 8 | (h[3] & 0xFF);
    byte[] rest = in.readNBytes(len - 4);
    byte[] all = new byte[len];
    System.arraycopy(h, 0, all, 0, 4);
    System.arraycopy(rest, 0, all, 4, rest.length);
    return all;
  }

  /** A policy: requested protocols (null for legacy) → negotiation data to answer with (null: none). */
  interface Policy {
    NegotiationData answer(Long requested);
  }

  /** A server that answers the X.224 request by {@code policy} and then closes. */
  static Handler x224(Policy policy) {
    return s -> {
      ConnectionRequest cr = ConnectionRequest.decode(readTpkt(s.getInputStream()));
      Long req = cr.negotiation() == null ? null : cr.negotiation().requestedProtocols();
      NegotiationData d = policy.answer(req);
      if (req == null && d == null) {
        return; // the policy refuses legacy clients by closing
      }
      s.getOutputStream().write(new ConnectionConfirm(0x1234, req == null ? null : d).encode());
      s.getOutputStream().flush();
      s.getInputStream().readNBytes(1); // wait for the client to close
    };
  }

  /** Closes the listener and every accepted socket. */
  @Override
  public void close() throws IOException {
    server.close();
    synchronized (sockets) {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

}
