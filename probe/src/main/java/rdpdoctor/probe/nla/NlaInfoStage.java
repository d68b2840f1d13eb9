package rdpdoctor.probe.nla;

import java.time.Duration;
import java.time.Instant;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.probe.Connection;
import rdpdoctor.probe.FailureKind;
import rdpdoctor.probe.NegotiationResult;
import rdpdoctor.probe.ProbeContext;
import rdpdoctor.probe.ProbeFailure;
import rdpdoctor.probe.Stage;
import rdpdoctor.probe.TlsHandshake;
import rdpdoctor.protocol.cssp.CredsspClient;
import rdpdoctor.protocol.rdpbcgr.x224.SecurityProtocols;

/**
 * "NLA without credentials": CredSSP with an NTLM NEGOTIATE only, stopped at the server's CHALLENGE.
 * Reports the server's CredSSP version, its NetBIOS and DNS names, domain, OS build, and its clock
 * against ours. Nothing derived from a password is sent.
 */
public final class NlaInfoStage implements Stage {
  @Override
  public String name() {
    return "ntlm";
  }

  @Override
  public boolean appliesTo(ProbeContext ctx) {
    return ctx.firstSelecting(SecurityProtocols.HYBRID | SecurityProtocols.HYBRID_EX) != null;
  }

  @Override
  public void run(ProbeContext ctx) throws ProbeFailure {
    NegotiationResult via = ctx.firstSelecting(SecurityProtocols.HYBRID | SecurityProtocols.HYBRID_EX);
    if (via == null || via.requestedProtocols() == null) {
      return;
    }
    try (Connection c = ctx.connectAndNegotiate(via.requestedProtocols())) {
      TlsHandshake.run(c, ctx.target().host(), ctx.stepDeadline());
      CredsspStep step = new CredsspStep(CredsspClient.infoOnly(false), "credssp negotiate");
      Instant sent = Instant.now();
      CredsspClient.Result r = c.run(step, ctx.stepDeadline());
      record(ctx, c.number(), r, sent, step.firstAnswerAt());
    }
  }

  private void record(ProbeContext ctx, int connection, CredsspClient.Result r, Instant sent, Instant receivedAt)
      throws ProbeFailure {
    ctx.recorder().observe(credsspObservation(ctx, connection, r));
    if (r.verdict() != CredsspClient.Verdict.CHALLENGE_RECEIVED || r.challenge() == null) {
      throw new ProbeFailure(FailureKind.PROTOCOL_ERROR, rdpdoctor.diagnosis.Phase.NLA,
          "CredSSP did not reach the NTLM CHALLENGE: " + r.detail());
    }
    long rtt = receivedAt == null ? 0 : Math.max(0, Duration.between(sent, receivedAt).toMillis());
    NtlmInfo info = NtlmInfo.of(r.serverVersion(), r.challenge(), r.spnego(), receivedAt == null ? sent : receivedAt, rtt);
    ctx.section("ntlm", info);
    Observation.Builder b = ctx.recorder().observation("probe.ntlm", connection, "credssp negotiate")
        .with("targetName", info.targetName())
        .with("netbiosComputer", info.netbiosComputer())
        .with("netbiosDomain", info.netbiosDomain())
        .with("dnsComputer", info.dnsComputer())
        .with("dnsDomain", info.dnsDomain())
        .with("dnsTree", info.dnsTree())
        .with("osVersion", info.osVersion())
        .with("osProduct", info.osProduct())
        .with("serverTime", info.serverTime())
        .with("clockSkewSeconds", info.clockSkewSeconds())
        .with("skewUncertaintyMillis", info.skewUncertaintyMillis())
        .with("kerberosSkewProblem", info.kerberosSkewProblem())
        .at(info.serverTime());
    String who = info.dnsComputer() != null ? info.dnsComputer() : info.netbiosComputer();
    String skew = info.clockSkewSeconds() == null ? "no server time"
        : "clock skew " + info.clockSkewSeconds() + " s" + (info.kerberosSkewProblem() ? " (beyond Kerberos' 5 minutes)" : "");
    ctx.recorder().observe(b.summary("NTLM CHALLENGE from " + who
        + (info.osVersion() != null ? ", Windows " + info.osVersion() : "") + ", " + skew));
  }

  static Observation credsspObservation(ProbeContext ctx, int connection, CredsspClient.Result r) {
    boolean refuses = r.serverVersion() >= 0 && r.serverVersion() < rdpdoctor.protocol.cssp.PubKeyAuth.NONCE_VERSION;
    return ctx.recorder().observation("probe.credssp", connection, "credssp negotiate")
        .with("serverVersion", r.serverVersion())
        .with("spnego", r.spnego())
        .with("updatedClientsRefuse", r.serverVersion() >= 0 ? refuses : null)
        .with("verdict", r.verdict())
        .with("errorCode", r.errorCode())
        .summary("server speaks CredSSP version " + r.serverVersion()
            + (refuses ? "; it predates the CVE-2018-0886 fix, so updated clients refuse it" : ""));
  }
}
