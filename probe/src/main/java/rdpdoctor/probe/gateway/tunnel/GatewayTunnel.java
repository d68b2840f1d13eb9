package rdpdoctor.probe.gateway.tunnel;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.Phase;
import rdpdoctor.diagnosis.catalog.Catalog;
import rdpdoctor.diagnosis.catalog.CodeEntry;
import rdpdoctor.probe.Deadline;
import rdpdoctor.probe.FailureKind;
import rdpdoctor.probe.NegotiationResult;
import rdpdoctor.probe.NegotiationVerdict;
import rdpdoctor.probe.Observations;
import rdpdoctor.probe.Probe;
import rdpdoctor.probe.ProbeFailure;
import rdpdoctor.probe.Recorder;
import rdpdoctor.probe.Step;
import rdpdoctor.probe.Target;
import rdpdoctor.probe.X224Step;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.nlmp.NtlmClient;
import rdpdoctor.protocol.nlmp.TargetInfo;
import rdpdoctor.protocol.rdpbcgr.x224.NegotiationRequest;
import rdpdoctor.protocol.rdpbcgr.x224.X224;
import rdpdoctor.protocol.tsgu.HttpHead;
import rdpdoctor.protocol.tsgu.RdgRequest;
import rdpdoctor.protocol.tsgu.TsguPacket;

/**
 * Goes through an RD Gateway the way FreeRDP 2.11 and mstsc do ([MS-TSGU] 3.3.5 over the HTTP
 * transport) and runs the host's X.224 sweep through the channel: HTTP NTLM authentication of
 * RDG_OUT_DATA (upgraded to a WebSocket, or with its RDG_IN_DATA pair), handshake, tunnel create,
 * tunnel authorization (the CAP), channel create to the target (the RAP, and whether the gateway
 * reaches the host), then each X.224 request of {@link Probe#SWEEP} over a channel of its own.
 *
 * <p>Each stage yields one {@code gateway.tunnel} observation (DEVELOPERS.md); a refusal carries
 * the gateway's HRESULT. Only the NTLMv2 proof computed from the credentials is sent; nothing
 * derived from the password is recorded. Everything ends within the deadline.
 */
public final class GatewayTunnel {
  /** The stages, named as the {@code stage} field of the observations. */
  public enum Stage {
    AUTH("auth"),
    HANDSHAKE("handshake"),
    TUNNEL_CREATE("tunnelCreate"),
    TUNNEL_AUTH("tunnelAuth"),
    CHANNEL_CREATE("channelCreate"),
    HOST_PROBE("hostProbe");

    private final String json;

    Stage(String json) {
      this.json = json;
    }

    public String json() {
      return json;
    }
  }

  /**
   * The capabilities offered in TUNNEL_CREATE: FreeRDP 2.11's (QUAR_SOH, MESSAGING_CONSENT_SIGN,
   * MESSAGING_SERVICE_MSG) and IDLE_TIMEOUT, so the gateway says its idle timeout.
   */
  static final long CAPABILITIES = TsguPacket.TunnelCreate.FREERDP_CAPABILITIES | TsguPacket.HTTP_CAPABILITY_IDLE_TIMEOUT;
  /** The seed [MS-TSGU] 3.3.5.1 step 4 puts after a legacy RDG_OUT_DATA 200; FreeRDP reads 10 bytes. */
  static final int SEED_LENGTH = 10;

  private final GatewayTunnelOptions options;
  private final Deadline deadline;
  private final SecureRandom random = new SecureRandom();

  private GatewayTunnel(GatewayTunnelOptions options, Deadline deadline) {
    this.options = options;
    this.deadline = deadline;
  }

  /**
   * Runs every stage, then the host probe through the tunnel; never throws for what the gateway
   * does: that is in the report.
   */
  public static GatewayTunnelReport check(GatewayTunnelOptions options, Deadline deadline) {
    return new GatewayTunnel(options, deadline).run();
  }

