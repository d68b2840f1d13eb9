package rdpdoctor.protocol.tsgu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.Hex;

/**
 * [MS-TSGU] 2.2.10 packets: one value and one commented byte array drive both encode and decode.
 * The client packets are byte for byte what FreeRDP 2.11 (libfreerdp/core/gateway/rdg.c) writes.
 */
class TsguPacketTest {

  private static void golden(TsguPacket value, String hex) {
    byte[] bytes = Hex.parse(hex);
    assertThat(Hex.of(value.encode())).isEqualTo(Hex.of(bytes));
    assertThat(TsguPacket.decode(bytes)).isEqualTo(value);
  }

  @Test
  void handshakeRequestAsFreeRdpSendsIt() {
    golden(HandshakeRequestValues.FREERDP,
        "01 00 00 00 0e 00 00 00" // PKT_TYPE_HANDSHAKE_REQUEST, reserved, packetLength 14
            + " 01 00" //             verMajor 1, verMinor 0
            + " 00 00" //             clientVersion 0
            + " 00 00"); //           extendedAuth HTTP_EXTENDED_AUTH_NONE
  }

  @Test
  void handshakeResponseWithExtendedAuth() {
    golden(new TsguPacket.HandshakeResponse(0, 1, 0, 0x0103, TsguPacket.HTTP_EXTENDED_AUTH_SSPI_NTLM),
        "02 00 00 00 12 00 00 00" // PKT_TYPE_HANDSHAKE_RESPONSE, length 18
            + " 00 00 00 00" //      errorCode S_OK
            + " 01 00" //            verMajor 1, verMinor 0
            + " 03 01" //            serverVersion 0x0103
            + " 04 00"); //          extendedAuth HTTP_EXTENDED_AUTH_SSPI_NTLM
  }

  @Test
  void tunnelCreateAsFreeRdpSendsIt() {
    golden(new TsguPacket.TunnelCreate(TsguPacket.TunnelCreate.FREERDP_CAPABILITIES, null, null),
        "04 00 00 00 10 00 00 00" // PKT_TYPE_TUNNEL_CREATE, length 16
            + " 0d 00 00 00" //      capsFlags QUAR_SOH | MESSAGING_CONSENT_SIGN | MESSAGING_SERVICE_MSG
            + " 00 00 00 00"); //    fieldsPresent 0, reserved
  }

  @Test
  void tunnelCreateWithReauthAndPaaCookie() {
    golden(new TsguPacket.TunnelCreate(0x1F, 0x0102030405060708L, "ab"),
        "04 00 00 00 20 00 00 00" // length 32
            + " 1f 00 00 00" //      capsFlags
            + " 03 00 00 00" //      fieldsPresent PAA_COOKIE | REAUTH, reserved
            + " 08 07 06 05 04 03 02 01" // reauthTunnelContext
            + " 06 00 61 00 62 00 00 00"); // PAACookie: 6 bytes, "ab" and NUL
  }

  @Test
  void tunnelResponseWithEveryOptionalField() {
    byte[] nonce = new byte[20];
    nonce[0] = 1;
    golden(new TsguPacket.TunnelResponse(5, 0, 7L, 0x3FL, nonce, "c", "hi"),
        "05 00 00 00 3c 00 00 00" // PKT_TYPE_TUNNEL_RESPONSE, length 60
            + " 05 00" //            serverVersion 5
            + " 00 00 00 00" //      statusCode S_OK
            + " 17 00 00 00" //      fieldsPresent TUNNEL_ID | CAPS | SOH_REQ | CONSENT_MSG, reserved
            + " 07 00 00 00" //      tunnelId 7
            + " 3f 00 00 00" //      capsFlags
            + " 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00" // nonce (20)
            + " 04 00 63 00 00 00" // serverCert "c"
            + " 06 00 68 00 69 00 00 00"); // consentMsg "hi"
  }

  @Test
  void tunnelResponseRefusal() {
    golden(new TsguPacket.TunnelResponse(1, 0x800759E6L, null, null, null, null, null),
        "05 00 00 00 12 00 00 00"
            + " 01 00" //            serverVersion
            + " e6 59 07 80" //      statusCode E_PROXY_MAXCONNECTIONSREACHED
            + " 00 00 00 00"); //    nothing optional
  }

