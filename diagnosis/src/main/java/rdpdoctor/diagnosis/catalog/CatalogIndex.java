package rdpdoctor.diagnosis.catalog;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Phase;

/**
 * A compact binary copy of the whole catalog, written at build time from the YAML files and read at
 * run time instead of them.
 *
 * <p>The app module's build writes it into its classes ({@code BuildCatalogIndex}), so it is in
 * the runnable jar; this module, which may not touch files, only reads it from the class path.
 *
 * <p>Why: parsing the YAML needs Jackson and SnakeYAML, whose start-up alone costs a few hundred
 * milliseconds on a cold JVM; {@code rdpdoctor explain} must answer well under half a second.
 * The index is derived data: the YAML files stay the source of truth, and a test proves the
 * index reads back equal to the YAML.
 *
 * <p>Layout (big-endian, as {@link DataOutputStream} writes): the magic {@code RDPDCAT2}; a
 * string table; tables of causes, citations and disputes (entries refer to them by index, so a
 * cause shared by forty codes is stored once); then the families, the events, the pair
 * readings and the code-less messages. A string is an index into the string table, -1 for null.
 */
public final class CatalogIndex {
  static final String RESOURCE = CatalogLoader.ROOT + "catalog.idx";
  private static final long MAGIC = 0x5244504443415432L; // "RDPDCAT2" (2: with the messages)
  private static final int MAX_COUNT = 1 << 20;

  private CatalogIndex() {}

  /**
   * Everything the catalog holds.
   *
   * @param families every code family
   * @param events the event catalog
   * @param combinations the disconnect-pair readings
   * @param messages the messages that carry no code
   */
  public record Contents(
      List<CodeFamily> families, EventCatalog events, List<Combination> combinations, MessageCatalog messages) {
    public Contents {
      families = List.copyOf(families);
      combinations = List.copyOf(combinations);
    }
  }

  /** Parses every YAML file of the catalog (what the index is built from). */
  public static Contents fromYaml() {
    List<CodeFamily> families = new ArrayList<>();
    for (String id : Catalog.FAMILIES) {
      families.add(CatalogLoader.family(id));
    }
    return new Contents(families, CatalogLoader.events(), CatalogLoader.combinations(), CatalogLoader.messages());
  }

  /** Build step: writes the index of the YAML catalog (the app module's build calls this). */
  public static void writeFromYaml(OutputStream out) throws IOException {
    write(fromYaml(), out);
  }

