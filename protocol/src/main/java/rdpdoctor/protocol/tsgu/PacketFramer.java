package rdpdoctor.protocol.tsgu;

import java.util.Arrays;
import rdpdoctor.protocol.DecodeException;

/**
 * Sans-I/O framing of the MS-TSGU packet stream (2.2.10.9 HTTP_PACKET_HEADER): the driver asks
 * {@link #bytesNeeded()}, hands at most that many bytes to {@link #offer}, and takes {@link #packet()}
 * once it is complete. A packetLength below 8 or above {@link TsguPacket#MAX_PACKET_LENGTH} fails at
 * once, before anything is allocated from it (a hostile gateway sends 0 or 2^32-1).
 */
public final class PacketFramer {
  private byte[] buffer = new byte[TsguPacket.HEADER_LENGTH];
  private int filled;
  private int length = -1;

  /** How many more bytes complete the current packet (the header first). */
  public int bytesNeeded() {
    return (length < 0 ? TsguPacket.HEADER_LENGTH : length) - filled;
  }

  /** Takes up to {@link #bytesNeeded()} bytes; returns how many it took. */
  public int offer(byte[] data, int offset, int count) {
    int take = Math.min(count, bytesNeeded());
    System.arraycopy(data, offset, buffer, filled, take);
    filled += take;
    if (length < 0 && filled == TsguPacket.HEADER_LENGTH) {
      try {
        length = TsguPacket.packetLength(buffer);
      } catch (DecodeException e) {
        throw e.in("cannot read MS-TSGU packet header");
      }
      buffer = Arrays.copyOf(buffer, length);
    }
    return take;
  }

  public boolean complete() {
    return length >= 0 && filled == length;
  }

  /** The whole packet, header included, decoded; starts the next one. */
  public TsguPacket packet() {
    if (!complete()) {
      throw new IllegalStateException("packet incomplete: " + bytesNeeded() + " bytes missing");
    }
    byte[] out = buffer;
    buffer = new byte[TsguPacket.HEADER_LENGTH];
    filled = 0;
    length = -1;
    return TsguPacket.decode(out);
  }

  /** Whether part of a packet is buffered (a stream that ends here was cut mid-packet). */
  public boolean partial() {
    return filled > 0;
  }
}
