package rdpdoctor.probe.gateway;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.Phase;
import rdpdoctor.evidence.x509.CertificateAnalysis;
import rdpdoctor.evidence.x509.X509Analyzer;
import rdpdoctor.probe.Connection;
import rdpdoctor.probe.Deadline;
import rdpdoctor.probe.FailureKind;
import rdpdoctor.probe.ProbeContext;
import rdpdoctor.probe.ProbeFailure;
import rdpdoctor.probe.ProbeOptions;
import rdpdoctor.probe.ProbeThreads;
import rdpdoctor.probe.Recorder;
import rdpdoctor.probe.Target;
import rdpdoctor.probe.TlsEnumeration;
import rdpdoctor.probe.TlsHandshake;
import rdpdoctor.probe.nla.NtlmInfo;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.nlmp.ChallengeMessage;
import rdpdoctor.protocol.nlmp.NegotiateMessage;
import rdpdoctor.protocol.tls.TlsNames;
import rdpdoctor.protocol.tsgu.HttpHead;
import rdpdoctor.protocol.tsgu.RdgRequest;
import rdpdoctor.protocol.tsgu.RpcProxyRequest;

/**
 * What an RD Gateway shows a client before any credential: its TLS (versions, suites, the
 * certificate mstsc will judge), what the HTTP transport answers to RDG_OUT_DATA and RDG_IN_DATA,
 * whether the WebSocket upgrade is answered, whether the legacy RPC-over-HTTP endpoint is there and
 * which authentication it asks for, the NTLM CHALLENGE a 401 gives to an NTLM NEGOTIATE (names, OS
 * build, clock), and whether UDP 3391 answers a DTLS ClientHello. Each check runs on its own
 * connection, side by side, inside one deadline; every answer is read through the probe's
 * deadline-bounded {@link Connection} and the bounded {@link HttpHead.Framer}.
 *
 * <p>Observation types ({@code gateway.tls}, {@code gateway.http}, {@code gateway.ntlm},
 * {@code gateway.udp}) are listed in DEVELOPERS.md.
 */
public final class GatewayCheck {
  /** The RD Gateway's HTTPS port. */
  public static final int DEFAULT_PORT = 443;
  private static final SecureRandom RANDOM = new SecureRandom();

  private GatewayCheck() {}

  /**
   * Runs every unauthenticated check against {@code gateway} within {@code timeout}. Never throws:
   * a gateway that cannot be reached at all gives a report with {@link GatewayReport#failure()}.
   */
  public static GatewayReport check(Target gateway, Duration timeout) {
    return check(gateway, DtlsPing.PORT, timeout);
  }

  /** The same with the UDP transport on {@code udpPort} (tests: an ephemeral port). */
  public static GatewayReport check(Target gateway, int udpPort, Duration timeout) {
    Recorder recorder = new Recorder(gateway);
    Deadline deadline = Deadline.in(timeout);
    ProbeOptions options = ProbeOptions.defaults().withTimeout(timeout);
    ProbeContext ctx;
    try {
      ctx = ProbeContext.direct(gateway, options, deadline, recorder);
    } catch (ProbeFailure f) {
      handshakeFailed(recorder, f);
      return new GatewayReport(gateway, recorder.observations(), f.describe(), f.kind(), recorder.elapsedMicros());
    }
    String host = gateway.host();
    ProbeFailure[] tlsFailure = new ProbeFailure[1];
    // closing the pool waits for every check: each ends by its own deadline
    try (ExecutorService pool = ProbeThreads.perTask()) {
      pool.submit(() -> {
        try {
          tls(ctx);
        } catch (ProbeFailure f) {
          tlsFailure[0] = f;
        }
      });
      pool.submit(() -> enumerate(ctx));
      String id = "{" + UUID.randomUUID().toString().toUpperCase(java.util.Locale.ROOT) + "}";
      pool.submit(() -> http(ctx, "RDG_OUT_DATA",
          new RdgRequest(RdgRequest.OUT, host, id, null, null, false).encode()));
      pool.submit(() -> http(ctx, "RDG_IN_DATA",
          new RdgRequest(RdgRequest.IN, host, id, null, null, false).encode()));
      pool.submit(() -> http(ctx, "websocket",
          new RdgRequest(RdgRequest.OUT, host, id, websocketKey(), null, false).encode()));
      pool.submit(() -> http(ctx, "rpc", new RpcProxyRequest(host, null, 0).encode()));
      pool.submit(() -> ntlm(ctx, id));
      pool.submit(() -> DtlsPing.check(ctx, udpPort));
    }
    ProbeFailure f = tlsFailure[0];
    return new GatewayReport(gateway, recorder.observations(), f == null ? null : f.describe(),
        f == null ? null : f.kind(), recorder.elapsedMicros());
  }

  private static String websocketKey() {
    byte[] k = new byte[16];
    RANDOM.nextBytes(k);
    return Base64.getEncoder().encodeToString(k);
  }

