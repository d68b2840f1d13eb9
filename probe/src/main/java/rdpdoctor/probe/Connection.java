package rdpdoctor.probe;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.bouncycastle.tls.TlsClientProtocol;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Phase;
import rdpdoctor.protocol.DecodeException;

/**
 * One TCP connection of a probe, with the I/O every step shares: reads whose socket timeout is the
 * time left on the deadline (so a server that sends one byte a second cannot keep a read alive past
 * it), classification of socket errors into {@link FailureKind}s, phase timing, and an optional
 * TLS layer (BouncyCastle's non-blocking {@link TlsClientProtocol}) that later steps run through
 * without knowing it is there.
 */
public final class Connection implements AutoCloseable {
  private final Recorder recorder;
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final int number;
  private final String label;
  /** Bytes received so far on the raw socket, first few only, to recognise non-RDP services. */
  private final ByteArrayOutputStream firstBytes = new ByteArrayOutputStream();
  private long received;
  private @Nullable TlsClientProtocol tls;
  /** Whether this connection still holds one of the recorder's "unanswered" slots. */
  private boolean holdsSlot;

  private Connection(Recorder recorder, Socket socket, int number, String label) throws IOException {
    this.recorder = recorder;
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
    this.number = number;
    this.label = label;
  }

  /**
   * Opens a TCP connection to {@code address}, timed as a "TCP connect" phase labelled with
   * {@code label} (the negotiation request it is for, say).
   */
  public static Connection open(
      Recorder recorder, InetAddress address, int port, Deadline deadline, String label)
      throws ProbeFailure {
    int number = recorder.nextConnection();
    long start = recorder.now();
    String what = "tcp connect " + label;
    if (deadline.expired()) {
      ProbeFailure f = new ProbeFailure(FailureKind.DEADLINE, Phase.TCP, "no time left to connect");
      recorder.phase(what, Phase.TCP, number, start, f);
      throw f;
    }
    try {
      if (!recorder.unanswered.tryAcquire(deadline.remainingMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        // What the server did decides the kind, not which deadline fired first: when it accepted
        // earlier connections and has sent nothing on them, this request met the same silence.
        int silent = recorder.acceptedUnanswered.get();
        ProbeFailure f = silent > 0
            ? new ProbeFailure(FailureKind.NO_RESPONSE, Phase.X224,
                "no answer before the deadline; the server accepted " + silent
                    + " earlier connection(s) and stayed silent, so this request never got a connection slot")
            : new ProbeFailure(FailureKind.DEADLINE, Phase.TCP,
                "no time left to connect: earlier connections are still waiting for the server");
        recorder.phase(what, Phase.TCP, number, start, f);
        throw f;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProbeFailure(FailureKind.DEADLINE, Phase.TCP, "interrupted", e);
    }
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(address, port), Math.max(1, deadline.remainingMillis()));
      Connection c = new Connection(recorder, socket, number, label);
      c.holdsSlot = true;
      recorder.acceptedUnanswered.incrementAndGet();
      recorder.phase(what, Phase.TCP, number, start, null);
      return c;
    } catch (IOException e) {
      recorder.unanswered.release();
      closeQuietly(socket);
      ProbeFailure f = classifyConnect(e, address, port, deadline);
      recorder.phase(what, Phase.TCP, number, start, f);
      throw f;
    }
  }

  static ProbeFailure classifyConnect(IOException e, InetAddress address, int port, Deadline deadline) {
    String where = "connect to " + address.getHostAddress() + ":" + port + ": " + e.getMessage();
    if (e instanceof SocketTimeoutException) {
      return new ProbeFailure(FailureKind.CONNECT_TIMEOUT, Phase.TCP,
          "no answer to the TCP SYN within " + Math.max(0, deadline.remainingMillis()) + " ms left; " + where, e);
    }
    if (e instanceof NoRouteToHostException || e instanceof PortUnreachableException) {
      return new ProbeFailure(FailureKind.UNREACHABLE, Phase.TCP, where, e);
    }
    if (e instanceof ConnectException) {
      String m = String.valueOf(e.getMessage());
      if (m.contains("timed out")) {
        return new ProbeFailure(FailureKind.CONNECT_TIMEOUT, Phase.TCP, where, e);
      }
      if (m.contains("unreachable") || m.contains("No route")) {
        return new ProbeFailure(FailureKind.UNREACHABLE, Phase.TCP, where, e);
      }
      return new ProbeFailure(FailureKind.CONNECTION_REFUSED, Phase.TCP, where, e);
    }
    if (String.valueOf(e.getMessage()).contains("Connection reset")) {
      // the listener accepted and reset at once, before connect() returned (measured on the scan
      // bench: 16 of 250 resetting listeners); a reset, not a host that cannot be reached
      return new ProbeFailure(FailureKind.CONNECTION_RESET, Phase.TCP, where, e);
    }
    return new ProbeFailure(FailureKind.UNREACHABLE, Phase.TCP, where, e);
  }

