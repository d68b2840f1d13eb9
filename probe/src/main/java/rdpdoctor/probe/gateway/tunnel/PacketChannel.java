package rdpdoctor.probe.gateway.tunnel;

import java.util.random.RandomGenerator;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.tsgu.PacketFramer;
import rdpdoctor.protocol.tsgu.RdgRequest;
import rdpdoctor.protocol.tsgu.TsguPacket;
import rdpdoctor.protocol.tsgu.WebSocketFrame;
import rdpdoctor.protocol.tsgu.WebSocketFramer;

/**
 * The MS-TSGU packet stream over one of the HTTP transport's two shapes: a WebSocket (RDG_OUT_DATA
 * upgraded, both directions on one connection) or the legacy pair (packets from the gateway raw on
 * RDG_OUT_DATA, packets to it chunked on RDG_IN_DATA). Framing goes through the protocol module's
 * bounded framers, so a packet length of 0 or 2^32-1 or a frame of 2^63 bytes fails at its header.
 */
abstract class PacketChannel implements AutoCloseable {
  private final PacketFramer packets = new PacketFramer();
  private byte[] pending = new byte[0];
  private int pendingPos;

  /** "websocket" or "legacy" (the RDG_OUT_DATA + RDG_IN_DATA pair). */
  abstract String transport();

  abstract void send(TsguPacket p, GatewayTunnel.Stage stage) throws TunnelFailure;

  /** The next bytes of the packet stream (at least one), or null when the gateway ended it. */
  abstract byte[] nextBytes(int max, GatewayTunnel.Stage stage, String waitingFor) throws TunnelFailure;

  @Override
  public abstract void close();

  /** The next packet, however the transport cut it. */
  TsguPacket receive(GatewayTunnel.Stage stage, String waitingFor) throws TunnelFailure {
    try {
      while (true) {
        if (pendingPos == pending.length) {
          byte[] b = nextBytes(Math.max(1, packets.bytesNeeded()), stage, waitingFor);
          if (b == null) {
            throw TunnelFailure.of(stage, "the gateway closed the connection while " + waitingFor + " was awaited"
                + (packets.partial() ? ", inside a packet" : ""));
          }
          pending = b;
          pendingPos = 0;
        }
        pendingPos += packets.offer(pending, pendingPos, pending.length - pendingPos);
        if (packets.complete()) {
          return packets.packet();
        }
      }
    } catch (DecodeException e) {
      throw new TunnelFailure(stage, "the gateway sent a malformed packet while " + waitingFor + " was awaited: "
          + e.getMessage(), null, null, false, e);
    }
  }

  /** WebSocket: client frames are masked (RFC 6455 5.3), the gateway's are not; pings get pongs. */
  static final class WebSocket extends PacketChannel {
    private final GatewayConnection c;
    private final RandomGenerator random;
    /** A frame's payload holds at most one packet's worth in practice; the bound is the packet's. */
    private final WebSocketFramer frames = new WebSocketFramer(false, TsguPacket.MAX_PACKET_LENGTH);
    private final byte[] buf = new byte[16 * 1024];
    private byte[] readAhead = new byte[0];
    private int readPos;

    WebSocket(GatewayConnection c, RandomGenerator random) {
      this.c = c;
      this.random = random;
    }

    @Override
    String transport() {
      return "websocket";
    }

    private byte[] mask() {
      byte[] key = new byte[4];
      random.nextBytes(key);
      return key;
    }

    @Override
    void send(TsguPacket p, GatewayTunnel.Stage stage) throws TunnelFailure {
      c.write(WebSocketFrame.binary(p.encode()).encode(mask()), stage);
    }

    @Override
    byte[] nextBytes(int max, GatewayTunnel.Stage stage, String waitingFor) throws TunnelFailure {
      try {
        while (true) {
          if (readPos == readAhead.length) {
            int n = c.read(buf, 0, buf.length, stage, waitingFor);
            if (n < 0) {
              return null;
            }
            readAhead = java.util.Arrays.copyOf(buf, n);
            readPos = 0;
          }
          readPos += frames.offer(readAhead, readPos, readAhead.length - readPos);
          if (!frames.complete()) {
            continue;
          }
          WebSocketFrame f = frames.frame();
          switch (f.opcode()) {
            case WebSocketFrame.BINARY, WebSocketFrame.CONTINUATION -> {
              if (f.payload().length > 0) {
                return f.payload();
              }
            }
            case WebSocketFrame.PING -> c.write(new WebSocketFrame(true, WebSocketFrame.PONG, f.payload()).encode(mask()), stage);
            case WebSocketFrame.PONG -> { }
            case WebSocketFrame.CLOSE -> {
              throw TunnelFailure.of(stage, "the gateway closed the WebSocket"
                  + (f.closeStatus() == null ? "" : " with status " + f.closeStatus()) + " while " + waitingFor
                  + " was awaited");
            }
            default -> throw TunnelFailure.of(stage, "the gateway sent WebSocket opcode 0x"
                + Integer.toHexString(f.opcode()) + " (expected: binary frames)");
          }
        }
      } catch (DecodeException e) {
        throw new TunnelFailure(stage, "the gateway sent a malformed WebSocket frame: " + e.getMessage(),
            null, null, false, e);
      }
    }

    @Override
    public void close() {
      try {
        c.write(WebSocketFrame.close(WebSocketFrame.CLOSE_NORMAL).encode(mask()), GatewayTunnel.Stage.HOST_PROBE);
      } catch (TunnelFailure ignored) {
        // closing anyway
      }
      c.close();
    }
  }

  /** The legacy pair: the gateway's packets raw on RDG_OUT_DATA, ours chunked on RDG_IN_DATA. */
  static final class Legacy extends PacketChannel {
    private final GatewayConnection out;
    private final GatewayConnection in;
    private final byte[] buf = new byte[16 * 1024];

    Legacy(GatewayConnection out, GatewayConnection in) {
      this.out = out;
      this.in = in;
    }

    @Override
    String transport() {
      return "legacy";
    }

    @Override
    void send(TsguPacket p, GatewayTunnel.Stage stage) throws TunnelFailure {
      in.write(RdgRequest.chunk(p.encode()), stage);
    }

    @Override
    byte[] nextBytes(int max, GatewayTunnel.Stage stage, String waitingFor) throws TunnelFailure {
      int n = out.read(buf, 0, Math.min(max, buf.length), stage, waitingFor);
      return n < 0 ? null : java.util.Arrays.copyOf(buf, n);
    }

    @Override
    public void close() {
      in.close();
      out.close();
    }
  }
}
