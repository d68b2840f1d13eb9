package rdpdoctor.evidence.even6;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * [MS-EVEN6] event record: its header (identifier, time written) and its rendered XML tree, with
 * typed access to the System fields and to EventData/UserData values by name.
 */
public final class EventRecord {
  /**
   * How the reader found the record: by walking the records the chunk header knows, by scanning
   * for record signatures past a damaged or zero-filled range of the record area, or in the chunk
   * slack (after the last record the chunk header knows: left there when Windows reused the
   * chunk). Records found by scanning passed the checks of {@code Chunk}'s recovery scan (size
   * bounds, trailing size copy, BinXml start, BinXml decodes); every output marks them.
   */
  public enum Origin {
    RECORDS("records"),
    AFTER_DAMAGE("after-damage"),
    SLACK("slack");

    private final String label;

    Origin(String label) {
      this.label = label;
    }

    /** The word the outputs use: {@code after-damage}, {@code slack} ({@code records} when not recovered). */
    public String label() {
      return label;
    }
  }

  private final long headerRecordId;
  private final Origin origin;
  private final long written;
  private final long fileOffset;
  private final int chunk;
  private final List<Object> content;
  private @Nullable EventSystem system;
  private @Nullable Map<String, String> data; // built on first use: rules ask for several names

  EventRecord(long headerRecordId, long written, long fileOffset, int chunk, List<Object> content, Origin origin) {
    this.headerRecordId = headerRecordId;
    this.origin = origin;
    this.written = written;
    this.fileOffset = fileOffset;
    this.chunk = chunk;
    this.content = content;
  }

  /**
   * The EventRecordID Event Viewer shows: the one in the XML, else the record header's. They differ
   * in exported logs ({@code wevtutil epl}, "Save Filtered Log File As"), where the record headers
   * are numbered again from 1 and the XML keeps the original number.
   */
  public long recordId() {
    Long id = system().recordId();
    return id != null ? id : headerRecordId;
  }

  /** The record header's identifier: the chunk header's numbering, 1.. again in exported logs. */
  public long headerRecordId() {
    return headerRecordId;
  }

  /** How the reader found the record; anything but {@link Origin#RECORDS} is a recovered record. */
  public Origin origin() {
    return origin;
  }

  /** True for a record found by a recovery scan (after damage or in chunk slack). */
  public boolean recovered() {
    return origin != Origin.RECORDS;
  }

  /** When the record was written (record header FILETIME). */
  public Instant written() {
    return FileTime.toInstant(written);
  }

  /** The record header's FILETIME, raw. */
  public long writtenFileTime() {
    return written;
  }

  /** File offset of the record's signature. */
  public long fileOffset() {
    return fileOffset;
  }

  /** Index of the chunk holding the record (0 = the chunk at offset 4096). */
  public int chunk() {
    return chunk;
  }

  /** Top-level content: usually one {@code <Event>} element. */
  public List<Object> content() {
    return content;
  }

  /** The {@code <Event>} element (or the first top-level element), or null. */
  public @Nullable XmlElement event() {
    XmlElement first = null;
    for (Object o : content) {
      if (o instanceof XmlElement e) {
        if (e.name().equals("Event")) {
          return e;
        }
        if (first == null) {
          first = e;
        }
      }
    }
    return first;
  }

  /** The typed System fields (computed once). */
  public EventSystem system() {
    EventSystem s = system;
    if (s == null) {
      XmlElement ev = event();
      s = EventSystem.of(ev == null ? null : ev.child("System"));
      system = s;
    }
    return s;
  }

  /** The event's time: TimeCreated when present, else the record header's time. */
  public Instant time() {
    Instant t = system().timeCreated();
    return t != null ? t : written();
  }

  /**
   * EventData or UserData values by name, in document order. EventData: each
   * {@code <Data Name="x">} (unnamed ones as {@code Data}, {@code Data[2]}, ...), plus
   * {@code <Binary>}. UserData: the leaf elements under its one child, by element name.
   * Read once per record; the map cannot be changed.
   */
  public Map<String, String> data() {
    Map<String, String> d = data;
    if (d == null) {
      d = java.util.Collections.unmodifiableMap(readData());
      data = d;
    }
    return d;
  }

  private Map<String, String> readData() {
    Map<String, String> out = new LinkedHashMap<>();
    XmlElement ev = event();
    if (ev == null) {
      return out;
    }
    XmlElement ed = ev.child("EventData");
    if (ed != null) {
      int unnamed = 0;
      for (XmlElement d : ed.elements()) {
        String n = d.attribute("Name");
        if (n == null) {
          unnamed++;
          n = unnamed == 1 ? d.name() : d.name() + "[" + unnamed + "]";
        }
        out.putIfAbsent(n, d.text());
      }
    }
    XmlElement ud = ev.child("UserData");
    if (ud != null) {
      for (XmlElement top : ud.elements()) {
        leaves(top, out);
      }
    }
    return out;
  }

  private static void leaves(XmlElement e, Map<String, String> out) {
    List<XmlElement> kids = e.elements();
    if (kids.isEmpty()) {
      out.putIfAbsent(e.name(), e.text());
      return;
    }
    for (XmlElement k : kids) {
      leaves(k, out);
    }
  }

  /** One value of {@link #data()}, or null. */
  public @Nullable String data(String name) {
    return data().get(name);
  }

  /** The event as XML, in the layout of {@code evtxexport -f xml}. */
  public String xml() {
    StringBuilder sb = new StringBuilder(2048);
    appendXml(sb);
    return sb.toString();
  }

  public void appendXml(StringBuilder sb) {
    Xml.write(content, sb);
  }

  /** Appends the event as one JSON object (no newline); see {@link EventJson}. */
  public void appendJson(StringBuilder sb) {
    EventJson.write(this, sb);
  }
}
