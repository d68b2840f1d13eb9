package rdpdoctor.protocol.tls;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.Hex;

/**
 * Sans-I/O reader of a server's first flight after a {@link ClientHello}: TLS records ([RFC 8446]
 * 5.1) until a ServerHello ([RFC 8446] 4.1.3, [RFC 5246] 7.4.1.3), a HelloRetryRequest, or an
 * alert ([RFC 8446] 6) is complete. The driver reads {@link #bytesNeeded()} bytes at a time; a
 * record length above the protocol maximum fails before anything is allocated.
 */
public final class ServerHelloReader {
  /** [RFC 8446] 5.2: a record is at most 2^14 + 256 bytes of ciphertext; 2^14 + 2048 in TLS 1.2. */
  public static final int MAX_RECORD = (1 << 14) + 2048;
  /** A ServerHello with every extension is a few hundred bytes; a bigger one is not a ServerHello. */
  static final int MAX_HANDSHAKE = 64 * 1024;

  /** [RFC 8446] 4.1.3: the random value that marks a HelloRetryRequest. */
  static final byte[] HRR_RANDOM = Hex.parse(
      "CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");

  private static final int CONTENT_ALERT = 21;
  private static final int CONTENT_HANDSHAKE = 22;
  private static final int HANDSHAKE_SERVER_HELLO = 2;

  /** What the server answered. */
  public sealed interface Answer {}

  /**
   * A ServerHello (or HelloRetryRequest).
   *
   * @param version the version the server selected (from supported_versions when present)
   * @param legacyVersion the server_version / legacy_version field as sent
   * @param cipherSuite the suite the server selected
   * @param helloRetry true for a HelloRetryRequest (TLS 1.3 accepted, another key share wanted)
   */
  public record Hello(int version, int legacyVersion, int cipherSuite, boolean helloRetry) implements Answer {}

  /**
   * An alert.
   *
   * @param level 1 warning, 2 fatal
   * @param description alert number ({@link TlsNames#alert})
   */
  public record Alert(int level, int description) implements Answer {}

  private final byte[] header = new byte[5];
  private int headerFilled;
  private byte @Nullable [] record;
  private int recordFilled;
  private int recordType;
  private byte[] handshake = new byte[0];
  private @Nullable Answer answer;

  /** Bytes to read next; 0 once the answer is known. */
  public int bytesNeeded() {
    if (answer != null) {
      return 0;
    }
    return record == null ? 5 - headerFilled : record.length - recordFilled;
  }

  /** Takes at most {@link #bytesNeeded()} bytes; returns how many were used. */
  public int offer(byte[] data, int offset, int length) {
    int used = 0;
    while (used < length && answer == null) {
      if (record == null) {
        int take = Math.min(5 - headerFilled, length - used);
        System.arraycopy(data, offset + used, header, headerFilled, take);
        headerFilled += take;
        used += take;
        if (headerFilled == 5) {
          startRecord();
        }
      } else {
        int take = Math.min(record.length - recordFilled, length - used);
        System.arraycopy(data, offset + used, record, recordFilled, take);
        recordFilled += take;
        used += take;
        if (recordFilled == record.length) {
          finishRecord();
        }
      }
    }
    return used;
  }

  /** The answer once {@link #bytesNeeded()} is 0. */
  public @Nullable Answer answer() {
    return answer;
  }

  private void startRecord() {
    try {
      ByteReader r = ByteReader.of(header);
      recordType = r.u8("record content type"); //      type (1)
      int major = r.u8("record version major"); //      version (2)
      r.u8("record version minor");
      int length = r.u16be("record length"); //         length (2)
      if (recordType != CONTENT_ALERT && recordType != CONTENT_HANDSHAKE) {
        throw new DecodeException.UnexpectedValue("TLS record", "content type", recordType, "21 (alert) or 22 (handshake)");
      }
      if (major != 3) {
        throw new DecodeException.UnexpectedValue("TLS record", "version major", major, "3");
      }
      if (length == 0) {
        throw new DecodeException.InvalidField("record length", "0 (expected: >= 1)");
      }
      DecodeException.checkBound("record length", length, MAX_RECORD);
      record = new byte[length];
      recordFilled = 0;
    } catch (DecodeException e) {
      throw e.in("cannot read TLS record header");
    }
  }

  private void finishRecord() {
    byte[] body = record;
    record = null;
    headerFilled = 0;
    try {
      if (recordType == CONTENT_ALERT) {
        ByteReader r = ByteReader.of(body);
        int level = r.u8("alert level"); //             level (1)
        int description = r.u8("alert description"); // description (1)
        answer = new Alert(level, description);
        return;
      }
      DecodeException.checkBound("handshake bytes", (long) handshake.length + body.length, MAX_HANDSHAKE);
      byte[] joined = Arrays.copyOf(handshake, handshake.length + body.length);
      System.arraycopy(body, 0, joined, handshake.length, body.length);
      handshake = joined;
      if (handshake.length < 4) {
        return; // the handshake header continues in the next record
      }
      ByteReader r = ByteReader.of(handshake);
      int type = r.u8("handshake type"); //             msg_type (1)
      if (type != HANDSHAKE_SERVER_HELLO) {
        throw new DecodeException.UnexpectedValue("server's first handshake message", "type", type, "2 (server_hello)");
      }
      int length = (r.u8("handshake length") << 16) | r.u16be("handshake length"); // length (3)
      DecodeException.checkBound("server_hello length", length, MAX_HANDSHAKE);
      if (r.remaining() < length) {
        return; // fragmented over several records: wait for the rest
      }
      answer = parseServerHello(r.slice("server_hello", length));
    } catch (DecodeException e) {
      throw e.in("cannot read server hello");
    }
  }

  /** Decodes a ServerHello body (after the 4-byte handshake header). */
  public static Hello parseServerHello(ByteReader r) {
    int legacy = r.u16be("server_version"); //          server_version (2)
    byte[] random = r.bytes("random", 32); //           random (32)
    int sidLength = r.u8("session_id length"); //       session_id (1 + n)
    DecodeException.checkBound("session_id length", sidLength, 32);
    r.skip("session_id", sidLength);
    int suite = r.u16be("cipher_suite"); //             cipher_suite (2)
    r.u8("compression_method"); //                      compression_method (1)
    int version = legacy;
    if (r.hasRemaining()) {
      int extLength = r.u16be("extensions length"); //  extensions (2 + n)
      ByteReader ext = r.slice("extensions", extLength);
      while (ext.hasRemaining()) {
        int type = ext.u16be("extension type"); //      type (2)
        int len = ext.u16be("extension length"); //     length (2)
        ByteReader data = ext.slice("extension data", len);
        if (type == ClientHello.EXT_SUPPORTED_VERSIONS) {
          version = data.u16be("selected_version"); //  [RFC 8446] 4.2.1 selected_version (2)
        }
      }
    }
    return new Hello(version, legacy, suite, Arrays.equals(random, HRR_RANDOM));
  }
}
