package rdpdoctor.probe.gateway.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;
import rdpdoctor.evidence.x509.TestCertificates;
import rdpdoctor.protocol.ByteWriter;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.nlmp.AuthenticateMessage;
import rdpdoctor.protocol.nlmp.ChallengeMessage;
import rdpdoctor.protocol.nlmp.NtlmCrypto;
import rdpdoctor.protocol.nlmp.NtlmVersion;
import rdpdoctor.protocol.nlmp.TargetInfo;
import rdpdoctor.protocol.tsgu.HttpHead;
import rdpdoctor.protocol.tsgu.PacketFramer;
import rdpdoctor.protocol.tsgu.RdgRequest;
import rdpdoctor.protocol.tsgu.TsguPacket;
import rdpdoctor.protocol.tsgu.WebSocketFrame;
import rdpdoctor.protocol.tsgu.WebSocketFramer;

/**
 * A loopback RD Gateway ([MS-TSGU] HTTP transport) for the tests: TLS with a certificate the test
 * chooses, RDG_OUT_DATA + RDG_IN_DATA (the legacy HTTP transport) and the WebSocket upgrade, NTLMv2
 * authentication against a user list (the server side: a CHALLENGE with target info, the
 * NTProofStr checked), a CAP (users allowed), a RAP (targets allowed), a connection cap, and the
 * channel's data forwarded to a real host (xrdp). No MS-TSGU server is packaged for Debian, so this
 * is the gateway; xfreerdp 2.11 going through it to xrdp is the proof it speaks the protocol as a
 * real client expects (GatewayBenchTest).
 *
 * <p>Listens on 127.0.0.1 with an ephemeral port; one platform thread per connection.
 */
public final class BenchGateway implements AutoCloseable {
  /** The gateway's answers when it refuses, as a Windows RD Gateway sends them. */
  public static final long E_PROXY_NAP_ACCESSDENIED = 0x800759DBL; // CAP: user not allowed (event 201, 23003)
  public static final long E_PROXY_RAP_ACCESSDENIED = 0x800759DAL; // RAP: target not allowed (23002)
  public static final long E_PROXY_TS_CONNECTFAILED = 0x800759DDL; // the gateway cannot reach the host (23005)
  public static final long E_PROXY_MAXCONNECTIONSREACHED = 0x800759E6L; // the connection cap (23014)

  /** Switches for the bench cases that are not a policy. */
  public enum Switch {
    /** RDG_OUT_DATA gets 403 Forbidden (a reverse proxy that blocks the HTTP transport). */
    FORBID_OUT_DATA,
    /** The WebSocket upgrade is ignored: the legacy two-connection transport only. */
    NO_WEBSOCKET,
    /** The 401 offers only Basic. */
    BASIC_ONLY
  }

  /**
   * The gateway's policy.
   *
   * @param users account name (case-insensitive) to password: who can authenticate
   * @param capUsers who the connection authorization policy lets in
   * @param rapTargets target names (as the client sends them) the resource authorization policy allows
   * @param maxTunnels the connection cap (0: every tunnel is refused as over the cap)
   * @param switches the bench case's switches
   */
  public record Config(
      Map<String, String> users, Set<String> capUsers, Set<String> rapTargets, int maxTunnels, Set<Switch> switches) {
    public Config {
      users = Map.copyOf(users);
      capUsers = Set.copyOf(capUsers);
      rapTargets = Set.copyOf(rapTargets);
      switches = switches.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(switches));
    }

    /** One user, allowed by the CAP, and one target allowed by the RAP. */
    public static Config of(String user, String password, String target) {
      return new Config(Map.of(user, password), Set.of(user), Set.of(target), 10, Set.of());
    }

    public Config cap(Set<String> users) {
      return new Config(this.users, users, rapTargets, maxTunnels, switches);
    }

    public Config rap(Set<String> targets) {
      return new Config(users, capUsers, targets, maxTunnels, switches);
    }

    public Config maxTunnels(int n) {
      return new Config(users, capUsers, rapTargets, n, switches);
    }

