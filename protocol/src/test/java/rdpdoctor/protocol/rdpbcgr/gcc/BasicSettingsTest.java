package rdpdoctor.protocol.rdpbcgr.gcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.ByteWriter;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.Hex;
import rdpdoctor.protocol.rdpbcgr.mcs.ConnectInitial;
import rdpdoctor.protocol.rdpbcgr.mcs.ConnectResponse;
import rdpdoctor.protocol.rdpbcgr.mcs.DomainParameters;

class BasicSettingsTest {
  /** [MS-RDPBCGR] 4.1.3 Client MCS Connect Initial PDU with GCC Conference Create Request (mcsCi). */
  static final byte[] SPEC_CONNECT_INITIAL =
      Hex.parse(
          """
          7f 65 82 01 94  // Connect-Initial [APPLICATION 101], 404 bytes
          04 01 01 04 01 01 01 01 ff  // calling/called selector 1, upwardFlag TRUE
          30 19 02 01 22 02 01 02 02 01 00 02 01 01 02 01 00 02 01 01 02 02 ff ff 02 01 02  // targetParameters
          30 19 02 01 01 02 01 01 02 01 01 02 01 01 02 01 00 02 01 01 02 02 04 20 02 01 02  // minimumParameters
          30 1c 02 02 ff ff 02 02 fc 17 02 02 ff ff 02 01 01 02 01 00 02 01 01 02 02 ff ff 02 01 02  // maximumParameters
          04 82 01 33  // userData OCTET STRING, 307 bytes
          00 05 00 14 7c 00 01  // t124Identifier
          81 2a  // connectPDU length 298
          00 08 00 10 00 01 c0 00 44 75 63 61  // ConferenceCreateRequest, conference "1", key "Duca"
          81 1c  // client data, 284 bytes
          01 c0 d8 00  // CS_CORE, 216 bytes
          04 00 08 00  // version 0x00080004
          00 05 00 04  // desktopWidth 1280, desktopHeight 1024
          01 ca 03 aa  // colorDepth, SASSequence
          09 04 00 00  // keyboardLayout 0x409
          ce 0e 00 00  // clientBuild 3790
          45 00 4c 00 54 00 4f 00 4e 00 53 00 2d 00 44 00 45 00 56 00 32 00 00 00 00 00 00 00 00 00 00 00  // clientName "ELTONS-DEV2"
          04 00 00 00 00 00 00 00 0c 00 00 00  // keyboardType 4, subType 0, functionKeys 12
          00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  // imeFileName
          00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
          01 ca 01 00 00 00 00 00  // postBeta2ColorDepth, clientProductId, serialNumber
          18 00 07 00 01 00  // highColorDepth 24, supportedColorDepths 7, earlyCapabilityFlags ERRINFO
          36 00 39 00 37 00 31 00 32 00 2d 00 37 00 38 00 33 00 2d 00 30 00 33 00 35 00 37 00 39 00 37 00  // clientDigProductId
          34 00 2d 00 34 00 32 00 37 00 31 00 34 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
          00 00 01 00 00 00  // connectionType, pad1octet, serverSelectedProtocol 0
          04 c0 0c 00 0d 00 00 00 00 00 00 00  // CS_CLUSTER
          02 c0 0c 00 1b 00 00 00 00 00 00 00  // CS_SECURITY: encryptionMethods 0x1b
          03 c0 2c 00 03 00 00 00  // CS_NET: 3 channels
          72 64 70 64 72 00 00 00 00 00 80 80  // rdpdr
          63 6c 69 70 72 64 72 00 00 00 a0 c0  // cliprdr
          72 64 70 73 6e 64 00 00 00 00 00 c0  // rdpsnd
          """);

  /**
   * A Connect-Response captured from mstsc against Windows 10 (as published in a public RDP parser's
   * test-suite): SC_CORE version 0x0008000b, SC_NET with 7 channels, SC_SECURITY for TLS (method 0,
   * level 0), SC_MCS_MSGCHANNEL and SC_MULTITRANSPORT.
   */
  static final byte[] WIN10_CONNECT_RESPONSE =
      Hex.parse(
          """
          7f 66 7c                                 // Connect-Response [APPLICATION 102], 124 bytes
          0a 01 00                                 // result rt-successful
          02 01 00                                 // calledConnectId 0
          30 1a 02 01 22 02 01 03 02 01 00 02 01 01 02 01 00 02 01 01 02 03 00 ff f8 02 01 02
          04 58                                    // userData, 88 bytes
          00 05 00 14 7c 00 01                     // t124Identifier
          2a                                       // connectPDU length 42
          14 76 0a 01 01 00 01 c0 00 4d 63 44 6e   // response, node 31219, tag 1, success, "McDn"
          42                                       // server data 66 bytes
          01 0c 10 00 0b 00 08 00 0b 00 00 00 06 00 00 00              // SC_CORE
          03 0c 18 00 eb 03 07 00 ec 03 ed 03 ee 03 ef 03 f0 03 f1 03 f2 03 00 00  // SC_NET
          02 0c 0c 00 00 00 00 00 00 00 00 00                          // SC_SECURITY
          04 0c 06 00 f3 03                                            // SC_MCS_MSGCHANNEL
          08 0c 08 00 01 03 00 00                                      // SC_MULTITRANSPORT
          """);

