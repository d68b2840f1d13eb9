package rdpdoctor.protocol.cssp;

import java.util.List;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.nlmp.ChallengeMessage;
import rdpdoctor.protocol.nlmp.NtlmClient;
import rdpdoctor.protocol.nlmp.NtlmSecurity;
import rdpdoctor.protocol.spnego.Spnego;

/**
 * [MS-CSSP] 3.1.5 the client side of CredSSP as a sans-I/O state machine, which deliberately stops
 * short of the protocol's end:
 *
 * <ul>
 *   <li>{@link #infoOnly} stops after the server's CHALLENGE (names, version, clock, nothing sent
 *       that depends on a password);
 *   <li>{@link #authenticate} sends the AUTHENTICATE with pubKeyAuth and stops once the server's
 *       pubKeyAuth echo proves it accepted the password. TSCredentials — the step that would hand the
 *       password to the server — is never built: this class has no code that could.
 * </ul>
 *
 * <p>Use: send {@link #start()}'s bytes, then feed each complete TSRequest from the server to
 * {@link #step(byte[])} and send what it returns until {@link #done()}; {@link #result()} tells
 * what happened. {@link TsRequest#frameLength} finds where a TSRequest ends in the TLS stream.
 */
public final class CredsspClient {
  /** Where the exchange is. */
  public enum State {
    START,
    AWAIT_CHALLENGE,
    AWAIT_PUBKEY_ECHO,
    DONE
  }

  /** How an exchange ended. */
  public enum Verdict {
    /** Info-only: the server's CHALLENGE arrived; nothing was authenticated. */
    CHALLENGE_RECEIVED,
    /** The server echoed pubKeyAuth correctly: it accepted the credentials and our TLS key. */
    AUTHENTICATED,
    /** The server sent TSRequest.errorCode (version 3 and later) instead of continuing. */
    SERVER_ERROR,
    /** The server answered SPNEGO reject. */
    REJECTED,
    /** The echo decrypted but is not over the key of the certificate we saw: TLS is intercepted. */
    PUBKEY_MISMATCH,
    /** The server's answer could not be decoded or was not a valid next step. */
    PROTOCOL_ERROR
  }

  /**
   * The outcome, with everything the server revealed on the way.
   *
   * @param verdict how it ended
   * @param serverVersion the version field of the server's first TSRequest, or -1 before it
   * @param effectiveVersion min(client, server) — the version whose pubKeyAuth rules applied
   * @param challenge the server's CHALLENGE, once seen
   * @param errorCode TSRequest.errorCode, if the server sent one
   * @param spnego whether the server spoke SPNEGO rather than raw NTLM
   * @param detail one lowercase sentence for reports
   */
  public record Result(
      Verdict verdict,
      long serverVersion,
      long effectiveVersion,
      @Nullable ChallengeMessage challenge,
      @Nullable Long errorCode,
      boolean spnego,
      String detail) {}

  /** What to send next (possibly nothing) and whether the exchange is over. */
  public record Step(byte[] send, State state) {}

  private final @Nullable NtlmClient ntlm;
  private final byte @Nullable [] subjectPublicKey;
  private final RandomGenerator random;
  private final boolean startWithSpnego;
  private final long clientVersion;

  private State state = State.START;
  private @Nullable Result result;
  private long serverVersion = -1;
  private @Nullable ChallengeMessage challenge;
  private boolean spnego;
  private @Nullable NtlmSecurity security;
  private byte @Nullable [] nonce;
  private long effectiveVersion = -1;

  private CredsspClient(
      @Nullable NtlmClient ntlm,
      byte @Nullable [] subjectPublicKey,
      RandomGenerator random,
      boolean startWithSpnego,
      long clientVersion) {
    this.ntlm = ntlm;
    this.subjectPublicKey = subjectPublicKey == null ? null : subjectPublicKey.clone();
    this.random = random;
    this.startWithSpnego = startWithSpnego;
    this.clientVersion = clientVersion;
  }

  /** An exchange that ends at the server's CHALLENGE: no credentials involved at all. */
  public static CredsspClient infoOnly(boolean startWithSpnego) {
    return new CredsspClient(null, null, RandomGenerator.of("L64X128MixRandom"), startWithSpnego, TsRequest.CLIENT_VERSION);
  }

