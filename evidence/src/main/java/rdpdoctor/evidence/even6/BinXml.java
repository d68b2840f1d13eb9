package rdpdoctor.evidence.even6;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import rdpdoctor.protocol.DecodeException;

/**
 * [MS-EVEN6] 3.1.4.7 BinXml: decodes the binary XML of one chunk's records into {@link XmlElement}
 * trees, with the chunk's name and template caches.
 *
 * <p>Template definitions are parsed once per chunk into a small tree of nodes ({@link Node}) and
 * kept by their chunk offset, so each record costs only the evaluation of that tree with its
 * substitution values. Names are read at their chunk offsets and cached by offset; the chunk
 * header's hash-bucket tables are never followed, so a looping string chain cannot hang the reader.
 *
 * <p>Element starts carry a two-byte dependency id inside template definitions but not in BinXml
 * written directly in a record or in a nested BinXml value (type 0x21), as the Rust {@code evtx}
 * crate and libevtx's notes describe; readers that always expect it fail on template-less files.
 *
 * <p>One instance is used by one thread for one chunk at a time ({@link #reset}).
 */
final class BinXml {
  /** Nesting of elements, templates and nested BinXml values; deeper input is refused. */
  static final int MAX_DEPTH = 64;

  private static final int CHUNK_SIZE = 65536;

  // Token types (low 5 bits; 0x40 is the "more data follows" / "has attributes" flag).
  static final int EOF = 0x00;
  static final int OPEN_START_ELEMENT = 0x01;
  static final int CLOSE_START_ELEMENT = 0x02;
  static final int CLOSE_EMPTY_ELEMENT = 0x03;
  static final int END_ELEMENT = 0x04;
  static final int VALUE = 0x05;
  static final int ATTRIBUTE = 0x06;
  static final int CDATA = 0x07;
  static final int CHAR_REF = 0x08;
  static final int ENTITY_REF = 0x09;
  static final int PI_TARGET = 0x0A;
  static final int PI_DATA = 0x0B;
  static final int TEMPLATE_INSTANCE = 0x0C;
  static final int NORMAL_SUBSTITUTION = 0x0D;
  static final int OPTIONAL_SUBSTITUTION = 0x0E;
  static final int FRAGMENT_HEADER = 0x0F;

  /** A parsed piece of BinXml: template definitions and record streams are lists of these. */
  sealed interface Node {}

  record Element(String name, Attr[] attrs, Node[] content, boolean empty) implements Node {}

  record Attr(String name, Node[] value) {}

  record Text(String text) implements Node {}

  record Raw(String xml) implements Node {}

  record Subst(int index, int type, boolean optional) implements Node {}

  record Pi(String target, String data) implements Node {}

  /** A template instance: the definition and where its values are in the chunk. */
  record Instance(Template template, int[] types, int[] offsets, int[] sizes) implements Node {}

  /** A template definition at {@code offset} in the chunk. */
  record Template(int offset, Node[] nodes) {}

  private static final Node[] NO_NODES = new Node[0];
  private static final Attr[] NO_ATTRS = new Attr[0];
  private static final Template IN_PROGRESS = new Template(-1, NO_NODES);

  private byte[] b = new byte[0];
  private int chunkLen;
  private final String[] names = new String[CHUNK_SIZE];
  private final int[] touched = new int[CHUNK_SIZE];
  private int touchedCount;
  private final Map<Integer, Template> templates = new HashMap<>();
  private int pos;
  private int depth;

  /** Starts on a new chunk: forgets the previous chunk's names and templates. */
  void reset(byte[] chunk, int length) {
    for (int i = 0; i < touchedCount; i++) {
      names[touched[i]] = null;
    }
    touchedCount = 0;
    templates.clear();
    this.b = chunk;
    this.chunkLen = length;
    this.depth = 0;
  }

  /** Number of template definitions cached for the current chunk. */
  int templateCount() {
    return templates.size();
  }