  /** The 1-based number of this connection within the probe. */
  public int number() {
    return number;
  }

  public Recorder recorder() {
    return recorder;
  }

  public String label() {
    return label;
  }

  /** Whether a TLS layer is active: later steps' bytes go through it. */
  public boolean secured() {
    return tls != null;
  }

  /**
   * Runs {@code step} to its end within {@code deadline}, recording its phase. Decode errors and
   * socket trouble become a {@link ProbeFailure} naming what the server did.
   */
  public <R> R run(Step<R> step, Deadline deadline) throws ProbeFailure {
    long start = recorder.now();
    try {
      send(step.start(), step.phase());
      byte[] buf = new byte[0];
      while (step.bytesNeeded() > 0) {
        int need = step.bytesNeeded();
        if (buf.length < need) {
          buf = new byte[Math.min(need, 64 * 1024)];
        }
        int n = read(buf, Math.min(need, buf.length), deadline, step.phase());
        byte[] reply;
        try {
          reply = step.receive(Arrays.copyOf(buf, n), Instant.now());
        } catch (DecodeException e) {
          throw notRdpOr(e, step.phase());
        }
        send(reply, step.phase());
      }
      R result = step.result();
      recorder.phase(step.name(), step.phase(), number, start, null);
      return result;
    } catch (ProbeFailure f) {
      recorder.phase(step.name(), step.phase(), number, start, f);
      throw f;
    }
  }

  /** Sends bytes (through TLS when it is active). */
  public void send(byte[] data, Phase phase) throws ProbeFailure {
    if (data.length == 0) {
      return;
    }
    try {
      if (tls != null) {
        tls.writeApplicationData(data, 0, data.length);
        flushTls();
      } else {
        out.write(data);
        out.flush();
      }
    } catch (IOException e) {
      throw classifyIo(e, phase, null);
    }
  }

  /**
   * Reads at least one and at most {@code max} bytes (application data when TLS is active),
   * waiting no longer than the deadline.
   */
  public int read(byte[] buf, int max, Deadline deadline, Phase phase) throws ProbeFailure {
    if (tls == null) {
      return readRaw(buf, max, deadline, phase);
    }
    try {
      while (tls.getAvailableInputBytes() == 0) {
        byte[] raw = new byte[16 * 1024 + 2048];
        int n = readRaw(raw, raw.length, deadline, phase);
        tls.offerInput(raw, 0, n);
        flushTls(); // alerts or key updates the layer wants to send
      }
      return tls.readInput(buf, 0, Math.min(max, tls.getAvailableInputBytes()));
    } catch (IOException e) {
      throw classifyIo(e, Phase.TLS, null);
    }
  }

  /** Reads raw socket bytes with a socket timeout equal to the time left. */
  int readRaw(byte[] buf, int max, Deadline deadline, Phase phase) throws ProbeFailure {
    int timeout = deadline.remainingMillis();
    if (timeout <= 0) {
      throw timeout(phase, null);
    }
    try {
      socket.setSoTimeout(timeout);
      int n = in.read(buf, 0, max);
      if (n < 0) {
        throw new ProbeFailure(FailureKind.CONNECTION_CLOSED, phase,
            "end of stream after " + received + " bytes" + firstBytesNote());
      }
      releaseSlot();
      if (firstBytes.size() < 16) {
        firstBytes.write(buf, 0, Math.min(n, 16 - firstBytes.size()));
      }
      received += n;
      return n;
    } catch (SocketTimeoutException e) {
      throw timeout(phase, e);
    } catch (IOException e) {
      throw classifyIo(e, phase, null);
    }
  }

