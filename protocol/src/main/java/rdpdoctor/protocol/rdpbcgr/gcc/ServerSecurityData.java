package rdpdoctor.protocol.rdpbcgr.gcc;

import org.jspecify.annotations.Nullable;
import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.DecodeException;

/**
 * [MS-RDPBCGR] 2.2.1.4.3 Server Security Data (TS_UD_SC_SEC1): the encryption method and level
 * the server chose for Standard RDP Security, its random and its certificate. With TLS or CredSSP
 * both method and level are 0 and nothing follows.
 */
public record ServerSecurityData(
    long encryptionMethod,
    long encryptionLevel,
    byte[] serverRandom,
    @Nullable ServerCertificate certificate) {
  public static final long ENCRYPTION_LEVEL_NONE = 0;
  public static final long ENCRYPTION_LEVEL_LOW = 1;
  public static final long ENCRYPTION_LEVEL_CLIENT_COMPATIBLE = 2;
  public static final long ENCRYPTION_LEVEL_HIGH = 3;
  public static final long ENCRYPTION_LEVEL_FIPS = 4;

  /** The server random is 32 bytes; a certificate larger than this is not one a server sends. */
  private static final int MAX_RANDOM = 32;

  private static final int MAX_CERTIFICATE = 32 * 1024;

  public static ServerSecurityData decode(ByteReader r) {
    try {
      long method = r.u32le("encryptionMethod"); // (4)
      long level = r.u32le("encryptionLevel"); //   (4)
      if (!r.hasRemaining()) {
        return new ServerSecurityData(method, level, new byte[0], null);
      }
      long randomLen = r.u32le("serverRandomLen"); // (4)
      long certLen = r.u32le("serverCertLen"); //     (4)
      DecodeException.checkBound("serverRandomLen", randomLen, MAX_RANDOM);
      DecodeException.checkBound("serverCertLen", certLen, MAX_CERTIFICATE);
      byte[] random = r.bytes("serverRandom", randomLen);
      ServerCertificate cert =
          certLen == 0 ? null : ServerCertificate.decode(r.slice("serverCertificate", certLen));
      return new ServerSecurityData(method, level, random, cert);
    } catch (DecodeException e) {
      throw e.in("cannot read server security data");
    }
  }

  public String levelName() {
    return switch ((int) encryptionLevel) {
      case 0 -> "none";
      case 1 -> "low";
      case 2 -> "client compatible";
      case 3 -> "high";
      case 4 -> "FIPS";
      default -> "0x" + Long.toHexString(encryptionLevel);
    };
  }
}
