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
import rdpdoctor.evidence.cases.Computer;
import rdpdoctor.probe.ProbeReport;

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
 * @param computer the computer this report is about (one report per computer in the evidence), null
 *     when no evidence file named one
 * @param inputs what the user gave (paths, codes) and the probe's own report, for the HTML header
 */
public record Report(
    String command,
    @Nullable String target,
    Diagnosis diagnosis,
    List<String> files,
    List<String> notes,
    Instant generatedAt,
    @Nullable Computer computer,
    Inputs inputs) {

  /**
   * What the run was given and what the probe saw, as the report's header shows it.
   *
   * @param paths the evidence paths as typed
   * @param error the {@code --error} text as typed, or null
   * @param codes that text as the code catalog read it ({@code code} observations)
   * @param probe the probe's report (diagnose), or null when there was no probe or it stopped
   */
  public record Inputs(List<String> paths, @Nullable String error, List<Observation> codes, @Nullable ProbeReport probe) {
    public static final Inputs NONE = new Inputs(List.of(), null, List.of(), null);

    public Inputs {
      paths = List.copyOf(paths);
      codes = List.copyOf(codes);
    }

    /** These inputs with the probe's report. */
    public Inputs withProbe(@Nullable ProbeReport report) {
      return new Inputs(paths, error, codes, report);
    }
  }

  /** A report without recorded inputs (callers that only need the diagnosis). */
  public Report(String command, @Nullable String target, Diagnosis diagnosis, List<String> files, List<String> notes,
      Instant generatedAt) {
    this(command, target, diagnosis, files, notes, generatedAt, null, Inputs.NONE);
  }

  /** The version Maven wrote into the jar's manifest, or "development" when run from classes. */
  public static String toolVersion() {
    String v = Report.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }

  /** The value of the document's {@code schema} member; bumped when a member changes meaning. */
  public static final String SCHEMA = "rdpdoctor.diagnosis-report/1";

  /** Phases in the order a client meets them; reports draw the timeline in this order. */
  public static final List<Phase> TIMELINE = List.of(Phase.values());

  public boolean causeFound() {
    return diagnosis.top().isPresent();
  }

  /** One sentence: the verdict a person reads first. */
  public String verdict() {
    Finding top = diagnosis.top().orElse(null);
    if (top != null) {
      return top.title() + " (" + top.confidence().level() + " confidence, " + top.phase().label() + ")";
    }
    // No cause: say what the evidence does show, in the order an engineer would. A contradicted
    // cause first (the probe got through, so the user's code is not this host refusing), then
    // the weaknesses, which are true of hosts that connect fine and so are never the answer.
    Finding contradicted = diagnosis.findings().stream().filter(Finding::contradicted).findFirst().orElse(null);
    long weaknesses = diagnosis.findings().stream().filter(f -> f.kind() == Finding.Kind.WEAKNESS).count();
    String besides = weaknesses == 0 ? "" : " " + weaknesses + (weaknesses == 1 ? " weakness is" : " weaknesses are")
        + " listed separately: worth fixing, but not why a connection fails.";
    if (contradicted != null) {
      return "No cause found on this host: a live probe fact rules out the usual cause of what was reported ("
          + contradicted.title().replaceFirst("^Contradicted: ", "") + "), so look at the path from the user's"
          + " client (VPN, firewall, DNS, the name and port typed); what fits instead is under that finding." + besides;
    }
    long causes = diagnosis.findings().stream().filter(Finding::isCause).count();
    if (causes > 0) {
      // Only when codes were reported can a cause fail to be the top (Diagnosis.top).
      return "No cause found for the code(s) reported: " + causes + (causes == 1 ? " cause" : " causes")
          + " in the evidence produce other codes, so they are listed but do not explain what was reported."
          + besides;
    }
    if (!diagnosis.findings().isEmpty()) {
      return "No cause found: nothing in the evidence explains a failed connection." + besides;
    }
    // Even with nothing matched, the events say what happened (attempts, sessions): say that
    // rather than only "no cause found".
    String shown = logsShow();
    return "No cause found: none of the " + diagnosis.rulesEvaluated() + " rules matched the "
        + diagnosis.observations().size() + " observations. "
        + (shown == null ? "" : "The logs show: " + shown + ". ")
        + "Add evidence from the other side (host or client).";
  }

  /**
   * The finding whose explanation goes under the verdict: the top cause, or else the contradicted
   * cause (its explanation says what fits instead), or nothing.
   */
  public @Nullable Finding lead() {
    return diagnosis.top().orElse(diagnosis.findings().stream().filter(Finding::contradicted).findFirst().orElse(null));
  }

  /** The heading renderers print before the first finding of each kind (findings are ranked by kind first). */
  public static String heading(Finding.Kind kind) {
    return switch (kind) {
      case CAUSE -> "Causes, most likely first";
      case WEAKNESS -> "Weaknesses: worth fixing, but not why a connection fails";
      case FACT -> "Facts about the host";
    };
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
    return switch (phaseState(p)) {
      case BROKEN -> "broken";
      case FINDING -> "finding";
      case OK, NOT_REACHED, NO_FINDING -> "no finding";
    };
  }

  /**
   * How the reports draw a phase. {@link #phaseStatus} (the JSON's three values) is this with
   * OK and NOT_REACHED folded into "no finding": they come from inference, not from a rule.
   */
  public enum PhaseState {
    /** the top finding's phase: where the connection broke */
    BROKEN,
    /** another finding belongs to this phase */
    FINDING,
    /** no finding, and the probe got through this phase at least once */
    OK,
    /** a phase of the connection sequence after the broken one, which the client never reached */
    NOT_REACHED,
    /** nothing known against it */
    NO_FINDING
  }

  /** The phases a client goes through one after another; the rest (gateway, client, host) are places. */
  private static final List<Phase> SEQUENCE = List.of(Phase.NAME_RESOLUTION, Phase.TCP, Phase.X224, Phase.TLS,
      Phase.NLA, Phase.MCS, Phase.LICENSING, Phase.LOGON, Phase.SESSION);

  public PhaseState phaseState(Phase p) {
    Phase broken = diagnosis.brokenPhase().orElse(null);
    if (broken == p) {
      return PhaseState.BROKEN;
    }
    // A contradicted cause is listed to say why not; it marks nothing (the probe got through).
    if (diagnosis.findings().stream().anyMatch(f -> f.phase() == p && !f.contradicted())) {
      return PhaseState.FINDING;
    }
    ProbeReport probe = inputs.probe();
    if (probe != null && probe.phases().stream().anyMatch(t -> t.phase() == p && t.ok())) {
      return PhaseState.OK;
    }
    if (broken != null && SEQUENCE.contains(broken) && SEQUENCE.indexOf(p) > SEQUENCE.indexOf(broken)) {
      return PhaseState.NOT_REACHED;
    }
    return PhaseState.NO_FINDING;
  }

  /** Whether the phase's findings (contradicted ones aside) are all weaknesses or facts, none a cause. */
  public boolean onlyWeaknessesIn(Phase p) {
    return diagnosis.findings().stream().filter(f -> f.phase() == p && !f.contradicted())
        .allMatch(f -> f.kind() != Finding.Kind.CAUSE);
  }

  public List<String> findingsIn(Phase p) {
    return diagnosis.findings().stream().filter(f -> f.phase() == p).map(Finding::id).toList();
  }

  /** The JSON document, as maps and lists for the shared mapper. */
  public Map<String, Object> toTree() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("schema", SCHEMA);
    // Ordered maps throughout: Map.of iterates in an order that changes from one JVM to the next,
    // and two runs on the same input must print the same JSON.
    Map<String, Object> tool = new LinkedHashMap<>();
    tool.put("name", "rdpdoctor");
    tool.put("version", toolVersion());
    root.put("tool", tool);
    root.put("command", command);
    root.put("target", target);
    root.put("computer", computerTree());
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

  /** "computer HOST01" for a report's heading, "" when the evidence named no computer. */
  public String computerLabel() {
    return computer == null ? "" : "computer " + computer.name();
  }

  private @Nullable Map<String, Object> computerTree() {
    if (computer == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", computer.name());
    m.put("key", computer.key());
    m.put("basis", computer.basis());
    return m;
  }

  public static String phaseName(Phase p) {
    return p.name().toLowerCase(Locale.ROOT);
  }

  private static Map<String, Object> finding(Finding f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", f.id());
    m.put("title", f.title());
    m.put("phase", phaseName(f.phase()));
    m.put("kind", f.kind().word());
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
    m.put("contradicted", f.contradicted());
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