  /**
   * Decodes a record's BinXml in {@code [start, end)} and evaluates it into top-level elements and
   * processing instructions.
   */
  List<Object> record(int start, int end) {
    depth = 0;
    Node[] nodes = stream(start, end, false);
    List<Object> out = new ArrayList<>(1);
    evaluate(nodes, null, out);
    return out;
  }

  // ---- parsing ------------------------------------------------------------------------------

  /** Parses a token stream (fragments, elements, template instances, PIs) up to EOF or {@code end}. */
  private Node[] stream(int start, int end, boolean depId) {
    enter();
    int saved = pos;
    pos = start;
    List<Node> nodes = new ArrayList<>(2);
    while (pos < end) {
      int token = b[pos] & 0xFF;
      switch (token & 0xBF) {
        case EOF -> {
          depth--;
          pos = saved;
          return nodes.toArray(NO_NODES);
        }
        case FRAGMENT_HEADER -> {
          // Fragment header (4 bytes): token 0x0f, major version 1, minor version 1, flags 0
          need(4, end, "fragment header");
          pos += 4;
        }
        case OPEN_START_ELEMENT -> nodes.add(element(end, depId));
        case TEMPLATE_INSTANCE -> nodes.add(instance(end));
        case PI_TARGET -> nodes.add(pi(end));
        default -> {
          // Some record streams hold plain values or substitutions at the top level.
          Node n = contentNode(token, end, depId);
          if (n == null) {
            throw new DecodeException.UnexpectedValue(
                "BinXml stream", "token", token, "fragment, element, template instance or EOF");
          }
          nodes.add(n);
        }
      }
    }
    depth--;
    pos = saved;
    return nodes.toArray(NO_NODES);
  }

  private void enter() {
    if (++depth > MAX_DEPTH) {
      depth = 0;
      throw new DecodeException.InvalidField("BinXml nesting", "deeper than " + MAX_DEPTH + " levels");
    }
  }

  private void need(int n, int end, String field) {
    if ((long) pos + n > end || (long) pos + n > chunkLen) {
      throw new DecodeException.NotEnoughBytes(field, Math.max(0, Math.min(end, chunkLen) - pos), n);
    }
  }

  private int u8(int end, String field) {
    need(1, end, field);
    return b[pos++] & 0xFF;
  }

  private int u16(int end, String field) {
    need(2, end, field);
    int v = Values.u16(b, pos);
    pos += 2;
    return v;
  }

  private int u32asInt(int end, String field) {
    need(4, end, field);
    long v = Values.u32(b, pos);
    pos += 4;
    if (v > Integer.MAX_VALUE) {
      throw new DecodeException.InvalidField(field, v + " (expected: <= " + Integer.MAX_VALUE + ")");
    }
    return (int) v;
  }

  /** A name reference: u32 chunk offset; when it points here, the name itself follows inline. */
  private String nameRef(int end, String field) {
    int off = u32asInt(end, field);
    String name = name(off, field);
    if (off == pos) {
      // Name (8 + 2n + 2 bytes): next-in-chain (4), hash (2), char count (2), UTF-16LE, NUL
      int chars = Values.u16(b, off + 6);
      need(8 + 2 * chars + 2, end, field + " (inline name)");
      pos += 8 + 2 * chars + 2;
    }
    return name;
  }

  /** The name stored at chunk offset {@code off}; read once per chunk. */
  private String name(int off, String field) {
    if (off < 0 || off + 8L > chunkLen) {
      throw new DecodeException.InvalidField(
          field, off + " outside the chunk of " + chunkLen + " bytes");
    }
    String cached = names[off];
    if (cached != null) {
      return cached;
    }
    int chars = Values.u16(b, off + 6);
    if (off + 8 + 2L * chars > chunkLen) {
      throw new DecodeException.NotEnoughBytes(field + " (name characters)", chunkLen - off - 8, 2L * chars);
    }
    String s = Values.utf16(b, off + 8, chars);
    names[off] = s;
    touched[touchedCount++] = off;
    return s;
  }

