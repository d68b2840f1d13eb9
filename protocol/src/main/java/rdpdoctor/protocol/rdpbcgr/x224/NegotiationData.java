package rdpdoctor.protocol.rdpbcgr.x224;

import java.util.List;
import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.ByteWriter;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.Hex;

/**
 * [MS-RDPBCGR] 2.2.1.2 rdpNegData of the Connection Confirm: an RDP Negotiation Response or an
 * RDP Negotiation Failure. Both share the layout type (1) | flags (1) | length (2, = 8) | value (4).
 */
public sealed interface NegotiationData {
  int LENGTH = 1 /* type */ + 1 /* flags */ + 2 /* length */ + 4 /* value */;

  /** The raw flags byte. */
  int flags();

  void encode(ByteWriter w);

  /**
   * [MS-RDPBCGR] 2.2.1.2.1 RDP Negotiation Response (RDP_NEG_RSP).
   *
   * @param flags raw flags (EXTENDED_CLIENT_DATA_SUPPORTED 0x01, DYNVC_GFX_PROTOCOL_SUPPORTED 0x02,
   *     NEGRSP_FLAG_RESERVED 0x04, RESTRICTED_ADMIN_MODE_SUPPORTED 0x08,
   *     REDIRECTED_AUTHENTICATION_MODE_SUPPORTED 0x10); unknown bits kept
   * @param selectedProtocol raw {@link SecurityProtocols} value the server chose
   */
  record Response(int flags, long selectedProtocol) implements NegotiationData {
    public static final int TYPE = 0x02;
    public static final int EXTENDED_CLIENT_DATA_SUPPORTED = 0x01;
    public static final int DYNVC_GFX_PROTOCOL_SUPPORTED = 0x02;
    public static final int NEGRSP_FLAG_RESERVED = 0x04;
    public static final int RESTRICTED_ADMIN_MODE_SUPPORTED = 0x08;
    public static final int REDIRECTED_AUTHENTICATION_MODE_SUPPORTED = 0x10;

    private static final String[] FLAG_NAMES = {
      "EXTENDED_CLIENT_DATA_SUPPORTED",
      "DYNVC_GFX_PROTOCOL_SUPPORTED",
      "NEGRSP_FLAG_RESERVED",
      "RESTRICTED_ADMIN_MODE_SUPPORTED",
      "REDIRECTED_AUTHENTICATION_MODE_SUPPORTED"
    };

    @Override
    public void encode(ByteWriter w) {
      w.u8(TYPE).u8(flags).u16le(LENGTH).u32le(selectedProtocol);
    }

    /** Names of the set flags; an unknown bit as hex. */
    public List<String> flagNames() {
      return Hex.flagNames(flags, FLAG_NAMES);
    }
  }

  /**
   * [MS-RDPBCGR] 2.2.1.2.2 RDP Negotiation Failure (RDP_NEG_FAILURE).
   *
   * @param flags raw flags (none defined; kept)
   * @param failureCode raw code; {@link #name()} names the known ones
   */
  record Failure(int flags, long failureCode) implements NegotiationData {
    public static final int TYPE = 0x03;
    public static final long SSL_REQUIRED_BY_SERVER = 0x01;
    public static final long SSL_NOT_ALLOWED_BY_SERVER = 0x02;
    public static final long SSL_CERT_NOT_ON_SERVER = 0x03;
    public static final long INCONSISTENT_FLAGS = 0x04;
    public static final long HYBRID_REQUIRED_BY_SERVER = 0x05;
    public static final long SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER = 0x06;

    @Override
    public void encode(ByteWriter w) {
      w.u8(TYPE).u8(flags).u16le(LENGTH).u32le(failureCode);
    }

    /** The spec's name of {@link #failureCode}, or its hex value when unknown. */
    public String name() {
      return nameOf(failureCode);
    }

    public static String nameOf(long code) {
      return switch ((int) code) {
        case 1 -> "SSL_REQUIRED_BY_SERVER";
        case 2 -> "SSL_NOT_ALLOWED_BY_SERVER";
        case 3 -> "SSL_CERT_NOT_ON_SERVER";
        case 4 -> "INCONSISTENT_FLAGS";
        case 5 -> "HYBRID_REQUIRED_BY_SERVER";
        case 6 -> "SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER";
        default -> "0x" + Long.toHexString(code);
      };
    }
  }

  /** Reads an RDP_NEG_RSP or RDP_NEG_FAILURE. */
  static NegotiationData decode(ByteReader r) {
    int type = r.u8("rdpNegData type"); //        type (1)
    int flags = r.u8("rdpNegData flags"); //      flags (1)
    int length = r.u16le("rdpNegData length"); //  length (2)
    if (length != LENGTH) {
      throw new DecodeException.InvalidField("rdpNegData length", length + " (expected: 8)");
    }
    long value = r.u32le("rdpNegData value"); //  selectedProtocol or failureCode (4)
    return switch (type) {
      case Response.TYPE -> new Response(flags, value);
      case Failure.TYPE -> new Failure(flags, value);
      default ->
          throw new DecodeException.UnexpectedValue(
              "rdpNegData", "type", type, "0x2 (RDP_NEG_RSP) or 0x3 (RDP_NEG_FAILURE)");
    };
  }
}
