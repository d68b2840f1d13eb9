package rdpdoctor.protocol.rdpbcgr.gcc;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.DecodeException;

/**
 * [MS-RDPBCGR] 2.2.1.4.2 Server Core Data (TS_UD_SC_CORE).
 *
 * @param version the server's RDP version word (see {@link #versionName})
 * @param clientRequestedProtocols echo of the X.224 request, when present
 * @param earlyCapabilityFlags server early capabilities, when present
 */
public record ServerCoreData(long version, @Nullable Long clientRequestedProtocols, @Nullable Long earlyCapabilityFlags) {
  private static final Map<Long, String> VERSIONS =
      Map.ofEntries(
          Map.entry(0x00080001L, "RDP 4.0"),
          Map.entry(0x00080004L, "RDP 5.0 to 8.1"),
          Map.entry(0x00080005L, "RDP 10.0"),
          Map.entry(0x00080006L, "RDP 10.1"),
          Map.entry(0x00080007L, "RDP 10.2"),
          Map.entry(0x00080008L, "RDP 10.3"),
          Map.entry(0x00080009L, "RDP 10.4"),
          Map.entry(0x0008000AL, "RDP 10.5"),
          Map.entry(0x0008000BL, "RDP 10.6"),
          Map.entry(0x0008000CL, "RDP 10.7"),
          Map.entry(0x0008000DL, "RDP 10.8"),
          Map.entry(0x0008000EL, "RDP 10.9"),
          Map.entry(0x0008000FL, "RDP 10.10"),
          Map.entry(0x00080010L, "RDP 10.11"),
          Map.entry(0x00080011L, "RDP 10.12"));

  public static ServerCoreData decode(ByteReader r) {
    try {
      long version = r.u32le("version"); //                                    version (4)
      Long requested = r.remaining() >= 4 ? r.u32le("clientRequestedProtocols") : null; // (4, optional)
      Long early = r.remaining() >= 4 ? r.u32le("earlyCapabilityFlags") : null; //        (4, optional)
      return new ServerCoreData(version, requested, early);
    } catch (DecodeException e) {
      throw e.in("cannot read server core data");
    }
  }

  /** "RDP 10.7", or the hex word for a version this table does not know yet. */
  public String versionName() {
    String n = VERSIONS.get(version);
    return n != null ? n : String.format("unknown (0x%08X)", version);
  }
}
