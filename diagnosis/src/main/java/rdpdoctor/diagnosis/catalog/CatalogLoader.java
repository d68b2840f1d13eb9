package rdpdoctor.diagnosis.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Phase;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads the catalog's YAML files into records, strictly: an unknown key, a missing field, a value
 * that is not a number or a phase that does not exist fails with the file and entry named, so a
 * typo in a hand-edited file cannot silently drop information.
 */
final class CatalogLoader {
  static final String ROOT = "/rdpdoctor/catalog/";

  private static final Set<String> FAMILY_KEYS =
      Set.of(
          "family", "title", "signedForm", "sharesValuesWith", "whereSeen", "sources",
          "defaultSources", "causeSets", "entries");
  private static final Set<String> ENTRY_KEYS =
      Set.of(
          "value", "to", "name", "meaning", "phase", "whereSeen", "causes", "causeSet", "sources",
          "disputed", "related", "note");
  private static final Set<String> CAUSE_KEYS = Set.of("title", "why", "confidence", "checks", "fixes");
  private static final Set<String> DISPUTE_KEYS = Set.of("claim", "source", "trusted", "why");
  private static final Set<String> LOG_KEYS = Set.of("channel", "provider", "sources", "events");
  private static final Set<String> EVENT_KEYS = Set.of("id", "meaning", "phase", "fields", "sources");
  private static final Set<String> FIELD_KEYS = Set.of("name", "decodes", "note");
  private static final Set<String> MESSAGE_KEYS =
      Set.of("id", "title", "patterns", "meaning", "phase", "codes", "causes", "sources", "note");
  private static final Set<String> COMBINATION_KEYS =
      Set.of("disc", "ext", "title", "reading", "phase", "causes", "disputed", "sources");

  /** Built on first parse only: Jackson's start-up must not be paid by readers of the index. */
  private static final class Yaml {
    static final YAMLMapper MAPPER = YAMLMapper.builder().build();
  }

  private CatalogLoader() {}

  static CodeFamily family(String id) {
    String file = "codes/" + id + ".yaml";
    JsonNode root = read(file);
    Ctx ctx = new Ctx(file);
    ctx.keys(root, FAMILY_KEYS, "file");
    String declared = ctx.text(root, "family", "file");
    if (!declared.equals(id)) {
      throw ctx.fail("file", "family is " + declared + " (expected: " + id + ")");
    }
    Map<String, Citation> sources = citations(ctx, root);
    List<Citation> defaults = refs(ctx, root.get("defaultSources"), sources, "file defaultSources");
    List<String> familyWhere = strings(ctx, root.get("whereSeen"), "file whereSeen");
    Map<String, List<Cause>> causeSets = new LinkedHashMap<>();
    JsonNode sets = root.get("causeSets");
    if (sets != null) {
      for (Map.Entry<String, JsonNode> set : sets.properties()) {
        causeSets.put(set.getKey(), causes(ctx, set.getValue(), "cause set " + set.getKey()));
      }
    }
    JsonNode entries = root.get("entries");
    if (entries == null || !entries.isArray()) {
      throw ctx.fail("file", "missing list entries");
    }
    List<CodeEntry> out = new ArrayList<>();
    int index = 0;
    for (JsonNode e : entries) {
      index++;
      String where = "entry " + index + (e.has("name") ? " (" + e.get("name").asString() + ")" : "");
      ctx.keys(e, ENTRY_KEYS, where);
      long value = ctx.number(e, "value", where);
      long to = e.has("to") ? ctx.number(e, "to", where) : value;
      if (to < value) {
        throw ctx.fail(where, "range end " + to + " is below its start " + value);
      }
      List<Cause> causes = new ArrayList<>(causes(ctx, e.get("causes"), where));
      if (e.has("causeSet")) {
        String set = ctx.text(e, "causeSet", where);
        List<Cause> shared = causeSets.get(set);
        if (shared == null) {
          throw ctx.fail(where, "unknown cause set " + set + " (expected one of: " + causeSets.keySet() + ")");
        }
        causes.addAll(shared);
      }
      List<Citation> cites = new ArrayList<>(defaults);
      for (Citation c : refs(ctx, e.get("sources"), sources, where)) {
        if (!cites.contains(c)) {
          cites.add(c);
        }
      }
      List<String> whereSeen = e.has("whereSeen") ? strings(ctx, e.get("whereSeen"), where) : familyWhere;
      out.add(
          new CodeEntry(
              id,
              value,
              to,
              ctx.text(e, "name", where),
              ctx.text(e, "meaning", where),
              ctx.phase(e, where),
              whereSeen,
              causes,
              cites,
              disputes(ctx, e.get("disputed"), sources, where),
              strings(ctx, e.get("related"), where),
              e.has("note") ? ctx.text(e, "note", where) : null));
    }
    return new CodeFamily(
        id,
        ctx.text(root, "title", "file"),
        root.has("signedForm") && root.get("signedForm").asBoolean(),
        root.has("sharesValuesWith") ? ctx.text(root, "sharesValuesWith", "file") : "",
        out);
  }

