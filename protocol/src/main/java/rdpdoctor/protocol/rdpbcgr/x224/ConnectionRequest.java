package rdpdoctor.protocol.rdpbcgr.x224;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.ByteWriter;
import rdpdoctor.protocol.DecodeException;

/**
 * [MS-RDPBCGR] 2.2.1.1 Client X.224 Connection Request PDU: an [X.224] 13.3 Class 0 CR TPDU whose
 * variable part carries an optional routing token or cookie line and an optional RDP_NEG_REQ (and,
 * when its flags say so, an RDP_NEG_CORRELATION_INFO).
 *
 * <pre>
 * tpktHeader (4) | LI (1) | CR-CDT 0xE0 (1) | DST-REF (2) | SRC-REF (2) | class (1)
 *   | routingToken or "Cookie: mstshash=NAME" CR LF (optional)
 *   | rdpNegReq (8, optional) | rdpCorrelationInfo (36, optional)
 * </pre>
 *
 * @param srcRef source reference (Windows sends 0)
 * @param tokenLine the routing token or cookie line without its CR LF, as ISO-8859-1 text, or null
 * @param negotiation the RDP_NEG_REQ, or null for a legacy request (RDP 4.0/5.x clients)
 * @param correlationId the 16-byte correlation id when present, or null
 */
public record ConnectionRequest(
    int srcRef,
    @Nullable String tokenLine,
    @Nullable NegotiationRequest negotiation,
    byte @Nullable [] correlationId) {

  /** [X.224] 13.3: CR code in the high nibble, credit 0 in the low one. */
  public static final int CR_CDT = 0xE0;

  /** [MS-RDPBCGR] 2.2.1.1.2 RDP Correlation Info: type 0x06, length 36. */
  static final int CORRELATION_TYPE = 0x06;

  static final int CORRELATION_LENGTH =
      1 /* type */ + 1 /* flags */ + 2 /* length */ + 16 /* correlationId */ + 16 /* reserved */;

  /** A request with a {@code Cookie: mstshash=NAME} line, as mstsc sends for a user name. */
  public static ConnectionRequest withCookie(String mstshash, @Nullable NegotiationRequest neg) {
    return new ConnectionRequest(0, "Cookie: mstshash=" + mstshash, neg, null);
  }

  /** A request without a cookie. */
  public static ConnectionRequest of(@Nullable NegotiationRequest neg) {
    return new ConnectionRequest(0, null, neg, null);
  }

  /** The mstshash cookie value, when the token line is one. */
  public @Nullable String cookie() {
    String prefix = "Cookie: mstshash=";
    return tokenLine != null && tokenLine.startsWith(prefix) ? tokenLine.substring(prefix.length()) : null;
  }

  /** The whole PDU, TPKT header included. */
  public byte[] encode() {
    ByteWriter w = new ByteWriter(64);
    w.u8(0) //                         LI (1), patched below
        .u8(CR_CDT) //                 CR-CDT (1)
        .u16be(0) //                   DST-REF (2)
        .u16be(srcRef) //              SRC-REF (2)
        .u8(0); //                     class and options (1): class 0
    if (tokenLine != null) {
      w.bytes(tokenLine.getBytes(StandardCharsets.ISO_8859_1)).u8('\r').u8('\n');
    }
    if (negotiation != null) {
      negotiation.encode(w);
    }
    if (correlationId != null) {
      if (correlationId.length != 16) {
        throw new IllegalArgumentException("correlation id must be 16 bytes: " + correlationId.length);
      }
      w.u8(CORRELATION_TYPE).u8(0).u16le(CORRELATION_LENGTH).bytes(correlationId).zeros(16);
    }
    byte[] tpdu = w.toByteArray();
    if (tpdu.length - 1 > 0xFE) {
      throw new IllegalArgumentException("connection request too long: LI " + (tpdu.length - 1));
    }
    tpdu[0] = (byte) (tpdu.length - 1); // LI counts everything after itself
    return Tpkt.encode(tpdu);
  }

  /** Decodes a whole PDU, TPKT header included. */
  public static ConnectionRequest decode(byte[] pdu) {
    try {
      ByteReader r = ByteReader.of(Tpkt.decode(pdu, Tpkt.DEFAULT_MAX_LENGTH));
      X224.Header h = X224.Header.decode(r, CR_CDT, "connection request");
      return decodeVariable(h.srcRef(), h.variable());
    } catch (DecodeException e) {
      throw e.in("cannot read X.224 connection request");
    }
  }

  private static ConnectionRequest decodeVariable(int srcRef, ByteReader v) {
    String token = null;
    // A token or cookie is a text line; RDP_NEG_REQ starts with type 0x01 and is exactly 8 bytes,
    // optionally followed by the 36-byte correlation info.
    boolean bareNeg =
        v.remaining() >= NegotiationRequest.LENGTH
            && v.peekU8("rdpNegReq type") == NegotiationRequest.TYPE
            && (v.remaining() == NegotiationRequest.LENGTH
                || v.remaining() == NegotiationRequest.LENGTH + CORRELATION_LENGTH);
    if (v.hasRemaining() && !bareNeg) {
      byte[] a = v.array();
      int start = v.absolutePosition();
      int end = -1;
      for (int i = start; i + 1 < start + v.remaining(); i++) {
        if (a[i] == '\r' && a[i + 1] == '\n') {
          end = i;
          break;
        }
      }
      if (end < 0) {
        throw new DecodeException.InvalidField(
            "routingToken", "no CR LF terminator in " + v.remaining() + " bytes");
      }
      token = v.latin1("routingToken", end - start);
      v.skip("routingToken terminator", 2);
    }
    NegotiationRequest neg = null;
    byte[] correlation = null;
    if (v.hasRemaining()) {
      neg = NegotiationRequest.decode(v);
      if ((neg.flags() & NegotiationRequest.CORRELATION_INFO_PRESENT) != 0 && v.hasRemaining()) {
        int type = v.u8("rdpCorrelationInfo type"); //     type (1)
        if (type != CORRELATION_TYPE) {
          throw new DecodeException.UnexpectedValue("RDP_NEG_CORRELATION_INFO", "type", type, "0x6");
        }
        v.u8("rdpCorrelationInfo flags"); //                flags (1)
        int length = v.u16le("rdpCorrelationInfo length"); // length (2)
        if (length != CORRELATION_LENGTH) {
          throw new DecodeException.InvalidField("rdpCorrelationInfo length", length + " (expected: 36)");
        }
        correlation = v.bytes("correlationId", 16); //       correlationId (16)
        v.skip("rdpCorrelationInfo reserved", 16); //        reserved (16)
      }
    }
    if (v.hasRemaining()) {
      throw new DecodeException.InvalidField(
          "connection request variable part", v.remaining() + " bytes left over (expected: 0)");
    }
    return new ConnectionRequest(srcRef, token, neg, correlation);
  }
}
