package rdpdoctor.protocol.rdpbcgr.gcc;

import java.nio.charset.StandardCharsets;
import java.util.List;
import rdpdoctor.protocol.ByteWriter;

/**
 * [MS-RDPBCGR] 2.2.1.3.4 Client Network Data (TS_UD_CS_NET): the static virtual channels asked for,
 * each an 8-byte ANSI name and an options word.
 */
public record ClientNetworkData(List<Channel> channels) {
  /** One CHANNEL_DEF. */
  public record Channel(String name, long options) {}

  public static final long CHANNEL_OPTION_INITIALIZED = 0x80000000L;

  public ClientNetworkData {
    channels = List.copyOf(channels);
  }

  public byte[] encode() {
    ByteWriter w = new ByteWriter();
    w.u32le(channels.size()); //              channelCount (4)
    for (Channel c : channels) {
      byte[] name = new byte[8]; //           name (8): 7 chars + NUL
      byte[] n = c.name().getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(n, 0, name, 0, Math.min(7, n.length));
      w.bytes(name).u32le(c.options()); //    options (4)
    }
    return w.toByteArray();
  }
}
