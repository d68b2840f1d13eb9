package rdpdoctor.evidence.even6;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;
import rdpdoctor.protocol.ByteWriter;

/**
 * Test-only EVTX writer: makes the logs no public sample provides (RDPClient/Operational,
 * LocalSessionManager/Operational) and the benchmark input, the way Windows lays them out.
 *
 * <p>Each distinct event shape (channel, provider, data names, EventData or UserData) gets one
 * template definition per chunk, written inline on first use and referenced by offset after,
 * with element starts carrying the dependency id as in Windows' templates. Names are written
 * inline once per chunk and referenced by offset after. Chunk header, records and file header
 * checksums are computed. Everything variable (event id, time, record id, data values) is a
 * substitution, so the reader's value decoders are exercised.
 */
public final class EvtxWriter {

  /** One typed substitution value: a [MS-EVEN6] value type and its bytes. */
  public record Value(int type, byte[] bytes) {
    public static Value string(String s) {
      return new Value(Values.STRING, s.getBytes(StandardCharsets.UTF_16LE));
    }

    public static Value int8(int v) {
      return new Value(Values.INT8, new byte[] {(byte) v});
    }

    public static Value int16(int v) {
      return new Value(Values.INT16, new ByteWriter().u16le(v & 0xFFFF).toByteArray());
    }

    public static Value int64(long v) {
      return new Value(Values.INT64, new ByteWriter().u64le(v).toByteArray());
    }

    /** An ANSI string (0x02): the bytes in the writer's codepage, written as given. */
    public static Value ansi(byte... codepageBytes) {
      return new Value(Values.ANSI_STRING, codepageBytes.clone());
    }

    /** A 4-byte IEEE 754 single; {@link #real32Bits} writes a NaN payload or -0 exactly. */
    public static Value real32(float v) {
      return real32Bits(Float.floatToRawIntBits(v));
    }

    public static Value real32Bits(int bits) {
      return new Value(Values.REAL32, new ByteWriter().u32le(bits & 0xFFFFFFFFL).toByteArray());
    }

    /** An 8-byte IEEE 754 double; {@link #real64Bits} writes a NaN payload or -0 exactly. */
    public static Value real64(double v) {
      return real64Bits(Double.doubleToRawLongBits(v));
    }

    public static Value real64Bits(long bits) {
      return new Value(Values.REAL64, new ByteWriter().u64le(bits).toByteArray());
    }

    /**
     * [MS-DTYP] 2.3.13 SYSTEMTIME: eight u16 fields, written as given (nothing is checked, so
     * out-of-range fields can be written on purpose).
     */
    public static Value systemTime(int year, int month, int dayOfWeek, int day, int hour, int minute, int second,
        int millis) {
      ByteWriter w = new ByteWriter(16);
      for (int f : new int[] {year, month, dayOfWeek, day, hour, minute, second, millis}) {
        w.u16le(f);
      }
      return new Value(Values.SYSTEMTIME, w.toByteArray());
    }

    /** SIZE_T (0x10) of {@code width} 4 or 8 bytes: a 32-bit or a 64-bit writer's pointer size. */
    public static Value sizeT(long v, int width) {
      return new Value(Values.SIZE_T, width(v, width));
    }

    /** EVT_HANDLE (0x20) of {@code width} 4 or 8 bytes. */
    public static Value evtHandle(long v, int width) {
      return new Value(Values.EVT_HANDLE, width(v, width));
    }

    private static byte[] width(long v, int width) {
      return switch (width) {
        case 4 -> new ByteWriter().u32le(v & 0xFFFFFFFFL).toByteArray();
        case 8 -> new ByteWriter().u64le(v).toByteArray();
        default -> throw new IllegalArgumentException("width " + width + " (expected: 4 or 8)");
      };
    }

    /**
     * An array (type | 0x80) of fixed-size items of one type: their bytes back to back, as
     * Windows writes e.g. a UInt32 array of a manifest's {@code count=} field.
     */
    public static Value array(Value... items) {
      if (items.length == 0) {
        throw new IllegalArgumentException("an array needs an item to take its type from");
      }
      ByteWriter w = new ByteWriter();
      for (Value v : items) {
        if (v.type() != items[0].type()) {
          throw new IllegalArgumentException("mixed item types " + v.type() + " and " + items[0].type());
        }
        w.bytes(v.bytes());
      }
      return new Value(items[0].type() | Values.ARRAY, w.toByteArray());
    }

