package rdpdoctor.protocol.rdpbcgr.gcc;

import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.ByteWriter;
import rdpdoctor.protocol.DecodeException;

/**
 * [MS-RDPBCGR] 2.2.1.3.2 Client Core Data (TS_UD_CS_CORE), up to serverSelectedProtocol; the
 * optional tail after it (physical size, orientation, scale factors) is not written and, when a
 * peer sends it, not read.
 */
public record ClientCoreData(
    long version,
    int desktopWidth,
    int desktopHeight,
    long keyboardLayout,
    long clientBuild,
    String clientName,
    int highColorDepth,
    int supportedColorDepths,
    int earlyCapabilityFlags,
    long serverSelectedProtocol) {

  /** RDP 10.12 = 0x00080011; rdpdoctor announces RDP 5+ (0x00080004) as nmap and mstsc 6 did. */
  public static final long RDP_VERSION_5_PLUS = 0x00080004L;

  /** earlyCapabilityFlags: the client understands the Set Error Info PDU. */
  public static final int RNS_UD_CS_SUPPORT_ERRINFO_PDU = 0x0001;

  public static final int RNS_UD_CS_WANT_32BPP_SESSION = 0x0002;

  /** A client core block asking for error info, for a probe that selected {@code selectedProtocol}. */
  public static ClientCoreData probe(long selectedProtocol) {
    return new ClientCoreData(
        RDP_VERSION_5_PLUS, 1024, 768, 0x409, 2600, "rdpdoctor", 0x0018, 0x000F,
        RNS_UD_CS_SUPPORT_ERRINFO_PDU, selectedProtocol);
  }

  public byte[] encode() {
    ByteWriter w = new ByteWriter(216);
    w.u32le(version); //                   version (4)
    w.u16le(desktopWidth); //              desktopWidth (2)
    w.u16le(desktopHeight); //             desktopHeight (2)
    w.u16le(0xCA01); //                    colorDepth (2): RNS_UD_COLOR_8BPP
    w.u16le(0xAA03); //                    SASSequence (2): RNS_UD_SAS_DEL
    w.u32le(keyboardLayout); //            keyboardLayout (4)
    w.u32le(clientBuild); //               clientBuild (4)
    byte[] name = new byte[32]; //         clientName (32): 15 UTF-16 chars + NUL
    byte[] n = clientName.getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
    System.arraycopy(n, 0, name, 0, Math.min(n.length, 30));
    w.bytes(name);
    w.u32le(4); //                         keyboardType (4): IBM enhanced
    w.u32le(0); //                         keyboardSubType (4)
    w.u32le(12); //                        keyboardFunctionKey (4)
    w.zeros(64); //                        imeFileName (64)
    w.u16le(0xCA01); //                    postBeta2ColorDepth (2)
    w.u16le(1); //                         clientProductId (2)
    w.u32le(0); //                         serialNumber (4)
    w.u16le(highColorDepth); //            highColorDepth (2)
    w.u16le(supportedColorDepths); //      supportedColorDepths (2)
    w.u16le(earlyCapabilityFlags); //      earlyCapabilityFlags (2)
    w.zeros(64); //                        clientDigProductId (64)
    w.u8(0); //                            connectionType (1)
    w.u8(0); //                            pad1octet (1)
    w.u32le(serverSelectedProtocol); //    serverSelectedProtocol (4)
    return w.toByteArray();
  }

  /** Reads the block; fields after the data's end take their "absent" defaults as the spec says. */
  public static ClientCoreData decode(ByteReader r) {
    try {
      long version = r.u32le("version");
      int w = r.u16le("desktopWidth");
      int h = r.u16le("desktopHeight");
      r.skip("colorDepth, SASSequence", 4);
      long layout = r.u32le("keyboardLayout");
      long build = r.u32le("clientBuild");
      String name = r.utf16le("clientName", 16);
      int nul = name.indexOf('\0');
      name = nul >= 0 ? name.substring(0, nul) : name;
      r.skip("keyboardType, keyboardSubType, keyboardFunctionKey, imeFileName", 12 + 64);
      int high = 0;
      int supported = 0;
      int early = 0;
      long selected = 0;
      if (r.remaining() >= 2 + 2 + 4 + 2 + 2 + 2) {
        r.skip("postBeta2ColorDepth, clientProductId, serialNumber", 8);
        high = r.u16le("highColorDepth");
        supported = r.u16le("supportedColorDepths");
        early = r.u16le("earlyCapabilityFlags");
        if (r.remaining() >= 64 + 2 + 4) {
          r.skip("clientDigProductId, connectionType, pad1octet", 66);
          selected = r.u32le("serverSelectedProtocol");
        }
      }
      return new ClientCoreData(version, w, h, layout, build, name, high, supported, early, selected);
    } catch (DecodeException e) {
      throw e.in("cannot read client core data");
    }
  }
}