  @Test
  void tunnelAuthAsFreeRdpSendsIt() {
    golden(new TsguPacket.TunnelAuth("ab", null),
        "06 00 00 00 12 00 00 00" // PKT_TYPE_TUNNEL_AUTH, length 18
            + " 00 00" //            fieldsPresent
            + " 06 00 61 00 62 00 00 00"); // cbClientName 6, "ab" and NUL
  }

  @Test
  void tunnelAuthResponseWithRedirectFlagsAndIdleTimeout() {
    golden(new TsguPacket.TunnelAuthResponse(0, TsguPacket.HTTP_TUNNEL_REDIR_ENABLE_ALL, 30L, null),
        "07 00 00 00 18 00 00 00" // PKT_TYPE_TUNNEL_AUTH_RESPONSE, length 24
            + " 00 00 00 00" //      errorCode
            + " 03 00 00 00" //      fieldsPresent REDIR_FLAGS | IDLE_TIMEOUT, reserved
            + " 00 00 00 80" //      redirFlags HTTP_TUNNEL_REDIR_ENABLE_ALL
            + " 1e 00 00 00"); //    idleTimeout 30 minutes
  }

  @Test
  void channelCreateAsFreeRdpSendsIt() {
    golden(TsguPacket.ChannelCreate.to("h1", 3389),
        "08 00 00 00 16 00 00 00" // PKT_TYPE_CHANNEL_CREATE, length 22
            + " 01 00" //            numResources 1, numAltResources 0
            + " 3d 0d" //            port 3389
            + " 03 00" //            protocol 3
            + " 06 00 68 00 31 00 00 00"); // resourceName "h1" and NUL
  }

  @Test
  void channelResponseRefusedByTheRap() {
    golden(new TsguPacket.ChannelResponse(0x800759DAL, null, null, null),
        "09 00 00 00 10 00 00 00" // PKT_TYPE_CHANNEL_RESPONSE, length 16
            + " da 59 07 80" //      errorCode E_PROXY_RAP_ACCESSDENIED
            + " 00 00 00 00");
  }

  @Test
  void channelResponseOptionalFieldsInSpecOrder() {
    golden(new TsguPacket.ChannelResponse(0, 9L, 3391, new byte[] {(byte) 0xAB}),
        "09 00 00 00 19 00 00 00" // length 25
            + " 00 00 00 00"
            + " 07 00 00 00" //      CHANNELID | AUTHNCOOKIE | UDPPORT
            + " 09 00 00 00" //      channelId
            + " 3f 0d" //            udpPort 3391 (before the cookie, whatever the bit order)
            + " 01 00 ab"); //       authnCookie
  }

  @Test
  void dataKeepaliveServiceReauthCloseAndUnknown() {
    golden(new TsguPacket.Data(Hex.parse("03 00 00 13")),
        "0a 00 00 00 0e 00 00 00 04 00 03 00 00 13"); // cbDataLen 4, the bytes
    golden(new TsguPacket.Keepalive(), "0d 00 00 00 08 00 00 00");
    golden(new TsguPacket.ServiceMessage("x"), "0b 00 00 00 0e 00 00 00 04 00 78 00 00 00");
    golden(new TsguPacket.Reauth(1), "0c 00 00 00 10 00 00 00 01 00 00 00 00 00 00 00");
    golden(new TsguPacket.CloseChannel(0x800759F8L), "10 00 00 00 0c 00 00 00 f8 59 07 80");
    golden(new TsguPacket.CloseChannelResponse(0), "11 00 00 00 0c 00 00 00 00 00 00 00");
    golden(new TsguPacket.ExtendedAuth(0, new byte[] {1, 2}), "03 00 00 00 10 00 00 00 00 00 00 00 02 00 01 02");
    golden(new TsguPacket.Unknown(0x42, new byte[] {9}), "42 00 00 00 09 00 00 00 09");
  }