    public static Value uint8(int v) {
      return new Value(Values.UINT8, new byte[] {(byte) v});
    }

    public static Value uint16(int v) {
      return new Value(Values.UINT16, new ByteWriter().u16le(v).toByteArray());
    }

    public static Value uint32(long v) {
      return new Value(Values.UINT32, new ByteWriter().u32le(v).toByteArray());
    }

    public static Value int32(int v) {
      return new Value(Values.INT32, new ByteWriter().u32le(v & 0xFFFFFFFFL).toByteArray());
    }

    public static Value uint64(long v) {
      return new Value(Values.UINT64, new ByteWriter().u64le(v).toByteArray());
    }

    public static Value hex32(long v) {
      return new Value(Values.HEX_INT32, new ByteWriter().u32le(v).toByteArray());
    }

    public static Value hex64(long v) {
      return new Value(Values.HEX_INT64, new ByteWriter().u64le(v).toByteArray());
    }

    public static Value fileTime(Instant t) {
      return new Value(Values.FILETIME, new ByteWriter().u64le(FileTime.fromInstant(t)).toByteArray());
    }

    public static Value bool(int raw) {
      return new Value(Values.BOOL, new ByteWriter().u32le(raw).toByteArray());
    }

    public static Value binary(byte[] b) {
      return new Value(Values.BINARY, b.clone());
    }

    public static Value nul() {
      return new Value(Values.NULL, new byte[0]);
    }

    /** S-1-5-21-a-b-c-rid style SIDs from their text. */
    public static Value sid(String text) {
      String[] p = text.split("-");
      ByteWriter w = new ByteWriter();
      w.u8(Integer.parseInt(p[1])).u8(p.length - 3);
      long auth = Long.parseLong(p[2]);
      for (int i = 5; i >= 0; i--) {
        w.u8((int) (auth >>> (8 * i)) & 0xFF);
      }
      for (int i = 3; i < p.length; i++) {
        w.u32le(Long.parseLong(p[i]));
      }
      return new Value(Values.SID, w.toByteArray());
    }

    /** A GUID from its {@code {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}} text. */
    public static Value guid(String text) {
      String h = text.replaceAll("[{}-]", "");
      ByteWriter w = new ByteWriter();
      w.u32le(Long.parseLong(h.substring(0, 8), 16));
      w.u16le(Integer.parseInt(h.substring(8, 12), 16));
      w.u16le(Integer.parseInt(h.substring(12, 16), 16));
      for (int i = 16; i < 32; i += 2) {
        w.u8(Integer.parseInt(h.substring(i, i + 2), 16));
      }
      return new Value(Values.GUID, w.toByteArray());
    }

    /** A string array (0x81): NUL-terminated UTF-16LE strings back to back. */
    public static Value strings(String... items) {
      ByteWriter w = new ByteWriter();
      for (String s : items) {
        w.utf16le(s).u16le(0);
      }
      return new Value(Values.STRING | Values.ARRAY, w.toByteArray());
    }
  }

  /** One event to write. Data values are strings unless given as {@link Value}s. */
  public static final class Event {
    final String channel;
    final String provider;
    final int eventId;
    int level = 4;
    int task;
    int opcode;
    long keywords = 0x8000000000000000L;
    Instant time = Instant.parse("2024-05-01T10:00:00Z");
    String computer = "HOST1";
    String userSid;
    long processId = 1000;
    long threadId = 2000;
    Long eventRecordId; // null: the record header's identifier, as in a live log
    String userDataElement; // null: EventData
    String userDataNamespace;
    final Map<String, Value> data = new LinkedHashMap<>();

    private Event(String channel, String provider, int eventId) {
      this.channel = channel;
      this.provider = provider;
      this.eventId = eventId;
    }

    public static Event of(String channel, String provider, int eventId) {
      return new Event(channel, provider, eventId);
    }