  private GatewayTunnelReport run() {
    Recorder gw = new Recorder(new Target(options.gatewayHost(), options.gatewayPort()));
    Recorder host = new Recorder(new Target(options.targetHost(), options.targetPort()));
    Channel first;
    try {
      first = open(gw);
    } catch (TunnelFailure f) {
      return new GatewayTunnelReport(merge(gw, host), f, null, List.of(), null);
    }
    List<NegotiationResult> sweep = new ArrayList<>();
    String transport = first.packets.transport();
    Channel channel = first;
    for (NegotiationRequest req : Probe.SWEEP) {
      if (channel == null) {
        try {
          channel = open(null); // quietly: the first tunnel's stages are already recorded
        } catch (TunnelFailure f) {
          sweep.add(NegotiationResult.error(req, probeFailure(f)));
          continue;
        }
      }
      // the channel's reads are bounded by the step deadline its tunnel was opened with
      try (Channel c = channel) {
        X224.Tpdu answer = c.run(new X224Step(req, null));
        sweep.add(NegotiationResult.of(req, answer));
      } catch (TunnelFailure f) {
        sweep.add(NegotiationResult.error(req, probeFailure(f)));
      }
      channel = null;
    }
    NegotiationVerdict verdict = NegotiationVerdict.of(sweep);
    Observations.negotiation(host, sweep, verdict);
    long answered = sweep.stream().filter(r -> r.outcome() != NegotiationResult.Outcome.ERROR).count();
    TunnelFailure failure = null;
    Observation.Builder o = gw.observation("gateway.tunnel", 0, Stage.HOST_PROBE.json())
        .with("stage", Stage.HOST_PROBE.json())
        .with("ok", answered > 0)
        .with("transport", transport);
    if (answered == 0) {
      String why = sweep.get(0).error() == null ? "no answer" : sweep.get(0).error().describe();
      failure = TunnelFailure.of(Stage.HOST_PROBE, "no X.224 request got an answer through the tunnel: " + why);
      o.with("error", failure.getMessage());
    }
    gw.observe(o.summary(answered > 0
        ? "the host answered " + answered + " of " + sweep.size() + " X.224 requests through the gateway's "
            + transport + " tunnel; NLA " + verdict.nla().json()
        : failure.getMessage()));
    return new GatewayTunnelReport(merge(gw, host), failure, transport, sweep, verdict);
  }

  private static List<Observation> merge(Recorder gw, Recorder host) {
    List<Observation> all = new ArrayList<>(gw.observations());
    all.addAll(host.observations());
    return List.copyOf(all);
  }

  /** A tunnel failure as the probe's failure of one X.224 request. */
  private static ProbeFailure probeFailure(TunnelFailure f) {
    FailureKind kind = f.timedOut() ? FailureKind.NO_RESPONSE
        : f.getCause() instanceof DecodeException ? FailureKind.PROTOCOL_ERROR
        : FailureKind.CONNECTION_CLOSED;
    return new ProbeFailure(kind, Phase.X224, "through the gateway: " + f.getMessage(), f);
  }

  // --- the stages -----------------------------------------------------------------------------

