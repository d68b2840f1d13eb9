package rdpdoctor.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import rdpdoctor.diagnosis.Phase;
import rdpdoctor.protocol.Hex;
import rdpdoctor.protocol.rdpbcgr.x224.ConnectionConfirm;
import rdpdoctor.protocol.rdpbcgr.x224.NegotiationData;
import rdpdoctor.protocol.rdpbcgr.x224.SecurityProtocols;

/**
 * In-process servers that misbehave on purpose. Whatever they do, the probe must end within its
 * deadline (plus scheduling slack: the bound below only catches a hang) with a named failure.
 */
class HostileServersTest {
  /** Generous: Jazzer's agent instruments every class in test JVMs, which slows BouncyCastle's first use. */
  static final Duration BUDGET = Duration.ofSeconds(4);
  static final Duration HANG = Duration.ofSeconds(15);
  static final ProbeOptions FULL = ProbeOptions.defaults().withTimeout(BUDGET);

  private static ProbeReport probe(FakeServer.Handler h) {
    return assertTimeoutPreemptively(HANG, () -> {
      try (FakeServer s = new FakeServer(h)) {
        return new Probe(FULL).run(s.target());
      }
    });
  }

  @Test
  void silence() {
    ProbeReport r = probe(s -> s.getInputStream().readAllBytes());
    assertThat(r.failure().kind()).isEqualTo(FailureKind.NO_RESPONSE);
    assertThat(r.failure().getMessage()).contains("stayed silent");
    assertThat(r.failure().kind().clientCodeHex()).isEqualTo("0x704");
  }

