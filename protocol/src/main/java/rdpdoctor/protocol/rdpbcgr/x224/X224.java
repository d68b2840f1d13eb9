package rdpdoctor.protocol.rdpbcgr.x224;

import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.ByteWriter;
import rdpdoctor.protocol.DecodeException;

/**
 * [X.224] Class 0 TPDUs as RDP uses them ([MS-RDPBCGR] 2.2.1.1, 2.2.1.2, 2.2.8.1): the fixed part
 * shared by CR and CC, the Disconnect Request a server sends when it gives up, and the Data TPDU
 * header every later PDU travels in. {@link #decode} tells which one a TPKT payload holds.
 */
public final class X224 {
  /** [X.224] 13.4: CC code (high nibble 0xD), credit 0. */
  public static final int CC_CDT = 0xD0;
  /** [X.224] 13.5: DR code. */
  public static final int DR = 0x80;
  /** [X.224] 13.7: DT code. */
  public static final int DT = 0xF0;
  /** [X.224] 13.12: ER (TPDU error) code. */
  public static final int ER = 0x70;
  /** DT header: LI (1) + code (1) + EOT/NR (1). */
  public static final int DATA_HEADER_LENGTH = 3;

  private X224() {}

  /**
   * The fixed part of a CR or CC TPDU and the reader over its variable part.
   *
   * @param code the TPDU code byte, credit nibble included
   * @param dstRef destination reference
   * @param srcRef source reference
   * @param classOption class and options byte
   * @param variable the variable part (LI - 6 bytes)
   */
  record Header(int code, int dstRef, int srcRef, int classOption, ByteReader variable) {
    static Header decode(ByteReader r, int expectedCode, String what) {
      int li = r.u8("LI"); //                       length indicator (1)
      if (li < 6) {
        throw new DecodeException.InvalidField("LI", li + " (expected: >= 6 for a " + what + ")");
      }
      if (li != r.remaining()) {
        throw new DecodeException.InvalidField(
            "LI", li + " (expected: " + r.remaining() + ", the bytes after it)");
      }
      int code = r.u8("TPDU code"); //              CR-CDT or CC-CDT (1)
      if ((code & 0xF0) != expectedCode) {
        throw new DecodeException.UnexpectedValue(
            what, "TPDU code", code, "0x" + Integer.toHexString(expectedCode));
      }
      int dstRef = r.u16be("DST-REF"); //           destination reference (2)
      int srcRef = r.u16be("SRC-REF"); //           source reference (2)
      int classOption = r.u8("class option"); //    class and options (1)
      return new Header(code, dstRef, srcRef, classOption, r.slice("variable part", li - 6));
    }
  }

  /**
   * [X.224] 13.5 Disconnect Request: what some servers send instead of a Connection Confirm.
   *
   * @param dstRef destination reference
   * @param srcRef source reference
   * @param reason the raw reason byte ([X.224] 13.5.3 d)
   */
  public record DisconnectRequest(int dstRef, int srcRef, int reason) implements Tpdu {
    public byte[] encode() {
      byte[] tpdu = new ByteWriter(7).u8(6).u8(DR).u16be(dstRef).u16be(srcRef).u8(reason).toByteArray();
      return Tpkt.encode(tpdu);
    }
  }

  /** [X.224] 13.7 Data TPDU: the user data after its 3-byte header. */
  public record Data(byte[] userData) implements Tpdu {}

  /** A TPDU code this decoder does not read further; the code and the raw TPDU are kept. */
  public record Other(int code, byte[] tpdu) implements Tpdu {}

  /** What a TPKT payload held. */
  public sealed interface Tpdu
      permits ConnectionConfirm, DisconnectRequest, Data, Other {}

  /** Decodes a whole PDU from the server (TPKT header included) into the TPDU it carries. */
  public static Tpdu decode(byte[] pdu) {
    byte[] payload = Tpkt.decode(pdu, 0xFFFF);
    try {
      ByteReader r = ByteReader.of(payload);
      r.require("TPDU header", 2);
      int code = payload[1] & 0xFF;
      return switch (code & 0xF0) {
        case CC_CDT -> ConnectionConfirm.decodeTpdu(r);
        case DR -> decodeDisconnect(r);
        case DT -> new Data(decodeDataTpdu(r));
        default -> new Other(code, payload);
      };
    } catch (DecodeException e) {
      throw e.in("cannot read X.224 TPDU");
    }
  }

  private static DisconnectRequest decodeDisconnect(ByteReader r) {
    int li = r.u8("LI"); //                    length indicator (1)
    if (li < 6 || li > r.remaining()) {
      throw new DecodeException.InvalidField("LI", li + " (expected: 6.." + r.remaining() + ")");
    }
    r.u8("TPDU code"); //                      DR (1)
    int dst = r.u16be("DST-REF"); //           destination reference (2)
    int src = r.u16be("SRC-REF"); //           source reference (2)
    int reason = r.u8("reason"); //            reason (1); parameters and user data ignored
    return new DisconnectRequest(dst, src, reason);
  }

  private static byte[] decodeDataTpdu(ByteReader r) {
    int li = r.u8("LI"); //                    length indicator (1), always 2
    if (li != 2) {
      throw new DecodeException.InvalidField("LI", li + " (expected: 2 for a data TPDU)");
    }
    r.u8("TPDU code"); //                      DT (1)
    r.u8("EOT"); //                            EOT flag and TPDU-NR (1)
    return r.bytes("user data", r.remaining());
  }

  /** A Data TPDU carrying {@code userData} in a TPKT frame, as MCS PDUs are sent. */
  public static byte[] encodeData(byte[] userData) {
    byte[] tpdu = new ByteWriter(DATA_HEADER_LENGTH + userData.length)
        .u8(2) //       LI (1)
        .u8(DT) //      DT code (1)
        .u8(0x80) //    EOT set, TPDU-NR 0 (1)
        .bytes(userData)
        .toByteArray();
    return Tpkt.encode(tpdu);
  }

  /** The user data of a Data TPDU in a whole TPKT frame. */
  public static byte[] decodeData(byte[] pdu) {
    Tpdu t = decode(pdu);
    if (t instanceof Data d) {
      return d.userData();
    }
    throw new DecodeException.UnexpectedValue(
        "TPKT payload", "TPDU code", pdu.length > 5 ? pdu[5] & 0xFF : -1, "0xf0 (data)")
        .in("cannot read X.224 data TPDU");
  }
}
