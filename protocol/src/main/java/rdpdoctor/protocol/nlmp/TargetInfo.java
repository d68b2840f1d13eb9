package rdpdoctor.protocol.nlmp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.ByteWriter;
import rdpdoctor.protocol.DecodeException;

/**
 * [MS-NLMP] 2.2.2.1 AV_PAIR list (the TargetInfo of CHALLENGE and of the NTLMv2 response): every
 * pair is kept in order with its raw id, so ids this class has no name for are still reported.
 *
 * @param pairs the pairs before MsvAvEOL (the terminator is implied)
 */
public record TargetInfo(List<AvPair> pairs) {
  public static final int MSV_AV_EOL = 0;
  public static final int MSV_AV_NB_COMPUTER_NAME = 1;
  public static final int MSV_AV_NB_DOMAIN_NAME = 2;
  public static final int MSV_AV_DNS_COMPUTER_NAME = 3;
  public static final int MSV_AV_DNS_DOMAIN_NAME = 4;
  public static final int MSV_AV_DNS_TREE_NAME = 5;
  public static final int MSV_AV_FLAGS = 6;
  public static final int MSV_AV_TIMESTAMP = 7;
  public static final int MSV_AV_SINGLE_HOST = 8;
  public static final int MSV_AV_TARGET_NAME = 9;
  public static final int MSV_AV_CHANNEL_BINDINGS = 10;

  /** MsvAvFlags bit: the client provides a MIC in AUTHENTICATE. */
  public static final long AV_FLAG_MIC_PRESENT = 0x00000002L;

  /** One pair: AvId (2 bytes), AvLen (2 bytes), Value (AvLen bytes). */
  public record AvPair(int id, byte[] value) {
    public AvPair {
      value = value.clone();
    }

    @Override
    public byte[] value() {
      return value.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof AvPair p && p.id == id && Arrays.equals(p.value, value);
    }

    @Override
    public int hashCode() {
      return id * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return "AvPair[" + id + ", " + value.length + " bytes]";
    }
  }

  public TargetInfo {
    pairs = List.copyOf(pairs);
  }

  /** Decodes pairs up to MsvAvEOL; a list that runs out without EOL is accepted as Samba does. */
  public static TargetInfo decode(ByteReader r) {
    List<AvPair> out = new ArrayList<>();
    while (r.hasRemaining()) {
      int id = r.u16le("AvId"); //  (2 bytes)
      int len = r.u16le("AvLen"); // (2 bytes)
      if (id == MSV_AV_EOL) {
        break;
      }
      out.add(new AvPair(id, r.bytes("AV_PAIR value " + id, len)));
    }
    return new TargetInfo(out);
  }

  public static TargetInfo decode(byte[] bytes) {
    return decode(ByteReader.of(bytes));
  }

  public byte[] encode() {
    ByteWriter w = new ByteWriter();
    for (AvPair p : pairs) {
      w.u16le(p.id()).u16le(p.value.length).bytes(p.value);
    }
    w.u16le(MSV_AV_EOL).u16le(0);
    return w.toByteArray();
  }

  public Optional<byte[]> raw(int id) {
    return pairs.stream().filter(p -> p.id() == id).findFirst().map(AvPair::value);
  }

  /** A name-valued pair as text (UTF-16LE, not NUL-terminated on the wire). */
  public Optional<String> name(int id) {
    return raw(id).map(v -> new String(v, 0, v.length & ~1, StandardCharsets.UTF_16LE));
  }

  /** MsvAvTimestamp as a FILETIME (100 ns ticks since 1601-01-01 UTC), if the pair is well formed. */
  public Optional<Long> timestamp() {
    return raw(MSV_AV_TIMESTAMP).filter(v -> v.length == 8).map(v -> ByteReader.of(v).u64le("ts"));
  }

  /** MsvAvFlags, if present and four bytes long. */
  public Optional<Long> flags() {
    return raw(MSV_AV_FLAGS).filter(v -> v.length == 4).map(v -> ByteReader.of(v).u32le("flags"));
  }

  /** A copy with {@code id} set to {@code value} (replacing any pair with that id, else appended). */
  public TargetInfo with(int id, byte[] value) {
    List<AvPair> out = new ArrayList<>();
    boolean replaced = false;
    for (AvPair p : pairs) {
      if (p.id() == id) {
        if (!replaced) {
          out.add(new AvPair(id, value));
          replaced = true;
        }
      } else {
        out.add(p);
      }
    }
    if (!replaced) {
      out.add(new AvPair(id, value));
    }
    return new TargetInfo(out);
  }

  public static TargetInfo ofNames(int[] ids, String[] names) {
    if (ids.length != names.length) {
      throw new IllegalArgumentException("ids and names differ in length");
    }
    List<AvPair> out = new ArrayList<>();
    for (int i = 0; i < ids.length; i++) {
      out.add(new AvPair(ids[i], names[i].getBytes(StandardCharsets.UTF_16LE)));
    }
    return new TargetInfo(out);
  }

  /** Converts a FILETIME to Unix epoch milliseconds (FILETIME counts 100 ns from 1601). */
  public static long fileTimeToEpochMillis(long fileTime) {
    return Math.floorDiv(fileTime, 10_000L) - 11_644_473_600_000L;
  }

  public static long epochMillisToFileTime(long epochMillis) {
    return (epochMillis + 11_644_473_600_000L) * 10_000L;
  }

  static void checkUtf16(String field, int len) {
    if ((len & 1) != 0) {
      throw new DecodeException.InvalidField(field, "odd UTF-16 length " + len);
    }
  }
}