  /** Element start, attributes, then content up to the end element token, or an empty element. */
  private Element element(int end, boolean depId) {
    enter();
    int token = u8(end, "element start token");
    if (depId) {
      u16(end, "dependency identifier"); // Dependency identifier (2 bytes), 0xffff = not set
    }
    u32asInt(end, "element data size"); // Data size (4 bytes)
    String name = nameRef(end, "element name offset");
    Attr[] attrs = NO_ATTRS;
    if ((token & 0x40) != 0) {
      u32asInt(end, "attribute list size"); // Attribute list data size (4 bytes)
      List<Attr> list = new ArrayList<>(4);
      while (pos < end && ((b[pos] & 0xBF) == ATTRIBUTE)) {
        pos++;
        String attrName = nameRef(end, "attribute name offset");
        list.add(new Attr(attrName, valueParts(end, depId)));
      }
      attrs = list.toArray(NO_ATTRS);
    }
    int close = u8(end, "close element token");
    if (close == CLOSE_EMPTY_ELEMENT) {
      depth--;
      return new Element(name, attrs, NO_NODES, true);
    }
    if (close != CLOSE_START_ELEMENT) {
      throw new DecodeException.UnexpectedValue(
          "element " + name, "token after attributes", close, "0x02 or 0x03");
    }
    List<Node> content = new ArrayList<>(2);
    while (true) {
      if (pos >= end) {
        need(1, end, "element content of " + name); // builds the message only when it fails
      }
      int t = b[pos] & 0xFF;
      if (t == END_ELEMENT) {
        pos++;
        break;
      }
      if ((t & 0xBF) == OPEN_START_ELEMENT) {
        content.add(element(end, depId));
      } else if (t == TEMPLATE_INSTANCE) {
        content.add(instance(end));
      } else if (t == PI_TARGET) {
        content.add(pi(end));
      } else {
        Node n = contentNode(t, end, depId);
        if (n == null) {
          throw new DecodeException.UnexpectedValue(
              "content of element " + name, "token", t, "element, value, substitution or end element");
        }
        content.add(n);
      }
    }
    depth--;
    return new Element(name, attrs, content.toArray(NO_NODES), false);
  }

  /** The value tokens of an attribute, up to the next attribute or the end of the start tag. */
  private Node[] valueParts(int end, boolean depId) {
    List<Node> parts = new ArrayList<>(1);
    while (pos < end) {
      int t = b[pos] & 0xFF;
      int low = t & 0xBF;
      if (low != VALUE && low != NORMAL_SUBSTITUTION && low != OPTIONAL_SUBSTITUTION
          && low != CHAR_REF && low != ENTITY_REF && low != CDATA) {
        break;
      }
      Node n = contentNode(t, end, depId);
      if (n != null) {
        parts.add(n);
      }
    }
    return parts.toArray(NO_NODES);
  }

  /** Value text, substitutions, character and entity references, CDATA; null for other tokens. */
  private Node contentNode(int token, int end, boolean depId) {
    switch (token & 0xBF) {
      case VALUE -> {
        pos++;
        int type = u8(end, "value type");
        if (type == Values.STRING) {
          int chars = u16(end, "value text length");
          need(2 * chars, end, "value text");
          String s = Values.utf16(b, pos, chars);
          pos += 2 * chars;
          return new Text(s);
        }
        // Template-less writers put typed values inline (plaso #4876): fixed-size types only.
        int size = Values.fixedSize(type);
        if (size < 0) {
          throw new DecodeException.UnexpectedValue("value text", "value type", type, "a string or fixed-size type");
        }
        need(size, end, "value text " + Values.typeName(type));
        String s = Values.format(type, b, pos, size);
        pos += size;
        return new Text(s);
      }
      case CDATA -> {
        pos++;
        int chars = u16(end, "CDATA length");
        need(2 * chars, end, "CDATA text");
        String s = Values.utf16(b, pos, chars);
        pos += 2 * chars;
        return new Raw("<![CDATA[" + s + "]]>");
      }
      case CHAR_REF -> {
        pos++;
        int ch = u16(end, "character reference");
        return new Raw("&#" + ch + ";");
      }
      case ENTITY_REF -> {
        pos++;
        String name = nameRef(end, "entity reference name offset");
        return new Raw("&" + name + ";");
      }
      case NORMAL_SUBSTITUTION, OPTIONAL_SUBSTITUTION -> {
        pos++;
        int index = u16(end, "substitution index");
        int type = u8(end, "substitution value type");
        return new Subst(index, type, (token & 0xBF) == OPTIONAL_SUBSTITUTION);
      }
      default -> {
        return null;
      }
    }
  }