    public Event level(int l) {
      this.level = l;
      return this;
    }

    public Event task(int t) {
      this.task = t;
      return this;
    }

    public Event time(Instant t) {
      this.time = t;
      return this;
    }

    public Event computer(String c) {
      this.computer = c;
      return this;
    }

    public Event user(String sid) {
      this.userSid = sid;
      return this;
    }

    /**
     * The EventRecordID the XML holds, when it differs from the record header's identifier: an
     * exported log ({@code wevtutil epl}) numbers its record headers from 1 and keeps the original.
     */
    public Event eventRecordId(long id) {
      this.eventRecordId = id;
      return this;
    }

    public Event keywords(long k) {
      this.keywords = k;
      return this;
    }

    public Event data(String name, String value) {
      data.put(name, Value.string(value));
      return this;
    }

    public Event data(String name, Value value) {
      data.put(name, value);
      return this;
    }

    /** Puts the data under {@code <UserData><element xmlns=ns>} instead of EventData. */
    public Event userData(String element, String namespace) {
      this.userDataElement = element;
      this.userDataNamespace = namespace;
      return this;
    }

    String shape() {
      StringBuilder sb = new StringBuilder(channel).append('|').append(provider).append('|')
          .append(userDataElement).append('|').append(userDataNamespace);
      for (Map.Entry<String, Value> e : data.entrySet()) {
        sb.append('|').append(e.getKey());
      }
      return sb.toString();
    }
  }

  private final List<Event> events = new ArrayList<>();
  private long firstRecordId = 1;
  private long fileFlags;
  private boolean checksums = true;

  public EvtxWriter add(Event e) {
    events.add(Objects.requireNonNull(e));
    return this;
  }

  public EvtxWriter firstRecordId(long id) {
    this.firstRecordId = id;
    return this;
  }

  /** Sets the file header flags (0x1 dirty, 0x4 no CRC32: then no checksums are written). */
  public EvtxWriter fileFlags(long flags) {
    this.fileFlags = flags;
    this.checksums = (flags & FileHeader.FLAG_NO_CRC32) == 0;
    return this;
  }

  public void write(Path path) throws IOException {
    Files.write(path, toBytes());
  }

  /** The whole file: header block and chunks. */
  public byte[] toBytes() {
    List<byte[]> chunks = new ArrayList<>();
    ChunkBuilder cb = new ChunkBuilder(firstRecordId);
    long id = firstRecordId;
    for (Event e : events) {
      byte[] rec = cb.record(e, id);
      if (rec == null) {
        chunks.add(cb.finish());
        cb = new ChunkBuilder(id);
        rec = cb.record(e, id);
        if (rec == null) {
          throw new IllegalArgumentException("event too large for one chunk");
        }
      }
      id++;
    }
    if (cb.count > 0 || chunks.isEmpty()) {
      chunks.add(cb.finish());
    }
    ByteWriter h = new ByteWriter(FileHeader.SIZE);
    h.bytes(FileHeader.MAGIC); // Signature (8 bytes)
    h.u64le(0); // First chunk number (8 bytes)
    h.u64le(chunks.size() - 1); // Last chunk number (8 bytes)
    h.u64le(id); // Next record identifier (8 bytes)
    h.u32le(128); // Header size (4 bytes)
    h.u16le(1); // Minor version (2 bytes)
    h.u16le(3); // Major version (2 bytes)
    h.u16le(FileHeader.SIZE); // Header block size (2 bytes)
    h.u16le(chunks.size() & 0xFFFF); // Number of chunks (2 bytes)
    h.zeros(76); // Unknown (76 bytes)
    h.u32le(fileFlags); // File flags (4 bytes)
    h.u32le(0); // Checksum (4 bytes), patched below
    h.zeros(FileHeader.SIZE - 128);
    byte[] header = h.toByteArray();
    if (checksums) {
      CRC32 c = new CRC32();
      c.update(header, 0, 120);
      putU32(header, 124, c.getValue());
    }
    byte[] out = new byte[FileHeader.SIZE + chunks.size() * ChunkHeader.CHUNK_SIZE];
    System.arraycopy(header, 0, out, 0, header.length);
    for (int i = 0; i < chunks.size(); i++) {
      System.arraycopy(chunks.get(i), 0, out, FileHeader.SIZE + i * ChunkHeader.CHUNK_SIZE, ChunkHeader.CHUNK_SIZE);
    }
    return out;
  }

