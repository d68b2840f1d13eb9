package rdpdoctor.protocol.rdpbcgr.x224;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.Hex;

class X224Test {

  /** [MS-RDPBCGR] 4.1.1 Client X.224 Connection Request PDU, byte for byte. */
  static final byte[] SPEC_CR = Hex.parse("""
      03 00 00 2c                 // TPKT: version 3, reserved, length 44
      27                          // X.224 LI: 39
      e0                          // CR TPDU, credit 0
      00 00 00 00 00              // DST-REF 0, SRC-REF 0, class 0
      43 6f 6f 6b 69 65 3a 20 6d 73 74 73 68 61 73 68 3d 65 6c 74 6f 6e 73  // Cookie: mstshash=eltons
      0d 0a                       // cookie terminator
      01 00 08 00 00 00 00 00     // RDP_NEG_REQ: flags 0, length 8, PROTOCOL_RDP
      """);

  static final ConnectionRequest SPEC_CR_VALUE =
      ConnectionRequest.withCookie("eltons", NegotiationRequest.of(SecurityProtocols.RDP));

  /**
   * [MS-RDPBCGR] 4.1.2 Server X.224 Connection Confirm PDU. The dump's selectedProtocol bytes are
   * 01 00 00 00 (PROTOCOL_SSL) although the spec's annotation line says PROTOCOL_RDP; the bytes
   * are what a decoder meets, so the test follows them.
   */
  static final byte[] SPEC_CC = Hex.parse("""
      03 00 00 13                 // TPKT: length 19
      0e d0                       // LI 14, CC TPDU
      00 00 12 34 00              // DST-REF 0, SRC-REF 0x1234, class 0
      02 00 08 00 01 00 00 00     // RDP_NEG_RSP: flags 0, length 8, selected 0x00000001
      """);

  static final ConnectionConfirm SPEC_CC_VALUE =
      new ConnectionConfirm(0x1234, new NegotiationData.Response(0, SecurityProtocols.SSL));

  @Test
  void encodesSpecConnectionRequest() {
    assertThat(SPEC_CR_VALUE.encode()).isEqualTo(SPEC_CR);
  }

  @Test
  void decodesSpecConnectionRequest() {
    ConnectionRequest cr = ConnectionRequest.decode(SPEC_CR);
    assertThat(cr.cookie()).isEqualTo("eltons");
    assertThat(cr.negotiation()).isEqualTo(NegotiationRequest.of(0));
    assertThat(cr.correlationId()).isNull();
  }

  @Test
  void encodesAndDecodesSpecConnectionConfirm() {
    assertThat(SPEC_CC_VALUE.encode()).isEqualTo(SPEC_CC);
    ConnectionConfirm cc = ConnectionConfirm.decode(SPEC_CC);
    assertThat(cc.srcRef()).isEqualTo(0x1234);
    assertThat(cc.negotiation()).isEqualTo(SPEC_CC_VALUE.negotiation());
    assertThat(cc.extra()).isEmpty();
    assertThat(X224.decode(SPEC_CC)).isInstanceOf(ConnectionConfirm.class);
  }

  @Test
  void legacyRequestAndConfirmHaveNoNegotiationData() {
    byte[] cr = ConnectionRequest.of(null).encode();
    assertThat(cr).isEqualTo(Hex.parse("03 00 00 0b 06 e0 00 00 00 00 00"));
    assertThat(ConnectionRequest.decode(cr).negotiation()).isNull();
    // the 11-byte legacy confirm nmap's ms12-020 script expects
    ConnectionConfirm cc = ConnectionConfirm.decode(Hex.parse("03 00 00 0b 06 d0 00 00 12 34 00"));
    assertThat(cc.negotiation()).isNull();
  }

  @Test
  void failureCodeAndUnknownFlagsSurvive() {
    byte[] pdu = Hex.parse("03 00 00 13 0e d0 00 00 12 34 00 03 80 08 00 05 00 00 00");
    NegotiationData.Failure f = (NegotiationData.Failure) ConnectionConfirm.decode(pdu).negotiation();
    assertThat(f.failureCode()).isEqualTo(NegotiationData.Failure.HYBRID_REQUIRED_BY_SERVER);
    assertThat(f.name()).isEqualTo("HYBRID_REQUIRED_BY_SERVER");
    assertThat(f.flags()).isEqualTo(0x80);
    assertThat(NegotiationData.Failure.nameOf(0x77)).isEqualTo("0x77");
  }

  @Test
  void responseFlagsAndProtocolBitsAreNamedAndUnknownBitsKept() {
    NegotiationData.Response r = new NegotiationData.Response(0x1f | 0x40, 0x08 | 0x100);
    assertThat(r.flagNames()).containsExactly(
        "EXTENDED_CLIENT_DATA_SUPPORTED", "DYNVC_GFX_PROTOCOL_SUPPORTED", "NEGRSP_FLAG_RESERVED",
        "RESTRICTED_ADMIN_MODE_SUPPORTED", "REDIRECTED_AUTHENTICATION_MODE_SUPPORTED", "0x40");
    assertThat(SecurityProtocols.names(r.selectedProtocol())).isEqualTo("PROTOCOL_HYBRID_EX|0x100");
    assertThat(SecurityProtocols.names(0)).isEqualTo("PROTOCOL_RDP");
    assertThat(SecurityProtocols.shortName(3)).isEqualTo("SSL|HYBRID");
  }

