package rdpdoctor.protocol.nlmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.Hex;

/** [MS-NLMP] 4.2.4 NTLMv2 Authentication: the published values drive every test here. */
class NtlmTest {
  // 4.2.1 Common Values
  static final byte[] SERVER_CHALLENGE = Hex.parse("01 23 45 67 89 ab cd ef");
  static final byte[] CLIENT_CHALLENGE = Hex.parse("aa aa aa aa aa aa aa aa");
  static final byte[] RANDOM_SESSION_KEY = Hex.parse("55 55 55 55 55 55 55 55 55 55 55 55 55 55 55 55");

  /** 4.2.4.3 CHALLENGE_MESSAGE. */
  static final byte[] CHALLENGE =
      Hex.parse(
          """
          4e 54 4c 4d 53 53 50 00  // "NTLMSSP\\0"
          02 00 00 00              // MessageType 2
          0c 00 0c 00 38 00 00 00  // TargetNameFields: 12 bytes at 0x38
          33 82 8a e2              // NegotiateFlags 0xe28a8233
          01 23 45 67 89 ab cd ef  // ServerChallenge
          00 00 00 00 00 00 00 00  // Reserved
          24 00 24 00 44 00 00 00  // TargetInfoFields: 36 bytes at 0x44
          06 00 70 17 00 00 00 0f  // Version 6.0.6000, revision 15
          53 00 65 00 72 00 76 00 65 00 72 00              // "Server"
          02 00 0c 00 44 00 6f 00 6d 00 61 00 69 00 6e 00  // MsvAvNbDomainName "Domain"
          01 00 0c 00 53 00 65 00 72 00 76 00 65 00 72 00  // MsvAvNbComputerName "Server"
          00 00 00 00                                      // MsvAvEOL
          """);

  static final ChallengeMessage CHALLENGE_VALUE =
      new ChallengeMessage(
          0xe28a8233L,
          "Server",
          SERVER_CHALLENGE,
          TargetInfo.ofNames(
              new int[] {TargetInfo.MSV_AV_NB_DOMAIN_NAME, TargetInfo.MSV_AV_NB_COMPUTER_NAME},
              new String[] {"Domain", "Server"}),
          new NtlmVersion(6, 0, 6000, 15));

  @Test
  void ntowfv2MatchesTheSpec() {
    byte[] hash = NtlmCrypto.ntHash("Password".toCharArray());
    // 4.2.4.1.1 NTOWFv2() and LMOWFv2()
    assertThat(Hex.of(NtlmCrypto.ntowfv2(hash, "User", "Domain")))
        .isEqualTo("0c868a403bfd7a93a3001ef22ef02e3f");
  }

  @Test
  void ntHashOfTheEmptyPasswordIsTheWellKnownValue() {
    assertThat(Hex.of(NtlmCrypto.ntHash(new char[0]))).isEqualTo("31d6cfe0d16ae931b73c59d7e0c089c0");
  }

  @Test
  void challengeDecodesFromTheSpecBytes() {
    ChallengeMessage c = ChallengeMessage.decode(CHALLENGE);
    assertThat(c).isEqualTo(CHALLENGE_VALUE);
    assertThat(c.targetInfo().name(TargetInfo.MSV_AV_NB_DOMAIN_NAME)).contains("Domain");
    assertThat(c.version()).hasToString("6.0.6000");
    assertThat(NegotiateFlags.names(c.flags())).contains("KEY_EXCH", "VERSION", "TARGET_INFO");
  }

  @Test
  void challengeEncodesToTheSpecBytes() {
    assertThat(Hex.of(CHALLENGE_VALUE.encode())).isEqualTo(Hex.of(CHALLENGE));
  }

  @Test
  void ntlmv2ResponseMatchesTheSpec() {
    byte[] key = NtlmCrypto.ntowfv2(NtlmCrypto.ntHash("Password".toCharArray()), "User", "Domain");
    byte[] temp = NtlmCrypto.ntlmv2Temp(0, CLIENT_CHALLENGE, CHALLENGE_VALUE.targetInfo().encode());
    byte[] proof = NtlmCrypto.ntProofStr(key, SERVER_CHALLENGE, temp);
    // 4.2.4.2.2 NTLMv2 Response: NTProofStr
    assertThat(Hex.of(proof)).isEqualTo("68cd0ab851e51c96aabc927bebef6a1c");
    // 4.2.4.1.2 Session Base Key
    byte[] base = NtlmCrypto.sessionBaseKey(key, proof);
    assertThat(Hex.of(base)).isEqualTo("8de40ccadbc14a82f15cb0ad0de95ca3");
    // 4.2.4.2.3 Encrypted Session Key
    assertThat(Hex.of(NtlmCrypto.rc4(base, RANDOM_SESSION_KEY)))
        .isEqualTo("c5dad2544fc9799094ce1ce90bc9d03e");
    // 4.2.4.2.1 LMv2 Response
    assertThat(Hex.of(NtlmCrypto.lmv2Response(key, SERVER_CHALLENGE, CLIENT_CHALLENGE)))
        .isEqualTo("86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa");
  }

