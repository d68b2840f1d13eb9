package rdpdoctor.evidence.even6;

import java.util.List;

/**
 * Writes rendered events as XML in the layout {@code evtxexport -f xml} and Event Viewer use:
 * two-space indentation, an element with only text on one line, empty elements as {@code <x/>}.
 *
 * <p>EventXML is not XML 1.0 (libevtx issue #30): values may hold {@code & < >}. They are escaped
 * here and only here, so a value is escaped exactly once: {@code & < >} in text, and additionally
 * {@code "} in attribute values, which are written in double quotes.
 */
public final class Xml {
  private Xml() {}

  /** Appends the record's content: each top-level element or PI followed by a newline. */
  public static void write(List<Object> roots, StringBuilder sb) {
    for (Object o : roots) {
      switch (o) {
        case XmlElement e -> write(e, sb, 0);
        case XmlElement.Pi p -> writePi(p, sb, 0);
        case String s -> escapeText(s, sb);
        case XmlElement.Raw r -> sb.append(r.xml());
        default -> {}
      }
    }
  }

  static void write(XmlElement e, StringBuilder sb, int depth) {
    indent(sb, depth);
    sb.append('<').append(e.name());
    int n = e.attributeCount();
    for (int i = 0; i < n; i++) {
      sb.append(' ').append(e.attributeName(i)).append("=\"");
      escapeAttribute(e.attributeValue(i), sb);
      sb.append('"');
    }
    if (e.isEmpty()) {
      sb.append("/>\n");
      return;
    }
    sb.append('>');
    if (e.hasElementChildren()) {
      sb.append('\n');
      for (Object c : e.rawChildren()) {
        switch (c) {
          case XmlElement child -> write(child, sb, depth + 1);
          case XmlElement.Pi p -> writePi(p, sb, depth + 1);
          case String s -> {
            if (!s.isEmpty()) {
              indent(sb, depth + 1);
              escapeText(s, sb);
              sb.append('\n');
            }
          }
          case XmlElement.Raw r -> {
            indent(sb, depth + 1);
            sb.append(r.xml()).append('\n');
          }
          default -> {}
        }
      }
      indent(sb, depth);
    } else {
      for (Object c : e.rawChildren()) {
        if (c instanceof String s) {
          escapeText(s, sb);
        } else if (c instanceof XmlElement.Raw r) {
          sb.append(r.xml());
        }
      }
    }
    sb.append("</").append(e.name()).append(">\n");
  }

  private static void writePi(XmlElement.Pi p, StringBuilder sb, int depth) {
    indent(sb, depth);
    sb.append("<?").append(p.target());
    if (!p.data().isEmpty()) {
      sb.append(' ').append(p.data());
    }
    sb.append("?>\n");
  }

  private static final String SPACES = " ".repeat(128);

  private static void indent(StringBuilder sb, int depth) {
    int n = depth * 2;
    while (n > SPACES.length()) {
      sb.append(SPACES);
      n -= SPACES.length();
    }
    sb.append(SPACES, 0, n);
  }

  /** Index of the first character that needs escaping, or -1 (the common case: append as is). */
  private static int firstSpecial(String s, boolean quote) {
    // String.indexOf is vectorised by the JIT; three or four scans beat one charAt loop.
    int first = s.indexOf('&');
    int lt = s.indexOf('<');
    if (lt >= 0 && (first < 0 || lt < first)) {
      first = lt;
    }
    int gt = s.indexOf('>');
    if (gt >= 0 && (first < 0 || gt < first)) {
      first = gt;
    }
    if (quote) {
      int q = s.indexOf('"');
      if (q >= 0 && (first < 0 || q < first)) {
        first = q;
      }
    }
    return first;
  }

  /** Escapes {@code & < >} (Event Viewer leaves quotes alone in element text). */
  public static void escapeText(String s, StringBuilder sb) {
    escape(s, sb, false);
  }

  /** Escapes {@code & < > "} for a double-quoted attribute value. */
  public static void escapeAttribute(String s, StringBuilder sb) {
    escape(s, sb, true);
  }

  private static void escape(String s, StringBuilder sb, boolean quote) {
    int first = firstSpecial(s, quote);
    if (first < 0) {
      sb.append(s);
      return;
    }
    int n = s.length();
    int from = 0;
    for (int i = first; i < n; i++) {
      char c = s.charAt(i);
      String rep;
      if (c == '&') {
        rep = "&amp;";
      } else if (c == '<') {
        rep = "&lt;";
      } else if (c == '>') {
        rep = "&gt;";
      } else if (quote && c == '"') {
        rep = "&quot;";
      } else {
        continue;
      }
      sb.append(s, from, i).append(rep);
      from = i + 1;
    }
    sb.append(s, from, n);
  }

  /** The character an XML entity such as {@code &amp;} stands for, or the entity itself. */
  static String unescapeEntity(String xml) {
    return switch (xml) {
      case "&amp;" -> "&";
      case "&lt;" -> "<";
      case "&gt;" -> ">";
      case "&quot;" -> "\"";
      case "&apos;" -> "'";
      default -> xml;
    };
  }
}