  static void putU32(byte[] b, int off, long v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
    b[off + 2] = (byte) (v >>> 16);
    b[off + 3] = (byte) (v >>> 24);
  }

  /** Lays out one chunk: names and templates are remembered by chunk offset. */
  private final class ChunkBuilder {
    final byte[] chunk = new byte[ChunkHeader.CHUNK_SIZE];
    int pos = ChunkHeader.SIZE;
    final long firstId;
    long lastId;
    int lastOffset;
    int count;
    final Map<String, Integer> names = new HashMap<>();
    final Map<String, Integer> templates = new HashMap<>();

    ChunkBuilder(long firstId) {
      this.firstId = firstId;
    }

    /** Appends the record, or returns null when it does not fit in this chunk. */
    byte[] record(Event e, long id) {
      Map<String, Integer> namesBefore = new HashMap<>(names);
      Map<String, Integer> templatesBefore = new HashMap<>(templates);
      int start = pos;
      Buf w = new Buf(start);
      w.u32(0x00002a2a); // Signature (4 bytes)
      w.u32(0); // Size (4 bytes), patched
      w.u64(id); // Event record identifier (8 bytes)
      w.u64(FileTime.fromInstant(e.time)); // Written date and time (8 bytes)
      w.u8(BinXml.FRAGMENT_HEADER).u8(1).u8(1).u8(0); // Fragment header
      w.u8(BinXml.TEMPLATE_INSTANCE).u8(1); // Template instance token, version
      String shape = e.shape();
      w.u32(shape.hashCode() & 0xFFFFFFFFL); // Template identifier
      List<Value> values = values(e, id);
      Integer defOffset = templates.get(shape);
      if (defOffset == null) {
        int here = w.offset() + 4;
        w.u32(here); // Definition data offset: right here, inline
        templates.put(shape, here);
        templateDefinition(w, e);
      } else {
        w.u32(defOffset);
      }
      // Template instance data: count, descriptors, values
      w.u32(values.size());
      for (Value v : values) {
        w.u16(v.bytes().length).u8(v.type()).u8(0);
      }
      for (Value v : values) {
        w.bytes(v.bytes());
      }
      w.u8(BinXml.EOF);
      int size = w.size() + 4;
      size = (size + 7) & ~7; // records are 8-byte aligned in real files; pad before the copy
      while (w.size() < size - 4) {
        w.u8(0);
      }
      w.u32(size); // Copy of size (4 bytes)
      byte[] rec = w.toByteArray();
      putU32(rec, 4, size);
      if (start + rec.length > ChunkHeader.CHUNK_SIZE) {
        names.clear();
        names.putAll(namesBefore);
        templates.clear();
        templates.putAll(templatesBefore);
        return null;
      }
      System.arraycopy(rec, 0, chunk, start, rec.length);
      pos = start + rec.length;
      lastOffset = start;
      lastId = id;
      count++;
      return rec;
    }

    /** Substitution values in template order (see templateDefinition). */
    private List<Value> values(Event e, long id) {
      List<Value> v = new ArrayList<>();
      v.add(Value.uint16(e.eventId)); // 0 EventID
      v.add(Value.uint8(0)); // 1 Version
      v.add(Value.uint8(e.level)); // 2 Level
      v.add(Value.uint16(e.task)); // 3 Task
      v.add(Value.uint8(e.opcode)); // 4 Opcode
      v.add(Value.hex64(e.keywords)); // 5 Keywords
      v.add(Value.fileTime(e.time)); // 6 TimeCreated
      v.add(Value.uint64(e.eventRecordId != null ? e.eventRecordId : id)); // 7 EventRecordID
      v.add(Value.nul()); // 8 Correlation ActivityID
      v.add(Value.uint32(e.processId)); // 9 ProcessID
      v.add(Value.uint32(e.threadId)); // 10 ThreadID
      v.add(e.userSid == null ? Value.nul() : Value.sid(e.userSid)); // 11 Security UserID
      v.addAll(e.data.values()); // 12.. data
      return v;
    }

