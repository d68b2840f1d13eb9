package rdpdoctor.protocol.nlmp;

import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.ByteWriter;

/**
 * [MS-NLMP] 2.2.2.10 VERSION: the sender's Windows version. The spec says it is for debugging
 * only, so a report must call it a hint; the revision byte is 0x0F on every NTLMv2-era Windows.
 *
 * @param major ProductMajorVersion
 * @param minor ProductMinorVersion
 * @param build ProductBuild
 * @param revision NTLMRevisionCurrent (0x0F = NTLMSSP_REVISION_W2K3)
 */
public record NtlmVersion(int major, int minor, int build, int revision) {
  public static final int SIZE = 8;

  /** NTLMSSP_REVISION_W2K3, the only revision an NTLMv2 peer sends. */
  public static final int REVISION_W2K3 = 0x0F;

  /** What rdpdoctor's messages announce: 10.0 build 20348 (Server 2022), revision 15. */
  public static final NtlmVersion CLIENT = new NtlmVersion(10, 0, 20348, REVISION_W2K3);

  public static NtlmVersion decode(ByteReader r) {
    int major = r.u8("ProductMajorVersion"); // (1 byte)
    int minor = r.u8("ProductMinorVersion"); // (1 byte)
    int build = r.u16le("ProductBuild"); //     (2 bytes)
    r.skip("Reserved", 3); //                   (3 bytes)
    int revision = r.u8("NTLMRevisionCurrent"); // (1 byte)
    return new NtlmVersion(major, minor, build, revision);
  }

  public void encode(ByteWriter w) {
    w.u8(major).u8(minor).u16le(build).zeros(3).u8(revision);
  }

  /** "10.0.20348", the form Windows' own tools print. */
  @Override
  public String toString() {
    return major + "." + minor + "." + build;
  }
}
