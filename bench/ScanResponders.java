import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import rdpdoctor.protocol.rdpbcgr.x224.ConnectionConfirm;
import rdpdoctor.protocol.rdpbcgr.x224.ConnectionRequest;
import rdpdoctor.protocol.rdpbcgr.x224.NegotiationData;
import rdpdoctor.protocol.rdpbcgr.x224.SecurityProtocols;

/**
 * The scan bench's estate (bench/scan.sh): COUNT X.224 listeners on one PORT, each on its own
 * loopback address from 127.1.0.1 up, all served by one selector thread, so thousands of
 * endpoints cost a few MB. Like fleet's X224Responder (which is a thread per connection, for
 * tests), the answers come from the protocol module's encoder. Every 20th address is silent
 * (accepts, never answers), every 20th from the 10th resets the connection (RST on accept), every
 * 10th from the 5th runs Standard RDP Security only; the rest require NLA (and, as Windows,
 * disconnect after a negotiation failure). Writes the
 * endpoints, one HOST per line, to LIST and prints "ready" when all listen.
 *
 *   java -cp protocol/target/classes bench/ScanResponders.java PORT COUNT LIST
 */
public final class ScanResponders {
  enum Kind { NLA, RDP_ONLY, SILENT, RESET }

  static Kind kind(int i) {
    if (i % 20 == 0) {
      return Kind.SILENT;
    }
    if (i % 20 == 10) {
      return Kind.RESET;
    }
    return i % 10 == 5 ? Kind.RDP_ONLY : Kind.NLA;
  }

  static String address(int i) {
    int n = i + 1; // 127.1.0.1, 127.1.0.2, ... (never .0 of a /24)
    return "127." + (1 + n / 65536) + "." + (n / 256 % 256) + "." + (n % 256 == 0 ? 1 : n % 256);
  }

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    int count = Integer.parseInt(args[1]);
    Path list = Path.of(args[2]);
    Selector selector = Selector.open();
    int[] kinds = new int[Kind.values().length];
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(list))) {
      java.util.Set<String> used = new java.util.HashSet<>();
      for (int i = 0; used.size() < count; i++) {
        String a = address(i);
        if (!used.add(a)) {
          continue;
        }
        ServerSocketChannel s = ServerSocketChannel.open();
        s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        s.bind(new InetSocketAddress(InetAddress.getByName(a), port), 1024);
        s.configureBlocking(false);
        Kind k = kind(used.size());
        kinds[k.ordinal()]++;
        s.register(selector, SelectionKey.OP_ACCEPT, k);
        out.println(a);
      }
    }
    StringBuilder b = new StringBuilder("ready");
    for (Kind k : Kind.values()) {
      b.append(' ').append(k.name().toLowerCase()).append('=').append(kinds[k.ordinal()]);
    }
    System.out.println(b);
    System.out.flush();
    while (true) {
      selector.select();
      Iterator<SelectionKey> it = selector.selectedKeys().iterator();
      while (it.hasNext()) {
        SelectionKey key = it.next();
        it.remove();
        try {
          if (key.isAcceptable()) {
            accept(selector, key);
          } else if (key.isReadable()) {
            read(key);
          }
        } catch (IOException | RuntimeException e) {
          close(key);
        }
      }
    }
  }

  private static void accept(Selector selector, SelectionKey key) throws IOException {
    SocketChannel c = ((ServerSocketChannel) key.channel()).accept();
    if (c == null) {
      return;
    }
    Kind k = (Kind) key.attachment();
    if (k == Kind.RESET) {
      c.setOption(StandardSocketOptions.SO_LINGER, 0); // close sends RST
      c.close();
      return;
    }
    c.configureBlocking(false);
    // a silent endpoint still reads, so the client's bytes are taken, and never answers
    c.register(selector, SelectionKey.OP_READ, new Conn(k));
  }

  /** One connection: the bytes of its TPKT so far. */
  static final class Conn {
    final Kind kind;
    final ByteBuffer in = ByteBuffer.allocate(4096);
    boolean answered;

    Conn(Kind kind) {
      this.kind = kind;
    }
  }

  private static void read(SelectionKey key) throws IOException {
    SocketChannel c = (SocketChannel) key.channel();
    Conn conn = (Conn) key.attachment();
    if (!conn.in.hasRemaining()) {
      conn.in.clear(); // after the answer: whatever the client sends is dropped
    }
    int n = c.read(conn.in);
    if (n < 0) {
      close(key);
      return;
    }
    if (conn.answered) {
      // what follows the confirm (a TLS ClientHello, an MCS Connect Initial) is more than a
      // responder can answer: it closes, as a server that refuses it would, rather than letting
      // a peer wait for its timeout
      close(key);
      return;
    }
    if (conn.kind == Kind.SILENT || conn.in.position() < 4) {
      return;
    }
    int length = (conn.in.get(2) & 0xff) << 8 | (conn.in.get(3) & 0xff);
    if (length < 4 || length > conn.in.capacity()) {
      close(key);
      return;
    }
    if (conn.in.position() < length) {
      return;
    }
    byte[] pdu = new byte[length];
    conn.in.flip();
    conn.in.get(pdu);
    conn.in.clear();
    ConnectionRequest cr = ConnectionRequest.decode(pdu);
    Long req = cr.negotiation() == null ? null : cr.negotiation().requestedProtocols();
    NegotiationData answer;
    if (conn.kind == Kind.RDP_ONLY) {
      answer = new NegotiationData.Response(0, SecurityProtocols.RDP);
    } else if (req != null && (req & SecurityProtocols.HYBRID) != 0) {
      answer = new NegotiationData.Response(0, SecurityProtocols.HYBRID);
    } else {
      answer = new NegotiationData.Failure(0, NegotiationData.Failure.HYBRID_REQUIRED_BY_SERVER);
    }
    c.write(ByteBuffer.wrap(new ConnectionConfirm(0x1234, req == null ? null : answer).encode()));
    if (answer instanceof NegotiationData.Failure && req != null) {
      close(key); // Windows disconnects after an RDP_NEG_FAILURE
      return;
    }
    conn.answered = true; // then wait for the client, as a server waiting for TLS or MCS
  }

  private static void close(SelectionKey key) {
    key.cancel();
    try {
      key.channel().close();
    } catch (IOException ignored) {
      // already gone
    }
  }
}
