package rdpdoctor.probe.nla;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Phase;
import rdpdoctor.probe.Connection;
import rdpdoctor.probe.FailureKind;
import rdpdoctor.probe.NegotiationResult;
import rdpdoctor.probe.ProbeContext;
import rdpdoctor.probe.ProbeFailure;
import rdpdoctor.probe.Stage;
import rdpdoctor.probe.TlsHandshake;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.cssp.CredsspClient;
import rdpdoctor.protocol.cssp.EarlyUserAuthorizationResult;
import rdpdoctor.protocol.cssp.NtStatus;
import rdpdoctor.protocol.cssp.PubKeyAuth;
import rdpdoctor.protocol.cssp.TsRequest;
import rdpdoctor.protocol.nlmp.NtlmClient;
import rdpdoctor.protocol.nlmp.NtlmCredentials;
import rdpdoctor.protocol.nlmp.TargetInfo;
import rdpdoctor.protocol.rdpbcgr.x224.SecurityProtocols;

/**
 * The credential check of {@code rdpdoctor probe --user}: CredSSP with NTLMv2 up to the server's
 * pubKeyAuth echo, which proves the server accepted the password, and no further — TSCredentials,
 * which would hand the password to the server, is never sent (the protocol code cannot build it).
 *
 * <p>A failure is reported the way the server gave it: the NTSTATUS in TSRequest.errorCode (CredSSP
 * 3 and later), or a closed connection (older servers, FreeRDP). After a success the check logs on
 * once more as a client without the CVE-2018-0886 fix (CredSSP 4), to tell whether the server
 * refuses such clients.
 */
public final class CredentialCheckStage implements Stage {
  private final NtlmCredentials credentials;
  private final String account;
  private final RandomGenerator random;
  private final boolean testOutdatedClient;
  private @Nullable CredentialReport report;

  /**
   * @param credentials the account and its NT hash (destroyed when the stage ends)
   * @param account the account as the user typed it, for the report
   * @param testOutdatedClient whether to log on a second time as a CredSSP 4 client after a success
   */
  public CredentialCheckStage(NtlmCredentials credentials, String account, boolean testOutdatedClient) {
    this(credentials, account, new SecureRandom(), testOutdatedClient);
  }

  CredentialCheckStage(NtlmCredentials credentials, String account, RandomGenerator random, boolean testOutdatedClient) {
    this.credentials = credentials;
    this.account = account;
    this.random = random;
    this.testOutdatedClient = testOutdatedClient;
  }

  @Override
  public String name() {
    return "credentials";
  }

  @Override
  public boolean appliesTo(ProbeContext ctx) {
    return true; // even without NLA there is a verdict to give: "cannot be checked"
  }

  public @Nullable CredentialReport report() {
    return report;
  }

  /** The request to authenticate on: HYBRID_EX when offered (it adds early authorization), else HYBRID. */
  static @Nullable NegotiationResult request(ProbeContext ctx) {
    NegotiationResult ex = null;
    NegotiationResult hybrid = null;
    for (NegotiationResult r : ctx.negotiation()) {
      if (r.selected() == null) {
        continue;
      }
      if ((r.selected() & SecurityProtocols.HYBRID_EX) != 0 && ex == null) {
        ex = r;
      } else if ((r.selected() & SecurityProtocols.HYBRID) != 0 && hybrid == null) {
        hybrid = r;
      }
    }
    return ex != null ? ex : hybrid;
  }

  @Override
  public void run(ProbeContext ctx) throws ProbeFailure {
    try {
      NegotiationResult via = request(ctx);
      if (via == null || via.requestedProtocols() == null) {
        report = new CredentialReport(
            account, "none", CredentialReport.Verdict.NLA_UNAVAILABLE, false, null, null, null, null,
            "the server does not offer CredSSP (NLA) for any request, so a password can only be tried at"
                + " its logon screen, which rdpdoctor does not reach",
            TsRequest.CLIENT_VERSION, -1, -1, null, null, null, null, null, false);
      } else {
        Attempt first = attempt(ctx, via, TsRequest.CLIENT_VERSION);
        Boolean outdatedRefused = null;
        if (testOutdatedClient && first.result != null
            && first.result.verdict() == CredsspClient.Verdict.AUTHENTICATED) {
          Attempt legacy = attempt(ctx, via, 4);
          outdatedRefused = legacy.result == null || legacy.result.verdict() != CredsspClient.Verdict.AUTHENTICATED;
        }
        report = toReport(via, first, outdatedRefused);
      }
      ctx.section("credentials", report);
      ctx.recorder().observe(observation(ctx, report));
    } finally {
      credentials.destroy();
    }
  }