  @Test
  void specConnectInitialDecodesLayerByLayer() {
    ConnectInitial ci = ConnectInitial.decode(SPEC_CONNECT_INITIAL);
    assertThat(ci.upwardFlag()).isTrue();
    assertThat(ci.targetParameters()).isEqualTo(DomainParameters.TARGET);
    assertThat(ci.minimumParameters()).isEqualTo(DomainParameters.MINIMUM);
    assertThat(ci.maximumParameters()).isEqualTo(DomainParameters.MAXIMUM);
    UserDataBlocks blocks = UserDataBlocks.decode(ConferenceCreate.decodeRequest(ci.userData()));
    assertThat(blocks.blocks()).extracting(UserDataBlocks.Block::type)
        .containsExactly(0xC001, 0xC004, 0xC002, 0xC003);
    ClientCoreData core = blocks.clientCore().orElseThrow();
    assertThat(core.version()).isEqualTo(0x00080004L);
    assertThat(core.desktopWidth()).isEqualTo(1280);
    assertThat(core.clientName()).isEqualTo("ELTONS-DEV2");
    assertThat(core.earlyCapabilityFlags()).isEqualTo(ClientCoreData.RNS_UD_CS_SUPPORT_ERRINFO_PDU);
    assertThat(blocks.clientSecurity().orElseThrow().encryptionMethods()).isEqualTo(0x1B);
  }

  @Test
  void specConnectInitialReEncodes() {
    // Our encoder writes the same three layers; re-encoding the decoded value gives the spec bytes.
    ConnectInitial ci = ConnectInitial.decode(SPEC_CONNECT_INITIAL);
    byte[] clientData = ConferenceCreate.decodeRequest(ci.userData());
    byte[] again = ConnectInitial.of(ConferenceCreate.request(clientData)).encode();
    // The spec writes the outer length in two octets (82 01 94) as we do.
    assertThat(Hex.of(again)).isEqualTo(Hex.of(SPEC_CONNECT_INITIAL));
  }

  @Test
  void probeConnectInitialRoundTrips() {
    byte[] ci = BasicSettings.connectInitial(ClientSecurityData.ENCRYPTION_METHOD_56BIT, 0);
    UserDataBlocks blocks = UserDataBlocks.decode(ConferenceCreate.decodeRequest(ConnectInitial.decode(ci).userData()));
    assertThat(blocks.clientSecurity().orElseThrow().encryptionMethods()).isEqualTo(0x08);
    assertThat(blocks.clientCore().orElseThrow().earlyCapabilityFlags() & ClientCoreData.RNS_UD_CS_SUPPORT_ERRINFO_PDU)
        .isNotZero();
  }

  @Test
  void windowsConnectResponseDecodes() {
    BasicSettings.ServerSettings s = BasicSettings.decodeResponse(WIN10_CONNECT_RESPONSE);
    assertThat(s.mcs().resultName()).isEqualTo("rt-successful");
    assertThat(s.gcc().nodeId()).isEqualTo(31219);
    assertThat(s.gcc().resultName()).isEqualTo("success");
    assertThat(s.core().version()).isEqualTo(0x0008000BL);
    assertThat(s.core().versionName()).isEqualTo("RDP 10.6");
    assertThat(s.core().clientRequestedProtocols()).isEqualTo(0x0BL);
    assertThat(s.network().mcsChannelId()).isEqualTo(1003);
    assertThat(s.network().channelIds()).hasSize(7).startsWith(1004);
    assertThat(s.security().encryptionMethod()).isZero();
    assertThat(s.security().levelName()).isEqualTo("none");
    assertThat(s.blocks().find(0x0C04)).isPresent(); // kept though not decoded
  }

  @Test
  void responseEncodesBackToTheSameBytes() {
    ConnectResponse mcs = ConnectResponse.decode(WIN10_CONNECT_RESPONSE);
    ConferenceCreate.Response gcc = ConferenceCreate.decodeResponse(mcs.userData());
    byte[] userData = ConferenceCreate.response(gcc.nodeId(), gcc.tag(), gcc.result(), gcc.userData());
    // Identical except the connectPDU length (byte 7), which Windows writes too small (0x2a) and we
    // write right (0x50 = 80): MS-RDPBCGR 4.1.4 says clients MUST ignore it.
    byte[] expected = mcs.userData().clone();
    expected[7] = 0x50;
    assertThat(Hex.of(userData)).isEqualTo(Hex.of(expected));
  }

