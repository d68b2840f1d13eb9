package rdpdoctor.app.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Checks a JSON document against the subset of JSON Schema (2020-12) that the project's schema
 * files use: type (one or a list), const, enum, properties, required, additionalProperties: false,
 * items, minItems, minimum, maximum, minLength, pattern. Any other keyword fails, so a schema
 * cannot silently use something this validator ignores.
 */
public final class SchemaValidator {
  private static final Set<String> KNOWN =
      Set.of(
          "$schema", "title", "description", "type", "const", "enum", "properties", "required",
          "additionalProperties", "items", "minItems", "minimum", "maximum", "minLength", "pattern");

  private SchemaValidator() {}

  /** Every violation, as "path: problem"; empty when the document is valid. */
  public static List<String> validate(JsonNode schema, JsonNode doc) {
    List<String> errors = new ArrayList<>();
    check(schema, doc, "$", errors);
    return errors;
  }

  private static void check(JsonNode schema, JsonNode doc, String path, List<String> errors) {
    for (String k : schema.propertyNames()) {
      if (!KNOWN.contains(k)) {
        errors.add(path + ": schema keyword " + k + " is not supported by this validator");
      }
    }
    if (schema.has("type") && !typeMatches(schema.get("type"), doc)) {
      errors.add(path + ": type is " + doc.getNodeType() + " (expected: " + schema.get("type") + ")");
      return;
    }
    if (schema.has("const") && !schema.get("const").equals(doc)) {
      errors.add(path + ": value is " + doc + " (expected: " + schema.get("const") + ")");
    }
    if (schema.has("enum")) {
      boolean found = false;
      for (JsonNode v : schema.get("enum")) {
        found |= v.equals(doc);
      }
      if (!found) {
        errors.add(path + ": value " + doc + " is not one of " + schema.get("enum"));
      }
    }
    if (doc.isString()) {
      if (schema.has("minLength") && doc.asString().length() < schema.get("minLength").asInt()) {
        errors.add(path + ": string shorter than " + schema.get("minLength"));
      }
      if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asString()).matcher(doc.asString()).find()) {
        errors.add(path + ": " + doc + " does not match " + schema.get("pattern"));
      }
    }
    if (doc.isNumber()) {
      if (schema.has("minimum") && doc.asDouble() < schema.get("minimum").asDouble()) {
        errors.add(path + ": " + doc + " is below " + schema.get("minimum"));
      }
      if (schema.has("maximum") && doc.asDouble() > schema.get("maximum").asDouble()) {
        errors.add(path + ": " + doc + " is above " + schema.get("maximum"));
      }
    }
    if (doc.isObject()) {
      JsonNode props = schema.get("properties");
      if (schema.has("required")) {
        for (JsonNode r : schema.get("required")) {
          if (!doc.has(r.asString())) {
            errors.add(path + ": missing property " + r.asString());
          }
        }
      }
      for (Map.Entry<String, JsonNode> e : doc.properties()) {
        JsonNode sub = props == null ? null : props.get(e.getKey());
        if (sub != null) {
          check(sub, e.getValue(), path + "." + e.getKey(), errors);
        } else if (schema.has("additionalProperties") && !schema.get("additionalProperties").asBoolean()) {
          errors.add(path + ": property " + e.getKey() + " is not in the schema");
        }
      }
    }
    if (doc.isArray()) {
      if (schema.has("minItems") && doc.size() < schema.get("minItems").asInt()) {
        errors.add(path + ": " + doc.size() + " items (expected: at least " + schema.get("minItems") + ")");
      }
      if (schema.has("items")) {
        for (int i = 0; i < doc.size(); i++) {
          check(schema.get("items"), doc.get(i), path + "[" + i + "]", errors);
        }
      }
    }
  }

  private static boolean typeMatches(JsonNode type, JsonNode doc) {
    if (type.isArray()) {
      for (JsonNode t : type) {
        if (typeMatches(t, doc)) {
          return true;
        }
      }
      return false;
    }
    return switch (type.asString()) {
      case "object" -> doc.isObject();
      case "array" -> doc.isArray();
      case "string" -> doc.isString();
      case "integer" -> doc.isIntegralNumber();
      case "number" -> doc.isNumber();
      case "boolean" -> doc.isBoolean();
      case "null" -> doc.isNull();
      default -> false;
    };
  }
}
