package rdpdoctor.protocol.cssp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.Hex;
import rdpdoctor.protocol.nlmp.NtlmClient;
import rdpdoctor.protocol.nlmp.NtlmCredentials;
import rdpdoctor.protocol.nlmp.TargetInfo;
import rdpdoctor.protocol.spnego.Spnego;

class CredsspTest {
  /** TSRequest{version 6, negoTokens [ "NTLMSSP\0" ]}. */
  static final byte[] NEGO =
      Hex.parse(
          """
          30 17                 // TSRequest SEQUENCE, 23 bytes
             a0 03 02 01 06     //   version [0] INTEGER 6
             a1 10              //   negoTokens [1]
                30 0e           //     NegoData SEQUENCE OF
                   30 0c        //       SEQUENCE
                      a0 0a     //         negoToken [0]
                         04 08 4e 54 4c 4d 53 53 50 00  // OCTET STRING "NTLMSSP\\0"
          """);

  /** TSRequest{version 6, errorCode STATUS_LOGON_FAILURE} as Windows writes it (signed INTEGER). */
  static final byte[] ERROR =
      Hex.parse(
          """
          30 0d
             a0 03 02 01 06
             a4 06 02 04 c0 00 00 6d   // errorCode [4] INTEGER -1073741715 = 0xC000006D
          """);

  static final long FILETIME_2026 = TargetInfo.epochMillisToFileTime(1_795_000_000_000L);

  @Test
  void negoTokenEncodesAndDecodes() {
    TsRequest t = TsRequest.negoToken(6, "NTLMSSP\0".getBytes(StandardCharsets.US_ASCII));
    assertThat(Hex.of(t.encode())).isEqualTo(Hex.of(NEGO));
    assertThat(TsRequest.decode(NEGO)).isEqualTo(t);
    assertThat(TsRequest.frameLength(NEGO, 2)).isEqualTo(NEGO.length);
  }

  @Test
  void errorCodeIsUnsigned() {
    TsRequest t = new TsRequest(6, List.of(), null, null, 0xC000006DL, null);
    assertThat(Hex.of(t.encode())).isEqualTo(Hex.of(ERROR));
    assertThat(TsRequest.decode(ERROR).errorCode()).isEqualTo(0xC000006DL);
    assertThat(NtStatus.describe(0xC000006DL)).isEqualTo("STATUS_LOGON_FAILURE (0xC000006D)");
    assertThat(NtStatus.describe(0x12345678L)).isEqualTo("0x12345678");
  }

  @Test
  void allFieldsRoundTrip() {
    TsRequest t =
        new TsRequest(5, List.of(new byte[] {1}, new byte[] {2, 3}), null, new byte[300], 0xC0000224L, new byte[32]);
    assertThat(TsRequest.decode(t.encode())).isEqualTo(t);
  }

  @Test
  void oversizedTsRequestIsRefusedFromItsHeader() {
    // A hostile server announces 2 GiB: refused before a byte of it is read.
    assertThatThrownBy(() -> TsRequest.frameLength(Hex.parse("30 84 7f ff ff ff"), 6))
        .hasMessage("invalid field TSRequest length: 2147483647 (expected: <= 262144)");
    assertThat(TsRequest.frameLength(Hex.parse("30 84 00"), 3)).isEqualTo(-1);
    assertThat(TsRequest.frameLength(Hex.parse("30 82 01 00"), 4)).isEqualTo(4 + 256);
    assertThatThrownBy(() -> TsRequest.frameLength(Hex.parse("30 80"), 2))
        .hasMessageContaining("indefinite length is not allowed");
  }

  @Test
  void notASequenceIsNamed() {
    assertThatThrownBy(() -> TsRequest.frameLength(Hex.parse("16 03 01"), 3))
        .hasMessage("unexpected tag in TSRequest: 0x16 (expected: 0x30 (a DER SEQUENCE))");
  }

  @Test
  void missingVersionIsNamed() {
    assertThatThrownBy(() -> TsRequest.decode(Hex.parse("30 05 a3 03 04 01 00")))
        .hasMessage("cannot read CredSSP TSRequest: invalid field version: missing");
  }

  @Test
  void innerLengthBeyondTheMessageIsNamed() {
    assertThatThrownBy(() -> TsRequest.decode(Hex.parse("30 05 a0 09 02 01 06")))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("not enough bytes for TSRequest field: 3 (expected: 9)");
  }

  @Test
  void indefiniteLengthIsRefused() {
    assertThatThrownBy(() -> TsRequest.decode(Hex.parse("30 80 a0 03 02 01 06 00 00")))
        .hasMessageContaining("indefinite length is not allowed");
  }

  @Test
  void subjectPublicKeyIsTheBitStringContent() throws IOException {
    byte[] spk = PubKeyAuth.subjectPublicKey(resource("rsa2048.der"));
    assertThat(Hex.of(spk)).isEqualTo(Hex.of(resource("rsa2048.subjectPublicKey.der")));
  }

