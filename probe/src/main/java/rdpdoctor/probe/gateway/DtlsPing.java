package rdpdoctor.probe.gateway;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.ServerOnlyTlsAuthentication;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import rdpdoctor.probe.Deadline;
import rdpdoctor.probe.ProbeContext;
import rdpdoctor.probe.Recorder;

/**
 * Whether the gateway's UDP transport answers: a DTLS ClientHello (BouncyCastle's, DTLS 1.0-1.2)
 * to UDP 3391, where an RD Gateway with UDP enabled answers with a HelloVerifyRequest or a
 * ServerHello. Any datagram back counts; the handshake is never finished. An ICMP "port
 * unreachable" is a clear no; silence until the wait ends is "no answer" (UDP may be filtered).
 */
final class DtlsPing {
  /** The RD Gateway's UDP transport port. */
  static final int PORT = 3391;
  /** The longest wait for a datagram, inside the check's deadline: UDP silence has no other end. */
  static final Duration WAIT = Duration.ofMillis(1500);
  private static final BcTlsCrypto CRYPTO = new BcTlsCrypto(new SecureRandom());

  private DtlsPing() {}

  /** The answer, thrown out of BouncyCastle's handshake as soon as the first datagram arrives. */
  private static final class Answered extends IOException {
    Answered() {
      super("answered");
    }
  }

  static void check(ProbeContext ctx) {
    check(ctx, PORT);
  }

  static void check(ProbeContext ctx, int port) {
    Recorder rec = ctx.recorder();
    Deadline d = ctx.stepDeadline(WAIT);
    boolean answered = false;
    String error = null;
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.connect(new InetSocketAddress(ctx.address(), port));
      DatagramTransport transport = new DatagramTransport() {
        @Override
        public int getReceiveLimit() {
          return 1500;
        }

        @Override
        public int getSendLimit() {
          return 1200;
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
          int wait = Math.min(waitMillis, d.remainingMillis());
          if (wait <= 0) {
            throw new SocketTimeoutException("no datagram within " + WAIT.toMillis() + " ms");
          }
          socket.setSoTimeout(wait);
          try {
            socket.receive(new DatagramPacket(buf, off, len));
          } catch (SocketTimeoutException e) {
            return -1; // BouncyCastle resends its hello and asks again while time is left
          }
          throw new Answered();
        }

        @Override
        public void send(byte[] buf, int off, int len) throws IOException {
          socket.send(new DatagramPacket(buf, off, len));
        }

        @Override
        public void close() {
          socket.close();
        }
      };
      new DTLSClientProtocol().connect(new Hello(), transport);
      error = "the DTLS handshake ended without a datagram"; // not reached: the first one aborts it
    } catch (IOException | RuntimeException e) {
      // BouncyCastle may wrap what the transport threw: look through the causes
      if (has(e, Answered.class)) {
        answered = true;
      } else if (has(e, PortUnreachableException.class)) {
        error = "ICMP port unreachable: nothing listens on UDP " + port;
      } else if (has(e, InterruptedIOException.class)) {
        error = "no datagram back within " + WAIT.toMillis() + " ms (UDP " + port + " closed or filtered)";
      } else {
        error = "no DTLS answer: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      }
    }
    rec.observe(rec.observation("gateway.udp", 0, "dtls hello")
        .with("port", (long) port)
        .with("answered", answered)
        .with("error", error)
        .summary(answered ? "UDP " + port + " answers a DTLS ClientHello (the UDP transport is on)"
            : "UDP " + port + ": " + error));
  }

  private static boolean has(Throwable t, Class<? extends Throwable> kind) {
    for (Throwable x = t; x != null; x = x.getCause() == x ? null : x.getCause()) {
      if (kind.isInstance(x)) {
        return true;
      }
    }
    return false;
  }

  /** A DTLS 1.0-1.2 ClientHello; the certificate is never judged (the handshake stops at the first answer). */
  private static final class Hello extends DefaultTlsClient {
    Hello() {
      super(CRYPTO);
    }

    @Override
    public ProtocolVersion[] getProtocolVersions() {
      return ProtocolVersion.DTLSv12.downTo(ProtocolVersion.DTLSv10);
    }

    @Override
    public TlsAuthentication getAuthentication() {
      return new ServerOnlyTlsAuthentication() {
        @Override
        public void notifyServerCertificate(TlsServerCertificate serverCertificate) {
          // not reached
        }
      };
    }
  }
}
