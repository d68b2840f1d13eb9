package rdpdoctor.app.scan;

import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import rdpdoctor.app.Json;
import rdpdoctor.diagnosis.Finding;
import rdpdoctor.diagnosis.rules.Rule;
import rdpdoctor.diagnosis.rules.RuleSet;
import rdpdoctor.fleet.HostResult;
import rdpdoctor.fleet.ProblemRules;
import rdpdoctor.fleet.Store;
import tools.jackson.core.JsonGenerator;

/**
 * {@code scan --sarif FILE}: the scan as one SARIF 2.1.0 log (OASIS "Static Analysis Results
 * Interchange Format", the format compliance dashboards and code-scanning tools read), one result
 * per problem of each host, its {@code ruleId} the diagnosis rule that the probe's verdict fires
 * ({@link ProblemRules}), its location the endpoint. Written result by result as the store is
 * read, so a scan of 100,000 hosts is never held whole.
 */
final class ScanSarif implements AutoCloseable {
  static final String SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

  /**
   * The rule of a problem no diagnosis rule names (a later probe stage that failed): SARIF
   * dashboards group by rule, so it still gets one, clearly not a diagnosis rule's id.
   */
  static final String UNNAMED = "probe-stage-failed";

  private final JsonGenerator out;
  private final List<String> ruleIds;

  /** Starts the log: tool, rules and the run's facts, up to its {@code results} array. */
  ScanSarif(Writer w, Store.ScanInfo scan, @Nullable String version) {
    ruleIds = new ArrayList<>(ProblemRules.ruleIds());
    ruleIds.add(UNNAMED);
    out = Json.MAPPER.createGenerator(w);
    out.writeStartObject();
    out.writeStringProperty("$schema", SCHEMA);
    out.writeStringProperty("version", "2.1.0");
    out.writeName("runs");
    out.writeStartArray();
    out.writeStartObject();
    Map<String, Object> driver = new LinkedHashMap<>();
    driver.put("name", "rdpdoctor");
    driver.put("version", version == null ? "development" : version);
    driver.put("rules", rules());
    out.writeName("tool");
    out.writePOJO(Map.of("driver", driver));
    Map<String, Object> invocation = new LinkedHashMap<>();
    invocation.put("executionSuccessful", scan.finishedAt() != null); // a stopped scan is not complete
    invocation.put("startTimeUtc", scan.startedAt().toString());
    if (scan.finishedAt() != null) {
      invocation.put("endTimeUtc", scan.finishedAt().toString());
    }
    invocation.put("commandLine", "rdpdoctor scan (" + scan.mode() + ") " + scan.targets());
    out.writeName("invocations");
    out.writePOJO(List.of(invocation));
    // one id per scan; dashboards follow a tag's scans by the part before the last '/'
    out.writeName("automationDetails");
    out.writePOJO(Map.of("id", "rdpdoctor-scan/" + scan.tag() + "/" + scan.id()));
    out.writeName("results");
    out.writeStartArray();
  }

  private List<Map<String, Object>> rules() {
    Map<String, Rule> byId = new LinkedHashMap<>();
    RuleSet.builtIn().forEach(r -> byId.put(r.id(), r));
    List<Map<String, Object>> rules = new ArrayList<>();
    for (String id : ruleIds) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", id);
      Rule r = byId.get(id);
      if (r == null) {
        m.put("shortDescription", Map.of("text", "A later step of the probe failed; no diagnosis rule names it"));
        m.put("defaultConfiguration", Map.of("level", "note"));
      } else {
        m.put("shortDescription", Map.of("text", r.title()));
        StringBuilder help = new StringBuilder();
        r.remediation().forEach(x -> help.append(help.isEmpty() ? "" : "\n").append(x.title()).append(": ").append(x.detail()));
        if (!help.isEmpty()) {
          m.put("help", Map.of("text", help.toString()));
        }
        m.put("defaultConfiguration", Map.of("level", level(r.kind())));
        m.put("properties", Map.of("phase", r.phase().name(), "kind", r.kind().name().toLowerCase(Locale.ROOT),
            "confidence", r.confidence(), "file", r.file()));
      }
      rules.add(m);
    }
    return rules;
  }

  /** A reason connections fail is an error; a posture weakness a warning; a fact a note. */
  private static String level(Finding.Kind k) {
    return switch (k) {
      case CAUSE -> "error";
      case WEAKNESS -> "warning";
      case FACT -> "note";
    };
  }

  /** One result per problem of the host; a host without problems adds none. */
  void add(long scanId, HostResult r) {
    String where = r.target().toString();
    for (String problem : r.problems()) {
      String rule = ProblemRules.rule(problem, ProblemRules.failureKind(r));
      String id = rule == null ? UNNAMED : rule;
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("ruleId", id);
      result.put("ruleIndex", ruleIds.indexOf(id));
      result.put("message", Map.of("text", where + ": " + problem));
      Map<String, Object> physical = Map.of("artifactLocation", Map.of("uri", "rdp://" + where));
      Map<String, Object> logical = new LinkedHashMap<>();
      logical.put("name", where);
      logical.put("fullyQualifiedName", where);
      logical.put("kind", "resource");
      result.put("locations", List.of(Map.of("physicalLocation", physical, "logicalLocations", List.of(logical))));
      // the same problem of the same endpoint in the next scan is the same finding, not a new one
      result.put("partialFingerprints", Map.of("endpointRule/v1", rdpdoctor.fleet.Targets.key(r.target()) + "|" + id));
      Map<String, Object> props = new LinkedHashMap<>();
      props.put("scan", scanId);
      props.put("finishedAt", r.finishedAt().toString());
      props.put("reachable", r.reachable());
      result.put("properties", props);
      out.writePOJO(result);
    }
  }

  /** Ends the results, the run and the log. */
  @Override
  public void close() {
    out.writeEndArray();
    out.writeEndObject();
    out.writeEndArray();
    out.writeEndObject();
    out.close();
  }
}
