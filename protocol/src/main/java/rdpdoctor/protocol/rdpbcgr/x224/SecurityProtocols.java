package rdpdoctor.protocol.rdpbcgr.x224;

import java.util.ArrayList;
import java.util.List;
import rdpdoctor.protocol.Hex;

/**
 * [MS-RDPBCGR] 2.2.1.1.1 requestedProtocols / 2.2.1.2.1 selectedProtocol: the security protocol
 * bits. Values stay {@code long} bit sets so a bit this class does not know is still reported.
 */
public final class SecurityProtocols {
  /** Standard RDP Security (no bit set). */
  public static final long RDP = 0x00000000L;
  /** TLS 1.0, 1.1 or 1.2 ([MS-RDPBCGR] 5.4.5.1). */
  public static final long SSL = 0x00000001L;
  /** CredSSP ([MS-CSSP]); implies SSL. */
  public static final long HYBRID = 0x00000002L;
  /** RDSTLS ([MS-RDPBCGR] 5.4.5.3), used by server redirection. */
  public static final long RDSTLS = 0x00000004L;
  /** CredSSP with the Early User Authorization Result PDU. */
  public static final long HYBRID_EX = 0x00000008L;
  /** RDS AAD authentication (Azure AD joined hosts). */
  public static final long RDSAAD = 0x00000010L;

  /** Indexed by bit number: SSL is bit 0 ... RDSAAD bit 4. */
  private static final String[] NAMES = {
    "PROTOCOL_SSL", "PROTOCOL_HYBRID", "PROTOCOL_RDSTLS", "PROTOCOL_HYBRID_EX", "PROTOCOL_RDSAAD"
  };

  private SecurityProtocols() {}

  /** Names of the set bits ("PROTOCOL_SSL|PROTOCOL_HYBRID"); unknown bits as hex; 0 is PROTOCOL_RDP. */
  public static String names(long protocols) {
    return String.join("|", list(protocols));
  }

  /** The same names as a list, for JSON. */
  public static List<String> list(long protocols) {
    return protocols == 0 ? new ArrayList<>(List.of("PROTOCOL_RDP")) : Hex.flagNames(protocols, NAMES);
  }

  /** Short names users know: "RDP", "SSL", "HYBRID" ...; unknown values as hex. */
  public static String shortName(long protocol) {
    return names(protocol).replace("PROTOCOL_", "");
  }
}