  @Test
  void aStringThatFillsTheByteCountEncodesAgainWithoutItsNul() {
    // 65534 bytes of 'a' without a NUL: the NUL would not fit, so none is added on the way back
    byte[] body = new byte[2 + 65534];
    body[0] = (byte) 0xFE;
    body[1] = (byte) 0xFF;
    for (int i = 2; i < body.length; i += 2) {
      body[i] = 'a';
    }
    byte[] packet = new rdpdoctor.protocol.ByteWriter().u16le(0xB).u16le(0).u32le(8 + body.length).bytes(body).toByteArray();
    TsguPacket p = TsguPacket.decode(packet);
    assertThat(((TsguPacket.ServiceMessage) p).message()).hasSize(32767);
    assertThat(p.encode()).isEqualTo(packet);
  }

  @Test
  void packetLengthMustMatchTheFrame() {
    assertThatThrownBy(() -> TsguPacket.decode(Hex.parse("0d 00 00 00 09 00 00 00")))
        .isInstanceOf(DecodeException.class)
        .hasMessage("cannot read MS-TSGU packet: invalid field packetLength: 9 (expected: 8, the bytes framed)");
  }

  @Test
  void aStringLongerThanThePacketIsRefused() {
    assertThatThrownBy(() -> TsguPacket.decode(Hex.parse("0b 00 00 00 0c 00 00 00 ff ff 78 00")))
        .hasMessage("cannot read MS-TSGU packet: not enough bytes for message: 2 (expected: 65535)");
  }

  @Test
  void aResourceCountAboveTheBytesIsRefusedBeforeTheListGrows() {
    assertThatThrownBy(() -> TsguPacket.decode(Hex.parse("08 00 00 00 0e 00 00 00 ff ff 3d 0d 03 00")))
        .hasMessage("cannot read MS-TSGU packet: not enough bytes for resource names: 0 (expected: 1020)");
  }

  @Test
  void framerRefusesLengthsZeroAndFourGigabytesBeforeAllocating() {
    assertThatThrownBy(() -> new PacketFramer().offer(Hex.parse("0a 00 00 00 00 00 00 00"), 0, 8))
        .hasMessage("cannot read MS-TSGU packet header: invalid field packetLength: 0 (expected: >= 8)");
    assertThatThrownBy(() -> new PacketFramer().offer(Hex.parse("0a 00 00 00 ff ff ff ff"), 0, 8))
        .hasMessage("cannot read MS-TSGU packet header: invalid field packetLength: 4294967295 (expected: <= 262144)");
  }

  @Test
  void framerDeliversPacketsOneAfterAnother() {
    byte[] two = Hex.parse("0d 00 00 00 08 00 00 00 11 00 00 00 0c 00 00 00 00 00 00 00");
    PacketFramer f = new PacketFramer();
    int pos = 0;
    List<TsguPacket> got = new java.util.ArrayList<>();
    while (pos < two.length) {
      pos += f.offer(two, pos, Math.min(3, two.length - pos));
      if (f.complete()) {
        got.add(f.packet());
      }
    }
    assertThat(got).containsExactly(new TsguPacket.Keepalive(), new TsguPacket.CloseChannelResponse(0));
    assertThat(f.partial()).isFalse();
  }

  @FuzzTest(maxDuration = "30s")
  void packetDecoderFailsOnlyWithDecodeException(byte[] input) {
    PacketFramer f = new PacketFramer();
    int pos = 0;
    try {
      while (pos < input.length) {
        pos += f.offer(input, pos, Math.min(f.bytesNeeded(), input.length - pos));
        if (f.complete()) {
          TsguPacket p = f.packet();
          // what decodes must encode back to a packet that decodes to the same value
          assertThat(TsguPacket.decode(p.encode())).isEqualTo(p);
        }
      }
    } catch (DecodeException expected) {
      // the only allowed failure
    }
  }

  /** FreeRDP's handshake request, shared with the bench tests. */
  static final class HandshakeRequestValues {
    static final TsguPacket.HandshakeRequest FREERDP = TsguPacket.HandshakeRequest.standard();
  }
}