  static EventCatalog events() {
    String file = "events.yaml";
    JsonNode root = read(file);
    Ctx ctx = new Ctx(file);
    ctx.keys(root, Set.of("sources", "logs"), "file");
    Map<String, Citation> sources = citations(ctx, root);
    List<EventEntry> out = new ArrayList<>();
    for (JsonNode log : root.get("logs")) {
      String channel = ctx.text(log, "channel", "log");
      ctx.keys(log, LOG_KEYS, channel);
      String provider = ctx.text(log, "provider", channel);
      List<Citation> logSources = refs(ctx, log.get("sources"), sources, channel);
      for (JsonNode ev : log.get("events")) {
        String where = channel + " event " + ev.path("id").asString();
        ctx.keys(ev, EVENT_KEYS, where);
        List<EventField> fields = new ArrayList<>();
        JsonNode fs = ev.get("fields");
        if (fs != null) {
          for (JsonNode f : fs) {
            ctx.keys(f, FIELD_KEYS, where);
            fields.add(
                new EventField(
                    ctx.text(f, "name", where),
                    f.has("decodes") ? ctx.text(f, "decodes", where) : null,
                    ctx.text(f, "note", where)));
          }
        }
        List<Citation> cites = new ArrayList<>(logSources);
        cites.addAll(refs(ctx, ev.get("sources"), sources, where));
        out.add(
            new EventEntry(
                channel,
                provider,
                (int) ctx.number(ev, "id", where),
                ctx.text(ev, "meaning", where),
                ctx.phase(ev, where),
                fields,
                cites));
      }
    }
    return new EventCatalog(out);
  }

  static List<Combination> combinations() {
    String file = "combinations.yaml";
    JsonNode root = read(file);
    Ctx ctx = new Ctx(file);
    ctx.keys(root, Set.of("sources", "combinations"), "file");
    Map<String, Citation> sources = citations(ctx, root);
    List<Combination> out = new ArrayList<>();
    int index = 0;
    for (JsonNode c : root.get("combinations")) {
      index++;
      String where = "combination " + index;
      ctx.keys(c, COMBINATION_KEYS, where);
      long[] disc = ctx.range(c, "disc", where);
      long[] ext = ctx.range(c, "ext", where);
      out.add(
          new Combination(
              disc[0],
              disc[1],
              ext[0],
              ext[1],
              ctx.text(c, "title", where),
              ctx.text(c, "reading", where),
              ctx.phase(c, where),
              causes(ctx, c.get("causes"), where),
              disputes(ctx, c.get("disputed"), sources, where),
              refs(ctx, c.get("sources"), sources, where)));
    }
    return out;
  }

