package rdpdoctor.protocol.cssp;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import rdpdoctor.protocol.ByteWriter;
import rdpdoctor.protocol.nlmp.AuthenticateMessage;
import rdpdoctor.protocol.nlmp.ChallengeMessage;
import rdpdoctor.protocol.nlmp.NtlmCrypto;
import rdpdoctor.protocol.nlmp.NtlmSecurity;
import rdpdoctor.protocol.nlmp.NtlmVersion;
import rdpdoctor.protocol.nlmp.TargetInfo;
import rdpdoctor.protocol.spnego.Spnego;

/**
 * The server side of CredSSP with NTLM, for tests: it checks the client's NTLMv2 response against one
 * account the way a Windows server checks it against its SAM, and echoes pubKeyAuth. Behaviours let
 * tests play a hostile or broken server. Sans-I/O, like the client.
 */
public final class FakeCredsspServer {
  /** How the fake misbehaves. */
  public enum Behaviour {
    HONEST,
    /** Echo over a different public key (what a TLS-intercepting box would make the client see). */
    WRONG_ECHO,
    /** Answer AUTHENTICATE with nothing (the caller models silence). */
    SILENT_AFTER_AUTHENTICATE,
    /** Answer with SPNEGO tokens even to raw NTLM. */
    SPNEGO,
    /** Refuse a bad logon by saying nothing (the caller closes), as FreeRDP and CredSSP 2 servers do. */
    CLOSE_ON_FAILURE
  }

  public static final long STATUS_LOGON_FAILURE = 0xC000006DL;

  private final String user;
  private final String domain;
  private final byte[] ntHash;
  private final byte[] subjectPublicKey;
  private final long version;
  private final Behaviour behaviour;
  private final long fileTime;
  private byte @Nullable [] negotiate;
  private byte @Nullable [] challenge;
  private final byte[] serverChallenge = {1, 2, 3, 4, 5, 6, 7, 8};
  /** Set once an AUTHENTICATE arrived: what the server saw (for secrecy tests). */
  public byte @Nullable [] lastAuthenticate;
  /** Every TSRequest the server received, raw. */
  public final java.util.List<byte[]> received = new java.util.ArrayList<>();

  public FakeCredsspServer(
      String domain, String user, char[] password, byte[] subjectPublicKey, long version,
      Behaviour behaviour, long fileTime) {
    this.user = user;
    this.domain = domain;
    this.ntHash = NtlmCrypto.ntHash(password);
    this.subjectPublicKey = subjectPublicKey.clone();
    this.version = version;
    this.behaviour = behaviour;
    this.fileTime = fileTime;
  }

  /** The CHALLENGE this server sends: names of a Windows Server 2019 host and its clock. */
  public ChallengeMessage challengeMessage() {
    TargetInfo info =
        TargetInfo.ofNames(
                new int[] {
                  TargetInfo.MSV_AV_NB_DOMAIN_NAME, TargetInfo.MSV_AV_NB_COMPUTER_NAME,
                  TargetInfo.MSV_AV_DNS_DOMAIN_NAME, TargetInfo.MSV_AV_DNS_COMPUTER_NAME,
                  TargetInfo.MSV_AV_DNS_TREE_NAME
                },
                new String[] {"CORP", "RDS01", "corp.example", "rds01.corp.example", "corp.example"})
            .with(TargetInfo.MSV_AV_TIMESTAMP, new ByteWriter(8).u64le(fileTime).toByteArray());
    return new ChallengeMessage(
        0xE28A8235L, "CORP", serverChallenge, info, new NtlmVersion(10, 0, 17763, 15));
  }

  /** Whether the last answer was a refusal (for CLOSE_ON_FAILURE, the caller then closes). */
  public boolean refused;

  /** Answers one TSRequest; null means the server says nothing. */
  public byte @Nullable [] onRequest(byte[] bytes) {
    received.add(bytes.clone());
    TsRequest ts = TsRequest.decode(bytes);
    if (ts.authInfo() != null) {
      throw new AssertionError("client sent TSCredentials (authInfo)");
    }
    byte[] token = ts.firstToken();
    if (negotiate == null) {
      negotiate = Spnego.isSpnego(token) ? Spnego.decodeInit(token).mechToken() : token;
      challenge = challengeMessage().encode();
      byte[] out = behaviour == Behaviour.SPNEGO || Spnego.isSpnego(token)
          ? new Spnego.NegTokenResp(Spnego.ACCEPT_INCOMPLETE, Spnego.NTLM_OID, challenge, null).encode()
          : challenge;
      return TsRequest.negoToken(version, out).encode();
    }
    if (behaviour == Behaviour.SILENT_AFTER_AUTHENTICATE) {
      return null;
    }
    byte[] authBytes = Spnego.isSpnego(token) ? Spnego.decodeResp(token).responseToken() : token;
    lastAuthenticate = authBytes.clone();
    AuthenticateMessage auth = AuthenticateMessage.decode(authBytes);
    if (!auth.user().equalsIgnoreCase(user) || !auth.domain().equalsIgnoreCase(domain)) {
      refused = true;
      return error();
    }
    byte[] key = NtlmCrypto.ntowfv2(ntHash, auth.user(), auth.domain());
    byte[] nt = auth.ntChallengeResponse();
    byte[] temp = Arrays.copyOfRange(nt, 16, nt.length);
    byte[] proof = NtlmCrypto.ntProofStr(key, serverChallenge, temp);
    if (!Arrays.equals(proof, auth.ntProofStr())) {
      refused = true;
      return error();
    }
    byte[] exported = NtlmCrypto.rc4(NtlmCrypto.sessionBaseKey(key, proof), auth.encryptedRandomSessionKey());
    byte[] zeroed = authBytes.clone();
    Arrays.fill(zeroed, AuthenticateMessage.MIC_OFFSET, AuthenticateMessage.MIC_OFFSET + 16, (byte) 0);
    if (!Arrays.equals(NtlmCrypto.hmacMd5(exported, negotiate, challenge, zeroed), auth.mic())) {
      refused = true;
      return error();
    }
    NtlmSecurity sec = new NtlmSecurity(exported, auth.flags(), false);
    if (Spnego.isSpnego(token) && Spnego.decodeResp(token).mechListMic() != null) {
      sec.verify(Spnego.mechTypeList(), Spnego.decodeResp(token).mechListMic());
      sec.resetAfterMechListMic();
    }
    long v = Math.min(version, ts.version());
    byte[] nonce = ts.clientNonce() == null ? new byte[0] : ts.clientNonce();
    byte[] got = sec.unseal(ts.pubKeyAuth());
    if (!Arrays.equals(got, PubKeyAuth.clientValue(v, nonce, subjectPublicKey))) {
      return TsRequest.decode(new TsRequest(version, List.of(), null, null, 0x80090346L, null).encode()).encode();
    }
    byte[] keyForEcho = subjectPublicKey.clone();
    if (behaviour == Behaviour.WRONG_ECHO) {
      keyForEcho[keyForEcho.length - 1] ^= 0x55;
    }
    byte[] echo = sec.seal(PubKeyAuth.serverValue(v, nonce, keyForEcho));
    return new TsRequest(version, List.of(), null, echo, null, null).encode();
  }

  private byte @Nullable [] error() {
    if (behaviour == Behaviour.CLOSE_ON_FAILURE) {
      return null;
    }
    return new TsRequest(version, List.of(), null, null, STATUS_LOGON_FAILURE, null).encode();
  }

  @Override
  public String toString() {
    return "FakeCredsspServer[" + domain.toLowerCase(Locale.ROOT) + "\\" + user + "]";
  }
}
