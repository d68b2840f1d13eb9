package rdpdoctor.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Vector;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.NameType;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.ServerName;
import org.bouncycastle.tls.ServerOnlyTlsAuthentication;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Phase;

/**
 * A full TLS handshake over an open {@link Connection} with BouncyCastle's low-level client in
 * non-blocking mode, so the bytes go through the probe's own deadline-bound socket reads. It offers
 * TLS 1.0 to 1.3 and RSA key exchange explicitly (BouncyCastle's defaults leave RSA key exchange
 * out, and the JVM's own TLS refuses TLS 1.0; old RDP hosts need both). The certificate is accepted
 * whatever it is: judging it is the probe's job, and a client that trusts it would go on.
 */
public final class TlsHandshake {
  static final BcTlsCrypto CRYPTO = new BcTlsCrypto(new SecureRandom());

  /** What a full handshake offers: every suite BouncyCastle can complete that RDP servers use. */
  static final int[] OFFER = {
    CipherSuite.TLS_AES_128_GCM_SHA256,
    CipherSuite.TLS_AES_256_GCM_SHA384,
    CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
    CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,
    CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
    CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
    CipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
    CipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
    CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA256,
    CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA256,
    CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA,
    CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA,
    CipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384,
    CipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256,
    CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA256,
    CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256,
    CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA,
    CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA,
    CipherSuite.TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA,
    CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA,
  };

  /**
   * What the handshake settled.
   *
   * @param version negotiated version (0x0303 = TLS 1.2)
   * @param cipherSuite negotiated suite
   * @param chain the server's certificates, leaf first, DER
   */
  public record Result(int version, int cipherSuite, List<byte[]> chain) {}

  private TlsHandshake() {}

  /**
   * Loads and initialises BouncyCastle's TLS classes by building a ClientHello that is never sent,
   * so the first real handshake does not pay for it. The probe calls this on a background thread
   * while the negotiation sweep runs.
   */
  static void warmUp() {
    try {
      TlsClientProtocol p = new TlsClientProtocol();
      p.connect(new ProbeClient("warm.up", ProtocolVersion.TLSv13.downTo(ProtocolVersion.TLSv10), OFFER));
      p.readOutput(new byte[p.getAvailableOutputBytes()], 0, p.getAvailableOutputBytes());
      p.close();
    } catch (IOException | RuntimeException e) {
      // only an optimisation: the real handshake reports real problems
    }
  }

  /**
   * Runs the handshake on {@code c} (after X.224 selected TLS) and leaves TLS active on it, so
   * later steps (CredSSP) send through it.
   *
   * @param serverName the name for SNI, or null (an IP address never goes into SNI)
   */
  public static Result run(Connection c, @Nullable String serverName, Deadline deadline) throws ProbeFailure {
    return run(c, serverName, ProtocolVersion.TLSv13.downTo(ProtocolVersion.TLSv10), OFFER, deadline);
  }

  static Result run(Connection c, @Nullable String serverName, ProtocolVersion[] versions, int[] suites,
      Deadline deadline) throws ProbeFailure {
    Recorder recorder = c.recorder();
    long start = recorder.now();
    String name = "tls handshake";
    ProbeClient client = new ProbeClient(serverName, versions, suites);
    TlsClientProtocol protocol = new TlsClientProtocol();
    try {
      protocol.connect(client);
      c.flush(protocol);
      byte[] buf = new byte[16 * 1024 + 2048 + 5];
      boolean first = true;
      while (protocol.isHandshaking() && !protocol.isClosed()) {
        int n = c.readRaw(buf, buf.length, deadline, Phase.TLS);
        if (first && buf[0] == 0x03) {
          // 0x03 = TPKT: the server selected TLS in X.224 but answers the ClientHello in plain RDP
          // (xrdp does so, with an MCS disconnect, when OpenSSL will not load its key or certificate).
          throw new ProbeFailure(FailureKind.TLS_FAILED, Phase.TLS,
              "the server selected TLS but answered the ClientHello with a plain RDP PDU ("
                  + rdpdoctor.protocol.Hex.of(java.util.Arrays.copyOf(buf, Math.min(n, 9)))
                  + "): it cannot start TLS, usually because its certificate or key is unusable");
        }
        first = false;
        protocol.offerInput(buf, 0, n);
        c.flush(protocol);
      }
      if (protocol.isClosed() || !client.done) {
        throw new ProbeFailure(FailureKind.TLS_FAILED, Phase.TLS, "the TLS layer closed before the handshake finished");
      }
      c.useTls(protocol);
      Result r = new Result(client.version, client.suite, client.chain);
      recorder.phase(name, Phase.TLS, c.number(), start, null);
      return r;
    } catch (IOException e) {
      ProbeFailure f = c.classifyIo(e, Phase.TLS, "tls handshake");
      if (f.kind() == FailureKind.CONNECTION_RESET || f.kind() == FailureKind.CONNECTION_CLOSED) {
        f = new ProbeFailure(f.kind(), Phase.TLS, "during the TLS handshake: " + f.getMessage(), e);
      }
      recorder.phase(name, Phase.TLS, c.number(), start, f);
      throw f;
    } catch (ProbeFailure f) {
      ProbeFailure g = f.phase() == Phase.TLS ? f
          : new ProbeFailure(f.kind(), Phase.TLS, "during the TLS handshake: " + f.getMessage(), f);
      recorder.phase(name, Phase.TLS, c.number(), start, g);
      throw g;
    }
  }

  /** The BouncyCastle client: explicit versions and suites, SNI when a name was typed, any certificate. */
  static final class ProbeClient extends DefaultTlsClient {
    private final @Nullable String serverName;
    private final ProtocolVersion[] versions;
    private final int[] suites;
    boolean done;
    int version;
    int suite;
    List<byte[]> chain = List.of();

    ProbeClient(@Nullable String serverName, ProtocolVersion[] versions, int[] suites) {
      super(CRYPTO);
      this.serverName = serverName;
      this.versions = versions;
      this.suites = suites;
    }

    @Override
    public ProtocolVersion[] getProtocolVersions() {
      return versions;
    }

    @Override
    public int[] getCipherSuites() {
      return TlsUtils.getSupportedCipherSuites(getCrypto(), suites);
    }

    @Override
    protected Vector<ServerName> getSNIServerNames() {
      if (serverName == null || serverName.isEmpty() || serverName.matches("[0-9.]+") || serverName.contains(":")) {
        return null;
      }
      Vector<ServerName> v = new Vector<>();
      v.add(new ServerName(NameType.host_name, serverName.getBytes(StandardCharsets.US_ASCII)));
      return v;
    }

    @Override
    public TlsAuthentication getAuthentication() {
      return new ServerOnlyTlsAuthentication() {
        @Override
        public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
          List<byte[]> out = new ArrayList<>();
          org.bouncycastle.tls.Certificate certs = serverCertificate.getCertificate();
          for (int i = 0; i < certs.getLength(); i++) {
            out.add(certs.getCertificateAt(i).getEncoded());
          }
          chain = List.copyOf(out);
        }
      };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
      super.notifyHandshakeComplete();
      done = true;
      version = context.getSecurityParametersConnection().getNegotiatedVersion().getFullVersion();
      suite = context.getSecurityParametersConnection().getCipherSuite();
    }
  }
}