  @Test
  void bindingValuesFollowTheVersion() {
    byte[] key = {0x30, 1, 2};
    byte[] nonce = new byte[32];
    assertThat(PubKeyAuth.clientValue(4, nonce, key)).containsExactly(0x30, 1, 2);
    assertThat(PubKeyAuth.serverValue(4, nonce, key)).containsExactly(0x31, 1, 2);
    // v5+: SHA-256("CredSSP Client-To-Server Binding Hash\0" || nonce || key)
    assertThat(PubKeyAuth.clientValue(6, nonce, key))
        .isEqualTo(PubKeyAuth.sha256(
            "CredSSP Client-To-Server Binding Hash\0".getBytes(StandardCharsets.US_ASCII), nonce, key));
    assertThat(PubKeyAuth.serverValue(5, nonce, key)).hasSize(32).isNotEqualTo(PubKeyAuth.clientValue(5, nonce, key));
  }

  @Test
  void earlyUserAuthorizationResultDecodes() {
    assertThat(EarlyUserAuthorizationResult.decode(Hex.parse("05 00 00 00")).name()).isEqualTo("AUTHZ_ACCESS_DENIED");
    assertThat(EarlyUserAuthorizationResult.decode(Hex.parse("00 00 00 00")).name()).isEqualTo("AUTHZ_SUCCESS");
    assertThat(EarlyUserAuthorizationResult.decode(Hex.parse("07 00 00 00")).name()).isEqualTo("0x00000007");
    assertThatThrownBy(() -> EarlyUserAuthorizationResult.decode(new byte[3]))
        .hasMessageContaining("3 bytes (expected: 4)");
  }

  // ------------------------------------------------------------------ the state machine

  record Run(CredsspClient.Result result, FakeCredsspServer server, int messagesSent) {}

  static Run run(String password, long serverVersion, long clientVersion, FakeCredsspServer.Behaviour b, boolean spnego)
      throws IOException {
    byte[] spk = PubKeyAuth.subjectPublicKey(resource("rsa2048.der"));
    FakeCredsspServer server =
        new FakeCredsspServer("CORP", "alice", "Correct-Horse-7".toCharArray(), spk, serverVersion, b, FILETIME_2026);
    NtlmCredentials creds = NtlmCredentials.fromPassword("CORP", "alice", password.toCharArray());
    RandomGenerator rnd = RandomGenerator.of("L64X128MixRandom");
    CredsspClient c =
        CredsspClient.authenticate(new NtlmClient(creds, rnd, FILETIME_2026, ""), spk, rnd, spnego, clientVersion);
    byte[] out = c.start().send();
    int sent = 0;
    while (!c.done()) {
      sent++;
      byte[] answer = server.onRequest(out);
      if (answer == null) {
        c.abort(CredsspClient.Verdict.PROTOCOL_ERROR, "server did not answer");
        break;
      }
      out = c.step(answer).send();
      if (out.length == 0 && !c.done()) {
        throw new AssertionError("nothing to send but not done");
      }
    }
    return new Run(c.result(), server, sent);
  }

  @Test
  void rightPasswordIsProvenByTheEchoAndNoCredentialsAreSent() throws IOException {
    for (long v = 2; v <= 6; v++) {
      Run r = run("Correct-Horse-7", v, 6, FakeCredsspServer.Behaviour.HONEST, false);
      assertThat(r.result().verdict()).as("version %d", v).isEqualTo(CredsspClient.Verdict.AUTHENTICATED);
      assertThat(r.result().serverVersion()).isEqualTo(v);
      assertThat(r.result().effectiveVersion()).isEqualTo(v);
      assertThat(r.messagesSent()).isEqualTo(2); // NEGOTIATE, AUTHENTICATE — never TSCredentials
      assertThat(r.server().received).allSatisfy(m -> assertThat(TsRequest.decode(m).authInfo()).isNull());
    }
  }

  @Test
  void olderClientVersionIsHonoured() throws IOException {
    Run r = run("Correct-Horse-7", 6, 3, FakeCredsspServer.Behaviour.HONEST, false);
    assertThat(r.result().verdict()).isEqualTo(CredsspClient.Verdict.AUTHENTICATED);
    assertThat(r.result().effectiveVersion()).isEqualTo(3);
    assertThat(TsRequest.decode(r.server().received.get(1)).clientNonce()).isNull();
  }

  @Test
  void wrongPasswordGivesTheServersStatus() throws IOException {
    Run r = run("wrong", 6, 6, FakeCredsspServer.Behaviour.HONEST, false);
    assertThat(r.result().verdict()).isEqualTo(CredsspClient.Verdict.SERVER_ERROR);
    assertThat(r.result().errorCode()).isEqualTo(0xC000006DL);
    assertThat(r.result().challenge().targetInfo().name(TargetInfo.MSV_AV_DNS_COMPUTER_NAME))
        .contains("rds01.corp.example");
  }

