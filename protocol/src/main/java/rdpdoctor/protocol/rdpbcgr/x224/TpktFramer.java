package rdpdoctor.protocol.rdpbcgr.x224;

import java.util.Arrays;
import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.DecodeException;

/**
 * Sans-I/O framing of a TPKT stream (STYLE.md 1): the driver asks {@link #bytesNeeded()}, reads at
 * most that many bytes, hands them to {@link #offer}, and takes the frame when {@link #frame()} is
 * there. A header with a bad version or a length outside {@code [4, max]} fails at once with a
 * typed error, before anything is allocated from the length.
 */
public final class TpktFramer {
  private final int maxLength;
  private byte[] buffer = new byte[Tpkt.HEADER_LENGTH];
  private int filled;
  private int frameLength = -1;

  public TpktFramer(int maxLength) {
    if (maxLength < Tpkt.HEADER_LENGTH || maxLength > 0xFFFF) {
      throw new IllegalArgumentException("max tpkt length out of range: " + maxLength);
    }
    this.maxLength = maxLength;
  }

  public TpktFramer() {
    this(Tpkt.DEFAULT_MAX_LENGTH);
  }

  /** How many more bytes complete the current frame (the header first); 0 when it is complete. */
  public int bytesNeeded() {
    int target = frameLength < 0 ? Tpkt.HEADER_LENGTH : frameLength;
    return target - filled;
  }

  /**
   * Takes bytes from the wire. At most {@link #bytesNeeded()} of them are consumed; the return
   * value says how many, so a caller that read more keeps the rest for the next frame.
   */
  public int offer(byte[] data, int offset, int length) {
    int take = Math.min(length, bytesNeeded());
    System.arraycopy(data, offset, buffer, filled, take);
    filled += take;
    if (frameLength < 0 && filled == Tpkt.HEADER_LENGTH) {
      try {
        frameLength = Tpkt.frameLength(ByteReader.of(buffer), maxLength);
      } catch (DecodeException e) {
        throw e.in("cannot read TPKT header");
      }
      buffer = Arrays.copyOf(buffer, frameLength);
    }
    return take;
  }

  /** True once a whole frame is buffered. */
  public boolean complete() {
    return frameLength >= 0 && filled == frameLength;
  }

  /** The whole frame, header included; starts the next frame. */
  public byte[] frame() {
    if (!complete()) {
      throw new IllegalStateException("frame incomplete: " + bytesNeeded() + " bytes missing");
    }
    byte[] out = buffer;
    buffer = new byte[Tpkt.HEADER_LENGTH];
    filled = 0;
    frameLength = -1;
    return out;
  }

  /** The bytes buffered so far, for reports about what a server sent when framing failed. */
  public byte[] received() {
    return Arrays.copyOf(buffer, filled);
  }
}
