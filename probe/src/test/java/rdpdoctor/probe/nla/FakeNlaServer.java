package rdpdoctor.probe.nla;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import rdpdoctor.probe.FakeServer;
import rdpdoctor.probe.Target;
import rdpdoctor.protocol.cssp.FakeCredsspServer;
import rdpdoctor.protocol.cssp.PubKeyAuth;
import rdpdoctor.protocol.cssp.TsRequest;
import rdpdoctor.protocol.nlmp.TargetInfo;
import rdpdoctor.protocol.rdpbcgr.x224.ConnectionConfirm;
import rdpdoctor.protocol.rdpbcgr.x224.ConnectionRequest;
import rdpdoctor.protocol.rdpbcgr.x224.NegotiationData;
import rdpdoctor.protocol.rdpbcgr.x224.SecurityProtocols;

/**
 * An in-process NLA server on 127.0.0.1 (ephemeral port): X.224 selecting HYBRID (or HYBRID_EX when
 * asked), TLS with a self-signed RSA certificate made here, then CredSSP answered by
 * {@link FakeCredsspServer} against one account. Behaviours make it hostile for the tests.
 */
public final class FakeNlaServer implements AutoCloseable {
  /** What the server does beyond the honest protocol. */
  public enum Mode {
    HONEST,
    WRONG_ECHO,
    SILENT_AFTER_AUTHENTICATE,
    CLOSE_ON_FAILURE,
    /** Answers the NEGOTIATE with a TSRequest header announcing 2 GiB, then trickles bytes. */
    OVERSIZED_TSREQUEST
  }

  private final FakeServer server;
  private final SSLContext tls;
  private final byte[] subjectPublicKey;
  private final String domain;
  private final String user;
  private final char[] password;
  private final Mode mode;
  private final Duration clockOffset;
  private final long credsspVersion;
  /** Every TSRequest received, raw, across connections (for the secrecy checks). */
  public final List<byte[]> received = java.util.Collections.synchronizedList(new ArrayList<>());

  public FakeNlaServer(String domain, String user, char[] password, Mode mode, Duration clockOffset, long credsspVersion)
      throws Exception {
    this.domain = domain;
    this.user = user;
    this.password = password.clone();
    this.mode = mode;
    this.clockOffset = clockOffset;
    this.credsspVersion = credsspVersion;
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair kp = g.generateKeyPair();
    Instant now = Instant.now();
    X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
        new JcaX509v3CertificateBuilder(
            new X500Name("CN=rds01.corp.example"), BigInteger.valueOf(now.toEpochMilli()),
            Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365))),
            new X500Name("CN=rds01.corp.example"), kp.getPublic())
            .build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())));
    subjectPublicKey = PubKeyAuth.subjectPublicKey(cert.getEncoded());
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("rdp", kp.getPrivate(), new char[] {'x'}, new java.security.cert.Certificate[] {cert});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[] {'x'});
    tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    server = new FakeServer(this::handle);
  }

  public Target target() {
    return server.target();
  }

  public int port() {
    return server.port();
  }

  private void handle(Socket s) throws Exception {
    InputStream in = s.getInputStream();
    OutputStream out = s.getOutputStream();
    ConnectionRequest cr = ConnectionRequest.decode(FakeServer.readTpkt(in));
    Long req = cr.negotiation() == null ? null : cr.negotiation().requestedProtocols();
    if (req == null) {
      return; // NLA-only: legacy clients are refused by closing
    }
    long selected;
    if ((req & SecurityProtocols.HYBRID_EX) != 0) {
      selected = SecurityProtocols.HYBRID_EX;
    } else if ((req & SecurityProtocols.HYBRID) != 0) {
      selected = SecurityProtocols.HYBRID;
    } else {
      out.write(new ConnectionConfirm(0x1234,
          new NegotiationData.Failure(0, NegotiationData.Failure.HYBRID_REQUIRED_BY_SERVER)).encode());
      out.flush();
      return;
    }
    out.write(new ConnectionConfirm(0x1234, new NegotiationData.Response(0x1F, selected)).encode());
    out.flush();
    SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(s, in, true);
    ssl.setUseClientMode(false);
    ssl.startHandshake();
    InputStream tin = ssl.getInputStream();
    OutputStream tout = ssl.getOutputStream();
    long fileTime = TargetInfo.epochMillisToFileTime(Instant.now().plus(clockOffset).toEpochMilli());
    FakeCredsspServer.Behaviour b = switch (mode) {
      case WRONG_ECHO -> FakeCredsspServer.Behaviour.WRONG_ECHO;
      case SILENT_AFTER_AUTHENTICATE -> FakeCredsspServer.Behaviour.SILENT_AFTER_AUTHENTICATE;
      case CLOSE_ON_FAILURE -> FakeCredsspServer.Behaviour.CLOSE_ON_FAILURE;
      default -> FakeCredsspServer.Behaviour.HONEST;
    };
    FakeCredsspServer credssp = new FakeCredsspServer(domain, user, password, subjectPublicKey, credsspVersion, b, fileTime);
    while (true) {
      byte[] request = readTsRequest(tin);
      if (request == null) {
        return;
      }
      received.add(request);
      if (mode == Mode.OVERSIZED_TSREQUEST) {
        tout.write(new byte[] {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        tout.flush();
        for (int i = 0; i < 50; i++) {
          tout.write(0);
          tout.flush();
          Thread.sleep(100);
        }
        return;
      }
      byte[] answer = credssp.onRequest(request);
      if (answer == null) {
        if (mode == Mode.SILENT_AFTER_AUTHENTICATE) {
          tin.read(); // hold the connection open until the client gives up
        }
        return; // CLOSE_ON_FAILURE: close without a word
      }
      tout.write(answer);
      tout.flush();
    }
  }

  /** One DER-framed TSRequest, or null when the client closed. */
  static byte[] readTsRequest(InputStream in) throws IOException {
    byte[] head = new byte[6];
    int have = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head[have++] = (byte) b;
      int n = TsRequest.frameLength(head, have);
      if (n >= 0) {
        byte[] all = new byte[n];
        System.arraycopy(head, 0, all, 0, have);
        byte[] rest = in.readNBytes(n - have);
        System.arraycopy(rest, 0, all, have, rest.length);
        return all;
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