  @Test
  void echoOverAnotherKeyIsInterception() throws IOException {
    Run r = run("Correct-Horse-7", 6, 6, FakeCredsspServer.Behaviour.WRONG_ECHO, false);
    assertThat(r.result().verdict()).isEqualTo(CredsspClient.Verdict.PUBKEY_MISMATCH);
    Run legacy = run("Correct-Horse-7", 3, 6, FakeCredsspServer.Behaviour.WRONG_ECHO, false);
    assertThat(legacy.result().verdict()).isEqualTo(CredsspClient.Verdict.PUBKEY_MISMATCH);
  }

  @Test
  void spnegoServerIsUnderstood() throws IOException {
    Run raw = run("Correct-Horse-7", 6, 6, FakeCredsspServer.Behaviour.SPNEGO, false);
    assertThat(raw.result().verdict()).isEqualTo(CredsspClient.Verdict.AUTHENTICATED);
    assertThat(raw.result().spnego()).isTrue();
    Run wrapped = run("Correct-Horse-7", 6, 6, FakeCredsspServer.Behaviour.HONEST, true);
    assertThat(wrapped.result().verdict()).isEqualTo(CredsspClient.Verdict.AUTHENTICATED);
    Run wrong = run("nope", 6, 6, FakeCredsspServer.Behaviour.HONEST, true);
    assertThat(wrong.result().verdict()).isEqualTo(CredsspClient.Verdict.SERVER_ERROR);
  }

  @Test
  void infoOnlyStopsAtTheChallenge() throws IOException {
    CredsspClient c = CredsspClient.infoOnly(false);
    byte[] first = c.start().send();
    FakeCredsspServer server =
        new FakeCredsspServer("CORP", "alice", new char[0], new byte[] {1}, 6, FakeCredsspServer.Behaviour.HONEST, FILETIME_2026);
    CredsspClient.Step s = c.step(server.onRequest(first));
    assertThat(s.send()).isEmpty();
    assertThat(c.result().verdict()).isEqualTo(CredsspClient.Verdict.CHALLENGE_RECEIVED);
    assertThat(c.result().challenge().targetInfo().timestamp()).contains(FILETIME_2026);
    assertThat(c.result().challenge().version()).hasToString("10.0.17763");
  }

  @Test
  void garbageAnswerIsAProtocolErrorNotAnException() {
    CredsspClient c = CredsspClient.infoOnly(false);
    c.start();
    c.step(Hex.parse("30 03 02 01 06"));
    assertThat(c.result().verdict()).isEqualTo(CredsspClient.Verdict.PROTOCOL_ERROR);
    assertThat(c.result().detail()).startsWith("cannot read CredSSP TSRequest");
  }

  @Test
  void spnegoTokensRoundTrip() {
    byte[] init = Spnego.initToken(new byte[] {1, 2});
    assertThat(Spnego.decodeInit(init).mechTypes()).containsExactly(Spnego.NTLM_OID);
    assertThat(Spnego.decodeInit(init).mechToken()).containsExactly(1, 2);
    Spnego.NegTokenResp resp = new Spnego.NegTokenResp(1, Spnego.NTLM_OID, new byte[] {3}, new byte[] {4});
    Spnego.NegTokenResp back = Spnego.decodeResp(resp.encode());
    assertThat(back.negStateName()).isEqualTo("accept-incomplete");
    assertThat(back.supportedMech()).isEqualTo(Spnego.NTLM_OID);
    assertThat(back.responseToken()).containsExactly(3);
    // The NTLM OID as MS-SPNG writes it: 06 0a 2b 06 01 04 01 82 37 02 02 0a
    assertThat(Hex.of(Spnego.mechTypeList())).isEqualTo("300c060a2b06010401823702020a");
  }

  static byte[] resource(String name) throws IOException {
    try (InputStream in = CredsspTest.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing test resource " + name);
      }
      return in.readAllBytes();
    }
  }

  @FuzzTest(maxDuration = "30s")
  void tsRequestDecoderFailsOnlyWithDecodeException(byte[] input) {
    try {
      TsRequest.frameLength(input, input.length);
    } catch (DecodeException expected) {
      // allowed
    }
    try {
      TsRequest.decode(input);
    } catch (DecodeException expected) {
      // allowed
    }
  }

  @FuzzTest(maxDuration = "30s")
  void spnegoAndCertificateDecodersFailOnlyWithDecodeException(byte[] input) {
    try {
      Spnego.decodeResp(input);
    } catch (DecodeException expected) {
      // allowed
    }
    try {
      Spnego.decodeInit(input);
    } catch (DecodeException expected) {
      // allowed
    }
    try {
      PubKeyAuth.subjectPublicKey(input);
    } catch (DecodeException expected) {
      // allowed
    }
  }

  /** Any server answer, at any step, ends in a verdict — never an exception. */
  @FuzzTest(maxDuration = "30s")
  void stateMachineSurvivesAnyServer(byte[] input) throws IOException {
    CredsspClient c = CredsspClient.infoOnly(input.length > 0 && (input[0] & 1) == 1);
    c.start();
    c.step(input);
    assertThat(c.done()).isTrue();
  }
}
