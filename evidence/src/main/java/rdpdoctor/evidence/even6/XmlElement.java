package rdpdoctor.evidence.even6;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One element of a rendered event: the result of evaluating BinXml (templates filled with their
 * substitution values) into the tree Event Viewer shows.
 *
 * <p>Children are {@link XmlElement}s, {@link String}s (text, not yet escaped), {@link Raw} (text
 * that already is XML, from an entity reference) or {@link Pi}s. Text is escaped exactly once, when
 * the tree is written as XML. The reader builds the tree; it is not changed afterwards.
 */
public final class XmlElement {
  private final String name;
  private @Nullable List<String> attributes; // name, value, name, value ...
  private @Nullable List<Object> children;

  XmlElement(String name) {
    this.name = name;
  }

  /** Text that is already XML (an entity reference such as {@code &nbsp;}): written unescaped. */
  public record Raw(String xml) {}

  /** [MS-EVEN6] processing instruction: PI target and PI data. */
  public record Pi(String target, String data) {}

  public String name() {
    return name;
  }

  void addAttribute(String attrName, String value) {
    if (attributes == null) {
      attributes = new ArrayList<>(4);
    }
    attributes.add(attrName);
    attributes.add(value);
  }

  void setChildren(List<Object> kids) {
    children = kids.isEmpty() ? null : kids;
  }

  void addChild(Object child) {
    if (children == null) {
      children = new ArrayList<>(4);
    }
    children.add(child);
  }

  /** The value of attribute {@code attrName}, or null. */
  public @Nullable String attribute(String attrName) {
    if (attributes == null) {
      return null;
    }
    for (int i = 0; i < attributes.size(); i += 2) {
      if (attributes.get(i).equals(attrName)) {
        return attributes.get(i + 1);
      }
    }
    return null;
  }

  /** Number of attributes. */
  public int attributeCount() {
    return attributes == null ? 0 : attributes.size() / 2;
  }

  public String attributeName(int i) {
    return attributes().get(2 * i);
  }

  public String attributeValue(int i) {
    return attributes().get(2 * i + 1);
  }

  private List<String> attributes() {
    return attributes == null ? List.of() : attributes;
  }

  /** Children in document order (elements, text, raw XML, processing instructions). */
  public List<Object> children() {
    return children == null ? List.of() : Collections.unmodifiableList(children);
  }

  /** The children without a read-only wrapper, for the writers in this package. */
  List<Object> rawChildren() {
    return children == null ? List.of() : children;
  }

  /** The first child element called {@code childName}, or null. */
  public @Nullable XmlElement child(String childName) {
    if (children != null) {
      for (Object c : children) {
        if (c instanceof XmlElement e && e.name.equals(childName)) {
          return e;
        }
      }
    }
    return null;
  }

  /** Child elements only. */
  public List<XmlElement> elements() {
    List<XmlElement> out = new ArrayList<>();
    if (children != null) {
      for (Object c : children) {
        if (c instanceof XmlElement e) {
          out.add(e);
        }
      }
    }
    return out;
  }

  /** The concatenated text content of this element and its descendants, unescaped. */
  public String text() {
    if (children == null) {
      return "";
    }
    if (children.size() == 1 && children.get(0) instanceof String s) {
      return s;
    }
    StringBuilder sb = new StringBuilder();
    appendText(sb);
    return sb.toString();
  }

  private void appendText(StringBuilder sb) {
    if (children == null) {
      return;
    }
    for (Object c : children) {
      switch (c) {
        case String s -> sb.append(s);
        case Raw r -> sb.append(Xml.unescapeEntity(r.xml()));
        case XmlElement e -> e.appendText(sb);
        default -> {}
      }
    }
  }

  boolean hasElementChildren() {
    if (children != null) {
      for (Object c : children) {
        if (c instanceof XmlElement || c instanceof Pi) {
          return true;
        }
      }
    }
    return false;
  }

  boolean isEmpty() {
    if (children == null) {
      return true;
    }
    for (Object c : children) {
      if (!(c instanceof String s) || !lineBreaksOnly(s)) {
        return false;
      }
    }
    return true;
  }

  /**
   * libevtx notes that Event Viewer shows content made only of line breaks as empty (seen in
   * Application logs: {@code <Data Name="ExtraInfo"/>} for a value of "\n").
   */
  private static boolean lineBreaksOnly(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\n' && c != '\r') {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    Xml.write(this, sb, 0);
    return sb.toString();
  }
}
