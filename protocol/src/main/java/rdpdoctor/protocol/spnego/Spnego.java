package rdpdoctor.protocol.spnego;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.ByteWriter;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.der.Der;

/**
 * [RFC 4178] / [MS-SPNG] SPNEGO tokens around NTLM. Windows' CredSSP client puts raw NTLM messages in
 * TSRequest.negoTokens and servers answer in kind, but a server may answer SPNEGO (or want it), so
 * rdpdoctor can wrap its tokens and unwrap the server's.
 *
 * <pre>
 * InitialContextToken ::= [APPLICATION 0] IMPLICIT SEQUENCE { thisMech OID 1.3.6.1.5.5.2, NegTokenInit [0] }
 * NegTokenInit ::= SEQUENCE { mechTypes [0] SEQUENCE OF OID, reqFlags [1] OPTIONAL,
 *                             mechToken [2] OCTET STRING OPTIONAL, mechListMIC [3] OCTET STRING OPTIONAL }
 * NegTokenResp ::= [1] SEQUENCE { negState [0] ENUMERATED OPTIONAL, supportedMech [1] OID OPTIONAL,
 *                             responseToken [2] OCTET STRING OPTIONAL, mechListMIC [3] OCTET STRING OPTIONAL }
 * </pre>
 */
public final class Spnego {
  public static final String SPNEGO_OID = "1.3.6.1.5.5.2";
  public static final String NTLM_OID = "1.3.6.1.4.1.311.2.2.10";

  /** Longest SPNEGO token accepted (it is inside a bounded TSRequest anyway). */
  private static final int MAX = 256 * 1024;

  public static final int ACCEPT_COMPLETED = 0;
  public static final int ACCEPT_INCOMPLETE = 1;
  public static final int REJECT = 2;
  public static final int REQUEST_MIC = 3;

  private Spnego() {}

  /** A NegTokenResp; every field is optional on the wire. */
  public record NegTokenResp(
      @Nullable Integer negState,
      @Nullable String supportedMech,
      byte @Nullable [] responseToken,
      byte @Nullable [] mechListMic) {

    public byte[] encode() {
      ByteWriter body = new ByteWriter();
      if (negState != null) {
        body.bytes(Der.tlv(0xA0, Der.tlv(Der.ENUMERATED, new byte[] {(byte) (int) negState})));
      }
      if (supportedMech != null) {
        body.bytes(Der.tlv(0xA1, Der.oid(supportedMech)));
      }
      if (responseToken != null) {
        body.bytes(Der.tlv(0xA2, Der.octetString(responseToken)));
      }
      if (mechListMic != null) {
        body.bytes(Der.tlv(0xA3, Der.octetString(mechListMic)));
      }
      return Der.tlv(0xA1, Der.tlv(Der.SEQUENCE, body.toByteArray()));
    }

    public String negStateName() {
      if (negState == null) {
        return "absent";
      }
      return switch (negState) {
        case ACCEPT_COMPLETED -> "accept-completed";
        case ACCEPT_INCOMPLETE -> "accept-incomplete";
        case REJECT -> "reject";
        case REQUEST_MIC -> "request-mic";
        default -> Integer.toString(negState);
      };
    }
  }

  /** The DER MechTypeList {NTLM} that a mechListMIC covers. */
  public static byte[] mechTypeList() {
    return Der.tlv(Der.SEQUENCE, Der.oid(NTLM_OID));
  }

  /** An InitialContextToken offering NTLM with {@code ntlmNegotiate} as the optimistic token. */
  public static byte[] initToken(byte[] ntlmNegotiate) {
    byte[] negTokenInit =
        Der.tlv(
            Der.SEQUENCE,
            Der.tlv(0xA0, mechTypeList()),
            Der.tlv(0xA2, Der.octetString(ntlmNegotiate)));
    return Der.tlv(0x60, Der.oid(SPNEGO_OID), Der.tlv(0xA0, negTokenInit));
  }

  /** True when {@code token} looks like SPNEGO rather than a raw "NTLMSSP" message. */
  public static boolean isSpnego(byte[] token) {
    return token.length > 0 && ((token[0] & 0xFF) == 0x60 || (token[0] & 0xFF) == 0xA1);
  }

  public static NegTokenResp decodeResp(byte[] token) {
    try {
      ByteReader r = ByteReader.of(token);
      ByteReader seq = Der.expect(Der.expect(r, 0xA1, "negTokenResp", MAX), Der.SEQUENCE, "NegTokenResp", MAX);
      Integer state = null;
      String mech = null;
      byte[] response = null;
      byte[] mic = null;
      while (seq.hasRemaining()) {
        Der.Element e = Der.read(seq, "NegTokenResp field", MAX);
        ByteReader c = e.content();
        switch ((int) e.tag().number()) {
          case 0 -> state = (int) Der.readEnumerated(c, "negState");
          case 1 -> mech = Der.readOid(c, "supportedMech");
          case 2 -> response = Der.readOctetString(c, "responseToken", MAX);
          case 3 -> mic = Der.readOctetString(c, "mechListMIC", MAX);
          default -> { } // unknown fields are skipped
        }
      }
      return new NegTokenResp(state, mech, response, mic);
    } catch (DecodeException e) {
      throw e.in("cannot read SPNEGO NegTokenResp");
    }
  }

  /** Decodes an InitialContextToken's mech types and mechToken (the fake servers use this). */
  public record NegTokenInit(List<String> mechTypes, byte @Nullable [] mechToken) {}

  public static NegTokenInit decodeInit(byte[] token) {
    try {
      ByteReader r = ByteReader.of(token);
      ByteReader app = Der.expect(r, 0x60, "InitialContextToken", MAX);
      String oid = Der.readOid(app, "thisMech");
      if (!SPNEGO_OID.equals(oid)) {
        throw new DecodeException.InvalidField("thisMech", oid + " (expected: " + SPNEGO_OID + ")");
      }
      ByteReader seq = Der.expect(Der.expect(app, 0xA0, "negTokenInit", MAX), Der.SEQUENCE, "NegTokenInit", MAX);
      List<String> mechs = new ArrayList<>();
      byte[] mechToken = null;
      while (seq.hasRemaining()) {
        Der.Element e = Der.read(seq, "NegTokenInit field", MAX);
        ByteReader c = e.content();
        switch ((int) e.tag().number()) {
          case 0 -> {
            ByteReader list = Der.expect(c, Der.SEQUENCE, "mechTypes", MAX);
            while (list.hasRemaining()) {
              mechs.add(Der.readOid(list, "MechType"));
            }
          }
          case 2 -> mechToken = Der.readOctetString(c, "mechToken", MAX);
          default -> { }
        }
      }
      return new NegTokenInit(mechs, mechToken);
    } catch (DecodeException e) {
      throw e.in("cannot read SPNEGO NegTokenInit");
    }
  }
}