  private Pi pi(int end) {
    pos++;
    String target = nameRef(end, "PI target name offset");
    String data = "";
    if (pos < end && b[pos] == PI_DATA) {
      pos++;
      int chars = u16(end, "PI data length");
      need(2 * chars, end, "PI data");
      data = Values.utf16(b, pos, chars);
      pos += 2 * chars;
    }
    return new Pi(target, data);
  }

  /** Template instance: the (inline or referenced) definition, then the substitution values. */
  private Instance instance(int end) {
    pos++; // Template instance token (1 byte), 0x0c
    u8(end, "template instance version"); // Unknown (1 byte), 0x01
    need(8, end, "template instance header");
    pos += 4; // Template identifier (4 bytes)
    int defOffset = u32asInt(end, "template definition offset"); // Definition data offset (4 bytes)
    Template template;
    if (defOffset == pos) {
      // The definition follows inline: parse it, then continue after it.
      template = template(defOffset);
      need(24, end, "template definition header");
      long dataSize = Values.u32(b, defOffset + 20);
      long after = (long) defOffset + 24 + dataSize;
      if (after > end) {
        throw new DecodeException.NotEnoughBytes("template definition", end - defOffset - 24, dataSize);
      }
      pos = (int) after;
    } else {
      template = template(defOffset);
    }
    // Template instance data: u32 count, count x (u16 size, u8 type, u8 0), then the values.
    int count = u32asInt(end, "template value count");
    if (count > (end - pos) / 4) {
      throw new DecodeException.InvalidField(
          "template value count", count + " (expected: <= " + (end - pos) / 4 + " for the bytes left)");
    }
    int[] types = new int[count];
    int[] offsets = new int[count];
    int[] sizes = new int[count];
    for (int i = 0; i < count; i++) {
      sizes[i] = Values.u16(b, pos);
      types[i] = b[pos + 2] & 0xFF;
      pos += 4;
    }
    for (int i = 0; i < count; i++) {
      if ((long) pos + sizes[i] > end) {
        need(sizes[i], end, "template value " + i);
      }
      offsets[i] = pos;
      pos += sizes[i];
    }
    return new Instance(template, types, offsets, sizes);
  }

  /**
   * The template definition at chunk offset {@code off}: next-template offset (4), GUID (16),
   * data size (4), then a fragment with one element and EOF. Cached by offset; a definition that
   * (directly or through nested instances) refers to itself is refused.
   */
  private Template template(int off) {
    Template cached = templates.get(off);
    if (cached == IN_PROGRESS) {
      throw new DecodeException.InvalidField("template definition offset", off + " refers to itself");
    }
    if (cached != null) {
      return cached;
    }
    if (off < 0 || off + 24L > chunkLen) {
      throw new DecodeException.InvalidField(
          "template definition offset", off + " outside the chunk of " + chunkLen + " bytes");
    }
    long dataSize = Values.u32(b, off + 20);
    if (off + 24L + dataSize > chunkLen) {
      throw new DecodeException.NotEnoughBytes("template definition data", chunkLen - off - 24, dataSize);
    }
    templates.put(off, IN_PROGRESS);
    try {
      Node[] nodes = stream(off + 24, off + 24 + (int) dataSize, true);
      Template t = new Template(off, nodes);
      templates.put(off, t);
      return t;
    } catch (RuntimeException e) {
      templates.remove(off);
      throw e;
    }
  }