  /** One CredSSP run and how it ended. */
  record Attempt(
      CredsspClient.@Nullable Result result, @Nullable ProbeFailure failure, boolean authenticateSent,
      @Nullable String earlyAuthorization, @Nullable String earlyNote, long clientVersion) {}

  private Attempt attempt(ProbeContext ctx, NegotiationResult via, long clientVersion) throws ProbeFailure {
    long requested = via.requestedProtocols();
    try (Connection c = ctx.connectAndNegotiate(requested)) {
      TlsHandshake.Result tls = TlsHandshake.run(c, ctx.target().host(), ctx.stepDeadline());
      if (tls.chain().isEmpty()) {
        throw new ProbeFailure(FailureKind.TLS_FAILED, Phase.TLS, "the server sent no certificate, so CredSSP has no key to bind");
      }
      byte[] spk;
      try {
        spk = PubKeyAuth.subjectPublicKey(tls.chain().get(0));
      } catch (DecodeException e) {
        throw new ProbeFailure(FailureKind.PROTOCOL_ERROR, Phase.TLS, e.getMessage(), e);
      }
      long now = TargetInfo.epochMillisToFileTime(Instant.now().toEpochMilli());
      NtlmClient ntlm = new NtlmClient(credentials, random, now, "");
      CredsspStep step = new CredsspStep(CredsspClient.authenticate(ntlm, spk, random, false, clientVersion), "credssp authenticate");
      try {
        CredsspClient.Result r = c.run(step, ctx.stepDeadline());
        String early = null;
        String note = null;
        boolean hybridEx = via.selected() != null && (via.selected() & SecurityProtocols.HYBRID_EX) != 0;
        if (hybridEx && r.verdict() == CredsspClient.Verdict.AUTHENTICATED) {
          EarlyUserAuthorizationResult eua = earlyResult(c, ctx);
          if (eua != null) {
            early = eua.name();
            note = "sent by the server before credentials were delegated";
          } else {
            note = "a HYBRID_EX server sends it only after TSCredentials, i.e. after receiving the password;"
                + " rdpdoctor never sends that, so the Remote Desktop logon right is not checked";
          }
        }
        return new Attempt(r, null, true, early, note, clientVersion);
      } catch (ProbeFailure f) {
        boolean sentAuth = step.client().state() == CredsspClient.State.AWAIT_PUBKEY_ECHO;
        if (!sentAuth) {
          throw f;
        }
        return new Attempt(step.client().abort(CredsspClient.Verdict.PROTOCOL_ERROR, f.getMessage()), f, true, null, null, clientVersion);
      }
    }
  }

  /** Waits briefly for four bytes, in case a server sends the early result without TSCredentials. */
  private static @Nullable EarlyUserAuthorizationResult earlyResult(Connection c, ProbeContext ctx) {
    byte[] buf = new byte[EarlyUserAuthorizationResult.SIZE];
    try {
      int n = c.read(buf, buf.length, ctx.stepDeadline(java.time.Duration.ofMillis(300)), Phase.NLA);
      return n == buf.length ? EarlyUserAuthorizationResult.decode(buf) : null;
    } catch (ProbeFailure | DecodeException e) {
      return null; // nothing came: the expected case
    }
  }

