package rdpdoctor.protocol.rdpbcgr.x224;

import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.ByteWriter;
import rdpdoctor.protocol.DecodeException;

/**
 * [MS-RDPBCGR] 2.2.1.1.1 RDP Negotiation Request (RDP_NEG_REQ).
 *
 * @param flags raw flags: {@link #RESTRICTED_ADMIN_MODE_REQUIRED},
 *     {@link #REDIRECTED_AUTHENTICATION_MODE_REQUIRED}, {@link #CORRELATION_INFO_PRESENT}; unknown
 *     bits are kept
 * @param requestedProtocols raw {@link SecurityProtocols} bits
 */
public record NegotiationRequest(int flags, long requestedProtocols) {
  public static final int TYPE = 0x01;
  public static final int LENGTH = 1 /* type */ + 1 /* flags */ + 2 /* length */ + 4 /* protocols */;

  public static final int RESTRICTED_ADMIN_MODE_REQUIRED = 0x01;
  public static final int REDIRECTED_AUTHENTICATION_MODE_REQUIRED = 0x02;
  public static final int CORRELATION_INFO_PRESENT = 0x08;

  public NegotiationRequest {
    if (flags < 0 || flags > 0xFF || requestedProtocols < 0 || requestedProtocols > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("flags or protocols out of range");
    }
  }

  public static NegotiationRequest of(long requestedProtocols) {
    return new NegotiationRequest(0, requestedProtocols);
  }

  void encode(ByteWriter w) {
    w.u8(TYPE) //                 type (1)
        .u8(flags) //             flags (1)
        .u16le(LENGTH) //         length (2), always 8
        .u32le(requestedProtocols); // requestedProtocols (4)
  }

  static NegotiationRequest decode(ByteReader r) {
    int type = r.u8("rdpNegReq type"); //        type (1)
    if (type != TYPE) {
      throw new DecodeException.UnexpectedValue("RDP_NEG_REQ", "type", type, "0x1");
    }
    int flags = r.u8("rdpNegReq flags"); //      flags (1)
    int length = r.u16le("rdpNegReq length"); //  length (2)
    if (length != LENGTH) {
      throw new DecodeException.InvalidField("rdpNegReq length", length + " (expected: 8)");
    }
    long protocols = r.u32le("rdpNegReq requestedProtocols"); // requestedProtocols (4)
    return new NegotiationRequest(flags, protocols);
  }
}