  // ---- evaluation ---------------------------------------------------------------------------

  private void evaluate(Node[] nodes, Instance values, List<Object> out) {
    for (Node n : nodes) {
      switch (n) {
        case Element e -> element(e, values, out);
        case Instance i -> {
          enterEval();
          evaluate(i.template().nodes(), i, out);
          depth--;
        }
        case Pi p -> out.add(new XmlElement.Pi(p.target(), p.data()));
        case Text t -> out.add(t.text());
        case Raw r -> out.add(new XmlElement.Raw(r.xml()));
        case Subst s -> substitute(s, values, out, -1);
      }
    }
  }

  private void enterEval() {
    if (++depth > MAX_DEPTH) {
      depth = 0;
      throw new DecodeException.InvalidField("BinXml nesting", "deeper than " + MAX_DEPTH + " levels");
    }
  }

  private void element(Element e, Instance values, List<Object> out) {
    // An array value substituted into an element's content repeats the element once per item.
    int arrayIndex = -1;
    if (values != null) {
      for (Node c : e.content()) {
        if (c instanceof Subst s && s.index() < values.types().length
            && (values.types()[s.index()] & Values.ARRAY) != 0) {
          arrayIndex = s.index();
          break;
        }
      }
    }
    if (arrayIndex < 0) {
      if (onlyNullOptional(e, values)) {
        return; // [MS-EVEN6]: an optional substitution of a NULL value leaves the element out
      }
      out.add(build(e, values, -1));
      return;
    }
    int items = Math.max(1, arrayItems(values, arrayIndex).size());
    for (int i = 0; i < items; i++) {
      out.add(build(e, values, i));
    }
  }

  /** True when the element's whole content is optional substitutions whose values are NULL. */
  private static boolean onlyNullOptional(Element e, Instance values) {
    Node[] content = e.content();
    if (content.length == 0) {
      return false;
    }
    for (Node c : content) {
      if (!(c instanceof Subst s) || !s.optional() || !isNull(s, values)) {
        return false;
      }
    }
    return true;
  }

  private XmlElement build(Element e, Instance values, int item) {
    XmlElement x = new XmlElement(e.name());
    for (Attr a : e.attrs()) {
      Node[] parts = a.value();
      if (parts.length == 1 && parts[0] instanceof Subst s && isNull(s, values)) {
        if (s.optional()) {
          continue; // optional substitution of a NULL value: the attribute is left out
        }
        x.addAttribute(a.name(), "");
        continue;
      }
      if (parts.length == 1 && parts[0] instanceof Text t) {
        x.addAttribute(a.name(), t.text());
        continue;
      }
      List<Object> tmp = new ArrayList<>(parts.length);
      enterEval();
      for (Node p : parts) {
        switch (p) {
          case Text t -> tmp.add(t.text());
          case Raw r -> tmp.add(Xml.unescapeEntity(r.xml()));
          case Subst s -> substitute(s, values, tmp, item);
          default -> {}
        }
      }
      depth--;
      StringBuilder sb = new StringBuilder();
      for (Object o : tmp) {
        if (o instanceof String s) {
          sb.append(s);
        } else if (o instanceof XmlElement el) {
          sb.append(el.text());
        }
      }
      x.addAttribute(a.name(), sb.toString());
    }
    if (e.content().length > 0) {
      enterEval();
      List<Object> kids = new ArrayList<>(e.content().length);
      for (Node c : e.content()) {
        switch (c) {
          case Subst s -> substitute(s, values, kids, item);
          case Element child -> element(child, values, kids);
          case Instance i -> {
            enterEval();
            evaluate(i.template().nodes(), i, kids);
            depth--;
          }
          case Text t -> kids.add(t.text());
          case Raw r -> kids.add(new XmlElement.Raw(r.xml()));
          case Pi p -> kids.add(new XmlElement.Pi(p.target(), p.data()));
        }
      }
      depth--;
      x.setChildren(kids);
    }
    return x;
  }

