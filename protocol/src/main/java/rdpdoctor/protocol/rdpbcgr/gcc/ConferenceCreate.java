package rdpdoctor.protocol.rdpbcgr.gcc;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.ByteWriter;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.Hex;
import rdpdoctor.protocol.rdpbcgr.mcs.Per;

/**
 * [T.124] 8.7 ConnectData with a ConferenceCreateRequest / ConferenceCreateResponse, ALIGNED PER,
 * as [MS-RDPBCGR] 2.2.1.3 and 2.2.1.4 carry them in the MCS userData: the client's settings blocks
 * ride in a UserData value keyed "Duca", the server's in one keyed "McDn".
 */
public final class ConferenceCreate {
  /** T.124 object identifier {itu-t(0) recommendation(0) t(20) t124(124) version(0) 1}, PER body. */
  static final byte[] T124_OID = {0x00, 0x14, 0x7c, 0x00, 0x01};

  static final byte[] CLIENT_KEY = "Duca".getBytes(StandardCharsets.US_ASCII);
  static final byte[] SERVER_KEY = "McDn".getBytes(StandardCharsets.US_ASCII);

  private ConferenceCreate() {}

  /** The server's answer: its node id, tag, result and the settings blocks. */
  public record Response(int nodeId, long tag, int result, byte[] userData) {
    public String resultName() {
      return switch (result) {
        case 0 -> "success";
        case 1 -> "userRejected";
        case 2 -> "resourcesNotAvailable";
        case 3 -> "rejectedForSymmetryBreaking";
        case 4 -> "lockedConferenceNotSupported";
        default -> Integer.toString(result);
      };
    }
  }

  /** ConnectData { t124Identifier, connectPDU = ConferenceCreateRequest { name "1", userData Duca } }. */
  public static byte[] request(byte[] clientUserData) {
    ByteWriter pdu = new ByteWriter(clientUserData.length + 16);
    // ConnectGCCPDU ext 0, choice 0 (conferenceCreateRequest), ConferenceCreateRequest ext 0,
    // optional-field bitmap 00000001 (only userData) spread over the first two octets.
    pdu.u8(0x00).u8(0x08);
    // conferenceName: ConferenceName ext 0, text absent; numeric "1" (length-1 = 0, one BCD digit)
    pdu.u8(0x00).u8(0x10);
    // locked/listed/conductible FALSE, terminationMethod automatic
    pdu.u8(0x00);
    pdu.u8(0x01); //        userData: SET OF, one element
    pdu.u8(0xC0); //        value present, key = h221NonStandard
    pdu.u8(0x00); //        h221NonStandard length - 4
    pdu.bytes(CLIENT_KEY);
    Per.writeLength(pdu, clientUserData.length);
    pdu.bytes(clientUserData);
    return connectData(pdu.toByteArray());
  }

  private static byte[] connectData(byte[] connectPdu) {
    ByteWriter w = new ByteWriter(connectPdu.length + 10);
    w.u8(0x00); //                   t124Identifier: Key CHOICE object
    w.u8(T124_OID.length).bytes(T124_OID);
    Per.writeLength(w, connectPdu.length);
    return w.bytes(connectPdu).toByteArray();
  }

  /**
   * Reads ConnectData's header and returns a reader over its connectPDU. Windows servers write a
   * connectPDU length that is too small in the response ([MS-RDPBCGR] 4.1.4 annotates 0x2a with "MUST
   * be ignored"), so for the response the rest of the userData is the connectPDU.
   */
  private static ByteReader connectPdu(ByteReader r, boolean ignoreLength) {
    int key = r.u8("t124Identifier choice");
    if (key != 0) {
      throw new DecodeException.UnexpectedValue("ConnectData", "t124Identifier choice", key, "0 (object)");
    }
    int oidLen = r.u8("t124Identifier length");
    byte[] oid = r.bytes("t124Identifier", oidLen);
    if (!Arrays.equals(oid, T124_OID)) {
      throw new DecodeException.InvalidField("t124Identifier", Hex.of(oid) + " (expected: " + Hex.of(T124_OID) + ")");
    }
    int len = Per.readLength(r, "connectPDU");
    return ignoreLength ? r.slice("connectPDU", r.remaining()) : r.slice("connectPDU", len);
  }

