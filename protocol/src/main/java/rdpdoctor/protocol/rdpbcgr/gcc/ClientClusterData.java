package rdpdoctor.protocol.rdpbcgr.gcc;

import rdpdoctor.protocol.ByteWriter;

/** [MS-RDPBCGR] 2.2.1.3.5 Client Cluster Data (TS_UD_CS_CLUSTER): redirection support. */
public record ClientClusterData(long flags, long redirectedSessionId) {
  public static final long REDIRECTION_SUPPORTED = 0x01;

  /** REDIRECTION_SUPPORTED with redirection version 4 (bits 2..5), as current clients send. */
  public static final ClientClusterData DEFAULT = new ClientClusterData(REDIRECTION_SUPPORTED | (4 << 2), 0);

  public byte[] encode() {
    return new ByteWriter(8).u32le(flags).u32le(redirectedSessionId).toByteArray();
  }
}
