package rdpdoctor.app.diagnose;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Looks up findings in a report's JSON, for tests that check one rule's finding by its id. */
final class ReportJson {
  private ReportJson() {}

  /** The finding with rule id {@code id}; an AssertionError listing the ids there when it is absent. */
  static JsonNode finding(JsonNode report, String id) {
    for (JsonNode f : report.path("findings")) {
      if (f.path("id").asString().equals(id)) {
        return f;
      }
    }
    throw new AssertionError(id + " is not among the findings: " + ids(report));
  }

  /** The findings' rule ids, in report order. */
  static List<String> ids(JsonNode report) {
    List<String> out = new ArrayList<>();
    report.path("findings").forEach(f -> out.add(f.path("id").asString()));
    return out;
  }
}