  /**
   * An exchange that authenticates with {@code ntlm}'s credentials and stops at the pubKeyAuth echo.
   *
   * @param subjectPublicKey the SubjectPublicKey of the TLS certificate the server presented
   * @param random the source of the 32-byte client nonce (the NTLM client has its own)
   * @param clientVersion the CredSSP version to announce (6 as an updated client; 2-4 to act as
   *     a client without the CVE-2018-0886 fix)
   */
  public static CredsspClient authenticate(
      NtlmClient ntlm, byte[] subjectPublicKey, RandomGenerator random, boolean startWithSpnego, long clientVersion) {
    if (clientVersion < 2 || clientVersion > TsRequest.CLIENT_VERSION) {
      throw new IllegalArgumentException("CredSSP version " + clientVersion + " (expected: 2..6)");
    }
    return new CredsspClient(ntlm, subjectPublicKey, random, startWithSpnego, clientVersion);
  }

  public State state() {
    return state;
  }

  public boolean done() {
    return state == State.DONE;
  }

  /** The outcome once {@link #done()}; null before. */
  public @Nullable Result result() {
    return result;
  }

  /** The first TSRequest: version and an NTLM NEGOTIATE (raw, or wrapped in SPNEGO). */
  public Step start() {
    if (state != State.START) {
      throw new IllegalStateException("already started");
    }
    byte[] negotiate =
        ntlm != null ? ntlm.negotiate() : rdpdoctor.protocol.nlmp.NegotiateMessage.client().encode();
    byte[] token = startWithSpnego ? Spnego.initToken(negotiate) : negotiate;
    state = State.AWAIT_CHALLENGE;
    return new Step(TsRequest.negoToken(clientVersion, token).encode(), state);
  }

  /** Feeds one complete TSRequest from the server. */
  public Step step(byte[] tsRequestBytes) {
    return switch (state) {
      case AWAIT_CHALLENGE -> onChallenge(tsRequestBytes);
      case AWAIT_PUBKEY_ECHO -> onEcho(tsRequestBytes);
      default -> throw new IllegalStateException("no input expected in state " + state);
    };
  }

  /** Ends the exchange from outside (the server closed, or time ran out), keeping what was learnt. */
  public Result abort(Verdict verdict, String detail) {
    return finish(verdict, null, detail);
  }

  /** Decodes a server TSRequest, or ends the exchange as a protocol error and returns null. */
  private @Nullable TsRequest decodeOrFinish(byte[] bytes) {
    try {
      return TsRequest.decode(bytes);
    } catch (DecodeException e) {
      finish(Verdict.PROTOCOL_ERROR, null, e.getMessage());
      return null;
    }
  }

  private Step onChallenge(byte[] bytes) {
    TsRequest ts = decodeOrFinish(bytes);
    if (ts == null) {
      return done(new byte[0]);
    }
    serverVersion = ts.version();
    if (ts.errorCode() != null && ts.negoTokens().isEmpty()) {
      finish(Verdict.SERVER_ERROR, ts.errorCode(), "server answered NEGOTIATE with " + NtStatus.describe(ts.errorCode()));
      return done(new byte[0]);
    }
    byte[] token = ts.firstToken();
    if (token == null) {
      finish(Verdict.PROTOCOL_ERROR, null, "server TSRequest has no negoToken (expected: NTLM CHALLENGE)");
      return done(new byte[0]);
    }
    byte[] challengeBytes;
    try {
      if (Spnego.isSpnego(token)) {
        spnego = true;
        Spnego.NegTokenResp resp = Spnego.decodeResp(token);
        if (resp.negState() != null && resp.negState() == Spnego.REJECT) {
          finish(Verdict.REJECTED, null, "server rejected NTLM in SPNEGO (negState reject)");
          return done(new byte[0]);
        }
        if (resp.responseToken() == null) {
          finish(Verdict.PROTOCOL_ERROR, null, "SPNEGO answer has no responseToken (expected: NTLM CHALLENGE)");
          return done(new byte[0]);
        }
        challengeBytes = resp.responseToken();
      } else {
        challengeBytes = token;
      }
      challenge = ChallengeMessage.decode(challengeBytes);
    } catch (DecodeException e) {
      finish(Verdict.PROTOCOL_ERROR, null, e.getMessage());
      return done(new byte[0]);
    }
    if (ntlm == null) {
      finish(Verdict.CHALLENGE_RECEIVED, null, "server sent its NTLM CHALLENGE; stopped there (no credentials)");
      return done(new byte[0]);
    }

    NtlmClient.Authenticated auth;
    try {
      auth = ntlm.authenticate(challengeBytes);
    } catch (DecodeException e) {
      finish(Verdict.PROTOCOL_ERROR, null, e.getMessage());
      return done(new byte[0]);
    }
    security = auth.security();
    byte[] token2 = auth.message();
    if (spnego) {
      // A mechListMIC is owed only when we offered a mechTypes list ourselves ([MS-SPNG] 3.3.5.1).
      byte[] mic = null;
      if (startWithSpnego) {
        mic = security.sign(Spnego.mechTypeList());
        security.resetAfterMechListMic();
      }
      token2 = new Spnego.NegTokenResp(null, null, token2, mic).encode();
    }
    effectiveVersion = Math.min(clientVersion, serverVersion);
    byte[] nonceOut = null;
    if (effectiveVersion >= PubKeyAuth.NONCE_VERSION) {
      nonce = new byte[32];
      random.nextBytes(nonce);
      nonceOut = nonce;
    } else {
      nonce = new byte[0];
    }
    byte[] pubKeyAuth = security.seal(PubKeyAuth.clientValue(effectiveVersion, nonce, subjectPublicKey));
    state = State.AWAIT_PUBKEY_ECHO;
    return new Step(
        new TsRequest(clientVersion, List.of(token2), null, pubKeyAuth, null, nonceOut).encode(), state);
  }