  private ProbeFailure timeout(Phase phase, @Nullable Throwable cause) {
    String detail = received == 0
        ? "no answer before the deadline; the server accepted TCP and stayed silent"
        : "the deadline passed after only " + received + " bytes" + firstBytesNote();
    return new ProbeFailure(FailureKind.NO_RESPONSE, phase, detail, cause);
  }

  private String firstBytesNote() {
    if (firstBytes.size() == 0) {
      return "";
    }
    return " (first bytes: " + rdpdoctor.protocol.Hex.of(firstBytes.toByteArray()) + ")";
  }

  ProbeFailure classifyIo(IOException e, Phase phase, @Nullable String context) {
    String m = String.valueOf(e.getMessage());
    String prefix = context == null ? "" : context + ": ";
    if (e instanceof SocketException && (m.contains("reset") || m.contains("Broken pipe"))) {
      return new ProbeFailure(FailureKind.CONNECTION_RESET, phase,
          prefix + "reset after " + received + " bytes received", e);
    }
    if (e instanceof EOFException) {
      return new ProbeFailure(FailureKind.CONNECTION_CLOSED, phase, prefix + m, e);
    }
    if (e instanceof org.bouncycastle.tls.TlsFatalAlertReceived r) {
      return new ProbeFailure(FailureKind.TLS_ALERT, Phase.TLS,
          prefix + "server sent alert " + TlsAlerts.name(r.getAlertDescription()), e);
    }
    if (e instanceof org.bouncycastle.tls.TlsFatalAlert a) {
      return new ProbeFailure(FailureKind.TLS_FAILED, Phase.TLS,
          prefix + "rdpdoctor's TLS layer raised " + TlsAlerts.name(a.getAlertDescription()) + ": " + m, e);
    }
    return new ProbeFailure(FailureKind.CONNECTION_RESET, phase, prefix + m, e);
  }

  /**
   * A decode error on the first answer usually means another service listens on the port; the
   * first bytes tell which.
   */
  private ProbeFailure notRdpOr(DecodeException e, Phase phase) {
    byte[] first = firstBytes.toByteArray();
    FailureKind kind = ServiceSignature.recognise(first);
    String detail = (kind == FailureKind.PROTOCOL_ERROR ? "" : "first bytes " + describe(first) + "; ")
        + e.getMessage();
    return new ProbeFailure(kind, phase, detail, e);
  }

  private static String describe(byte[] first) {
    String text = new String(first, StandardCharsets.ISO_8859_1);
    return text.chars().allMatch(c -> c >= 0x20 && c < 0x7f || c == '\r' || c == '\n')
        ? "\"" + text.strip() + "\""
        : rdpdoctor.protocol.Hex.of(first);
  }

  /** Switches this connection to TLS; called by {@link TlsHandshake}. */
  void useTls(TlsClientProtocol protocol) {
    this.tls = protocol;
  }

  /** Sends whatever the TLS layer has queued. */
  void flushTls() throws IOException {
    TlsClientProtocol t = tls;
    if (t == null) {
      return;
    }
    flush(t);
  }

  void flush(TlsClientProtocol t) throws IOException {
    int n = t.getAvailableOutputBytes();
    if (n > 0) {
      byte[] b = new byte[n];
      t.readOutput(b, 0, n);
      out.write(b);
      out.flush();
    }
  }

  void writeRaw(byte[] data) throws IOException {
    out.write(data);
    out.flush();
  }

  /** Bytes received on the raw socket so far. */
  public long received() {
    return received;
  }

  byte[] firstBytes() {
    return firstBytes.toByteArray();
  }

  private synchronized void releaseSlot() {
    if (holdsSlot) {
      holdsSlot = false;
      recorder.acceptedUnanswered.decrementAndGet();
      recorder.unanswered.release();
    }
  }

  @Override
  public void close() {
    releaseSlot();
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // nothing to do: the probe is done with this connection
    }
  }
}