  /** Opens a tunnel and a channel to the target; with a recorder, each stage is observed. */
  private Channel open(@Nullable Recorder rec) throws TunnelFailure {
    Deadline step = deadline.within(options.stepTimeout());
    PacketChannel packets = transport(rec, step);
    try {
      packets.send(TsguPacket.HandshakeRequest.standard(), Stage.HANDSHAKE);
      var hs = expect(packets, TsguPacket.HandshakeResponse.class, Stage.HANDSHAKE, "PKT_TYPE_HANDSHAKE_RESPONSE");
      refused(Stage.HANDSHAKE, hs.errorCode(), rec);
      observe(rec, Stage.HANDSHAKE, null, b -> b.with("serverVersion", (long) hs.serverVersion())
              .with("extendedAuth", (long) hs.extendedAuth()),
          "handshake: gateway version " + hs.versionMajor() + "." + hs.versionMinor() + ", server version "
              + hs.serverVersion());

      packets.send(new TsguPacket.TunnelCreate(CAPABILITIES, null, null), Stage.TUNNEL_CREATE);
      var tr = expect(packets, TsguPacket.TunnelResponse.class, Stage.TUNNEL_CREATE, "PKT_TYPE_TUNNEL_RESPONSE");
      refused(Stage.TUNNEL_CREATE, tr.statusCode(), rec);
      observe(rec, Stage.TUNNEL_CREATE, null, b -> b.with("serverVersion", (long) tr.serverVersion())
              .with("capabilities", tr.capabilities())
              .with("consentMessage", tr.consentMessage() != null ? Boolean.TRUE : null),
          "tunnel created" + (tr.tunnelId() == null ? "" : " (id " + tr.tunnelId() + ")")
              + (tr.capabilities() == null ? "" : ", capabilities 0x" + Long.toHexString(tr.capabilities())));

      packets.send(new TsguPacket.TunnelAuth(options.clientName(), null), Stage.TUNNEL_AUTH);
      var ta = expect(packets, TsguPacket.TunnelAuthResponse.class, Stage.TUNNEL_AUTH, "PKT_TYPE_TUNNEL_AUTH_RESPONSE");
      refused(Stage.TUNNEL_AUTH, ta.errorCode(), rec);
      observe(rec, Stage.TUNNEL_AUTH, null, b -> b.with("redirectFlags", ta.redirectFlags())
              .with("idleTimeoutMinutes", ta.idleTimeoutMinutes()),
          "tunnel authorized for " + account() + " (the connection authorization policy allows it)"
              + (ta.idleTimeoutMinutes() == null ? "" : ", idle timeout " + ta.idleTimeoutMinutes() + " min"));

      packets.send(TsguPacket.ChannelCreate.to(options.targetHost(), options.targetPort()), Stage.CHANNEL_CREATE);
      var cr = expect(packets, TsguPacket.ChannelResponse.class, Stage.CHANNEL_CREATE, "PKT_TYPE_CHANNEL_RESPONSE");
      refused(Stage.CHANNEL_CREATE, cr.errorCode(), rec);
      observe(rec, Stage.CHANNEL_CREATE, null, b -> b.with("target", options.targetHost() + ":" + options.targetPort()),
          "channel to " + options.targetHost() + ":" + options.targetPort()
              + " open (the resource authorization policy allows it and the gateway reached the host)");
      return new Channel(packets);
    } catch (TunnelFailure f) {
      packets.close();
      if (rec != null && f.hresult() == null) {
        observe(rec, f.stage(), f, b -> b, f.getMessage());
      }
      throw f;
    }
  }

  private String account() {
    String d = options.credentials().domain();
    return (d.isEmpty() ? "" : d + "\\") + options.credentials().user();
  }

  /** FAILED(hr): the gateway refused; observed with the HRESULT and its catalog name. */
  private void refused(Stage stage, long hresult, @Nullable Recorder rec) throws TunnelFailure {
    if ((hresult & 0x80000000L) == 0) {
      return;
    }
    String hex = hex(hresult);
    String name = Catalog.find("tsgu", hresult).or(() -> Catalog.find("hresult", hresult))
        .map(CodeEntry::name).orElse(hex);
    TunnelFailure f = new TunnelFailure(stage, "the gateway refused " + stage.json() + " with " + name
        + (name.equals(hex) ? "" : " (" + hex + ")"), hresult, null, false, null);
    observe(rec, stage, f, b -> b, f.getMessage());
    throw f;
  }

  static String hex(long hresult) {
    return "0x" + Long.toHexString(hresult).toUpperCase(Locale.ROOT);
  }

  private <T extends TsguPacket> T expect(PacketChannel ch, Class<T> type, Stage stage, String name) throws TunnelFailure {
    while (true) {
      TsguPacket p = ch.receive(stage, name);
      if (type.isInstance(p)) {
        return type.cast(p);
      }
      switch (p) {
        case TsguPacket.Keepalive k -> { } // the gateway's keepalives may come at any time
        case TsguPacket.ServiceMessage m -> { }
        case TsguPacket.CloseChannel c -> throw new TunnelFailure(stage, "the gateway closed the channel with "
            + hex(c.statusCode()) + " instead of sending " + name, (c.statusCode() & 0x80000000L) != 0 ? c.statusCode() : null,
            null, false, null);
        default -> throw TunnelFailure.of(stage, "the gateway sent " + TsguPacket.typeName(p.type())
            + " where " + name + " belongs");
      }
    }
  }

  private interface Fields {
    Observation.Builder add(Observation.Builder b);
  }

  private static void observe(@Nullable Recorder rec, Stage stage, @Nullable TunnelFailure f, Fields fields, String summary) {
    if (rec == null) {
      return;
    }
    Observation.Builder b = rec.observation("gateway.tunnel", 0, stage.json())
        .with("stage", stage.json())
        .with("ok", f == null);
    if (f != null) {
      b.with("hresult", f.hresult())
          .with("hresultHex", f.hresult() == null ? null : hex(f.hresult()))
          .with("httpStatus", f.httpStatus() == null ? null : (long) f.httpStatus())
          .with("timedOut", f.timedOut() ? Boolean.TRUE : null)
          .with("error", f.getMessage());
    }
    rec.observe(fields.add(b).summary(summary));
  }