  /** The SNI a client sends: the typed name, never an address. */
  static @Nullable String sni(String host) {
    return host.matches("[0-9.]+") || host.contains(":") ? null : host;
  }

  /** A connection with TLS running, as every HTTP check needs. */
  private static Connection secured(ProbeContext ctx, String label) throws ProbeFailure {
    Connection c = ctx.connect(label);
    try {
      TlsHandshake.run(c, sni(ctx.target().host()), ctx.stepDeadline());
      return c;
    } catch (ProbeFailure f) {
      c.close();
      throw f;
    }
  }

  /** The full handshake: the server's choice and the chain, judged against the gateway's name. */
  static void tls(ProbeContext ctx) throws ProbeFailure {
    Recorder rec = ctx.recorder();
    String host = ctx.target().host();
    TlsHandshake.Result hs;
    int number;
    try (Connection c = ctx.connect("tls")) {
      number = c.number();
      hs = TlsHandshake.run(c, sni(host), ctx.stepDeadline());
    } catch (ProbeFailure f) {
      handshakeFailed(rec, f);
      throw f;
    }
    String version = TlsNames.version(hs.version());
    String suite = TlsNames.suite(hs.cipherSuite());
    rec.observe(rec.observation("gateway.tls", number, "tls handshake")
        .with("aspect", "handshake")
        .with("version", version)
        .with("suite", suite)
        .with("chainLength", (long) hs.chain().size())
        .summary("TLS handshake with the gateway: " + version + " with " + suite));
    Instant now = Instant.now();
    for (int i = 0; i < hs.chain().size(); i++) {
      Observation.Builder b = rec.observation("gateway.tls", number, "tls handshake")
          .with("aspect", "certificate")
          .with("position", (long) i);
      try {
        // mstsc checks the leaf against the gateway name it was given, as a browser does
        CertificateAnalysis a = X509Analyzer.analyze(hs.chain().get(i), i == 0 ? host : null, now);
        rec.observe(a.describe(b).summary("gateway certificate " + i + " " + a.subject() + ", expires " + a.notAfter()
            + (a.selfSigned() ? ", self-signed" : "")
            + (a.problems().isEmpty() ? "" : "; problems: " + String.join("; ", a.problems()))));
      } catch (DecodeException e) {
        rec.observe(b.with("error", e.getMessage())
            .summary("gateway certificate " + i + " cannot be read: " + e.getMessage()));
      }
    }
  }

  /** The handshake could not be had: name resolution, TCP or TLS failed (the kind says which). */
  private static void handshakeFailed(Recorder rec, ProbeFailure f) {
    rec.observe(rec.observation("gateway.tls", 0, "tls handshake")
        .with("aspect", "handshake")
        .with("failureKind", f.kind().name())
        .with("error", f.describe())
        .summary("TLS handshake with the gateway failed: " + f.describe()));
  }

  /** Versions and suites, with the probe's hand-made ClientHellos straight on the HTTPS port. */
  static void enumerate(ProbeContext ctx) {
    Recorder rec = ctx.recorder();
    TlsEnumeration.run(ctx, () -> ctx.connect("tls enumeration"), (name, accepted) ->
        rec.observe(rec.observation("gateway.tls", 0, "tls enumeration")
            .with("aspect", "version")
            .with("version", name)
            .with("accepted", !accepted.isEmpty())
            .with("suites", accepted.isEmpty() ? null : accepted.stream().map(TlsNames::suite).toList())
            .summary("gateway " + name + (accepted.isEmpty() ? " refused" : " accepted, " + accepted.size() + " suites"))));
  }

  /** The answer to one request: its head, or how the gateway failed to give one. */
  record Answer(@Nullable HttpHead head, int connection, boolean closed, @Nullable String error) {}

  /** Sends {@code request} on a fresh TLS connection and reads the response head. */
  static Answer exchange(ProbeContext ctx, String label, byte[] request) {
    Connection c;
    try {
      c = secured(ctx, label);
    } catch (ProbeFailure f) {
      return new Answer(null, 0, false, f.describe());
    }
    try (c) {
      c.send(request, Phase.GATEWAY);
      HttpHead.Framer framer = new HttpHead.Framer();
      byte[] buf = new byte[4096];
      Deadline d = ctx.stepDeadline();
      while (!framer.complete()) {
        int n;
        try {
          n = c.read(buf, buf.length, d, Phase.GATEWAY);
        } catch (ProbeFailure f) {
          boolean closed = f.kind() == FailureKind.CONNECTION_CLOSED || f.kind() == FailureKind.CONNECTION_RESET;
          String what = framer.received() == 0 ? "no status line" : framer.received() + " bytes of a head without its end";
          return new Answer(null, c.number(), closed,
              (closed ? "closed after the request, " : "") + what + ": " + f.describe());
        }
        int taken = 0;
        while (taken < n && !framer.complete()) {
          taken += framer.offer(buf, taken, n - taken); // a 10 MB header fails here at 64 KiB
        }
      }
      return new Answer(framer.head(), c.number(), false, null);
    } catch (ProbeFailure f) {
      return new Answer(null, c.number(), false, f.describe());
    } catch (DecodeException e) {
      return new Answer(null, c.number(), false, e.getMessage());
    }
  }