  /**
   * A request that times out waiting for a connection slot behind connections the server accepted
   * and left unanswered met the same silence: NO_RESPONSE, whichever deadline fired first.
   */
  @Test
  void silenceWhileWaitingForASlot() throws Exception {
    try (FakeServer s = new FakeServer(c -> c.getInputStream().readAllBytes())) {
      Recorder recorder = new Recorder(s.target());
      InetAddress a = InetAddress.getLoopbackAddress();
      List<Connection> held = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          held.add(Connection.open(recorder, a, s.port(), Deadline.in(HANG), "held"));
        }
        assertThatThrownBy(() -> Connection.open(recorder, a, s.port(), Deadline.in(Duration.ofMillis(300)), "waiting"))
            .isInstanceOfSatisfying(ProbeFailure.class, f -> {
              assertThat(f.kind()).isEqualTo(FailureKind.NO_RESPONSE);
              assertThat(f.getMessage()).contains("accepted 3 earlier connection(s) and stayed silent");
            });
      } finally {
        held.forEach(Connection::close);
      }
    }
  }

  @Test
  void oneByteASecond() {
    ProbeReport r = probe(s -> {
      OutputStream out = s.getOutputStream();
      byte[] cc = new ConnectionConfirm(0x1234, new NegotiationData.Response(0, SecurityProtocols.SSL)).encode();
      for (byte b : cc) {
        out.write(b);
        out.flush();
        Thread.sleep(1000);
      }
    });
    assertThat(r.failure().kind()).isEqualTo(FailureKind.NO_RESPONSE);
    assertThat(r.failure().getMessage()).contains("the deadline passed after only");
  }

  @Test
  void garbage() {
    ProbeReport r = probe(s -> {
      s.getOutputStream().write(Hex.parse("de ad be ef 00 11 22 33 44 55 66 77"));
      s.getInputStream().readAllBytes();
    });
    assertThat(r.failure().kind()).isEqualTo(FailureKind.PROTOCOL_ERROR);
    assertThat(r.failure().getMessage()).contains("unexpected version in tpkt header: 0xde");
  }

  @Test
  void tpktLength65535() {
    ProbeReport r = probe(s -> {
      s.getOutputStream().write(Hex.parse("03 00 ff ff 0e d0"));
      s.getInputStream().readAllBytes();
    });
    assertThat(r.failure().kind()).isEqualTo(FailureKind.PROTOCOL_ERROR);
    assertThat(r.failure().getMessage()).contains("invalid field tpkt length: 65535 (expected: <= 1024)");
  }

  @Test
  void tpktLength3() {
    ProbeReport r = probe(s -> {
      s.getOutputStream().write(Hex.parse("03 00 00 03"));
      s.getInputStream().readAllBytes();
    });
    assertThat(r.failure().kind()).isEqualTo(FailureKind.PROTOCOL_ERROR);
    assertThat(r.failure().getMessage()).contains("invalid field tpkt length: 3 (expected: >= 4)");
  }

  /** Selects TLS, reads the ClientHello, then resets the connection. */
  @Test
  void resetInTheMiddleOfTls() {
    ProbeReport r = probe(s -> {
      confirmSsl(s);
      s.getInputStream().readNBytes(5); // the ClientHello's record header
      s.setSoLinger(true, 0); // close with RST
      s.close();
    });
    assertThat(r.failure()).isNull();
    assertThat(r.verdict().nla()).isEqualTo(NegotiationVerdict.Nla.UNAVAILABLE);
    assertThat(r.tls().handshakeError()).contains("reset");
    assertThat(r.stageFailures().get("tls").kind()).isEqualTo(FailureKind.CONNECTION_RESET);
    assertThat(r.stageFailures().get("tls").phase()).isEqualTo(Phase.TLS);
    assertThat(r.problems()).anyMatch(p -> p.startsWith("TLS handshake failed"));
  }

  /** Selects TLS, then starts a 16 KB handshake record and never finishes it. */
  @Test
  void neverEndingTlsRecord() {
    ProbeReport r = probe(s -> {
      confirmSsl(s);
      s.getInputStream().readNBytes(5);
      OutputStream out = s.getOutputStream();
      out.write(Hex.parse("16 03 03 40 00 02"));
      out.flush();
      while (true) {
        out.write(0);
        out.flush();
        Thread.sleep(200);
      }
    });
    assertThat(r.failure()).isNull();
    assertThat(r.stageFailures().get("tls").kind()).isIn(FailureKind.NO_RESPONSE, FailureKind.DEADLINE);
    assertThat(r.stageFailures().get("tls").phase()).isEqualTo(Phase.TLS);
  }

  @Test
  void httpServer() {
    ProbeReport r = probe(s -> {
      s.getInputStream().readNBytes(19);
      s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
    });
    assertThat(r.failure().kind()).isEqualTo(FailureKind.NOT_RDP_HTTP);
    assertThat(r.failure().getMessage()).contains("\"HTTP\"");
  }

  @Test
  void sshServer() {
    ProbeReport r = probe(s -> {
      s.getOutputStream().write("SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      s.getInputStream().readAllBytes();
    });
    assertThat(r.failure().kind()).isEqualTo(FailureKind.NOT_RDP_SSH);
  }

  /** A TLS-only service answers the X.224 bytes with a TLS alert record. */
  @Test
  void bareTlsServer() {
    ProbeReport r = probe(s -> {
      s.getInputStream().readNBytes(5);
      s.getOutputStream().write(Hex.parse("15 03 01 00 02 02 32"));
      s.getOutputStream().flush();
    });
    assertThat(r.failure().kind()).isEqualTo(FailureKind.NOT_RDP_TLS);
  }

  @Test
  void closesWithoutAnswer() {
    ProbeReport r = probe(s -> s.getInputStream().readNBytes(19));
    assertThat(r.failure().kind()).isIn(FailureKind.CONNECTION_CLOSED, FailureKind.CONNECTION_RESET);
    assertThat(r.failure().kind().clientCodeHex()).isEqualTo("0x904");
  }

  private static void confirmSsl(Socket s) throws java.io.IOException {
    InputStream in = s.getInputStream();
    FakeServer.readTpkt(in);
    s.getOutputStream().write(
        new ConnectionConfirm(0x1234, new NegotiationData.Response(0, SecurityProtocols.SSL)).encode());
    s.getOutputStream().flush();
  }
}
