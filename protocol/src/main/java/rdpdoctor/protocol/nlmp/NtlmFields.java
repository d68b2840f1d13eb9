package rdpdoctor.protocol.nlmp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.ByteWriter;
import rdpdoctor.protocol.DecodeException;

/**
 * [MS-NLMP] 2.2.1 the parts every NTLM message shares: the "NTLMSSP\0" signature, the message type,
 * and the (Len, MaxLen, BufferOffset) triples that point into the payload.
 */
final class NtlmFields {
  static final byte[] SIGNATURE = "NTLMSSP\0".getBytes(StandardCharsets.US_ASCII);

  private NtlmFields() {}

  /** Checks Signature (8 bytes) and MessageType (4 bytes). */
  static void header(ByteReader r, long type, String structure) {
    byte[] sig = r.bytes("Signature", 8);
    if (!java.util.Arrays.equals(sig, SIGNATURE)) {
      throw new DecodeException.InvalidField("Signature", "not NTLMSSP\\0 but " + rdpdoctor.protocol.Hex.of(sig));
    }
    long t = r.u32le("MessageType");
    if (t != type) {
      throw new DecodeException.UnexpectedValue(structure, "MessageType", t, Long.toString(type));
    }
  }

  /**
   * Reads a Len (2), MaxLen (2), BufferOffset (4) triple and returns those bytes of the whole
   * message; the offset and length are checked against the message before anything is copied.
   */
  static byte[] payload(ByteReader fields, byte[] message, String field) {
    int len = fields.u16le(field + "Len"); //           (2 bytes)
    fields.u16le(field + "MaxLen"); //                  (2 bytes), ignored as the spec says
    long offset = fields.u32le(field + "BufferOffset"); // (4 bytes)
    if (len == 0) {
      return new byte[0];
    }
    if (offset > message.length || len > message.length - offset) {
      throw new DecodeException.InvalidField(
          field, "offset " + offset + " + length " + len + " outside " + message.length + " bytes");
    }
    return ByteReader.of(message, (int) offset, len).bytes(field, len);
  }

  /** The lowest non-empty payload offset, to tell whether a VERSION field sits before the payload. */
  static long lowestOffset(ByteReader fieldsAt, int count) {
    long lowest = Long.MAX_VALUE;
    for (int i = 0; i < count; i++) {
      int len = fieldsAt.u16le("Len");
      fieldsAt.u16le("MaxLen");
      long off = fieldsAt.u32le("BufferOffset");
      if (len > 0) {
        lowest = Math.min(lowest, off);
      }
    }
    return lowest;
  }

  static String unicode(byte[] b, String field) {
    TargetInfo.checkUtf16(field, b.length);
    return new String(b, StandardCharsets.UTF_16LE);
  }

  /** Lays out payload fields after a fixed header, filling in their (Len, MaxLen, Offset) triples. */
  static final class Layout {
    private final ByteWriter header = new ByteWriter();
    private final List<byte[]> payloads = new ArrayList<>();
    private final List<Integer> slots = new ArrayList<>();

    ByteWriter header() {
      return header;
    }

    /** Reserves a triple in the header for {@code data}. */
    Layout field(byte[] data) {
      slots.add(header.size());
      header.zeros(8);
      payloads.add(data);
      return this;
    }

    byte[] build() {
      byte[] head = header.toByteArray();
      ByteWriter out = new ByteWriter(head.length + 256);
      out.bytes(head);
      int offset = head.length;
      for (int i = 0; i < payloads.size(); i++) {
        int slot = slots.get(i);
        byte[] p = payloads.get(i);
        out.putU16le(slot, p.length).putU16le(slot + 2, p.length).putU32le(slot + 4, offset);
        offset += p.length;
      }
      for (byte[] p : payloads) {
        out.bytes(p);
      }
      return out.toByteArray();
    }
  }
}