  static MessageCatalog messages() {
    String file = "messages.yaml";
    JsonNode root = read(file);
    Ctx ctx = new Ctx(file);
    ctx.keys(root, Set.of("sources", "messages"), "file");
    Map<String, Citation> sources = citations(ctx, root);
    JsonNode list = root.get("messages");
    if (list == null || !list.isArray()) {
      throw ctx.fail("file", "missing list messages");
    }
    List<MessageEntry> out = new ArrayList<>();
    Set<String> ids = new java.util.HashSet<>();
    int index = 0;
    for (JsonNode m : list) {
      index++;
      String where = "message " + index + (m.has("id") ? " (" + m.get("id").asString() + ")" : "");
      ctx.keys(m, MESSAGE_KEYS, where);
      String id = ctx.text(m, "id", where);
      if (!ids.add(id)) {
        throw ctx.fail(where, "duplicate id " + id);
      }
      JsonNode pats = m.get("patterns");
      if (pats == null || !pats.isObject() || pats.isEmpty()) {
        throw ctx.fail(where, "missing mapping patterns (language: [wordings])");
      }
      List<MessagePattern> patterns = new ArrayList<>();
      for (Map.Entry<String, JsonNode> lang : pats.properties()) {
        for (String w : strings(ctx, lang.getValue(), where + " patterns " + lang.getKey())) {
          if (w.replace("*", "").isBlank()) {
            throw ctx.fail(where, "pattern '" + w + "' has no words");
          }
          patterns.add(new MessagePattern(lang.getKey(), w.toLowerCase(Locale.ROOT)));
        }
      }
      List<String> codes = strings(ctx, m.get("codes"), where);
      for (String ref : codes) {
        checkCode(ctx, where, ref);
      }
      List<Cause> causes = causes(ctx, m.get("causes"), where);
      if (causes.isEmpty() && codes.isEmpty()) {
        throw ctx.fail(where, "needs causes, or codes whose causes apply");
      }
      List<Citation> cites = refs(ctx, m.get("sources"), sources, where);
      if (cites.isEmpty()) {
        throw ctx.fail(where, "cites no source");
      }
      out.add(
          new MessageEntry(
              id, ctx.text(m, "title", where), ctx.text(m, "meaning", where), ctx.phase(m, where),
              patterns, codes, causes, cites, m.has("note") ? ctx.text(m, "note", where) : null));
    }
    return new MessageCatalog(out);
  }

  /** A message's {@code family:value} must name a code the catalog has. */
  private static void checkCode(Ctx ctx, String where, String ref) {
    String[] parts = ref.split(":", 2);
    Long v = parts.length == 2 ? CodeEntry.parseNumber(parts[1]) : null;
    if (v == null || !Catalog.FAMILIES.contains(parts[0])) {
      throw ctx.fail(where, "code " + ref + " is not family:value (families: " + Catalog.FAMILIES + ")");
    }
    if (family(parts[0]).find(v).isEmpty()) {
      throw ctx.fail(where, "code " + ref + " is not in the catalog");
    }
  }

