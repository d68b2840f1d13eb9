package rdpdoctor.protocol.nlmp;

import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import rdpdoctor.protocol.ByteWriter;

/**
 * [MS-NLMP] 3.1.5 the client side of an NTLMv2 exchange, without I/O: it makes the NEGOTIATE,
 * answers a CHALLENGE with an AUTHENTICATE (NTLMv2 response, key exchange, MIC) and hands back the
 * session security both sides then share. Randomness and the clock are passed in.
 */
public final class NtlmClient {
  private final NtlmCredentials credentials;
  private final RandomGenerator random;
  private final long fileTimeNow;
  private final String workstation;
  private byte @Nullable [] negotiate;

  /**
   * @param credentials the account; its hash never leaves this package
   * @param random the source of the client challenge and the exported session key
   * @param fileTimeNow the local clock as a FILETIME, used only when the server sent no timestamp
   * @param workstation the Workstation field (empty keeps the probing host's name private)
   */
  public NtlmClient(NtlmCredentials credentials, RandomGenerator random, long fileTimeNow, String workstation) {
    this.credentials = credentials;
    this.random = random;
    this.fileTimeNow = fileTimeNow;
    this.workstation = workstation;
  }

  /** The NEGOTIATE_MESSAGE; it is remembered because the MIC covers it. */
  public byte[] negotiate() {
    negotiate = NegotiateMessage.client().encode();
    return negotiate.clone();
  }

  /** What {@link #authenticate} produced: the message and the session security for pubKeyAuth. */
  public record Authenticated(byte[] message, NtlmSecurity security, long flags) {}

  /**
   * Computes the AUTHENTICATE_MESSAGE for {@code challengeBytes} ([MS-NLMP] 3.1.5.1.2).
   *
   * @param challengeBytes the server's CHALLENGE_MESSAGE exactly as received (the MIC covers it)
   */
  public Authenticated authenticate(byte[] challengeBytes) {
    if (negotiate == null) {
      throw new IllegalStateException("negotiate() first");
    }
    ChallengeMessage challenge = ChallengeMessage.decode(challengeBytes);
    // The negotiated set is what both sides asked for; the server's answer already is that.
    long flags = challenge.flags() & NegotiateFlags.CLIENT_DEFAULT | NegotiateFlags.UNICODE;
    byte[] clientChallenge = new byte[8];
    random.nextBytes(clientChallenge);

    // With a server timestamp the client must use it and must send a MIC (3.1.5.1.2).
    Long serverTime = challenge.targetInfo().timestamp().orElse(null);
    long time = serverTime != null ? serverTime : fileTimeNow;
    TargetInfo info = challenge.targetInfo();
    if (serverTime != null) {
      long avFlags = info.flags().orElse(0L) | TargetInfo.AV_FLAG_MIC_PRESENT;
      info = info.with(TargetInfo.MSV_AV_FLAGS, new ByteWriter(4).u32le(avFlags).toByteArray());
    }

    byte[] responseKey = credentials.responseKeyNt();
    byte[] temp = NtlmCrypto.ntlmv2Temp(time, clientChallenge, info.encode());
    byte[] proof = NtlmCrypto.ntProofStr(responseKey, challenge.serverChallenge(), temp);
    byte[] ntResponse = new ByteWriter(16 + temp.length).bytes(proof).bytes(temp).toByteArray();
    byte[] lmResponse =
        serverTime != null
            ? new byte[24] // Z(24) when the server sent MsvAvTimestamp
            : NtlmCrypto.lmv2Response(responseKey, challenge.serverChallenge(), clientChallenge);
    byte[] keyExchangeKey = NtlmCrypto.sessionBaseKey(responseKey, proof);
    java.util.Arrays.fill(responseKey, (byte) 0);

    byte[] exported;
    byte[] encryptedKey;
    if ((flags & NegotiateFlags.KEY_EXCH) != 0) {
      exported = new byte[16];
      random.nextBytes(exported);
      encryptedKey = NtlmCrypto.rc4(keyExchangeKey, exported);
    } else {
      exported = keyExchangeKey;
      encryptedKey = new byte[0];
    }

    AuthenticateMessage msg =
        new AuthenticateMessage(
            lmResponse, ntResponse, credentials.domain(), credentials.user(), workstation,
            encryptedKey, flags, NtlmVersion.CLIENT, null);
    byte[] bytes = msg.encode();
    if (serverTime != null) {
      byte[] mic = NtlmCrypto.hmacMd5(exported, negotiate, challengeBytes, bytes);
      System.arraycopy(mic, 0, bytes, AuthenticateMessage.MIC_OFFSET, 16);
    }
    return new Authenticated(bytes, new NtlmSecurity(exported, flags, true), flags);
  }
}
