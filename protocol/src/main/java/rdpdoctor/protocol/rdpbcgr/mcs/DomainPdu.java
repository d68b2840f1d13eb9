package rdpdoctor.protocol.rdpbcgr.mcs;

import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.ByteWriter;
import rdpdoctor.protocol.DecodeException;

/**
 * [T.125] 7 DomainMCSPDU, ALIGNED PER: the few a client needs before the RDP security exchange,
 * and the two a server uses to end things (Disconnect Provider Ultimatum, and Send Data Indication
 * carrying a Set Error Info PDU). The first octet holds the 6-bit CHOICE index:
 *
 * <pre>
 *   7 6 5 4 3 2 1 0
 *  | choice    |opt|   opt = optional-field bits or the first bits of the next field
 * </pre>
 */
public sealed interface DomainPdu {
  int ERECT_DOMAIN_REQUEST = 1;
  int DISCONNECT_PROVIDER_ULTIMATUM = 8;
  int ATTACH_USER_REQUEST = 10;
  int ATTACH_USER_CONFIRM = 11;
  int CHANNEL_JOIN_REQUEST = 14;
  int CHANNEL_JOIN_CONFIRM = 15;
  int SEND_DATA_REQUEST = 25;
  int SEND_DATA_INDICATION = 26;

  /** Reason names of [T.125] Reason. */
  String[] REASONS = {
    "rn-domain-disconnected", "rn-provider-initiated", "rn-token-purged", "rn-user-requested", "rn-channel-purged"
  };

  /** The server (or provider) is ending the domain. */
  record DisconnectProviderUltimatum(int reason) implements DomainPdu {
    public String reasonName() {
      return reason < REASONS.length ? REASONS[reason] : Integer.toString(reason);
    }
  }

  record AttachUserConfirm(int result, int initiator) implements DomainPdu {}

  record ChannelJoinConfirm(int result, int initiator, int requested, int channelId) implements DomainPdu {}

  /** Data from the server on a channel; {@code userData} is the RDP PDU (a Set Error Info one, maybe). */
  record SendDataIndication(int initiator, int channelId, int priorityAndSegmentation, byte[] userData)
      implements DomainPdu {}

  /** A PDU this decoder does not read further: its choice index is kept. */
  record Other(int choice) implements DomainPdu {}

  /** Decodes one DomainMCSPDU (the payload of an X.224 Data TPDU). */
  static DomainPdu decode(byte[] bytes) {
    try {
      ByteReader r = ByteReader.of(bytes);
      int first = r.u8("DomainMCSPDU choice");
      int choice = first >>> 2;
      return switch (choice) {
        case DISCONNECT_PROVIDER_ULTIMATUM -> {
          // Reason is a 3-bit enumeration straddling the first two octets.
          int second = r.u8("reason");
          yield new DisconnectProviderUltimatum((first & 0x03) << 1 | second >>> 7);
        }
        case ATTACH_USER_CONFIRM -> {
          int result = r.u8("result") >>> 4; // ENUMERATED(16), 4 bits
          int initiator = (first & 0x02) != 0 ? r.u16be("initiator") + Per.USER_ID_BASE : 0;
          yield new AttachUserConfirm(result, initiator);
        }
        case CHANNEL_JOIN_CONFIRM -> {
          int result = r.u8("result") >>> 4;
          int initiator = r.u16be("initiator") + Per.USER_ID_BASE;
          int requested = r.u16be("requested");
          int channel = (first & 0x02) != 0 ? r.u16be("channelId") : 0;
          yield new ChannelJoinConfirm(result, initiator, requested, channel);
        }
        case SEND_DATA_INDICATION -> {
          int initiator = r.u16be("initiator") + Per.USER_ID_BASE;
          int channel = r.u16be("channelId");
          int prio = r.u8("dataPriority and segmentation");
          int len = Per.readLength(r, "userData");
          yield new SendDataIndication(initiator, channel, prio, r.bytes("userData", len));
        }
        default -> new Other(choice);
      };
    } catch (DecodeException e) {
      throw e.in("cannot read MCS domain PDU");
    }
  }

  /** Erect Domain Request with subHeight 0 and subInterval 0, as every client sends it. */
  static byte[] erectDomainRequest() {
    return new ByteWriter().u8(ERECT_DOMAIN_REQUEST << 2).u8(1).u8(0).u8(1).u8(0).toByteArray();
  }

  static byte[] attachUserRequest() {
    return new byte[] {(byte) (ATTACH_USER_REQUEST << 2)};
  }

  static byte[] channelJoinRequest(int userId, int channelId) {
    return new ByteWriter()
        .u8(CHANNEL_JOIN_REQUEST << 2)
        .u16be(userId - Per.USER_ID_BASE)
        .u16be(channelId)
        .toByteArray();
  }
}