  private static JsonNode read(String file) {
    try (InputStream in = CatalogLoader.class.getResourceAsStream(ROOT + file)) {
      if (in == null) {
        throw new CatalogException("catalog file " + ROOT + file + " is missing from the class path");
      }
      return Yaml.MAPPER.readTree(in);
    } catch (IOException | JacksonException e) {
      throw new CatalogException("cannot read catalog file " + file + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, Citation> citations(Ctx ctx, JsonNode root) {
    Map<String, Citation> out = new LinkedHashMap<>();
    JsonNode s = root.get("sources");
    if (s == null) {
      return out;
    }
    for (Map.Entry<String, JsonNode> e : s.properties()) {
      JsonNode v = e.getValue();
      if (v.isString()) {
        out.put(e.getKey(), new Citation(e.getKey(), v.asString(), true));
      } else {
        ctx.keys(v, Set.of("text", "authoritative"), "source " + e.getKey());
        out.put(
            e.getKey(),
            new Citation(
                e.getKey(),
                ctx.text(v, "text", "source " + e.getKey()),
                !v.has("authoritative") || v.get("authoritative").asBoolean()));
      }
    }
    return out;
  }

  private static List<Citation> refs(
      Ctx ctx, @Nullable JsonNode list, Map<String, Citation> sources, String where) {
    List<Citation> out = new ArrayList<>();
    for (String key : strings(ctx, list, where)) {
      Citation c = sources.get(key);
      if (c == null) {
        throw ctx.fail(where, "unknown source " + key + " (expected one of: " + sources.keySet() + ")");
      }
      out.add(c);
    }
    return out;
  }

  private static List<Cause> causes(Ctx ctx, @Nullable JsonNode list, String where) {
    List<Cause> out = new ArrayList<>();
    if (list == null) {
      return out;
    }
    for (JsonNode c : list) {
      ctx.keys(c, CAUSE_KEYS, where);
      String conf = ctx.text(c, "confidence", where);
      Cause.Confidence confidence;
      try {
        confidence = Cause.Confidence.valueOf(conf.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw ctx.fail(where, "confidence is " + conf + " (expected: high, medium or low)");
      }
      out.add(
          new Cause(
              ctx.text(c, "title", where),
              ctx.text(c, "why", where),
              confidence,
              strings(ctx, c.get("checks"), where),
              strings(ctx, c.get("fixes"), where)));
    }
    return out;
  }

  private static List<Dispute> disputes(
      Ctx ctx, @Nullable JsonNode list, Map<String, Citation> sources, String where) {
    List<Dispute> out = new ArrayList<>();
    if (list == null) {
      return out;
    }
    for (JsonNode d : list) {
      ctx.keys(d, DISPUTE_KEYS, where);
      if (!d.has("trusted") || !d.get("trusted").isBoolean()) {
        throw ctx.fail(where, "dispute needs trusted: true or false");
      }
      // A source may be a key of the file's sources (then its citation text is used) or free text.
      String source = ctx.text(d, "source", where);
      Citation cited = sources.get(source);
      out.add(
          new Dispute(
              ctx.text(d, "claim", where),
              cited == null ? source : cited.text(),
              d.get("trusted").asBoolean(),
              ctx.text(d, "why", where)));
    }
    return out;
  }

  private static List<String> strings(Ctx ctx, @Nullable JsonNode list, String where) {
    List<String> out = new ArrayList<>();
    if (list == null) {
      return out;
    }
    if (!list.isArray()) {
      throw ctx.fail(where, "expected a list, found " + list.getNodeType());
    }
    for (JsonNode s : list) {
      if (!s.isString() || s.asString().isBlank()) {
        throw ctx.fail(where, "list item " + s + " is not a non-empty string");
      }
      out.add(s.asString().strip());
    }
    return out;
  }

  /** Reads one file; knows its name for error messages. */
  private record Ctx(String file) {

    CatalogException fail(String where, String what) {
      return new CatalogException("catalog file " + file + ", " + where + ": " + what);
    }

    void keys(JsonNode node, Set<String> allowed, String where) {
      if (node == null || !node.isObject()) {
        throw fail(where, "expected a mapping");
      }
      for (String k : node.propertyNames()) {
        if (!allowed.contains(k)) {
          throw fail(where, "unknown key " + k + " (expected one of: " + allowed + ")");
        }
      }
    }

    String text(JsonNode node, String field, String where) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull() || !(v.isString() || v.isNumber()) || v.asString().isBlank()) {
        throw fail(where, "missing field " + field);
      }
      return v.asString().strip();
    }

    long number(JsonNode node, String field, String where) {
      JsonNode v = node.get(field);
      if (v == null) {
        throw fail(where, "missing field " + field);
      }
      if (v.isIntegralNumber()) {
        return v.asLong();
      }
      if (v.isString()) {
        Long parsed = CodeEntry.parseNumber(v.asString());
        if (parsed != null) {
          return parsed;
        }
      }
      throw fail(where, field + " is " + v + " (expected: a decimal or 0x hex number)");
    }

    long[] range(JsonNode node, String field, String where) {
      JsonNode v = node.get(field);
      if (v != null && v.isArray() && v.size() == 2) {
        long a = numberOf(v.get(0), field, where);
        long b = numberOf(v.get(1), field, where);
        if (b < a) {
          throw fail(where, field + " range end " + b + " is below its start " + a);
        }
        return new long[] {a, b};
      }
      long one = number(node, field, where);
      return new long[] {one, one};
    }

    private long numberOf(JsonNode v, String field, String where) {
      if (v.isIntegralNumber()) {
        return v.asLong();
      }
      Long parsed = v.isString() ? CodeEntry.parseNumber(v.asString()) : null;
      if (parsed == null) {
        throw fail(where, field + " is " + v + " (expected: a number)");
      }
      return parsed;
    }

    Phase phase(JsonNode node, String where) {
      String p = text(node, "phase", where);
      try {
        return Phase.valueOf(p);
      } catch (IllegalArgumentException e) {
        throw fail(where, "phase is " + p + " (expected one of: " + java.util.Arrays.toString(Phase.values()) + ")");
      }
    }
  }

}