  /** Decodes a ConferenceCreateResponse from the MCS Connect-Response userData. */
  public static Response decodeResponse(byte[] connectData) {
    try {
      ByteReader pdu = connectPdu(ByteReader.of(connectData), true);
      // ext(1) choice(3) | CCResponse ext(1) userData-present(1) | padding(2)
      int first = pdu.u8("ConnectGCCPDU choice");
      int choice = first >>> 4 & 0x07;
      if ((first & 0x80) != 0 || choice != 1) {
        throw new DecodeException.UnexpectedValue(
            "ConnectGCCPDU", "choice", choice, "1 (conferenceCreateResponse)");
      }
      boolean hasUserData = (first & 0x04) != 0;
      int nodeId = pdu.u16be("nodeID") + Per.USER_ID_BASE;
      long tag = Per.readInteger(pdu, "tag");
      int resultOctet = pdu.u8("result");
      if ((resultOctet & 0x80) != 0) {
        throw new DecodeException.InvalidField("result", "extension value 0x" + Integer.toHexString(resultOctet));
      }
      int result = resultOctet >>> 4 & 0x07;
      byte[] serverData = new byte[0];
      if (hasUserData) {
        int count = Per.readLength(pdu, "userData count");
        DecodeException.checkBound("userData count", count, 16);
        for (int i = 0; i < count; i++) {
          int bits = pdu.u8("UserData preamble");
          boolean valuePresent = (bits & 0x80) != 0;
          byte[] key;
          if ((bits & 0x40) != 0) {
            int n = pdu.u8("h221NonStandard length") + 4;
            key = pdu.bytes("h221NonStandard", n);
          } else {
            key = pdu.bytes("object key", pdu.u8("object key length"));
          }
          byte[] value = new byte[0];
          if (valuePresent) {
            int n = Per.readLength(pdu, "UserData value");
            value = pdu.bytes("UserData value", n);
          }
          if (Arrays.equals(key, SERVER_KEY)) {
            serverData = value;
          }
        }
      }
      return new Response(nodeId, tag, result, serverData);
    } catch (DecodeException e) {
      throw e.in("cannot read GCC Conference Create Response");
    }
  }

  /** Encodes a response (the fake servers answer with it). */
  public static byte[] response(int nodeId, long tag, int result, byte[] serverUserData) {
    ByteWriter pdu = new ByteWriter(serverUserData.length + 16);
    pdu.u8(0x14); //                     choice 1, userData present
    pdu.u16be(nodeId - Per.USER_ID_BASE);
    pdu.u8(1).u8((int) tag); //          tag: length 1, value
    pdu.u8(result << 4); //              result
    pdu.u8(0x01).u8(0xC0).u8(0x00).bytes(SERVER_KEY);
    Per.writeLength(pdu, serverUserData.length);
    pdu.bytes(serverUserData);
    return connectData(pdu.toByteArray());
  }

  /** Decodes a ConferenceCreateRequest and returns the client's settings blocks ("Duca"). */
  public static byte[] decodeRequest(byte[] connectData) {
    try {
      ByteReader pdu = connectPdu(ByteReader.of(connectData), false);
      int first = pdu.u8("ConnectGCCPDU choice");
      if ((first & 0xF0) != 0) {
        throw new DecodeException.UnexpectedValue("ConnectGCCPDU", "choice", first >>> 4, "0 (conferenceCreateRequest)");
      }
      int bitmap = pdu.u8("optional fields");
      if ((bitmap & 0x08) == 0) {
        throw new DecodeException.InvalidField("ConferenceCreateRequest", "no userData");
      }
      int nameLen = pdu.u8("conferenceName length") + 1;
      pdu.skip("conferenceName", (nameLen + 1) / 2); // BCD digits, flags follow in the last nibble
      pdu.u8("terminationMethod");
      int count = Per.readLength(pdu, "userData count");
      DecodeException.checkBound("userData count", count, 16);
      for (int i = 0; i < count; i++) {
        int bits = pdu.u8("UserData preamble");
        byte[] key = (bits & 0x40) != 0
            ? pdu.bytes("h221NonStandard", pdu.u8("h221NonStandard length") + 4)
            : pdu.bytes("object key", pdu.u8("object key length"));
        if ((bits & 0x80) != 0) {
          byte[] value = pdu.bytes("UserData value", Per.readLength(pdu, "UserData value"));
          if (Arrays.equals(key, CLIENT_KEY)) {
            return value;
          }
        }
      }
      throw new DecodeException.InvalidField("userData", "no Duca block");
    } catch (DecodeException e) {
      throw e.in("cannot read GCC Conference Create Request");
    }
  }
}