  /** The index on the class path, or null when there is none (a build that skipped the step). */
  public static @Nullable Contents load() {
    try (InputStream in = CatalogIndex.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return null;
      }
      return read(in);
    } catch (IOException e) {
      throw new CatalogException("cannot read catalog index " + RESOURCE + ": " + e.getMessage(), e);
    }
  }

  static void write(Contents c, OutputStream os) throws IOException {
    Writer w = new Writer();
    // First pass collects the shared tables; the second writes records that refer to them.
    for (CodeFamily f : c.families()) {
      for (CodeEntry e : f.entries()) {
        e.causes().forEach(w::cause);
        e.sources().forEach(w::citation);
        e.disputed().forEach(w::dispute);
      }
    }
    for (EventEntry e : c.events().events()) {
      e.sources().forEach(w::citation);
    }
    for (Combination k : c.combinations()) {
      k.causes().forEach(w::cause);
      k.sources().forEach(w::citation);
      k.disputed().forEach(w::dispute);
    }
    for (MessageEntry m : c.messages().messages()) {
      m.causes().forEach(w::cause);
      m.sources().forEach(w::citation);
    }
    DataOutputStream body = w.body;
    body.writeInt(c.families().size());
    for (CodeFamily f : c.families()) {
      w.str(f.id());
      w.str(f.title());
      body.writeBoolean(f.signedForm());
      w.str(f.sharesValuesWith());
      body.writeInt(f.entries().size());
      for (CodeEntry e : f.entries()) {
        body.writeLong(e.value());
        body.writeLong(e.valueTo());
        w.str(e.name());
        w.str(e.meaning());
        body.writeByte(e.phase().ordinal());
        w.strs(e.whereSeen());
        w.refs(e.causes(), w.causes);
        w.refs(e.sources(), w.citations);
        w.refs(e.disputed(), w.disputes);
        w.strs(e.related());
        w.str(e.note());
      }
    }
    body.writeInt(c.events().events().size());
    for (EventEntry e : c.events().events()) {
      w.str(e.channel());
      w.str(e.provider());
      body.writeInt(e.id());
      w.str(e.meaning());
      body.writeByte(e.phase().ordinal());
      body.writeInt(e.fields().size());
      for (EventField f : e.fields()) {
        w.str(f.name());
        w.str(f.decodes());
        w.str(f.note());
      }
      w.refs(e.sources(), w.citations);
    }
    body.writeInt(c.combinations().size());
    for (Combination k : c.combinations()) {
      body.writeLong(k.discFrom());
      body.writeLong(k.discTo());
      body.writeLong(k.extFrom());
      body.writeLong(k.extTo());
      w.str(k.title());
      w.str(k.reading());
      body.writeByte(k.phase().ordinal());
      w.refs(k.causes(), w.causes);
      w.refs(k.disputed(), w.disputes);
      w.refs(k.sources(), w.citations);
    }
    body.writeInt(c.messages().messages().size());
    for (MessageEntry m : c.messages().messages()) {
      w.str(m.id());
      w.str(m.title());
      w.str(m.meaning());
      body.writeByte(m.phase().ordinal());
      body.writeInt(m.patterns().size());
      for (MessagePattern p : m.patterns()) {
        w.str(p.language());
        w.str(p.text());
      }
      w.strs(m.codes());
      w.refs(m.causes(), w.causes);
      w.refs(m.sources(), w.citations);
      w.str(m.note());
    }
    body.flush();
    w.finish(os);
  }

  static Contents read(InputStream in) throws IOException {
    DataInputStream d = new DataInputStream(in);
    if (d.readLong() != MAGIC) {
      throw new CatalogException("catalog index has the wrong magic number");
    }
    String[] strings = new String[count(d, "strings")];
    for (int i = 0; i < strings.length; i++) {
      strings[i] = d.readUTF();
    }
    Reader r = new Reader(d, strings);
    Cause[] causes = new Cause[count(d, "causes")];
    for (int i = 0; i < causes.length; i++) {
      causes[i] =
          new Cause(r.str(), r.str(), Cause.Confidence.values()[d.readByte()], r.strs(), r.strs());
    }
    Citation[] citations = new Citation[count(d, "citations")];
    for (int i = 0; i < citations.length; i++) {
      citations[i] = new Citation(r.str(), r.str(), d.readBoolean());
    }
    Dispute[] disputes = new Dispute[count(d, "disputes")];
    for (int i = 0; i < disputes.length; i++) {
      disputes[i] = new Dispute(r.str(), r.str(), d.readBoolean(), r.str());
    }
    List<CodeFamily> families = new ArrayList<>();
    for (int fi = count(d, "families"); fi > 0; fi--) {
      String id = r.str();
      String title = r.str();
      boolean signed = d.readBoolean();
      String shares = r.str();
      List<CodeEntry> entries = new ArrayList<>();
      for (int ei = count(d, "entries"); ei > 0; ei--) {
        long value = d.readLong();
        long to = d.readLong();
        entries.add(
            new CodeEntry(
                id, value, to, r.str(), r.str(), Phase.values()[d.readByte()], r.strs(),
                r.refs(causes), r.refs(citations), r.refs(disputes), r.strs(), r.nullableStr()));
      }
      families.add(new CodeFamily(id, title, signed, shares, entries));
    }
    List<EventEntry> events = new ArrayList<>();
    for (int ei = count(d, "events"); ei > 0; ei--) {
      String channel = r.str();
      String provider = r.str();
      int id = d.readInt();
      String meaning = r.str();
      Phase phase = Phase.values()[d.readByte()];
      List<EventField> fields = new ArrayList<>();
      for (int fi = count(d, "fields"); fi > 0; fi--) {
        fields.add(new EventField(r.str(), r.nullableStr(), r.str()));
      }
      events.add(new EventEntry(channel, provider, id, meaning, phase, fields, r.refs(citations)));
    }
    List<Combination> combinations = new ArrayList<>();
    for (int ci = count(d, "combinations"); ci > 0; ci--) {
      long df = d.readLong();
      long dt = d.readLong();
      long ef = d.readLong();
      long et = d.readLong();
      combinations.add(
          new Combination(
              df, dt, ef, et, r.str(), r.str(), Phase.values()[d.readByte()], r.refs(causes),
              r.refs(disputes), r.refs(citations)));
    }
    List<MessageEntry> messages = new ArrayList<>();
    for (int mi = count(d, "messages"); mi > 0; mi--) {
      String id = r.str();
      String title = r.str();
      String meaning = r.str();
      Phase phase = Phase.values()[d.readByte()];
      List<MessagePattern> patterns = new ArrayList<>();
      for (int pi = count(d, "patterns"); pi > 0; pi--) {
        patterns.add(new MessagePattern(r.str(), r.str()));
      }
      messages.add(
          new MessageEntry(id, title, meaning, phase, patterns, r.strs(), r.refs(causes), r.refs(citations), r.nullableStr()));
    }
    return new Contents(families, new EventCatalog(events), combinations, new MessageCatalog(messages));
  }

  private static int count(DataInputStream d, String what) throws IOException {
    int n = d.readInt();
    if (n < 0 || n > MAX_COUNT) {
      throw new CatalogException("catalog index: " + what + " count " + n + " (expected: 0.." + MAX_COUNT + ")");
    }
    return n;
  }

  /** Collects strings and shared records into tables while the body is written. */
  private static final class Writer {
    final Map<String, Integer> strings = new HashMap<>();
    final List<String> stringList = new ArrayList<>();
    final Map<Object, Integer> causes = new HashMap<>();
    final Map<Object, Integer> citations = new HashMap<>();
    final Map<Object, Integer> disputes = new HashMap<>();
    final java.io.ByteArrayOutputStream tables = new java.io.ByteArrayOutputStream();
    final DataOutputStream tableOut = new DataOutputStream(tables);
    final java.io.ByteArrayOutputStream causeBytes = new java.io.ByteArrayOutputStream();
    final java.io.ByteArrayOutputStream citationBytes = new java.io.ByteArrayOutputStream();
    final java.io.ByteArrayOutputStream disputeBytes = new java.io.ByteArrayOutputStream();
    final java.io.ByteArrayOutputStream bodyBytes = new java.io.ByteArrayOutputStream();
    final DataOutputStream body = new DataOutputStream(bodyBytes);

    int index(String s) {
      return strings.computeIfAbsent(s, k -> {
        stringList.add(k);
        return stringList.size() - 1;
      });
    }

    void str(@Nullable String s) throws IOException {
      body.writeInt(s == null ? -1 : index(s));
    }

    void strs(List<String> list) throws IOException {
      body.writeInt(list.size());
      for (String s : list) {
        str(s);
      }
    }

    void refs(List<?> list, Map<Object, Integer> table) throws IOException {
      body.writeInt(list.size());
      for (Object o : list) {
        body.writeInt(table.get(o));
      }
    }

    void cause(Cause c) {
      put(causes, c, causeBytes, out -> {
        out.writeInt(index(c.title()));
        out.writeInt(index(c.why()));
        out.writeByte(c.confidence().ordinal());
        writeStrs(out, c.checks());
        writeStrs(out, c.fixes());
      });
    }

    void citation(Citation c) {
      put(citations, c, citationBytes, out -> {
        out.writeInt(index(c.key()));
        out.writeInt(index(c.text()));
        out.writeBoolean(c.authoritative());
      });
    }

    void dispute(Dispute x) {
      put(disputes, x, disputeBytes, out -> {
        out.writeInt(index(x.claim()));
        out.writeInt(index(x.source()));
        out.writeBoolean(x.trusted());
        out.writeInt(index(x.why()));
      });
    }

    private void writeStrs(DataOutputStream out, List<String> list) throws IOException {
      out.writeInt(list.size());
      for (String s : list) {
        out.writeInt(index(s));
      }
    }

    private interface Body {
      void write(DataOutputStream out) throws IOException;
    }

    private void put(Map<Object, Integer> table, Object key, java.io.ByteArrayOutputStream bytes, Body b) {
      if (table.containsKey(key)) {
        return;
      }
      table.put(key, table.size());
      try {
        DataOutputStream out = new DataOutputStream(bytes);
        b.write(out);
        out.flush();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    void finish(OutputStream os) throws IOException {
      DataOutputStream out = new DataOutputStream(os);
      out.writeLong(MAGIC);
      out.writeInt(stringList.size());
      for (String s : stringList) {
        out.writeUTF(s);
      }
      out.writeInt(causes.size());
      causeBytes.writeTo(out);
      out.writeInt(citations.size());
      citationBytes.writeTo(out);
      out.writeInt(disputes.size());
      disputeBytes.writeTo(out);
      bodyBytes.writeTo(out);
      out.flush();
    }
  }

  /** Reads strings and references, checking every index. */
  private record Reader(DataInputStream d, String[] strings) {
    @Nullable String nullableStr() throws IOException {
      int i = d.readInt();
      if (i == -1) {
        return null;
      }
      if (i < 0 || i >= strings.length) {
        throw new CatalogException("catalog index: string " + i + " (expected: 0.." + (strings.length - 1) + ")");
      }
      return strings[i];
    }

    String str() throws IOException {
      String s = nullableStr();
      if (s == null) {
        throw new CatalogException("catalog index: missing string");
      }
      return s;
    }

    List<String> strs() throws IOException {
      List<String> out = new ArrayList<>();
      for (int n = count(d, "list"); n > 0; n--) {
        out.add(str());
      }
      return out;
    }

    <T> List<T> refs(T[] table) throws IOException {
      List<T> out = new ArrayList<>();
      for (int n = count(d, "references"); n > 0; n--) {
        int i = d.readInt();
        if (i < 0 || i >= table.length) {
          throw new CatalogException("catalog index: reference " + i + " (expected: 0.." + (table.length - 1) + ")");
        }
        out.add(table[i]);
      }
      return out;
    }
  }
}