  private Step onEcho(byte[] bytes) {
    TsRequest ts = decodeOrFinish(bytes);
    if (ts == null) {
      return done(new byte[0]);
    }
    if (ts.errorCode() != null) {
      finish(Verdict.SERVER_ERROR, ts.errorCode(), "server refused the AUTHENTICATE: " + NtStatus.describe(ts.errorCode()));
      return done(new byte[0]);
    }
    byte[] token = ts.firstToken();
    if (token != null && Spnego.isSpnego(token)) {
      try {
        Spnego.NegTokenResp resp = Spnego.decodeResp(token);
        if (resp.negState() != null && resp.negState() == Spnego.REJECT) {
          finish(Verdict.REJECTED, null, "server rejected the AUTHENTICATE (SPNEGO negState reject)");
          return done(new byte[0]);
        }
      } catch (DecodeException e) {
        finish(Verdict.PROTOCOL_ERROR, null, e.getMessage());
        return done(new byte[0]);
      }
    }
    if (ts.pubKeyAuth() == null) {
      finish(Verdict.PROTOCOL_ERROR, null, "server TSRequest has no pubKeyAuth (expected: the echo of ours)");
      return done(new byte[0]);
    }
    byte[] echo;
    try {
      echo = security.unseal(ts.pubKeyAuth());
    } catch (DecodeException e) {
      // A signature that fails under the session key means the server did not derive our key,
      // which an accepting server always does: treat as a broken or hostile peer.
      finish(Verdict.PROTOCOL_ERROR, null, "cannot open the server's pubKeyAuth: " + e.getMessage());
      return done(new byte[0]);
    }
    // Which rules the server applied follows the version it announced in this message.
    long v = Math.min(clientVersion, Math.min(serverVersion, ts.version()));
    byte[] expected = PubKeyAuth.serverValue(v, nonce, subjectPublicKey);
    if (!PubKeyAuth.matches(expected, echo)) {
      finish(
          Verdict.PUBKEY_MISMATCH, null,
          "server's pubKeyAuth echo is not over the public key of the certificate we received"
              + " (CredSSP version " + v + "): something between us re-terminates TLS");
      return done(new byte[0]);
    }
    finish(Verdict.AUTHENTICATED, null,
        "server proved it accepted the credentials (pubKeyAuth echo verified, CredSSP version " + v
            + "); stopped before TSCredentials");
    return done(new byte[0]);
  }

  private Step done(byte[] send) {
    return new Step(send, state);
  }

  private Result finish(Verdict verdict, @Nullable Long errorCode, String detail) {
    state = State.DONE;
    result = new Result(verdict, serverVersion, effectiveVersion, challenge, errorCode, spnego, detail);
    return result;
  }
}
