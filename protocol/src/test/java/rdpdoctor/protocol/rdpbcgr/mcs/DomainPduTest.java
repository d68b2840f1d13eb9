package rdpdoctor.protocol.rdpbcgr.mcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.Hex;

class DomainPduTest {
  @Test
  void disconnectProviderUltimatumReason() {
    // 0x21 0x80: choice 8, reason 3 straddling the octets
    DomainPdu p = DomainPdu.decode(Hex.parse("21 80"));
    assertThat(p).isEqualTo(new DomainPdu.DisconnectProviderUltimatum(3));
    assertThat(((DomainPdu.DisconnectProviderUltimatum) p).reasonName()).isEqualTo("rn-user-requested");
  }

  @Test
  void sendDataIndicationCarriesItsPayload() {
    DomainPdu p = DomainPdu.decode(Hex.parse(
        """
        68            // choice 26 SendDataIndication
        00 01         // initiator 1002
        03 eb         // channelId 1003
        70            // priority high, begin + end
        08            // length 8
        80 00 00 00 01 00 00 00  // e.g. a security header then data
        """));
    DomainPdu.SendDataIndication s = (DomainPdu.SendDataIndication) p;
    assertThat(s.initiator()).isEqualTo(1002);
    assertThat(s.channelId()).isEqualTo(1003);
    assertThat(s.userData()).hasSize(8);
  }

  @Test
  void attachAndJoinConfirmsDecode() {
    assertThat(DomainPdu.decode(Hex.parse("2e 00 00 06")))
        .isEqualTo(new DomainPdu.AttachUserConfirm(0, 1007));
    assertThat(DomainPdu.decode(Hex.parse("3e 00 00 06 03 ef 03 ef")))
        .isEqualTo(new DomainPdu.ChannelJoinConfirm(0, 1007, 1007, 1007));
  }

  @Test
  void requestsEncodeAsClientsSendThem() {
    assertThat(Hex.of(DomainPdu.erectDomainRequest())).isEqualTo("0401000100");
    assertThat(Hex.of(DomainPdu.attachUserRequest())).isEqualTo("28");
    assertThat(Hex.of(DomainPdu.channelJoinRequest(1007, 1003))).isEqualTo("38000603eb");
  }

  @Test
  void fragmentedLengthIsRefused() {
    assertThatThrownBy(() -> DomainPdu.decode(Hex.parse("68 00 01 03 eb 70 c1")))
        .hasMessage("cannot read MCS domain PDU: invalid field userData length: fragmented PER length 0xc1");
  }

  @FuzzTest(maxDuration = "30s")
  void domainPduDecoderFailsOnlyWithDecodeException(byte[] input) {
    try {
      DomainPdu.decode(input);
    } catch (DecodeException expected) {
      // allowed
    }
  }
}