  @Test
  void sealMatchesTheSpecAndTheServerCanOpenIt() {
    NtlmSecurity client = new NtlmSecurity(RANDOM_SESSION_KEY, 0xe28a8233L, true);
    byte[] plain = "Plaintext".getBytes(StandardCharsets.UTF_16LE);
    byte[] out = client.seal(plain);
    // 4.2.4.4 GSS_WrapEx Examples: Signature then sealed data
    assertThat(Hex.of(out))
        .isEqualTo("010000007fb38ec5c55d497600000000" + "54e50165bf1936dc996020c1811b0f06fb5f");
    NtlmSecurity server = new NtlmSecurity(RANDOM_SESSION_KEY, 0xe28a8233L, false);
    assertThat(server.unseal(out)).isEqualTo(plain);
  }

  @Test
  void tamperedSealedMessageDoesNotVerify() {
    byte[] out = new NtlmSecurity(RANDOM_SESSION_KEY, 0xe28a8233L, true).seal(new byte[] {1, 2, 3});
    out[17] ^= 1;
    NtlmSecurity server = new NtlmSecurity(RANDOM_SESSION_KEY, 0xe28a8233L, false);
    assertThatThrownBy(() -> server.unseal(out))
        .isInstanceOf(DecodeException.InvalidField.class)
        .hasMessageContaining("does not verify");
  }

  @Test
  void negotiateRoundTrips() {
    NegotiateMessage n = NegotiateMessage.client();
    byte[] bytes = n.encode();
    assertThat(Hex.of(bytes).substring(0, 24)).isEqualTo("4e544c4d5353500001000000");
    assertThat(NegotiateMessage.decode(bytes)).isEqualTo(n);
  }

  @Test
  void authenticateCarriesAVerifiableResponseAndMic() {
    // A client with fixed randomness against a challenge that has a timestamp: MIC must be set,
    // LmChallengeResponse must be Z(24), and a server with the same hash must derive the same key.
    ChallengeMessage withTime =
        new ChallengeMessage(
            0xe28a8235L, "Server", SERVER_CHALLENGE,
            CHALLENGE_VALUE.targetInfo().with(TargetInfo.MSV_AV_TIMESTAMP, Hex.parse("00 80 3e d5 de b1 9d 01")),
            new NtlmVersion(10, 0, 17763, 15));
    NtlmCredentials creds = NtlmCredentials.fromPassword("Domain", "User", "Password".toCharArray());
    NtlmClient client = new NtlmClient(creds, fixed(), 0, "");
    byte[] negotiate = client.negotiate();
    byte[] chBytes = withTime.encode();
    NtlmClient.Authenticated a = client.authenticate(chBytes);
    AuthenticateMessage m = AuthenticateMessage.decode(a.message());
    assertThat(m.user()).isEqualTo("User");
    assertThat(m.domain()).isEqualTo("Domain");
    assertThat(m.lmChallengeResponse()).isEqualTo(new byte[24]);
    assertThat(m.mic()).isNotNull().isNotEqualTo(new byte[16]);

    // Server side: recompute NTProofStr from the blob the client sent.
    byte[] key = NtlmCrypto.ntowfv2(NtlmCrypto.ntHash("Password".toCharArray()), "User", "Domain");
    byte[] nt = m.ntChallengeResponse();
    byte[] temp = java.util.Arrays.copyOfRange(nt, 16, nt.length);
    assertThat(NtlmCrypto.ntProofStr(key, SERVER_CHALLENGE, temp)).isEqualTo(m.ntProofStr());
    byte[] exported = NtlmCrypto.rc4(NtlmCrypto.sessionBaseKey(key, m.ntProofStr()), m.encryptedRandomSessionKey());
    byte[] zeroed = a.message().clone();
    java.util.Arrays.fill(zeroed, AuthenticateMessage.MIC_OFFSET, AuthenticateMessage.MIC_OFFSET + 16, (byte) 0);
    assertThat(NtlmCrypto.hmacMd5(exported, negotiate, chBytes, zeroed)).isEqualTo(m.mic());
    // And the session keys agree in both directions.
    NtlmSecurity server = new NtlmSecurity(exported, m.flags(), false);
    assertThat(server.unseal(a.security().seal(new byte[] {9, 8, 7}))).containsExactly(9, 8, 7);
    // The response carries MsvAvFlags with MIC_PRESENT.
    TargetInfo sent = TargetInfo.decode(java.util.Arrays.copyOfRange(temp, 28, temp.length));
    assertThat(sent.flags()).contains(TargetInfo.AV_FLAG_MIC_PRESENT);
  }

