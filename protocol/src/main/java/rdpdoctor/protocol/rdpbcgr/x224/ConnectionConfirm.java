package rdpdoctor.protocol.rdpbcgr.x224;

import org.jspecify.annotations.Nullable;
import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.ByteWriter;
import rdpdoctor.protocol.DecodeException;

/**
 * [MS-RDPBCGR] 2.2.1.2 Server X.224 Connection Confirm PDU: an [X.224] 13.4 CC TPDU with an
 * optional RDP_NEG_RSP or RDP_NEG_FAILURE.
 *
 * <pre>
 * tpktHeader (4) | LI (1) | CC-CDT 0xD0 (1) | DST-REF (2) | SRC-REF (2) | class (1)
 *   | rdpNegData (8, optional)
 * </pre>
 *
 * @param srcRef source reference (Windows sends 0x1234)
 * @param negotiation the response or failure, or null when the server sent none (a legacy request,
 *     or a server older than RDP 5.2)
 * @param extra bytes after rdpNegData inside LI, kept for the report (none on known servers)
 */
public record ConnectionConfirm(int srcRef, @Nullable NegotiationData negotiation, byte[] extra)
    implements X224.Tpdu {

  public ConnectionConfirm(int srcRef, @Nullable NegotiationData negotiation) {
    this(srcRef, negotiation, new byte[0]);
  }

  public byte[] encode() {
    ByteWriter w = new ByteWriter(19)
        .u8(0) //             LI (1), patched below
        .u8(X224.CC_CDT) //   CC-CDT (1)
        .u16be(0) //          DST-REF (2)
        .u16be(srcRef) //     SRC-REF (2)
        .u8(0); //            class and options (1)
    if (negotiation != null) {
      negotiation.encode(w);
    }
    w.bytes(extra);
    byte[] tpdu = w.toByteArray();
    tpdu[0] = (byte) (tpdu.length - 1);
    return Tpkt.encode(tpdu);
  }

  /** Decodes a whole PDU, TPKT header included. */
  public static ConnectionConfirm decode(byte[] pdu) {
    try {
      return decodeTpdu(ByteReader.of(Tpkt.decode(pdu, Tpkt.DEFAULT_MAX_LENGTH)));
    } catch (DecodeException e) {
      throw e.in("cannot read X.224 connection confirm");
    }
  }

  static ConnectionConfirm decodeTpdu(ByteReader r) {
    X224.Header h = X224.Header.decode(r, X224.CC_CDT, "connection confirm");
    ByteReader v = h.variable();
    NegotiationData neg = null;
    if (v.remaining() >= NegotiationData.LENGTH) {
      neg = NegotiationData.decode(v);
    }
    byte[] extra = v.bytes("extra", v.remaining());
    if (r.hasRemaining()) {
      throw new DecodeException.InvalidField(
          "connection confirm", r.remaining() + " bytes after the TPDU (expected: 0)");
    }
    return new ConnectionConfirm(h.srcRef(), neg, extra);
  }
}