  /** A 512-bit proprietary certificate as [MS-RDPBCGR] 2.2.1.4.3.1.1 lays it out. */
  static byte[] proprietarySecurityBlock() {
    ByteWriter cert = new ByteWriter()
        .u32le(0x80000001L) //       dwVersion: CERT_CHAIN_VERSION_1, temporary
        .u32le(1).u32le(1) //        dwSigAlgId, dwKeyAlgId
        .u16le(6).u16le(92) //       BB_RSA_KEY_BLOB, 92 bytes
        .u32le(0x31415352L) //       "RSA1"
        .u32le(72).u32le(512).u32le(63).u32le(0x10001) // keylen, bitlen, datalen, pubExp
        .bytes(new byte[72]) //      modulus + 8 bytes padding
        .u16le(8).u16le(72).bytes(new byte[72]); // BB_RSA_SIGNATURE_BLOB
    byte[] c = cert.toByteArray();
    return new ByteWriter()
        .u32le(0x02).u32le(2) //     128-bit, client compatible
        .u32le(32).u32le(c.length)
        .bytes(new byte[32]).bytes(c)
        .toByteArray();
  }

  @Test
  void proprietaryCertificateKeySize() {
    ServerSecurityData s = ServerSecurityData.decode(ByteReader.of(proprietarySecurityBlock()));
    assertThat(ClientSecurityData.methodName(s.encryptionMethod())).isEqualTo("128-bit");
    assertThat(s.levelName()).isEqualTo("client compatible");
    assertThat(s.certificate()).isInstanceOf(ServerCertificate.Proprietary.class);
    assertThat(s.certificate().keyBits()).isEqualTo(512);
    assertThat(s.certificate().temporary()).isTrue();
  }

  @Test
  void x509ChainIsSplit() {
    byte[] block = new ByteWriter()
        .u32le(0x02).u32le(3).u32le(32).u32le(4 + 4 + 4 + 3 + 4 + 2 + 16)
        .bytes(new byte[32])
        .u32le(2) // CERT_CHAIN_VERSION_2
        .u32le(2).u32le(3).bytes(new byte[] {1, 2, 3}).u32le(2).bytes(new byte[] {4, 5})
        .zeros(16)
        .toByteArray();
    ServerCertificate c = ServerSecurityData.decode(ByteReader.of(block)).certificate();
    assertThat(c).isInstanceOf(ServerCertificate.X509Chain.class);
    assertThat(((ServerCertificate.X509Chain) c).certificates()).hasSize(2);
  }

  // ---------------------------------------------------------------- malformed input

  @Test
  void zeroBlockLengthIsRefusedNotLooped() {
    // nmap #1737: a block length of 0 spun its parser forever.
    assertThatThrownBy(() -> UserDataBlocks.decode(Hex.parse("01 0c 00 00 01 0c 00 00")))
        .hasMessage("cannot read GCC user data blocks: invalid field TS_UD_HEADER.length: 0 for block 0xc01 (expected: >= 4)");
  }

  @Test
  void hugeCertificateLengthIsRefused() {
    byte[] b = new ByteWriter().u32le(2).u32le(2).u32le(32).u32le(0x7FFFFFFFL).toByteArray();
    assertThatThrownBy(() -> ServerSecurityData.decode(ByteReader.of(b)))
        .hasMessageContaining("invalid field serverCertLen: 2147483647 (expected: <= 32768)");
  }

  @Test
  void wrongT124IdentifierIsNamed() {
    byte[] r = WIN10_CONNECT_RESPONSE.clone();
    r[42] = 0x15; // 00 14 7c → 00 15 7c
    assertThatThrownBy(() -> BasicSettings.decodeResponse(r))
        .hasMessageContaining("invalid field t124Identifier: 00157c0001");
  }

  @Test
  void connectResponseLengthBeyondInputIsNamed() {
    assertThatThrownBy(() -> ConnectResponse.decode(Hex.parse("7f 66 82 ff ff 0a 01 00")))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("cannot read MCS Connect-Response: not enough bytes for Connect-Response");
  }

  @Test
  void networkChannelCountBeyondTheBlockIsRefused() {
    assertThatThrownBy(() -> ServerNetworkData.decode(ByteReader.of(Hex.parse("eb 03 ff ff ec 03"))))
        .hasMessageContaining("invalid field channelCount: 65535 (expected: <= 1)");
  }

  @FuzzTest(maxDuration = "30s")
  void connectResponseDecoderFailsOnlyWithDecodeException(byte[] input) {
    try {
      BasicSettings.decodeResponse(input);
    } catch (DecodeException expected) {
      // allowed
    }
  }

  @FuzzTest(maxDuration = "30s")
  void settingsBlocksDecodersFailOnlyWithDecodeException(byte[] input) {
    try {
      UserDataBlocks b = UserDataBlocks.decode(input);
      b.serverCore();
      b.serverSecurity();
      b.serverNetwork();
      b.clientCore();
      b.clientSecurity();
    } catch (DecodeException expected) {
      // allowed
    }
    try {
      ServerSecurityData.decode(ByteReader.of(input));
    } catch (DecodeException expected) {
      // allowed
    }
    try {
      ConferenceCreate.decodeRequest(ConnectInitial.decode(input).userData());
    } catch (DecodeException expected) {
      // allowed
    }
  }
}
