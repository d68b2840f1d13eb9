package rdpdoctor.protocol.rdpbcgr.mcs;

import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.ByteWriter;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.der.Der;

/**
 * [T.125] 11.1 / [MS-RDPBCGR] 2.2.1.3 MCS Connect-Initial, BER with definite lengths:
 *
 * <pre>
 * Connect-Initial ::= [APPLICATION 101] IMPLICIT SEQUENCE {
 *   callingDomainSelector OCTET STRING, calledDomainSelector OCTET STRING, upwardFlag BOOLEAN,
 *   targetParameters DomainParameters, minimumParameters DomainParameters,
 *   maximumParameters DomainParameters, userData OCTET STRING }   -- userData: GCC ConnectData (PER)
 * </pre>
 */
public record ConnectInitial(
    byte[] callingDomainSelector,
    byte[] calledDomainSelector,
    boolean upwardFlag,
    DomainParameters targetParameters,
    DomainParameters minimumParameters,
    DomainParameters maximumParameters,
    byte[] userData) {

  public static final Der.Tag TAG = new Der.Tag(Der.APPLICATION | Der.CONSTRUCTED, 101);

  /** Largest Connect-Initial accepted (the fake servers decode one). */
  public static final int MAX_SIZE = 16 * 1024;

  /** What mstsc sends around {@code userData} ([MS-RDPBCGR] 4.1.3). */
  public static ConnectInitial of(byte[] gccConnectData) {
    return new ConnectInitial(
        new byte[] {1}, new byte[] {1}, true,
        DomainParameters.TARGET, DomainParameters.MINIMUM, DomainParameters.MAXIMUM, gccConnectData);
  }

  public byte[] encode() {
    ByteWriter body = new ByteWriter();
    body.bytes(Der.octetString(callingDomainSelector));
    body.bytes(Der.octetString(calledDomainSelector));
    body.bytes(Der.tlv(Der.BOOLEAN, new byte[] {(byte) (upwardFlag ? 0xFF : 0)}));
    body.bytes(targetParameters.encode());
    body.bytes(minimumParameters.encode());
    body.bytes(maximumParameters.encode());
    body.bytes(Der.octetString(userData));
    ByteWriter out = new ByteWriter();
    Der.write(out, TAG, body.toByteArray());
    return out.toByteArray();
  }

  public static ConnectInitial decode(byte[] bytes) {
    try {
      ByteReader s = Der.expect(ByteReader.of(bytes), TAG, "Connect-Initial", MAX_SIZE);
      byte[] calling = Der.readOctetString(s, "callingDomainSelector", MAX_SIZE);
      byte[] called = Der.readOctetString(s, "calledDomainSelector", MAX_SIZE);
      ByteReader b = Der.expect(s, Der.BOOLEAN, "upwardFlag", 1);
      boolean upward = b.u8("upwardFlag") != 0;
      DomainParameters t = DomainParameters.decode(s, "targetParameters");
      DomainParameters mn = DomainParameters.decode(s, "minimumParameters");
      DomainParameters mx = DomainParameters.decode(s, "maximumParameters");
      byte[] userData = Der.readOctetString(s, "userData", MAX_SIZE);
      return new ConnectInitial(calling, called, upward, t, mn, mx, userData);
    } catch (DecodeException e) {
      throw e.in("cannot read MCS Connect-Initial");
    }
  }
}