    public Config with(Switch s) {
      Set<Switch> all = EnumSet.noneOf(Switch.class);
      all.addAll(switches);
      all.add(s);
      return new Config(users, capUsers, rapTargets, maxTunnels, all);
    }
  }

  static final int SERVER_VERSION = 1;
  /** What the server agrees to: idle timeout and service messages (no SoH, no consent message). */
  static final long SERVER_CAPABILITIES = TsguPacket.HTTP_CAPABILITY_IDLE_TIMEOUT
      | TsguPacket.HTTP_CAPABILITY_MESSAGING_SERVICE_MSG;
  static final long IDLE_TIMEOUT_MINUTES = 30;

  private final Config config;
  private final SSLContext tls;
  private final ServerSocket server;
  private final Thread acceptor;
  private final Map<String, Tunnel> legacy = new ConcurrentHashMap<>();
  private final AtomicInteger tunnels = new AtomicInteger();
  private final List<Socket> open = Collections.synchronizedList(new ArrayList<>());
  private final SecureRandom random = new SecureRandom();
  /** Everything clients sent, decrypted (HTTP heads and MS-TSGU packets), for the secrecy checks. */
  public final List<byte[]> received = Collections.synchronizedList(new ArrayList<>());
  /** What the gateway did, one line per event, for assertion messages. */
  public final List<String> events = Collections.synchronizedList(new ArrayList<>());

  public BenchGateway(TestCertificates certificate, Config config) throws Exception {
    this.config = config;
    X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new java.io.ByteArrayInputStream(certificate.der()));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("gw", certificate.keyPair().getPrivate(), new char[] {'x'}, new java.security.cert.Certificate[] {cert});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[] {'x'});
    tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = Thread.ofPlatform().daemon().name("bench-gateway-accept").start(this::acceptLoop);
  }

  public int port() {
    return server.getLocalPort();
  }

  /** How many tunnels are open now. */
  public int openTunnels() {
    return tunnels.get();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        open.add(s);
        Thread.ofPlatform().daemon().name("bench-gateway-conn").start(() -> {
          try {
            handle(s);
          } catch (Exception e) {
            events.add("connection ended: " + e);
          } finally {
            close(s);
          }
        });
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void close(@Nullable Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing
    }
    synchronized (open) {
      open.forEach(BenchGateway::close);
    }
  }

  // --- HTTP ---------------------------------------------------------------------------------

  private void handle(Socket raw) throws Exception {
    SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(raw, null, raw.getPort(), false);
    s.setUseClientMode(false);
    s.setSoTimeout(30_000);
    s.startHandshake();
    InputStream in = new BufferedInputStream(s.getInputStream());
    OutputStream out = s.getOutputStream();
    byte[] serverChallenge = null;
    byte[] negotiate = null;
    while (true) {
      HttpHead req = readHead(in);
      if (req == null) {
        return;
      }
      received.add(req.encode());
      String method = req.method();
      events.add("request " + method + (req.header("Sec-WebSocket-Key").isPresent() ? " (websocket)" : ""));
      if (!method.equals(RdgRequest.OUT) && !method.equals(RdgRequest.IN)) {
        respond(out, "404 Not Found", List.of());
        return;
      }
      if (config.switches().contains(Switch.FORBID_OUT_DATA)) {
        respond(out, "403 Forbidden", List.of());
        return;
      }
      String token = req.token("Authorization", "NTLM").orElse(null);
      if (config.switches().contains(Switch.BASIC_ONLY) || token == null) {
        respond(out, "401 Unauthorized", config.switches().contains(Switch.BASIC_ONLY)
            ? List.of(new HttpHead.Header("WWW-Authenticate", "Basic realm=\"bench\""))
            : List.of(new HttpHead.Header("WWW-Authenticate", "Negotiate"),
                new HttpHead.Header("WWW-Authenticate", "NTLM")));
        continue;
      }
      byte[] message = Base64.getDecoder().decode(token);
      int type = message.length >= 12 ? message[8] & 0xFF : -1;
      if (type == 1) {
        negotiate = message;
        serverChallenge = new byte[8];
        random.nextBytes(serverChallenge);
        byte[] challenge = challenge(serverChallenge).encode();
        respond(out, "401 Unauthorized",
            List.of(new HttpHead.Header("WWW-Authenticate", "NTLM " + Base64.getEncoder().encodeToString(challenge))));
        continue;
      }
      String user = type == 3 && serverChallenge != null ? verify(message, serverChallenge) : null;
      if (user == null) {
        events.add("authentication failed");
        respond(out, "401 Unauthorized", List.of(new HttpHead.Header("WWW-Authenticate", "NTLM")));
        return;
      }
      events.add("authenticated " + user);
      String id = req.header("RDG-Connection-Id").orElse("");
      if (method.equals(RdgRequest.OUT)) {
        String key = req.header("Sec-WebSocket-Key").orElse(null);
        if (key != null && !config.switches().contains(Switch.NO_WEBSOCKET)) {
          respond(out, "101 Switching Protocols", List.of(
              new HttpHead.Header("Connection", "Upgrade"),
              new HttpHead.Header("Upgrade", "websocket"),
              new HttpHead.Header("Sec-WebSocket-Accept", RdgRequest.websocketAccept(key))), false);
          Tunnel t = new Tunnel(user, p -> {
            synchronized (out) {
              out.write(WebSocketFrame.binary(p.encode()).encode(null));
              out.flush();
            }
          });
          try {
            readWebSocket(in, out, t);
          } finally {
            t.end();
          }
          return;
        }
        // Legacy: 200 with no length, the 10-byte random "seed" ([MS-TSGU] 3.3.5.1 step 4, as
        // FreeRDP reads it), then the packets raw on this connection until it closes.
        byte[] seed = new byte[10];
        random.nextBytes(seed);
        synchronized (out) {
          out.write(("HTTP/1.1 200 OK\r\nServer: rdpdoctor-bench-gateway\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
          out.write(seed);
          out.flush();
        }
        Tunnel t = new Tunnel(user, p -> {
          synchronized (out) {
            out.write(p.encode());
            out.flush();
          }
        });
        legacy.put(id, t);
        try {
          t.ended.await(10, TimeUnit.MINUTES);
        } finally {
          legacy.remove(id, t);
          t.end();
        }
        return;
      }
      // RDG_IN_DATA: the pair of an RDG_OUT_DATA with the same connection id
      Tunnel t = legacy.get(id);
      if (t == null) {
        respond(out, "400 Bad Request", List.of());
        return;
      }
      respond(out, "200 OK", List.of(new HttpHead.Header("Content-Length", "0")));
      try {
        readLegacyIn(in, t);
      } finally {
        t.end();
      }
      return;
    }
  }

  private static @Nullable HttpHead readHead(InputStream in) throws IOException {
    HttpHead.Framer f = new HttpHead.Framer();
    byte[] one = new byte[1];
    while (!f.complete()) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      one[0] = (byte) b;
      f.offer(one, 0, 1);
    }
    return f.head();
  }

  private void respond(OutputStream out, String status, List<HttpHead.Header> headers) throws IOException {
    respond(out, status, headers, true);
  }

  private void respond(OutputStream out, String status, List<HttpHead.Header> headers, boolean withLength)
      throws IOException {
    List<HttpHead.Header> all = new ArrayList<>();
    all.add(new HttpHead.Header("Server", "rdpdoctor-bench-gateway"));
    all.addAll(headers);
    if (withLength && headers.stream().noneMatch(h -> h.name().equalsIgnoreCase("Content-Length"))) {
      all.add(new HttpHead.Header("Content-Length", "0"));
    }
    events.add("response " + status);
    synchronized (out) {
      out.write(new HttpHead("HTTP/1.1 " + status, all).encode());
      out.flush();
    }
  }

  // --- NTLM (server side of [MS-NLMP] 3.2.5.1) ------------------------------------------------

  private static ChallengeMessage challenge(byte[] serverChallenge) {
    long fileTime = TargetInfo.epochMillisToFileTime(Instant.now().toEpochMilli());
    TargetInfo info = TargetInfo.ofNames(
            new int[] {TargetInfo.MSV_AV_NB_DOMAIN_NAME, TargetInfo.MSV_AV_NB_COMPUTER_NAME,
                TargetInfo.MSV_AV_DNS_DOMAIN_NAME, TargetInfo.MSV_AV_DNS_COMPUTER_NAME},
            new String[] {"BENCH", "GW01", "bench.example", "gw01.bench.example"})
        .with(TargetInfo.MSV_AV_TIMESTAMP, new ByteWriter(8).u64le(fileTime).toByteArray());
    return new ChallengeMessage(0xE28A8235L, "BENCH", serverChallenge, info, new NtlmVersion(10, 0, 20348, 15));
  }

  /** The account name when the NTLMv2 proof matches a listed user's password, else null. */
  private @Nullable String verify(byte[] message, byte[] serverChallenge) {
    AuthenticateMessage auth;
    try {
      auth = AuthenticateMessage.decode(message);
    } catch (DecodeException e) {
      events.add("bad AUTHENTICATE: " + e.getMessage());
      return null;
    }
    for (Map.Entry<String, String> u : config.users().entrySet()) {
      if (!u.getKey().equalsIgnoreCase(auth.user())) {
        continue;
      }
      byte[] nt = auth.ntChallengeResponse();
      if (nt.length < 16 + 28) {
        return null; // not NTLMv2
      }
      byte[] key = NtlmCrypto.ntowfv2(NtlmCrypto.ntHash(u.getValue().toCharArray()), auth.user(), auth.domain());
      byte[] proof = NtlmCrypto.ntProofStr(key, serverChallenge, Arrays.copyOfRange(nt, 16, nt.length));
      return Arrays.equals(proof, auth.ntProofStr()) ? u.getKey() : null;
    }
    return null;
  }

  // --- transports -----------------------------------------------------------------------------

  private void readWebSocket(InputStream in, OutputStream out, Tunnel t) throws IOException {
    WebSocketFramer frames = new WebSocketFramer(true, 1 << 20);
    PacketFramer packets = new PacketFramer();
    byte[] buf = new byte[16 * 1024];
    while (!t.isEnded()) {
      int n = in.read(buf, 0, Math.min(buf.length, Math.max(1, frames.bytesNeeded())));
      if (n < 0) {
        return;
      }
      int pos = 0;
      while (pos < n) {
        pos += frames.offer(buf, pos, n - pos);
        if (!frames.complete()) {
          continue;
        }
        WebSocketFrame f = frames.frame();
        switch (f.opcode()) {
          case WebSocketFrame.BINARY, WebSocketFrame.CONTINUATION -> feed(packets, f.payload(), t);
          case WebSocketFrame.PING -> {
            synchronized (out) {
              out.write(new WebSocketFrame(true, WebSocketFrame.PONG, f.payload()).encode(null));
              out.flush();
            }
          }
          case WebSocketFrame.CLOSE -> {
            synchronized (out) {
              out.write(WebSocketFrame.close(WebSocketFrame.CLOSE_NORMAL).encode(null));
              out.flush();
            }
            return;
          }
          default -> events.add("websocket opcode " + f.opcode() + " ignored");
        }
      }
    }
  }

  private void feed(PacketFramer packets, byte[] data, Tunnel t) throws IOException {
    int pos = 0;
    while (pos < data.length) {
      pos += packets.offer(data, pos, data.length - pos);
      if (packets.complete()) {
        TsguPacket p = packets.packet();
        received.add(p.encode());
        t.handle(p);
      }
    }
  }

  /** RDG_IN_DATA's body as FreeRDP sends it: the request head again, then chunked packets. */
  private void readLegacyIn(InputStream in, Tunnel t) throws IOException {
    in.mark(32);
    byte[] start = in.readNBytes(RdgRequest.IN.length());
    in.reset();
    if (new String(start, StandardCharsets.US_ASCII).equals(RdgRequest.IN)) {
      HttpHead again = readHead(in);
      if (again != null) {
        received.add(again.encode());
      }
    }
    PacketFramer packets = new PacketFramer();
    while (!t.isEnded()) {
      String line = readLine(in);
      if (line == null) {
        return;
      }
      if (line.isEmpty()) {
        continue; // the CRLF after a chunk
      }
      int size = Integer.parseInt(line.split(";", 2)[0].trim(), 16);
      DecodeException.checkBound("chunk size", size, TsguPacket.MAX_PACKET_LENGTH);
      if (size == 0) {
        return;
      }
      byte[] chunk = in.readNBytes(size);
      if (chunk.length < size) {
        return;
      }
      feed(packets, chunk, t);
    }
  }

  private static @Nullable String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        String s = b.toString(StandardCharsets.US_ASCII);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      if (b.size() > 64) {
        throw new IOException("chunk size line longer than 64 bytes");
      }
      b.write(c);
    }
    return null;
  }

  // --- MS-TSGU server state machine -----------------------------------------------------------

  interface Sink {
    void send(TsguPacket p) throws IOException;
  }

  /** One tunnel: handshake, tunnel create (the cap), tunnel auth (the CAP), channel (the RAP), data. */
  private final class Tunnel {
    private final String user;
    private final Sink sink;
    private boolean counted;
    private @Nullable Socket target;
    private @Nullable OutputStream toTarget;
    final CountDownLatch ended = new CountDownLatch(1);

    Tunnel(String user, Sink sink) {
      this.user = user;
      this.sink = sink;
    }

    boolean isEnded() {
      return ended.getCount() == 0;
    }

    void handle(TsguPacket p) throws IOException {
      switch (p) {
        case TsguPacket.HandshakeRequest h -> sink.send(
            new TsguPacket.HandshakeResponse(0, 1, 0, SERVER_VERSION, TsguPacket.HTTP_EXTENDED_AUTH_NONE));
        case TsguPacket.TunnelCreate c -> {
          synchronized (tunnels) {
            if (tunnels.get() >= config.maxTunnels()) {
              events.add("tunnel refused: " + tunnels.get() + " open, cap " + config.maxTunnels());
              sink.send(new TsguPacket.TunnelResponse(SERVER_VERSION, E_PROXY_MAXCONNECTIONSREACHED,
                  null, null, null, null, null));
              return;
            }
            tunnels.incrementAndGet();
            counted = true;
          }
          sink.send(new TsguPacket.TunnelResponse(SERVER_VERSION, 0, (long) tunnels.get(),
              c.capabilities() & SERVER_CAPABILITIES, null, null, null));
        }
        case TsguPacket.TunnelAuth a -> {
          boolean allowed = config.capUsers().stream().anyMatch(u -> u.equalsIgnoreCase(user));
          events.add("tunnel auth of " + user + " from " + a.clientName() + ": " + (allowed ? "allowed" : "CAP denies"));
          sink.send(allowed
              ? new TsguPacket.TunnelAuthResponse(0, TsguPacket.HTTP_TUNNEL_REDIR_ENABLE_ALL, IDLE_TIMEOUT_MINUTES, null)
              : new TsguPacket.TunnelAuthResponse(E_PROXY_NAP_ACCESSDENIED, null, null, null));
        }
        case TsguPacket.ChannelCreate c -> channel(c);
        case TsguPacket.Data d -> {
          if (toTarget != null) {
            toTarget.write(d.data());
            toTarget.flush();
          }
        }
        case TsguPacket.CloseChannel c -> {
          sink.send(new TsguPacket.CloseChannelResponse(0));
          end();
        }
        default -> events.add("packet ignored: " + TsguPacket.typeName(p.type()));
      }
    }

    private void channel(TsguPacket.ChannelCreate c) throws IOException {
      String name = c.resources().isEmpty() ? "" : c.resources().get(0);
      boolean allowed = config.rapTargets().stream().anyMatch(t -> t.equalsIgnoreCase(name));
      if (!allowed) {
        events.add("channel to " + name + ":" + c.port() + ": RAP denies");
        sink.send(new TsguPacket.ChannelResponse(E_PROXY_RAP_ACCESSDENIED, null, null, null));
        return;
      }
      Socket s = new Socket();
      try {
        // every bench target is on this machine, whatever name the RAP knows it by
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), c.port()), 3000);
      } catch (IOException e) {
        close(s);
        events.add("channel to " + name + ":" + c.port() + ": " + e.getMessage());
        sink.send(new TsguPacket.ChannelResponse(E_PROXY_TS_CONNECTFAILED, null, null, null));
        return;
      }
      open.add(s);
      target = s;
      toTarget = s.getOutputStream();
      events.add("channel to " + name + ":" + c.port() + " open");
      sink.send(new TsguPacket.ChannelResponse(0, 1L, null, null));
      InputStream fromTarget = s.getInputStream();
      Thread.ofPlatform().daemon().name("bench-gateway-target").start(() -> {
        byte[] buf = new byte[16 * 1024];
        try {
          int n;
          while ((n = fromTarget.read(buf)) > 0) {
            sink.send(new TsguPacket.Data(Arrays.copyOf(buf, n)));
          }
          sink.send(new TsguPacket.CloseChannel(0));
        } catch (IOException e) {
          events.add("target connection ended: " + e.getMessage());
        }
      });
    }

    void end() {
      if (ended.getCount() == 0) {
        return;
      }
      ended.countDown();
      close(target);
      synchronized (tunnels) {
        if (counted) {
          tunnels.decrementAndGet();
          counted = false;
        }
      }
    }
  }

  /** Names for log lines: "E_PROXY_RAP_ACCESSDENIED". */
  public static String name(long hresult) {
    return switch ((int) hresult) {
      case (int) E_PROXY_NAP_ACCESSDENIED -> "E_PROXY_NAP_ACCESSDENIED";
      case (int) E_PROXY_RAP_ACCESSDENIED -> "E_PROXY_RAP_ACCESSDENIED";
      case (int) E_PROXY_TS_CONNECTFAILED -> "E_PROXY_TS_CONNECTFAILED";
      case (int) E_PROXY_MAXCONNECTIONSREACHED -> "E_PROXY_MAXCONNECTIONSREACHED";
      default -> "0x" + Long.toHexString(hresult).toUpperCase(Locale.ROOT);
    };
  }
}
