package rdpdoctor.fleet;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import rdpdoctor.protocol.rdpbcgr.x224.ConnectionConfirm;
import rdpdoctor.protocol.rdpbcgr.x224.ConnectionRequest;
import rdpdoctor.protocol.rdpbcgr.x224.NegotiationData;
import rdpdoctor.protocol.rdpbcgr.x224.SecurityProtocols;

/**
 * A lightweight X.224 responder for scans of many endpoints: it answers the connection request
 * by a fixed {@link Policy} and closes, on a loopback address of the test's choosing
 * (127.0.0.0/8 has 16 million of them) and an ephemeral port.
 */
public final class X224Responder implements AutoCloseable {
  /** How the responder answers a request (null = a legacy request without RDP_NEG_REQ). */
  public enum Policy {
    /** Windows with NLA required: CredSSP for a request that has it, HYBRID_REQUIRED_BY_SERVER otherwise. */
    NLA_REQUIRED {
      @Override
      @Nullable NegotiationData answer(@Nullable Long req) {
        if (req != null && (req & SecurityProtocols.HYBRID) != 0) {
          return new NegotiationData.Response(0, SecurityProtocols.HYBRID);
        }
        return new NegotiationData.Failure(0, NegotiationData.Failure.HYBRID_REQUIRED_BY_SERVER);
      }
    },
    /** An old server that runs Standard RDP Security whatever is asked. */
    RDP_ONLY {
      @Override
      @Nullable NegotiationData answer(@Nullable Long req) {
        return new NegotiationData.Response(0, SecurityProtocols.RDP);
      }
    };

    abstract @Nullable NegotiationData answer(@Nullable Long req);
  }

  private final ServerSocket server;
  private volatile Policy policy;
  private final List<Socket> open = new ArrayList<>();

  public X224Responder(String address, Policy policy) throws IOException {
    this.policy = policy;
    server = new ServerSocket(0, 200, InetAddress.getByName(address));
    Thread.ofPlatform().daemon().start(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          synchronized (open) {
            open.add(s);
          }
          Thread.ofPlatform().daemon().start(() -> answer(s));
        } catch (IOException e) {
          return;
        }
      }
    });
  }

  public void policy(Policy p) {
    policy = p;
  }

  private void answer(Socket s) {
    try (s) {
      DataInputStream in = new DataInputStream(s.getInputStream());
      byte[] head = in.readNBytes(4);
      if (head.length < 4) {
        return;
      }
      int length = (head[2] & 0xff) << 8 | (head[3] & 0xff);
      byte[] pdu = new byte[Math.max(4, Math.min(length, 4096))];
      System.arraycopy(head, 0, pdu, 0, 4);
      in.readFully(pdu, 4, pdu.length - 4);
      ConnectionRequest cr = ConnectionRequest.decode(pdu);
      Long req = cr.negotiation() == null ? null : cr.negotiation().requestedProtocols();
      NegotiationData d = policy.answer(req);
      s.getOutputStream().write(new ConnectionConfirm(0x1234, req == null ? null : d).encode());
      s.getOutputStream().flush();
      s.getInputStream().read(); // until the client closes
    } catch (IOException | RuntimeException ignored) {
      // the probe went away: normal
    }
  }

  public String host() {
    return server.getInetAddress().getHostAddress();
  }

  public int port() {
    return server.getLocalPort();
  }

  public String spec() {
    return host() + ":" + port();
  }

  @Override
  public void close() throws IOException {
    server.close();
    synchronized (open) {
      for (Socket s : open) {
        s.close();
      }
    }
  }
}
