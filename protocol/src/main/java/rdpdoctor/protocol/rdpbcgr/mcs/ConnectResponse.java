package rdpdoctor.protocol.rdpbcgr.mcs;

import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.ByteWriter;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.der.Der;

/**
 * [T.125] 11.2 / [MS-RDPBCGR] 2.2.1.4 MCS Connect-Response:
 *
 * <pre>
 * Connect-Response ::= [APPLICATION 102] IMPLICIT SEQUENCE {
 *   result Result (ENUMERATED), calledConnectId INTEGER (0..MAX),
 *   domainParameters DomainParameters, userData OCTET STRING }   -- userData: GCC ConnectData (PER)
 * </pre>
 *
 * @param result 0 = rt-successful; any other value is the server refusing the domain
 */
public record ConnectResponse(long result, long calledConnectId, DomainParameters domainParameters, byte[] userData) {
  public static final Der.Tag TAG = new Der.Tag(Der.APPLICATION | Der.CONSTRUCTED, 102);

  /**
   * The largest response accepted. Post-2019 Windows answers exceed 2 KiB (nmap #1737 hung on
   * them); an X.509 chain in SC_SECURITY can reach several KiB. One TPKT caps it at 64 KiB anyway.
   */
  public static final int MAX_SIZE = 65535;

  private static final String[] RESULTS = {
    "rt-successful", "rt-domain-merging", "rt-domain-not-hierarchical", "rt-no-such-channel",
    "rt-no-such-domain", "rt-no-such-user", "rt-not-admitted", "rt-other-user-id",
    "rt-parameters-unacceptable", "rt-token-not-available", "rt-token-not-possessed",
    "rt-too-many-channels", "rt-too-many-tokens", "rt-too-many-users", "rt-unspecified-failure",
    "rt-user-rejected"
  };

  public static ConnectResponse decode(byte[] bytes) {
    try {
      ByteReader s = Der.expect(ByteReader.of(bytes), TAG, "Connect-Response", MAX_SIZE);
      long result = Der.readEnumerated(s, "result");
      long id = Der.readUnsigned(s, "calledConnectId");
      DomainParameters p = DomainParameters.decode(s, "domainParameters");
      byte[] userData = Der.readOctetString(s, "userData", MAX_SIZE);
      return new ConnectResponse(result, id, p, userData);
    } catch (DecodeException e) {
      throw e.in("cannot read MCS Connect-Response");
    }
  }

  public byte[] encode() {
    ByteWriter body = new ByteWriter();
    body.bytes(Der.tlv(Der.ENUMERATED, new byte[] {(byte) result}));
    body.bytes(Der.unsigned(calledConnectId));
    body.bytes(domainParameters.encode());
    body.bytes(Der.octetString(userData));
    ByteWriter out = new ByteWriter();
    Der.write(out, TAG, body.toByteArray());
    return out.toByteArray();
  }

  public String resultName() {
    return result >= 0 && result < RESULTS.length ? RESULTS[(int) result] : Long.toString(result);
  }
}