  private CredentialReport toReport(NegotiationResult via, Attempt a, @Nullable Boolean outdatedRefused) {
    CredsspClient.Result r = a.result;
    long serverVersion = r == null ? -1 : r.serverVersion();
    Boolean updatedRefused = serverVersion < 0 ? null : serverVersion < PubKeyAuth.NONCE_VERSION;
    CredentialReport.Verdict verdict;
    String detail;
    Long status = r == null ? null : r.errorCode();
    Boolean bound = null;
    if (r != null && r.verdict() == CredsspClient.Verdict.AUTHENTICATED) {
      verdict = CredentialReport.Verdict.AUTHENTICATED;
      detail = "the server accepted the password for " + account + ": its pubKeyAuth echo proves it"
          + " (rdpdoctor stopped before TSCredentials, so the password never reached the server)";
      bound = true;
    } else if (r != null && r.verdict() == CredsspClient.Verdict.PUBKEY_MISMATCH) {
      verdict = CredentialReport.Verdict.INTERCEPTED;
      detail = r.detail();
      bound = false;
    } else if (r != null && (r.verdict() == CredsspClient.Verdict.SERVER_ERROR || r.verdict() == CredsspClient.Verdict.REJECTED)) {
      verdict = CredentialReport.Verdict.REJECTED;
      detail = "the server refused the credentials for " + account
          + (status != null ? " with " + NtStatus.describe(status) : " (SPNEGO reject)");
    } else if (a.failure != null && (a.failure.kind() == FailureKind.CONNECTION_CLOSED
        || a.failure.kind() == FailureKind.CONNECTION_RESET || a.failure.kind() == FailureKind.TLS_ALERT)) {
      verdict = CredentialReport.Verdict.REJECTED;
      detail = "the server closed the connection after the AUTHENTICATE without saying why (no"
          + " TSRequest errorCode): that is how CredSSP servers before version 3, and FreeRDP, refuse a"
          + " logon: " + a.failure.describe();
    } else if (a.failure != null && a.failure.kind() == FailureKind.NO_RESPONSE) {
      verdict = CredentialReport.Verdict.NO_ANSWER;
      detail = "the server never answered the AUTHENTICATE before the deadline; no verdict is possible";
    } else {
      verdict = CredentialReport.Verdict.PROTOCOL_ERROR;
      detail = r == null ? "no CredSSP answer" : r.detail();
    }
    NlaStatusCodes.ClientCode code = status == null ? null : NlaStatusCodes.forStatus(status);
    if (verdict == CredentialReport.Verdict.REJECTED && status == null) {
      // A silent refusal looks like SSL_ERR_LOGON_FAILURE to mstsc too.
      code = NlaStatusCodes.forStatus(0xC000006DL);
    }
    return new CredentialReport(
        account,
        via.requested(),
        verdict,
        verdict == CredentialReport.Verdict.AUTHENTICATED,
        status == null ? null : NlaStatusCodes.statusName(status),
        status == null ? null : String.format("0x%08X", status),
        code == null ? null : code.hex(),
        code == null ? null : code.name(),
        detail,
        a.clientVersion,
        serverVersion,
        r == null ? -1 : r.effectiveVersion(),
        updatedRefused,
        outdatedRefused,
        bound,
        a.earlyAuthorization,
        a.earlyNote,
        false);
  }

  private static rdpdoctor.diagnosis.Observation observation(ProbeContext ctx, CredentialReport r) {
    return ctx.recorder().observation("probe.credentials", 0, "credssp authenticate")
        .with("account", r.account())
        .with("verdict", r.verdict())
        .with("authenticated", r.authenticated())
        .with("ntstatus", r.ntstatus())
        .with("ntstatusHex", r.ntstatusHex())
        .with("clientCode", r.clientCode())
        .with("clientCodeName", r.clientCodeName())
        .with("serverCredsspVersion", r.serverCredsspVersion())
        .with("updatedClientsRefused", r.updatedClientsRefused())
        .with("outdatedClientsRefused", r.outdatedClientsRefused())
        .with("tlsKeyBound", r.tlsKeyBound())
        .with("earlyUserAuthorization", r.earlyUserAuthorization())
        .with("tsCredentialsSent", r.tsCredentialsSent())
        .summary(r.detail());
  }
}
