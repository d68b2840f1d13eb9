package rdpdoctor.probe.gateway.tunnel;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import rdpdoctor.probe.Deadline;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.tsgu.HttpHead;

/**
 * One TLS connection to the gateway, every read bounded by the deadline twice over: the socket
 * timeout is the time left before each read, and a watchdog closes the socket when the deadline
 * passes, so a gateway that trickles one byte a second (a 200 that never ends, an endless header)
 * cannot keep a read alive past it.
 *
 * <p>The certificate is accepted whatever it is: judging it is the unauthenticated check's job
 * ({@code gateway.tls}); here the question is what the gateway does once a client goes on.
 */
final class GatewayConnection implements AutoCloseable {
  /** One daemon platform thread for every watchdog (socket work stays off virtual threads, DEVELOPERS.md). */
  private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().daemon().name("rdpdoctor-gateway-watchdog").factory());
  /** The largest 401/403 body skipped before the next request (IIS sends about 1.3 KB of HTML). */
  static final int MAX_BODY = 1024 * 1024;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final Deadline deadline;
  private final ScheduledFuture<?> watchdog;
  /** Set by the watchdog before it closes the socket: a read that fails after it ran timed out. */
  private volatile boolean expired;

  private GatewayConnection(Socket socket, InputStream in, OutputStream out, Deadline deadline) {
    this.socket = socket;
    this.in = in;
    this.out = out;
    this.deadline = deadline;
    this.watchdog = WATCHDOG.schedule(this::expire, Math.max(1, deadline.remainingMillis()), TimeUnit.MILLISECONDS);
  }

  /** TCP and TLS to the gateway, both within the deadline; failures are the auth stage's. */
  static GatewayConnection open(String host, int port, Deadline deadline) throws TunnelFailure {
    GatewayTunnel.Stage stage = GatewayTunnel.Stage.AUTH;
    Socket raw = new Socket();
    try {
      raw.setTcpNoDelay(true);
      raw.connect(new InetSocketAddress(host, port), Math.max(1, deadline.remainingMillis()));
    } catch (IOException e) {
      closeQuietly(raw);
      throw new TunnelFailure(stage, "cannot connect to the gateway " + host + ":" + port + ": " + e.getMessage(),
          null, null, e instanceof SocketTimeoutException, e);
    }
    try {
      SSLSocket tls = (SSLSocket) trustAll().getSocketFactory().createSocket(raw, host, port, true);
      tls.setUseClientMode(true);
      if (!host.matches("[0-9.]+|.*:.*")) {
        SSLParameters p = tls.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName(host)));
        tls.setSSLParameters(p);
      }
      GatewayConnection c = new GatewayConnection(
          tls, new BufferedInputStream(tls.getInputStream(), 16 * 1024), tls.getOutputStream(), deadline);
      tls.setSoTimeout(Math.max(1, deadline.remainingMillis()));
      try {
        tls.startHandshake();
      } catch (IOException e) {
        c.close();
        boolean late = c.late() || e instanceof SocketTimeoutException;
        throw new TunnelFailure(stage, "TLS handshake with the gateway failed: "
            + (late ? "no answer before the deadline" : describe(e, deadline)), null, null, late, e);
      }
      return c;
    } catch (IOException | GeneralSecurityException e) {
      closeQuietly(raw);
      throw new TunnelFailure(stage, "cannot start TLS with the gateway: " + e.getMessage(), null, null, false, e);
    }
  }

  private static SSLContext trustAll() throws GeneralSecurityException {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {
        // accepted: see the class comment
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    return ctx;
  }

  static String describe(IOException e, Deadline deadline) {
    if (deadline.expired()) {
      return "no answer before the deadline";
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  /** Reads at least one byte, at most {@code len}; -1 at the end of the stream. */
  int read(byte[] buf, int off, int len, GatewayTunnel.Stage now, String waitingFor) throws TunnelFailure {
    if (late()) {
      throw timeout(now, waitingFor);
    }
    try {
      socket.setSoTimeout(Math.max(1, deadline.remainingMillis()));
      return in.read(buf, off, len);
    } catch (SocketTimeoutException e) {
      throw timeout(now, waitingFor);
    } catch (IOException e) {
      if (late()) {
        throw timeout(now, waitingFor); // the watchdog closed the socket
      }
      throw new TunnelFailure(now, "the gateway connection failed while waiting for " + waitingFor + ": "
          + describe(e, deadline), null, null, false, e);
    }
  }

  /** Reads exactly {@code n} bytes. */
  byte[] readFully(int n, GatewayTunnel.Stage now, String waitingFor) throws TunnelFailure {
    byte[] b = new byte[n];
    int got = 0;
    while (got < n) {
      int r = read(b, got, n - got, now, waitingFor);
      if (r < 0) {
        throw TunnelFailure.of(now, "the gateway closed the connection after " + got + " of " + n
            + " bytes of " + waitingFor);
      }
      got += r;
    }
    return b;
  }

  private TunnelFailure timeout(GatewayTunnel.Stage now, String waitingFor) {
    return new TunnelFailure(now, "the gateway sent nothing more before the deadline (waiting for " + waitingFor + ")",
        null, null, true, null);
  }

  void write(byte[] data, GatewayTunnel.Stage now) throws TunnelFailure {
    try {
      out.write(data);
      out.flush();
    } catch (IOException e) {
      throw new TunnelFailure(now, "cannot send to the gateway: " + describe(e, deadline), null, null,
          late(), e);
    }
  }

  /** Reads an HTTP response head, bounded by {@link HttpHead#MAX_HEAD}. */
  HttpHead readHead(GatewayTunnel.Stage now, String what) throws TunnelFailure {
    HttpHead.Framer f = new HttpHead.Framer();
    byte[] one = new byte[1];
    try {
      while (!f.complete()) {
        // one byte at a time from the buffered stream: what follows the head stays in the buffer
        int r = read(one, 0, 1, now, "the answer to " + what);
        if (r < 0) {
          throw TunnelFailure.of(now, "the gateway closed the connection"
              + (f.received() == 0 ? " without answering " + what : " after " + f.received() + " bytes of the answer to " + what));
        }
        f.offer(one, 0, 1);
      }
      return f.head();
    } catch (DecodeException e) {
      throw new TunnelFailure(now, "the answer to " + what + " is not HTTP: " + e.getMessage(), null, null, false, e);
    }
  }

  /** Skips a response body of Content-Length bytes (a 401's HTML) so the next request can follow. */
  void skipBody(HttpHead head, GatewayTunnel.Stage now) throws TunnelFailure {
    String length = head.header("Content-Length").orElse("0").trim();
    long n;
    try {
      n = Long.parseLong(length);
      DecodeException.checkBound("Content-Length", n, MAX_BODY);
    } catch (NumberFormatException | DecodeException e) {
      throw TunnelFailure.of(now, "the gateway's Content-Length is not a length up to " + MAX_BODY + ": " + length);
    }
    byte[] buf = new byte[(int) Math.min(n, 8192)];
    long left = n;
    while (left > 0) {
      int r = read(buf, 0, (int) Math.min(buf.length, left), now, "the response body");
      if (r < 0) {
        throw TunnelFailure.of(now, "the gateway closed the connection inside a " + n + "-byte body");
      }
      left -= r;
    }
  }

  private void expire() {
    expired = true;
    close();
  }

  /** The deadline passed, by the clock or by the watchdog's word. */
  private boolean late() {
    return expired || deadline.expired();
  }

  @Override
  public void close() {
    if (watchdog != null) { // null only if the watchdog fired inside the constructor
      watchdog.cancel(false);
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
