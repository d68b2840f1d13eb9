package rdpdoctor.protocol.rdpbcgr.gcc;

import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.ByteWriter;
import rdpdoctor.protocol.DecodeException;

/**
 * [MS-RDPBCGR] 2.2.1.3.3 Client Security Data (TS_UD_CS_SEC): the encryption methods the client
 * accepts. A probe offers one method per connection to learn which ones the server takes.
 */
public record ClientSecurityData(long encryptionMethods, long extEncryptionMethods) {
  public static final long ENCRYPTION_METHOD_NONE = 0x00;
  public static final long ENCRYPTION_METHOD_40BIT = 0x01;
  public static final long ENCRYPTION_METHOD_128BIT = 0x02;
  public static final long ENCRYPTION_METHOD_56BIT = 0x08;
  public static final long ENCRYPTION_METHOD_FIPS = 0x10;

  public byte[] encode() {
    return new ByteWriter(8)
        .u32le(encryptionMethods) //   encryptionMethods (4)
        .u32le(extEncryptionMethods) // extEncryptionMethods (4): French locale only
        .toByteArray();
  }

  public static ClientSecurityData decode(ByteReader r) {
    try {
      return new ClientSecurityData(r.u32le("encryptionMethods"), r.u32le("extEncryptionMethods"));
    } catch (DecodeException e) {
      throw e.in("cannot read client security data");
    }
  }

  /** "40-bit", "128-bit", ...; the names [MS-RDPBCGR] gives the ENCRYPTION_METHOD_* bits. */
  public static String methodName(long method) {
    if (method == ENCRYPTION_METHOD_NONE) {
      return "none";
    }
    if (method == ENCRYPTION_METHOD_40BIT) {
      return "40-bit";
    }
    if (method == ENCRYPTION_METHOD_128BIT) {
      return "128-bit";
    }
    if (method == ENCRYPTION_METHOD_56BIT) {
      return "56-bit";
    }
    if (method == ENCRYPTION_METHOD_FIPS) {
      return "FIPS";
    }
    return "0x" + Long.toHexString(method);
  }
}
