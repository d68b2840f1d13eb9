package rdpdoctor.protocol.tsgu;

import java.io.ByteArrayOutputStream;
import rdpdoctor.protocol.DecodeException;

/**
 * [RFC 9112] 7.1 chunked transfer coding, decoded as it streams: some gateways and the reverse
 * proxies before them answer the legacy RDG_OUT_DATA with {@code Transfer-Encoding: chunked}
 * (FreeRDP 2.11 reads both). Nothing is allocated from a chunk size: the data is handed on as it
 * arrives, so a size of 2^63 costs nothing; a size line longer than {@link #MAX_SIZE_LINE} or with
 * a non-hex digit fails with a named error.
 */
public final class ChunkedDecoder {
  /** A size line (hex digits, extensions, CRLF) longer than this is refused. */
  public static final int MAX_SIZE_LINE = 256;

  private enum State { SIZE, DATA, DATA_CR, DATA_LF, TRAILER, END }

  private State state = State.SIZE;
  private final StringBuilder line = new StringBuilder();
  private long left;
  private boolean trailerLineEmpty = true;

  /** The data bytes {@code data[offset, offset + length)} carry, in order (possibly none). */
  public byte[] decode(byte[] data, int offset, int length) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(length);
    int i = offset;
    int end = offset + length;
    try {
      while (i < end && state != State.END) {
        switch (state) {
          case SIZE -> {
            char c = (char) (data[i++] & 0xFF);
            if (c == '\n') {
              left = size(line.toString());
              line.setLength(0);
              state = left == 0 ? State.TRAILER : State.DATA;
            } else {
              if (line.length() >= MAX_SIZE_LINE) {
                throw new DecodeException.InvalidField("chunk size line", "more than " + MAX_SIZE_LINE + " bytes");
              }
              line.append(c);
            }
          }
          case DATA -> {
            int n = (int) Math.min(left, end - i);
            out.write(data, i, n);
            i += n;
            left -= n;
            if (left == 0) {
              state = State.DATA_CR;
            }
          }
          case DATA_CR -> {
            expect(data[i++], '\r');
            state = State.DATA_LF;
          }
          case DATA_LF -> {
            expect(data[i++], '\n');
            state = State.SIZE;
          }
          case TRAILER -> {
            // trailer fields up to an empty line; their content does not matter here
            char c = (char) (data[i++] & 0xFF);
            if (c == '\n') {
              if (trailerLineEmpty) {
                state = State.END;
              }
              trailerLineEmpty = true;
            } else if (c != '\r') {
              trailerLineEmpty = false;
            }
          }
          default -> throw new IllegalStateException(state.toString());
        }
      }
    } catch (DecodeException e) {
      throw e.in("cannot read chunked body");
    }
    return out.toByteArray();
  }

  private static void expect(byte b, char c) {
    if (b != c) {
      throw new DecodeException.UnexpectedValue("chunk", "byte after the data", b & 0xFF,
          "0x" + Integer.toHexString(c) + " (CRLF)");
    }
  }

  private static long size(String line) {
    String digits = line.split(";", 2)[0].trim();
    if (digits.isEmpty() || digits.length() > 15 || !digits.matches("[0-9A-Fa-f]+")) {
      throw new DecodeException.InvalidField("chunk size", "\"" + (digits.length() > 20 ? digits.substring(0, 20) + "..." : digits)
          + "\" (expected: 1 to 15 hex digits)");
    }
    return Long.parseLong(digits, 16);
  }

  /** The last chunk (size 0) and its trailer have been read. */
  public boolean ended() {
    return state == State.END;
  }
}