    private void templateDefinition(Buf w, Event e) {
      w.u32(0); // Next template definition offset (4 bytes)
      byte[] guid = new byte[16];
      int hash = e.shape().hashCode();
      for (int i = 0; i < 16; i++) {
        guid[i] = (byte) (hash >>> (8 * (i % 4)) ^ i);
      }
      w.bytes(guid); // Template identifier GUID (16 bytes)
      int sizeAt = w.size();
      w.u32(0); // Data size (4 bytes), patched
      int dataStart = w.size();
      w.u8(BinXml.FRAGMENT_HEADER).u8(1).u8(1).u8(0);
      int ev = open(w, "Event", true);
      attrText(w, "xmlns", "http://schemas.microsoft.com/win/2004/08/events/event", false);
      close(w, ev, true, false);
      int sys = open(w, "System", false);
      close(w, sys, false, false);
      int p = open(w, "Provider", true);
      attrText(w, "Name", e.provider, false);
      close(w, p, true, true);
      substElement(w, "EventID", 0, Values.UINT16);
      substElement(w, "Version", 1, Values.UINT8);
      substElement(w, "Level", 2, Values.UINT8);
      substElement(w, "Task", 3, Values.UINT16);
      substElement(w, "Opcode", 4, Values.UINT8);
      substElement(w, "Keywords", 5, Values.HEX_INT64);
      int tc = open(w, "TimeCreated", true);
      attrSubst(w, "SystemTime", 6, Values.FILETIME, false);
      close(w, tc, true, true);
      substElement(w, "EventRecordID", 7, Values.UINT64);
      int co = open(w, "Correlation", true);
      attrSubst(w, "ActivityID", 8, Values.GUID, false);
      close(w, co, true, true);
      int ex = open(w, "Execution", true);
      attrSubst(w, "ProcessID", 9, Values.UINT32, true);
      attrSubst(w, "ThreadID", 10, Values.UINT32, false);
      close(w, ex, true, true);
      textElement(w, "Channel", e.channel);
      textElement(w, "Computer", e.computer);
      int se = open(w, "Security", true);
      attrSubst(w, "UserID", 11, Values.SID, false);
      close(w, se, true, true);
      end(w, sys);
      int index = 12;
      if (e.userDataElement == null) {
        int ed = open(w, "EventData", false);
        close(w, ed, false, false);
        for (Map.Entry<String, Value> d : e.data.entrySet()) {
          int de = open(w, "Data", true);
          attrText(w, "Name", d.getKey(), false);
          close(w, de, true, false);
          w.u8(BinXml.OPTIONAL_SUBSTITUTION).u16(index++).u8(d.getValue().type());
          end(w, de);
        }
        end(w, ed);
      } else {
        int ud = open(w, "UserData", false);
        close(w, ud, false, false);
        int top = open(w, e.userDataElement, true);
        attrText(w, "xmlns", e.userDataNamespace, false);
        close(w, top, true, false);
        for (Map.Entry<String, Value> d : e.data.entrySet()) {
          substElement(w, d.getKey(), index++, d.getValue().type());
        }
        end(w, top);
        end(w, ud);
      }
      end(w, ev);
      w.u8(BinXml.EOF);
      w.patch32(sizeAt, w.size() - dataStart);
    }

    private void substElement(Buf w, String name, int index, int type) {
      int el = open(w, name, false);
      close(w, el, false, false);
      w.u8(BinXml.OPTIONAL_SUBSTITUTION).u16(index).u8(type);
      end(w, el);
    }

    private void textElement(Buf w, String name, String text) {
      int el = open(w, name, false);
      close(w, el, false, false);
      w.u8(BinXml.VALUE).u8(Values.STRING).u16(text.length()).utf16(text);
      end(w, el);
    }

