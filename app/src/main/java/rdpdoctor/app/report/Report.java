package rdpdoctor.app.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Diagnosis;
import rdpdoctor.diagnosis.Finding;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.Phase;

/**
 * Everything a renderer needs: the diagnosis and where its evidence came from. {@link #toTree()}
 * is the versioned JSON document ({@code docs/schema/diagnosis-report-v1.schema.json}); the
 * terminal, Markdown and HTML renderers read the same record so they cannot disagree.
 *
 * @param command "analyze" or "diagnose"
 * @param target the host for diagnose, null for analyze
 * @param diagnosis ranked findings and every observation
 * @param files each evidence file read, with its kind
 * @param notes files skipped or partly read, probe problems
 * @param generatedAt when the report was made
 */
public record Report(
    String command,
    @Nullable String target,
    Diagnosis diagnosis,
    List<String> files,
    List<String> notes,
    Instant generatedAt) {

  /** The value of the document's {@code schema} member; bumped when a member changes meaning. */
  public static final String SCHEMA = "rdpdoctor.diagnosis-report/1";

  /** Phases in the order a client meets them; reports draw the timeline in this order. */
  public static final List<Phase> TIMELINE = List.of(Phase.values());

  public boolean causeFound() {
    return !diagnosis.findings().isEmpty();
  }

  /** One sentence: the verdict a person reads first. */
  public String verdict() {
    if (!causeFound()) {
      String shown = logsShow();
      return "No cause found: none of the " + diagnosis.rulesEvaluated() + " rules matched the "
          + diagnosis.observations().size() + " observations. "
          + (shown == null ? "" : "The logs show: " + shown + ". ")
          + "Add evidence from the other side (host or client).";
    }
    Finding top = diagnosis.findings().get(0);
    return top.title() + " (" + top.confidence().level() + " confidence, " + top.phase().label() + ")";
  }

  /**
   * What the event logs show, whether or not a rule fired: the attempts and sessions summary of
   * {@code rdpdoctor timeline} ("154 attempts from 37 addresses in 3.5 s, none authenticated; ..."),
   * or null when the evidence holds no RDP connection event.
   */
  public @Nullable String logsShow() {
    // analyze/diagnose add it with the attempts (Timeline.observations), once per run.
    for (Observation o : diagnosis.observations()) {
      if (o.type().equals("timeline.summary")) {
        return o.string("text");
      }
    }
    return null;
  }

  /** "broken" for the top finding's phase, "finding" for other phases with findings, else "no finding". */
  public String phaseStatus(Phase p) {
    if (diagnosis.brokenPhase().orElse(null) == p) {
      return "broken";
    }
    return diagnosis.findings().stream().anyMatch(f -> f.phase() == p) ? "finding" : "no finding";
  }

  public List<String> findingsIn(Phase p) {
    return diagnosis.findings().stream().filter(f -> f.phase() == p).map(Finding::id).toList();
  }

  /** The JSON document, as maps and lists for the shared mapper. */
  public Map<String, Object> toTree() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("schema", SCHEMA);
    String v = Report.class.getPackage().getImplementationVersion();
    // Ordered maps throughout: Map.of iterates in an order that changes from one JVM to the next,
    // and two runs on the same input must print the same JSON.
    Map<String, Object> tool = new LinkedHashMap<>();
    tool.put("name", "rdpdoctor");
    tool.put("version", v == null ? "development" : v);
    root.put("tool", tool);
    root.put("command", command);
    root.put("target", target);
    root.put("generatedAt", generatedAt.toString());
    root.put("evaluatedAt", diagnosis.at().toString());
    Map<String, Object> verdict = new LinkedHashMap<>();
    verdict.put("causeFound", causeFound());
    verdict.put("summary", verdict());
    verdict.put("topFinding", diagnosis.top().map(Finding::id).orElse(null));
    verdict.put("brokenPhase", diagnosis.brokenPhase().map(Report::phaseName).orElse(null));
    root.put("verdict", verdict);
    List<Object> phases = new ArrayList<>();
    for (Phase p : TIMELINE) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("phase", phaseName(p));
      m.put("label", p.label());
      m.put("status", phaseStatus(p));
      m.put("findings", findingsIn(p));
      phases.add(m);
    }
    root.put("phases", phases);
    List<Object> findings = new ArrayList<>();
    for (Finding f : diagnosis.findings()) {
      findings.add(finding(f));
    }
    root.put("findings", findings);
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("files", files);
    evidence.put("notes", notes);
    evidence.put("observations", diagnosis.observations().size());
    Map<String, Integer> byType = new TreeMap<>();
    for (Observation o : diagnosis.observations()) {
      byType.merge(o.type(), 1, Integer::sum);
    }
    evidence.put("byType", byType);
    root.put("evidence", evidence);
    root.put("rulesEvaluated", diagnosis.rulesEvaluated());
    return root;
  }

  public static String phaseName(Phase p) {
    return p.name().toLowerCase(Locale.ROOT);
  }

  private static Map<String, Object> finding(Finding f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", f.id());
    m.put("title", f.title());
    m.put("phase", phaseName(f.phase()));
    Map<String, Object> confidence = new LinkedHashMap<>();
    confidence.put("value", Math.round(f.confidence().value() * 100) / 100.0);
    confidence.put("level", f.confidence().level());
    confidence.put("reasons", f.confidence().reasons());
    m.put("confidence", confidence);
    m.put("explanation", f.explanation());
    m.put("explains", f.explains());
    m.put("explainsObserved", f.explainsObserved());
    List<Object> proof = new ArrayList<>();
    for (Finding.Proof p : f.proof()) {
      proof.add(observation(p.role(), p.observation()));
    }
    m.put("proof", proof);
    m.put("ruledOutBy", f.ruledOutBy());
    List<Object> rem = new ArrayList<>();
    for (Finding.Remedy r : f.remediation()) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("title", r.title());
      s.put("detail", r.detail());
      s.put("fix", r.fix());
      s.put("parameters", new TreeMap<>(r.parameters()));
      s.put("safety", r.safety());
      rem.add(s);
    }
    m.put("remediation", rem);
    m.put("references", f.references());
    m.put("alternatives", f.alternatives());
    m.put("independentSources", f.independentSources());
    m.put("specificity", f.specificity());
    return m;
  }

  private static Map<String, Object> observation(String role, Observation o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("role", role);
    m.put("type", o.type());
    m.put("summary", o.summary());
    m.put("at", o.at() == null ? null : o.at().toString());
    m.put("source", o.provenance().source().name().toLowerCase(Locale.ROOT));
    m.put("location", o.provenance().location());
    m.put("detail", o.provenance().detail());
    Map<String, Object> fields = new LinkedHashMap<>();
    o.fields().forEach((k, v) -> fields.put(k, json(v)));
    m.put("fields", fields);
    return m;
  }

  private static Object json(Object v) {
    if (v instanceof Instant t) {
      return t.toString();
    }
    if (v instanceof List<?> l) {
      return l.stream().map(Report::json).toList();
    }
    return v;
  }
}
