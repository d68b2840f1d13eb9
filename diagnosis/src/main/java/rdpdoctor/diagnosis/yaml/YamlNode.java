package rdpdoctor.diagnosis.yaml;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A YAML document as a tree that remembers the line and column of every node, so that a problem in
 * a rule or fix file can be reported as "file.yaml:12: unknown operator 'equals'". Jackson's own
 * tree ({@code JsonNode}) drops locations, which is why this small tree exists.
 *
 * <p>Scalars are kept as the YAML parser typed them: {@link String}, {@link Long}, {@link Double},
 * {@link Boolean}, or null.
 *
 * @param kind what the node is
 * @param scalar the value of a scalar node (null for a null scalar, a map or a list)
 * @param map the entries of a map node, in file order
 * @param list the items of a list node
 * @param line 1-based line where the node starts
 * @param column 1-based column where the node starts
 */
public record YamlNode(
    Kind kind,
    @Nullable Object scalar,
    Map<String, YamlNode> map,
    List<YamlNode> list,
    int line,
    int column) {

  /** The three shapes a node can have; a null scalar is a SCALAR with a null value. */
  public enum Kind {
    SCALAR,
    MAP,
    LIST
  }

  /** Thrown for text that is not well-formed YAML, or YAML shapes this tree refuses. */
  public static final class YamlException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int line;

    public YamlException(int line, String message) {
      super(message);
      this.line = line;
    }

    public int line() {
      return line;
    }
  }

  private static final YAMLMapper MAPPER = new YAMLMapper();

  /** A document nested deeper than this is refused: no rule needs it and it bounds the recursion. */
  private static final int MAX_DEPTH = 64;

  /** Reads one YAML document. */
  public static YamlNode parse(InputStream in) throws YamlException, IOException {
    try (JsonParser p = MAPPER.createParser(in)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new YamlException(1, "the file is empty");
      }
      YamlNode root = read(p, t, 0);
      return root;
    } catch (JacksonException e) {
      TokenStreamLocation loc = e.getLocation();
      int line = loc == null ? 0 : loc.getLineNr();
      throw new YamlException(line, "not valid YAML: " + e.getOriginalMessage());
    }
  }

  /** Reads one YAML document from text (tests and examples). */
  public static YamlNode parse(String text) throws YamlException {
    try {
      return parse(new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static YamlNode read(JsonParser p, JsonToken t, int depth) throws YamlException {
    TokenStreamLocation loc = p.currentTokenLocation();
    int line = loc.getLineNr();
    int col = loc.getColumnNr();
    if (depth > MAX_DEPTH) {
      throw new YamlException(line, "nesting deeper than " + MAX_DEPTH + " levels");
    }
    switch (t) {
      case START_OBJECT -> {
        Map<String, YamlNode> m = new LinkedHashMap<>();
        for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
          String name = p.currentName();
          int keyLine = p.currentTokenLocation().getLineNr();
          JsonToken v = p.nextToken();
          YamlNode value = read(p, v, depth + 1);
          if (m.containsKey(name)) {
            throw new YamlException(keyLine, "key '" + name + "' appears twice");
          }
          m.put(name, value);
        }
        return new YamlNode(Kind.MAP, null, Collections.unmodifiableMap(m), List.of(), line, col);
      }
      case START_ARRAY -> {
        List<YamlNode> l = new ArrayList<>();
        for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
          l.add(read(p, v, depth + 1));
        }
        return new YamlNode(Kind.LIST, null, Map.of(), List.copyOf(l), line, col);
      }
      case VALUE_STRING -> {
        return scalar(p.getString(), line, col);
      }
      case VALUE_NUMBER_INT -> {
        try {
          return scalar(p.getLongValue(), line, col);
        } catch (JacksonException e) {
          throw new YamlException(line, "integer out of range: " + p.getString());
        }
      }
      case VALUE_NUMBER_FLOAT -> {
        return scalar(p.getDoubleValue(), line, col);
      }
      case VALUE_TRUE -> {
        return scalar(Boolean.TRUE, line, col);
      }
      case VALUE_FALSE -> {
        return scalar(Boolean.FALSE, line, col);
      }
      case VALUE_NULL -> {
        return scalar(null, line, col);
      }
      default -> throw new YamlException(line, "unexpected YAML token " + t);
    }
  }

  private static YamlNode scalar(@Nullable Object v, int line, int col) {
    return new YamlNode(Kind.SCALAR, v, Map.of(), List.of(), line, col);
  }

  public boolean isMap() {
    return kind == Kind.MAP;
  }

  public boolean isList() {
    return kind == Kind.LIST;
  }

  public boolean isScalar() {
    return kind == Kind.SCALAR;
  }

  /** A child of a map node, or null when absent (or when this is not a map). */
  public @Nullable YamlNode get(String key) {
    return map.get(key);
  }

  /** What a reader calls this node's shape in an error message. */
  public String describe() {
    return switch (kind) {
      case MAP -> "a map";
      case LIST -> "a list";
      case SCALAR -> scalar == null ? "null" : "'" + scalar + "'";
    };
  }
}
