package rdpdoctor.protocol.rdpbcgr.gcc;

import java.util.ArrayList;
import java.util.List;
import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.DecodeException;

/**
 * [MS-RDPBCGR] 2.2.1.4.4 Server Network Data (TS_UD_SC_NET): the I/O channel and the ids given to
 * the requested static channels.
 */
public record ServerNetworkData(int mcsChannelId, List<Integer> channelIds) {
  public ServerNetworkData {
    channelIds = List.copyOf(channelIds);
  }

  public static ServerNetworkData decode(ByteReader r) {
    try {
      int io = r.u16le("MCSChannelId"); //    (2)
      int count = r.u16le("channelCount"); // (2)
      // Each id is 2 bytes: the count cannot exceed what the block holds (checked before the list).
      DecodeException.checkBound("channelCount", count, r.remaining() / 2);
      List<Integer> ids = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        ids.add(r.u16le("channelIdArray")); // (2 each), then Pad (2) when count is odd
      }
      return new ServerNetworkData(io, ids);
    } catch (DecodeException e) {
      throw e.in("cannot read server network data");
    }
  }
}