  private static boolean isNull(Subst s, Instance values) {
    return values == null || s.index() >= values.types().length || values.types()[s.index()] == Values.NULL;
  }

  /** Adds the value of substitution {@code s} to {@code out}; item >= 0 picks one array item. */
  private void substitute(Subst s, Instance values, List<Object> out, int item) {
    if (isNull(s, values)) {
      return;
    }
    int i = s.index();
    int type = values.types()[i];
    int off = values.offsets()[i];
    int size = values.sizes()[i];
    if (type == Values.BINXML) {
      if (size == 0) {
        return;
      }
      int savedDepth = depth;
      Node[] nested = stream(off, off + size, false);
      evaluate(nested, null, out);
      depth = savedDepth;
      return;
    }
    if ((type & Values.ARRAY) != 0) {
      List<String> items = arrayItems(values, i);
      if (item >= 0) {
        if (item < items.size()) {
          out.add(items.get(item));
        }
      } else {
        out.add(String.join(", ", items));
      }
      return;
    }
    // Size_t takes its width from the value; the declared type may be a hex int.
    out.add(Values.format(type, b, off, size));
  }

  /** The items of an array value: NUL-separated strings, or fixed-size elements. */
  private List<String> arrayItems(Instance values, int i) {
    int type = values.types()[i] & 0x7F;
    int off = values.offsets()[i];
    int size = values.sizes()[i];
    List<String> items = new ArrayList<>();
    if (type == Values.STRING) {
      int start = off;
      int chars = size / 2;
      for (int c = 0; c < chars; c++) {
        int p = off + 2 * c;
        if (b[p] == 0 && b[p + 1] == 0) {
          items.add(Values.utf16(b, start, (p - start) / 2));
          start = p + 2;
        }
      }
      if (start < off + chars * 2) {
        items.add(Values.utf16(b, start, (off + chars * 2 - start) / 2));
      }
      return items;
    }
    if (type == Values.ANSI_STRING) {
      int start = off;
      for (int p = off; p < off + size; p++) {
        if (b[p] == 0) {
          items.add(Values.format(Values.ANSI_STRING, b, start, p - start));
          start = p + 1;
        }
      }
      if (start < off + size) {
        items.add(Values.format(Values.ANSI_STRING, b, start, off + size - start));
      }
      return items;
    }
    if (type == Values.SID) {
      // SIDs back to back, each as long as its sub-authority count says; a cut-off last one is an
      // error (Values.sid names the numbers), not a shorter array.
      for (int p = off; p < off + size; ) {
        int len = off + size - p < 2 ? 8 : 8 + 4 * (b[p + 1] & 0xFF);
        items.add(Values.sid(b, p, Math.min(len, off + size - p)));
        p += len;
      }
      return items;
    }
    int width = Values.fixedSize(type);
    if (type == Values.SIZE_T) {
      // The item width is the writer's pointer size, which the value does not say: 8 when the size
      // allows it (Windows is 64-bit almost everywhere), else 4.
      width = size % 8 == 0 ? 8 : 4;
    }
    if (width <= 0) {
      throw new DecodeException.UnexpectedValue("substitution", "array value type", type | Values.ARRAY, "an array of a fixed-size or string type");
    }
    if (size % width != 0) {
      throw new DecodeException.InvalidField(
          Values.typeName(type | Values.ARRAY) + " value size", size + " (expected: a multiple of " + width + ")");
    }
    for (int p = off; p < off + size; p += width) {
      items.add(Values.format(type, b, p, width));
    }
    return items;
  }
}
