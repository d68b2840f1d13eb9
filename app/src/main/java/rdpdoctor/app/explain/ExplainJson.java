package rdpdoctor.app.explain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rdpdoctor.diagnosis.catalog.Catalog;
import rdpdoctor.diagnosis.catalog.Citation;
import rdpdoctor.diagnosis.catalog.CodeEntry;
import rdpdoctor.diagnosis.catalog.Contested;
import rdpdoctor.diagnosis.catalog.Dispute;
import rdpdoctor.diagnosis.catalog.EventEntry;
import rdpdoctor.diagnosis.catalog.EventField;
import rdpdoctor.diagnosis.catalog.Explanation;
import rdpdoctor.diagnosis.catalog.MessageEntry;
import rdpdoctor.diagnosis.catalog.MessageReading;
import rdpdoctor.diagnosis.catalog.PairReading;
import rdpdoctor.diagnosis.catalog.RankedCause;
import rdpdoctor.diagnosis.catalog.Reading;
import rdpdoctor.diagnosis.catalog.Skipped;

/**
 * The {@code --json} document of {@code rdpdoctor explain}, described by
 * {@code docs/schema/explain.schema.json}. Built from ordered maps so the key order is stable; any
 * change of shape must bump {@link #SCHEMA_VERSION} and the schema file together.
 */
final class ExplainJson {
  static final int SCHEMA_VERSION = 2; // 2: messages[] and skipped[]

  private ExplainJson() {}

  static Map<String, Object> of(Explanation x) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("schemaVersion", SCHEMA_VERSION);
    root.put("input", x.input());
    root.put("codes", x.codes().stream().map(ExplainJson::code).toList());
    root.put("combined", x.pairs().stream().map(ExplainJson::pair).toList());
    root.put("messages", x.messages().stream().map(ExplainJson::message).toList());
    List<Object> causes = new ArrayList<>();
    int rank = 1;
    for (RankedCause rc : x.causes()) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("rank", rank++);
      c.put("title", rc.cause().title());
      c.put("why", rc.cause().why());
      c.put("confidence", rc.cause().confidence().word());
      c.put("from", rc.from());
      c.put("checks", rc.cause().checks());
      c.put("fixes", rc.cause().fixes());
      causes.add(c);
    }
    root.put("causes", causes);
    root.put("notSupported", x.contested().stream().map(ExplainJson::contested).toList());
    root.put("events", x.events().stream().map(ExplainJson::event).toList());
    root.put("alternatives", x.alternatives().stream().map(ExplainJson::alternative).toList());
    root.put("skipped", x.skipped().stream().map(ExplainJson::skipped).toList());
    root.put("unrecognised", x.unrecognised());
    return root;
  }

  private static Map<String, Object> code(Reading r) {
    CodeEntry e = r.entry();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("input", r.token());
    m.put("family", e.family());
    m.put("familyTitle", Catalog.family(e.family()).title());
    m.put("value", r.value());
    m.put("hex", r.hex());
    m.put("signed", Catalog.family(e.family()).signedForm() ? (Object) (int) r.value() : null);
    m.put("name", e.name());
    m.put("meaning", e.meaning());
    m.put("phase", e.phase().name());
    m.put("phaseLabel", e.phase().label());
    m.put("whereSeen", e.whereSeen());
    m.put("why", r.why());
    m.put("note", e.note());
    m.put("related", r.related().stream().map(ExplainJson::ref).toList());
    m.put("disputed", e.disputed().stream().map(ExplainJson::dispute).toList());
    m.put("sources", e.sources().stream().map(ExplainJson::source).toList());
    return m;
  }

  private static Map<String, Object> message(MessageReading r) {
    MessageEntry e = r.entry();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", e.id());
    m.put("title", e.title());
    m.put("meaning", e.meaning());
    m.put("phase", e.phase().name());
    m.put("phaseLabel", e.phase().label());
    m.put("language", r.pattern().language());
    m.put("matched", r.matched());
    m.put("codes", r.codes().stream().map(ExplainJson::ref).toList());
    m.put("note", e.note());
    m.put("sources", e.sources().stream().map(ExplainJson::source).toList());
    return m;
  }

  private static Map<String, Object> skipped(Skipped s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", s.kind());
    m.put("text", s.text());
    return m;
  }

  private static Map<String, Object> pair(PairReading p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("codes", List.of(p.disconnect().hex(), p.extended().hex()));
    m.put("title", p.combination().title());
    m.put("reading", p.combination().reading());
    m.put("phase", p.combination().phase().name());
    m.put("phaseLabel", p.combination().phase().label());
    m.put("sources", p.combination().sources().stream().map(ExplainJson::source).toList());
    return m;
  }

  private static Map<String, Object> alternative(Reading r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("input", r.token());
    m.put("family", r.family());
    m.put("value", r.value());
    m.put("hex", r.hex());
    m.put("name", r.entry().name());
    m.put("meaning", r.entry().meaning());
    m.put("phase", r.entry().phase().name());
    m.put("why", r.why());
    return m;
  }

  private static Map<String, Object> event(EventEntry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("channel", e.channel());
    m.put("provider", e.provider());
    m.put("id", e.id());
    m.put("meaning", e.meaning());
    m.put("phase", e.phase().name());
    List<Object> fields = new ArrayList<>();
    for (EventField f : e.fields()) {
      Map<String, Object> fm = new LinkedHashMap<>();
      fm.put("name", f.name());
      fm.put("decodes", f.decodes());
      fm.put("note", f.note());
      fields.add(fm);
    }
    m.put("fields", fields);
    return m;
  }

  private static Map<String, Object> ref(CodeEntry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("family", e.family());
    m.put("value", e.value());
    m.put("hex", e.hex());
    m.put("name", e.name());
    return m;
  }

  private static Map<String, Object> dispute(Dispute d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("claim", d.claim());
    m.put("source", d.source());
    m.put("trusted", d.trusted());
    m.put("why", d.why());
    return m;
  }

  private static Map<String, Object> contested(Contested c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("code", c.code());
    m.put("claim", c.dispute().claim());
    m.put("source", c.dispute().source());
    m.put("why", c.dispute().why());
    return m;
  }

  private static Map<String, Object> source(Citation c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", c.key());
    m.put("text", c.text());
    m.put("authoritative", c.authoritative());
    return m;
  }
}
