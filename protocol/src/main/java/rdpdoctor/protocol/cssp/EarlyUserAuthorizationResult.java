package rdpdoctor.protocol.cssp;

import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.DecodeException;

/**
 * [MS-RDPBCGR] 2.2.10.2 Early User Authorization Result PDU: four bytes a HYBRID_EX server sends
 * right after CredSSP completes, telling the client whether the authenticated user may log on at
 * all (AUTHZ_ACCESS_DENIED: no Remote Desktop logon right, or the account is restricted).
 *
 * @param authorizationResult the raw value (kept even when unknown)
 */
public record EarlyUserAuthorizationResult(long authorizationResult) {
  public static final int SIZE = 4;
  public static final long AUTHZ_SUCCESS = 0x00000000L;
  public static final long AUTHZ_ACCESS_DENIED = 0x00000005L;

  public static EarlyUserAuthorizationResult decode(byte[] bytes) {
    try {
      if (bytes.length != SIZE) {
        throw new DecodeException.InvalidField(
            "Early User Authorization Result", bytes.length + " bytes (expected: 4)");
      }
      return new EarlyUserAuthorizationResult(ByteReader.of(bytes).u32le("authorizationResult"));
    } catch (DecodeException e) {
      throw e.in("cannot read Early User Authorization Result PDU");
    }
  }

  public String name() {
    if (authorizationResult == AUTHZ_SUCCESS) {
      return "AUTHZ_SUCCESS";
    }
    if (authorizationResult == AUTHZ_ACCESS_DENIED) {
      return "AUTHZ_ACCESS_DENIED";
    }
    return String.format("0x%08X", authorizationResult);
  }
}
