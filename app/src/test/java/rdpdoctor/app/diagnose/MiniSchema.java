package rdpdoctor.app.diagnose;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The part of JSON Schema the report schema uses (type, const, enum, required, properties,
 * additionalProperties: false, items), enough to check that output and schema agree. Returns
 * every violation with its JSON path.
 */
final class MiniSchema {
  private MiniSchema() {}

  static List<String> validate(JsonNode schema, JsonNode value) {
    List<String> out = new ArrayList<>();
    check(schema, value, "$", out);
    return out;
  }

  private static void check(JsonNode s, JsonNode v, String path, List<String> out) {
    if (s.has("const") && !s.get("const").equals(v)) {
      out.add(path + ": expected " + s.get("const") + ", got " + v);
    }
    if (s.has("enum")) {
      boolean any = false;
      for (JsonNode e : s.get("enum")) {
        any |= e.equals(v);
      }
      if (!any) {
        out.add(path + ": " + v + " not in " + s.get("enum"));
      }
    }
    if (s.has("type")) {
      List<String> types = new ArrayList<>();
      if (s.get("type").isArray()) {
        s.get("type").forEach(t -> types.add(t.asString()));
      } else {
        types.add(s.get("type").asString());
      }
      if (types.stream().noneMatch(t -> is(t, v))) {
        out.add(path + ": expected " + types + ", got " + v.getNodeType());
        return;
      }
    }
    if (v.isObject()) {
      if (s.has("required")) {
        for (JsonNode r : s.get("required")) {
          if (!v.has(r.asString())) {
            out.add(path + ": missing required '" + r.asString() + "'");
          }
        }
      }
      JsonNode props = s.get("properties");
      boolean closed = s.has("additionalProperties") && !s.get("additionalProperties").asBoolean(true);
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        if (props != null && props.has(e.getKey())) {
          check(props.get(e.getKey()), e.getValue(), path + "." + e.getKey(), out);
        } else if (closed) {
          out.add(path + ": unexpected member '" + e.getKey() + "'");
        }
      }
    }
    if (v.isArray() && s.has("items")) {
      int i = 0;
      for (Iterator<JsonNode> it = v.iterator(); it.hasNext(); i++) {
        check(s.get("items"), it.next(), path + "[" + i + "]", out);
      }
    }
  }

  private static boolean is(String type, JsonNode v) {
    return switch (type) {
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      case "string" -> v.isString();
      case "integer" -> v.isIntegralNumber();
      case "number" -> v.isNumber();
      case "boolean" -> v.isBoolean();
      case "null" -> v.isNull();
      default -> false;
    };
  }
}