  @Test
  void correlationInfoRoundTrips() {
    byte[] id = Hex.parse("00112233445566778899aabbccddeeff");
    ConnectionRequest cr = new ConnectionRequest(
        0, "Cookie: msts=3640205228.15629.0000", new NegotiationRequest(
            NegotiationRequest.CORRELATION_INFO_PRESENT, SecurityProtocols.SSL | SecurityProtocols.HYBRID), id);
    ConnectionRequest back = ConnectionRequest.decode(cr.encode());
    assertThat(back.tokenLine()).isEqualTo("Cookie: msts=3640205228.15629.0000");
    assertThat(back.cookie()).isNull();
    assertThat(back.correlationId()).isEqualTo(id);
    assertThat(back.negotiation()).isEqualTo(cr.negotiation());
  }

  @Test
  void disconnectAndDataTpdus() {
    byte[] dr = new X224.DisconnectRequest(0, 0x1234, 1).encode();
    assertThat(X224.decode(dr)).isEqualTo(new X224.DisconnectRequest(0, 0x1234, 1));
    byte[] dt = X224.encodeData(Hex.parse("7f 65"));
    assertThat(dt).isEqualTo(Hex.parse("03 00 00 09 02 f0 80 7f 65"));
    assertThat(X224.decodeData(dt)).isEqualTo(Hex.parse("7f 65"));
    assertThatThrownBy(() -> X224.decodeData(SPEC_CC)).isInstanceOf(DecodeException.class);
  }

  // --- malformed input, one case each ---

  @Test
  void wrongTpktVersion() {
    assertThatThrownBy(() -> ConnectionConfirm.decode(Hex.parse("48 54 54 50 2f 31 2e 31 20 34 30")))
        .hasMessage("cannot read X.224 connection confirm: cannot read TPKT frame: "
            + "unexpected version in tpkt header: 0x48 (expected: 0x3)");
  }

  @Test
  void tpktLengthDisagreesWithBytes() {
    assertThatThrownBy(() -> ConnectionConfirm.decode(Hex.parse("03 00 00 14 0e d0 00 00 12 34 00")))
        .hasMessageContaining("invalid field tpkt length: 20 (expected: 11, the bytes given)");
  }

  @Test
  void liDisagreesWithBytes() {
    assertThatThrownBy(() -> ConnectionConfirm.decode(Hex.parse("03 00 00 0b 09 d0 00 00 12 34 00")))
        .hasMessageContaining("invalid field LI: 9 (expected: 6, the bytes after it)");
  }

  @Test
  void confirmWithWrongCode() {
    assertThatThrownBy(() -> ConnectionConfirm.decode(Hex.parse("03 00 00 0b 06 e0 00 00 12 34 00")))
        .hasMessageContaining("unexpected TPDU code in connection confirm: 0xe0 (expected: 0xd0)");
  }

  @Test
  void negotiationDataWithWrongLength() {
    assertThatThrownBy(() -> ConnectionConfirm.decode(
            Hex.parse("03 00 00 13 0e d0 00 00 12 34 00 02 00 09 00 01 00 00 00")))
        .hasMessageContaining("invalid field rdpNegData length: 9 (expected: 8)");
  }

  @Test
  void negotiationDataWithUnknownType() {
    assertThatThrownBy(() -> ConnectionConfirm.decode(
            Hex.parse("03 00 00 13 0e d0 00 00 12 34 00 07 00 08 00 01 00 00 00")))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("unexpected type in rdpNegData: 0x7");
  }

  @Test
  void requestTokenWithoutTerminator() {
    assertThatThrownBy(() -> ConnectionRequest.decode(Hex.parse("03 00 00 0e 09 e0 00 00 00 00 00 43 6f 6f")))
        .hasMessageContaining("invalid field routingToken: no CR LF terminator in 3 bytes");
  }

  @Test
  void truncatedTpdu() {
    assertThatThrownBy(() -> X224.decode(Hex.parse("03 00 00 05 0e")))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("not enough bytes for TPDU header: 1 (expected: 2)");
  }

  @FuzzTest(maxDuration = "30s")
  void decodersFailOnlyWithDecodeException(byte[] input) {
    try {
      X224.decode(input);
    } catch (DecodeException expected) {
      // the only allowed failure
    }
    try {
      ConnectionRequest.decode(input);
    } catch (DecodeException expected) {
      // the only allowed failure
    }
    try {
      ConnectionConfirm c = ConnectionConfirm.decode(input);
      ConnectionConfirm again = ConnectionConfirm.decode(c.encode());
      assertThat(again.negotiation()).isEqualTo(c.negotiation());
      assertThat(again.extra()).isEqualTo(c.extra());
    } catch (DecodeException expected) {
      // the only allowed failure
    }
  }
}
