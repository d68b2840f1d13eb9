package rdpdoctor.app.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.app.CliRun;
import rdpdoctor.app.Json;
import rdpdoctor.fleet.X224Responder;
import tools.jackson.databind.JsonNode;

/**
 * {@code scan --sarif}: the file validates against the OASIS SARIF 2.1.0 schema (a copy in the
 * test resources, see its NOTICE), and holds one result per host problem with the rule's id and
 * the endpoint as its location.
 */
class ScanSarifTest {
  @TempDir Path dir;
  private final List<X224Responder> responders = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (X224Responder r : responders) {
      r.close();
    }
  }

  static List<Error> schemaErrors(String json) throws Exception {
    try (InputStream in = ScanSarifTest.class.getResourceAsStream("sarif-schema-2.1.0.json")) {
      Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(in);
      return schema.validate(json, InputFormat.JSON, c -> c.executionConfig(e -> e.formatAssertionsEnabled(true)));
    }
  }

  @Test
  void oneResultPerHostProblemNamedByItsRuleAndEndpoint() throws Exception {
    X224Responder nla = new X224Responder("127.0.0.101", X224Responder.Policy.NLA_REQUIRED);
    X224Responder old = new X224Responder("127.0.0.102", X224Responder.Policy.RDP_ONLY);
    responders.add(nla);
    responders.add(old);
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      closed = s.getLocalPort();
    }
    Path sarif = dir.resolve("scan.sarif");
    CliRun r = CliRun.run("scan", nla.spec(), old.spec(), "127.0.0.1:" + closed, "--db",
        "jdbc:sqlite:" + dir.resolve("s.db"), "--tag", "sarif", "--sarif", sarif.toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    String text = Files.readString(sarif);
    assertThat(schemaErrors(text)).isEmpty();

    JsonNode run = Json.MAPPER.readTree(text).get("runs").get(0);
    assertThat(run.get("automationDetails").get("id").asString()).isEqualTo("rdpdoctor-scan/sarif/1");
    assertThat(run.get("invocations").get(0).get("executionSuccessful").asBoolean()).isTrue();
    JsonNode rules = run.get("tool").get("driver").get("rules");
    List<String> got = new ArrayList<>();
    for (JsonNode res : run.get("results")) {
      String id = res.get("ruleId").asString();
      assertThat(rules.get(res.get("ruleIndex").asInt()).get("id").asString()).isEqualTo(id);
      JsonNode loc = res.get("locations").get(0);
      got.add(id + " " + loc.get("logicalLocations").get(0).get("fullyQualifiedName").asString()
          + " " + loc.get("physicalLocation").get("artifactLocation").get("uri").asString()
          + " " + rules.get(res.get("ruleIndex").asInt()).get("defaultConfiguration").get("level").asString());
    }
    // the healthy host has no problem, so no result
    assertThat(got).containsExactlyInAnyOrder(
        "port-closed 127.0.0.1:" + closed + " rdp://127.0.0.1:" + closed + " error",
        "nla-off-on-host " + old.spec() + " rdp://" + old.spec() + " warning",
        "rdp-security-accepted " + old.spec() + " rdp://" + old.spec() + " warning");
    assertThat(rules.findValues("id").stream().map(JsonNode::asString).toList())
        .contains("port-closed", "nla-off-on-host", "rdp-security-accepted", ScanSarif.UNNAMED);
    assertThat(run.get("results").get(1).get("message").get("text").asString())
        .startsWith(old.spec() + ": Standard RDP Security is accepted");
  }

  @Test
  void theSchemaCheckCatchesAnInvalidLog() throws Exception {
    // the validator is live: a level SARIF does not know, and a result without a message, fail it
    String bad = "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"x\"}},"
        + "\"results\":[{\"ruleId\":\"a\",\"level\":\"fatal\"}]}]}";
    assertThat(schemaErrors(bad)).extracting(Error::toString)
        .anyMatch(e -> e.contains("level")).anyMatch(e -> e.contains("message"));
  }

  @Test
  void anUnwritableReportFailsBeforeAnyTraffic() throws Exception {
    Path plain = dir.resolve("plain");
    Files.writeString(plain, "a file, not a folder");
    String db = "jdbc:sqlite:" + dir.resolve("t.db");
    CliRun r = CliRun.run("scan", "127.0.0.1:1", "--db", db, "--sarif", plain.resolve("x.sarif").toString());
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err()).contains("cannot write the --sarif report " + plain.resolve("x.sarif"));
    assertThat(Files.exists(dir.resolve("t.db"))).as("no scan was started").isFalse();
  }
}