    /** Element start with dependency id; returns where its data size field is, for patching. */
    private int open(Buf w, String name, boolean attrs) {
      w.u8(attrs ? 0x41 : BinXml.OPEN_START_ELEMENT);
      w.u16(0xFFFF); // Dependency identifier (2 bytes): not set
      int sizeAt = w.size();
      w.u32(0); // Data size (4 bytes), patched at the end element
      name(w, name);
      if (attrs) {
        w.u32(0); // Attribute list size (4 bytes), patched in close()
        w.mark = w.size();
      }
      return sizeAt;
    }

    private void close(Buf w, int sizeAt, boolean attrs, boolean empty) {
      if (attrs) {
        w.patch32(w.mark - 4, w.size() - w.mark);
      }
      w.u8(empty ? BinXml.CLOSE_EMPTY_ELEMENT : BinXml.CLOSE_START_ELEMENT);
      if (empty) {
        w.patch32(sizeAt, w.size() - sizeAt - 4);
      }
    }

    private void end(Buf w, int sizeAt) {
      w.u8(BinXml.END_ELEMENT);
      w.patch32(sizeAt, w.size() - sizeAt - 4);
    }

    private void attrText(Buf w, String name, String value, boolean more) {
      w.u8(more ? 0x46 : BinXml.ATTRIBUTE);
      name(w, name);
      w.u8(BinXml.VALUE).u8(Values.STRING).u16(value.length()).utf16(value);
    }

    private void attrSubst(Buf w, String name, int index, int type, boolean more) {
      w.u8(more ? 0x46 : BinXml.ATTRIBUTE);
      name(w, name);
      w.u8(BinXml.OPTIONAL_SUBSTITUTION).u16(index).u8(type);
    }

    /** A name reference: inline the first time in this chunk, by offset afterwards. */
    private void name(Buf w, String name) {
      Integer at = names.get(name);
      if (at != null) {
        w.u32(at);
        return;
      }
      int here = w.offset() + 4;
      names.put(name, here);
      w.u32(here);
      w.u32(0); // Next name in the hash chain (4 bytes)
      w.u16(name.hashCode() & 0xFFFF); // Hash (2 bytes); the reader does not check it
      w.u16(name.length()); // Number of characters (2 bytes)
      w.utf16(name).u16(0); // UTF-16LE name and NUL
    }

    byte[] finish() {
      byte[] c = chunk;
      ByteWriter h = new ByteWriter(128);
      h.bytes(new byte[] {'E', 'l', 'f', 'C', 'h', 'n', 'k', 0});
      h.u64le(firstId - firstRecordId + 1); // First event record number
      h.u64le(lastId - firstRecordId + 1); // Last event record number
      h.u64le(firstId); // First event record identifier
      h.u64le(lastId); // Last event record identifier
      h.u32le(128); // Header size
      h.u32le(lastOffset); // Last event record data offset
      h.u32le(pos); // Free space offset
      h.u32le(0); // Event records checksum, below
      byte[] hb = h.toByteArray();
      System.arraycopy(hb, 0, c, 0, hb.length);
      if (checksums) {
        CRC32 d = new CRC32();
        d.update(c, ChunkHeader.SIZE, pos - ChunkHeader.SIZE);
        putU32(c, 52, d.getValue());
        putU32(c, 124, ChunkHeader.headerCrc(c));
      } else {
        putU32(c, 120, FileHeader.FLAG_NO_CRC32);
      }
      return c.clone();
    }
  }

  /** A little-endian buffer that knows the chunk offset it will be copied to. */
  private static final class Buf {
    private final ByteWriter w = new ByteWriter(1024);
    private final int base;
    int mark;

    Buf(int base) {
      this.base = base;
    }

    int size() {
      return w.size();
    }

    int offset() {
      return base + w.size();
    }

    Buf u8(int v) {
      w.u8(v);
      return this;
    }

    Buf u16(int v) {
      w.u16le(v);
      return this;
    }

    Buf u32(long v) {
      w.u32le(v);
      return this;
    }

    Buf u64(long v) {
      w.u64le(v);
      return this;
    }

    Buf bytes(byte[] b) {
      w.bytes(b);
      return this;
    }

    Buf utf16(String s) {
      w.utf16le(s);
      return this;
    }

    void patch32(int at, long v) {
      w.putU32le(at, v);
    }

    byte[] toByteArray() {
      return w.toByteArray();
    }
  }
}