  @Test
  void credentialsNeverPrintTheirSecret() {
    NtlmCredentials c = NtlmCredentials.fromPassword("D", "u", "Zebra-Quartz-93!".toCharArray());
    assertThat(c.toString()).isEqualTo("NtlmCredentials[D\\u]").doesNotContain("Zebra");
    c.destroy();
    assertThatThrownBy(c::responseKeyNt).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void accountNamesSplit() {
    assertThat(NtlmCredentials.splitAccount("CORP\\alice")).containsExactly("CORP", "alice");
    assertThat(NtlmCredentials.splitAccount("alice@corp.example")).containsExactly("", "alice@corp.example");
    assertThat(NtlmCredentials.splitAccount("alice")).containsExactly("", "alice");
  }

  // ------------------------------------------------------------ malformed input, one case each

  @Test
  void wrongSignatureIsNamed() {
    byte[] b = CHALLENGE.clone();
    b[0] = 'X';
    assertThatThrownBy(() -> ChallengeMessage.decode(b))
        .isInstanceOf(DecodeException.class)
        .hasMessageStartingWith("cannot read NTLM CHALLENGE_MESSAGE: invalid field Signature");
  }

  @Test
  void wrongMessageTypeIsNamed() {
    byte[] b = CHALLENGE.clone();
    b[8] = 3;
    assertThatThrownBy(() -> ChallengeMessage.decode(b))
        .hasMessageContaining("unexpected MessageType in CHALLENGE_MESSAGE: 0x3 (expected: 2)");
  }

  @Test
  void targetInfoOffsetOutsideTheMessageIsRefused() {
    byte[] b = CHALLENGE.clone();
    b[44] = (byte) 0xF0; // TargetInfo offset 0xf0
    assertThatThrownBy(() -> ChallengeMessage.decode(b))
        .hasMessageContaining("invalid field TargetInfo: offset 240 + length 36 outside 104 bytes");
  }

  @Test
  void avPairLongerThanTheListIsRefused() {
    byte[] b = CHALLENGE.clone();
    b[0x44 + 2] = 0x7F; // first AvLen = 127
    assertThatThrownBy(() -> ChallengeMessage.decode(b))
        .hasMessageContaining("cannot read TargetInfo AV pairs: not enough bytes for AV_PAIR value 2");
  }

  @Test
  void truncatedChallengeIsNamed() {
    assertThatThrownBy(() -> ChallengeMessage.decode(java.util.Arrays.copyOf(CHALLENGE, 30)))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("not enough bytes for ServerChallenge: 6 (expected: 8)");
  }

  static RandomGenerator fixed() {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        return 0x5555555555555555L;
      }

      @Override
      public void nextBytes(byte[] bytes) {
        java.util.Arrays.fill(bytes, (byte) 0xAA);
      }
    };
  }

  @FuzzTest(maxDuration = "30s")
  void challengeDecoderFailsOnlyWithDecodeException(byte[] input) {
    try {
      ChallengeMessage c = ChallengeMessage.decode(input);
      c.targetInfo().timestamp();
      c.targetInfo().name(TargetInfo.MSV_AV_DNS_COMPUTER_NAME);
    } catch (DecodeException expected) {
      // the only allowed failure
    }
  }

  @FuzzTest(maxDuration = "30s")
  void authenticateAndNegotiateDecodersFailOnlyWithDecodeException(byte[] input) {
    try {
      AuthenticateMessage.decode(input);
    } catch (DecodeException expected) {
      // allowed
    }
    try {
      NegotiateMessage.decode(input);
    } catch (DecodeException expected) {
      // allowed
    }
  }
}