  // --- HTTP: authentication and the transport ------------------------------------------------

  /** Authenticates RDG_OUT_DATA (and RDG_IN_DATA for the legacy pair) and returns the packet stream. */
  private PacketChannel transport(@Nullable Recorder rec, Deadline step) throws TunnelFailure {
    String id = "{" + UUID.randomUUID().toString().toUpperCase(Locale.ROOT) + "}";
    String key = options.websocket() ? Base64.getEncoder().encodeToString(randomBytes(16)) : null;
    RdgRequest outRequest = new RdgRequest(RdgRequest.OUT, options.gatewayHost(), id, key, null, false);
    GatewayConnection out = GatewayConnection.open(options.gatewayHost(), options.gatewayPort(), step);
    try {
      HttpHead answer = authenticate(out, outRequest);
      int status = answer.status();
      PacketChannel channel;
      if (status == 101 && key != null) {
        String accept = answer.header("Sec-WebSocket-Accept").orElse("");
        if (!accept.equals(RdgRequest.websocketAccept(key))) {
          throw new TunnelFailure(Stage.AUTH, "the gateway switched protocols with a wrong Sec-WebSocket-Accept \""
              + accept + "\"", null, 101, false, null);
        }
        channel = new PacketChannel.WebSocket(out, random);
      } else if (status == 200) {
        out.readFully(SEED_LENGTH, Stage.AUTH, "the seed after RDG_OUT_DATA's 200");
        GatewayConnection in = GatewayConnection.open(options.gatewayHost(), options.gatewayPort(), step);
        try {
          RdgRequest inRequest = new RdgRequest(RdgRequest.IN, options.gatewayHost(), id, null, null, false);
          HttpHead inAnswer = authenticate(in, inRequest);
          if (inAnswer.status() != 200) {
            throw new TunnelFailure(Stage.AUTH, "RDG_IN_DATA answered " + inAnswer.startLine()
                + " after authentication (expected: 200)", null, inAnswer.status(), false, null);
          }
          in.skipBody(inAnswer, Stage.AUTH);
          // FreeRDP then sends the request again with a chunked body; Windows gateways take it
          in.write(new RdgRequest(RdgRequest.IN, options.gatewayHost(), id, null, null, true).encode(), Stage.AUTH);
        } catch (TunnelFailure f) {
          in.close();
          throw f;
        }
        channel = new PacketChannel.Legacy(out, in);
      } else {
        throw new TunnelFailure(Stage.AUTH, "RDG_OUT_DATA answered " + answer.startLine()
            + " after authentication (expected: 101 or 200)", null, status, false, null);
      }
      int shown = status;
      observe(rec, Stage.AUTH, null, b -> b.with("httpStatus", (long) shown).with("transport", channel.transport()),
          "NTLM authentication of " + account() + " accepted: RDG_OUT_DATA answered " + answer.startLine()
              + " (" + channel.transport() + " transport)");
      return channel;
    } catch (TunnelFailure f) {
      out.close();
      if (f.stage() == Stage.AUTH) {
        observe(rec, Stage.AUTH, f, b -> b, f.getMessage());
      }
      throw f;
    }
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /**
   * The NTLM round trip over HTTP, as FreeRDP does it: the request with the NEGOTIATE, the 401 with
   * the CHALLENGE, the request again with the AUTHENTICATE; returns the final answer's head.
   */
  private HttpHead authenticate(GatewayConnection c, RdgRequest request) throws TunnelFailure {
    String what = request.method();
    NtlmClient ntlm = new NtlmClient(options.credentials(), random,
        TargetInfo.epochMillisToFileTime(Instant.now().toEpochMilli()), "");
    c.write(request.authorization("NTLM " + Base64.getEncoder().encodeToString(ntlm.negotiate())).encode(), Stage.AUTH);
    HttpHead first = c.readHead(Stage.AUTH, what);
    int status = status(first, what);
    if (status != 401) {
      throw new TunnelFailure(Stage.AUTH, what + " answered " + first.startLine() + meaning(status)
          + " (expected: 401 with an NTLM challenge)", null, status, false, null);
    }
    String token = first.token("WWW-Authenticate", "NTLM").orElse(null);
    if (token == null) {
      throw new TunnelFailure(Stage.AUTH, what + " answered 401 offering " + first.schemes()
          + " and no NTLM challenge (mstsc and FreeRDP authenticate with NTLM or Negotiate)", null, 401, false, null);
    }
    c.skipBody(first, Stage.AUTH);
    byte[] challenge;
    NtlmClient.Authenticated auth;
    try {
      challenge = Base64.getDecoder().decode(token);
      auth = ntlm.authenticate(challenge);
    } catch (IllegalArgumentException | DecodeException e) {
      throw new TunnelFailure(Stage.AUTH, "the gateway's NTLM challenge is unreadable: " + e.getMessage(),
          null, 401, false, e);
    }
    byte[] message = auth.message();
    try {
      c.write(request.authorization("NTLM " + Base64.getEncoder().encodeToString(message)).encode(), Stage.AUTH);
    } finally {
      Arrays.fill(message, (byte) 0);
    }
    HttpHead second = c.readHead(Stage.AUTH, what + " with the NTLM AUTHENTICATE");
    int after = status(second, what);
    if (after == 401) {
      throw new TunnelFailure(Stage.AUTH, "the gateway refused the credentials of " + account()
          + ": 401 after the NTLM AUTHENTICATE (wrong password, unknown or locked account)", null, 401, false, null);
    }
    return second;
  }

  private static int status(HttpHead head, String what) throws TunnelFailure {
    try {
      return head.status();
    } catch (DecodeException e) {
      throw new TunnelFailure(Stage.AUTH, "the answer to " + what + " is not HTTP: " + e.getMessage(), null, null, false, e);
    }
  }

  private static String meaning(int status) {
    return switch (status) {
      case 403, 404, 410 -> ": the HTTP transport is not available (a reverse proxy or the gateway refuses RDG_OUT_DATA;"
          + " mstsc then tries RPC over HTTP, FreeRDP 3 does not)";
      case 200 -> ": the gateway let an unauthenticated request in";
      default -> "";
    };
  }

  // --- the channel ----------------------------------------------------------------------------

  /** An open channel to the target: RDP bytes in DATA packets. */
  static final class Channel implements AutoCloseable {
    final PacketChannel packets;
    private byte[] pending = new byte[0];
    private int pendingPos;

    Channel(PacketChannel packets) {
      this.packets = packets;
    }

    /** Runs a probe step over the channel, the way {@code Connection.run} does over a socket. */
    <R> R run(Step<R> step) throws TunnelFailure {
      send(step.start());
      while (step.bytesNeeded() > 0) {
        byte[] data = read(step.bytesNeeded());
        byte[] reply;
        try {
          reply = step.receive(data, Instant.now());
        } catch (DecodeException e) {
          throw new TunnelFailure(Stage.HOST_PROBE, "the host's answer through the tunnel is not RDP: "
              + e.getMessage(), null, null, false, e);
        }
        send(reply);
      }
      return step.result();
    }

    private void send(byte[] data) throws TunnelFailure {
      for (int i = 0; i < data.length; i += TsguPacket.Data.MAX_DATA) {
        packets.send(new TsguPacket.Data(Arrays.copyOfRange(data, i, Math.min(data.length, i + TsguPacket.Data.MAX_DATA))),
            Stage.HOST_PROBE);
      }
    }

    private byte[] read(int max) throws TunnelFailure {
      while (pendingPos == pending.length) {
        TsguPacket p = packets.receive(Stage.HOST_PROBE, "the host's answer");
        switch (p) {
          case TsguPacket.Data d -> {
            pending = d.data();
            pendingPos = 0;
          }
          case TsguPacket.CloseChannel c -> throw TunnelFailure.of(Stage.HOST_PROBE,
              "the gateway closed the channel (status " + hex(c.statusCode()) + "): the host ended the connection");
          default -> { } // keepalives, service messages
        }
      }
      int n = Math.min(max, pending.length - pendingPos);
      byte[] out = Arrays.copyOfRange(pending, pendingPos, pendingPos + n);
      pendingPos += n;
      return out;
    }

    @Override
    public void close() {
      try {
        packets.send(new TsguPacket.CloseChannel(0), Stage.HOST_PROBE);
      } catch (TunnelFailure ignored) {
        // closing anyway
      }
      packets.close();
    }
  }
}