  /** One {@code gateway.http} observation for one request. */
  static void http(ProbeContext ctx, String request, byte[] bytes) {
    Answer a = exchange(ctx, "http " + request, bytes);
    Recorder rec = ctx.recorder();
    Observation.Builder b = rec.observation("gateway.http", a.connection(), "http " + request).with("request", request);
    Long status = null;
    List<String> schemes = List.of();
    if (a.head() != null) {
      try {
        status = (long) a.head().status();
        schemes = a.head().schemes();
        b.with("status", status).with("closed", false).with("schemes", schemes)
            .with("server", a.head().header("Server").orElse(null));
        if (request.equals("websocket")) {
          b.with("upgraded", status == 101);
        }
      } catch (DecodeException e) {
        b.with("closed", false).with("error", e.getMessage());
      }
    } else {
      b.with("closed", a.closed()).with("error", a.error());
    }
    String what = status != null
        ? "HTTP " + status + (schemes.isEmpty() ? "" : ", offers " + String.join(", ", schemes))
        : a.closed() ? "connection closed without an answer" : "no answer: " + a.error();
    rec.observe(b.summary(request + " " + what));
  }

  /**
   * RDG_OUT_DATA with "Authorization: NTLM" and a NEGOTIATE: a Windows gateway answers 401 with its
   * CHALLENGE, whose target info names the gateway and its domain, and whose VERSION and timestamp
   * give the OS build and its clock.
   */
  static void ntlm(ProbeContext ctx, String id) {
    String negotiate = "NTLM " + Base64.getEncoder().encodeToString(NegotiateMessage.client().encode());
    Instant sent = Instant.now();
    Answer a = exchange(ctx, "http ntlm",
        new RdgRequest(RdgRequest.OUT, ctx.target().host(), id, null, negotiate, false).encode());
    Instant received = Instant.now();
    Recorder rec = ctx.recorder();
    Observation.Builder b = rec.observation("gateway.ntlm", a.connection(), "http ntlm negotiate");
    if (a.head() == null) {
      rec.observe(b.with("error", a.error()).summary("no NTLM CHALLENGE: " + a.error()));
      return;
    }
    String token = a.head().token("WWW-Authenticate", "NTLM").orElse(null);
    if (token == null) {
      rec.observe(b.with("error", "the answer to an NTLM NEGOTIATE has no NTLM challenge")
          .summary("no NTLM CHALLENGE in the answer to an NTLM NEGOTIATE"));
      return;
    }
    ChallengeMessage c;
    try {
      byte[] raw = Base64.getDecoder().decode(token.getBytes(StandardCharsets.US_ASCII));
      c = ChallengeMessage.decode(raw);
    } catch (IllegalArgumentException | DecodeException e) {
      rec.observe(b.with("error", "cannot read the NTLM challenge: " + e.getMessage())
          .summary("unreadable NTLM CHALLENGE: " + e.getMessage()));
      return;
    }
    long rtt = Math.max(0, Duration.between(sent, received).toMillis());
    // the same reading as the host probe's CredSSP NEGOTIATE; -1: no CredSSP here
    NtlmInfo info = NtlmInfo.of(-1, c, false, received, rtt);
    b.with("targetName", info.targetName())
        .with("netbiosDomain", info.netbiosDomain())
        .with("netbiosComputer", info.netbiosComputer())
        .with("dnsComputer", info.dnsComputer())
        .with("dnsDomain", info.dnsDomain())
        .with("osVersion", info.osVersion())
        .with("osBuild", osBuild(info.osVersion()))
        .with("osProduct", info.osProduct())
        .with("serverTime", info.serverTime())
        .with("clockSkewSeconds", info.clockSkewSeconds())
        .with("kerberosSkewProblem", info.kerberosSkewProblem());
    String who = info.dnsComputer() != null ? info.dnsComputer() : info.netbiosComputer();
    rec.observe(b.summary("gateway NTLM CHALLENGE from " + who
        + (info.osVersion() != null ? ", Windows " + info.osVersion() : "")
        + (info.clockSkewSeconds() != null ? ", clock skew " + info.clockSkewSeconds() + " s" : "")));
  }

  /** "10.0.17763" gives 17763. */
  static @Nullable Long osBuild(@Nullable String osVersion) {
    if (osVersion == null) {
      return null;
    }
    int dot = osVersion.lastIndexOf('.');
    try {
      return Long.parseLong(osVersion.substring(dot + 1));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
