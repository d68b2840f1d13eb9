package rdpdoctor.app.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.app.CliRun;
import rdpdoctor.app.Json;
import rdpdoctor.evidence.even6.EvtxWriter;
import rdpdoctor.evidence.even6.RdpFixtures;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The holdout of mixed folders (holdout/README.md): every layout in
 * {@code rdpdoctor/app/diagnose/holdout/*.yaml} is built, analysed, and its reports checked
 * computer by computer.
 */
class HoldoutFoldersTest {
  static final String FOLDER = "rdpdoctor/app/diagnose/holdout/";
  static final List<String> CASES = List.of(
      "profile-folder-with-logs.yaml", "system-drive-copy.yaml", "two-collect-bundles.yaml",
      "event-logs-of-two-machines.yaml", "machine-hives-dirty-and-repaired.yaml");
  static final Instant T = Instant.parse("2026-11-02T08:00:00Z");

  @TempDir Path tmp;

  @org.junit.jupiter.api.Test
  void theListNamesEveryLayoutInTheFolder() throws Exception {
    // The resources are a folder in the build; a layout added there but not to CASES would never run.
    Path dir = Path.of(HoldoutFoldersTest.class.getClassLoader().getResource(FOLDER).toURI());
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).toList())
          .containsExactlyInAnyOrderElementsOf(CASES);
    }
  }

  @TestFactory
  Stream<DynamicTest> everyHoldoutFolderGivesItsExpectedReading() throws IOException {
    List<DynamicTest> out = new ArrayList<>();
    for (String name : CASES) {
      JsonNode c;
      try (InputStream in = HoldoutFoldersTest.class.getClassLoader().getResourceAsStream(FOLDER + name)) {
        assertThat(in).as(FOLDER + name).isNotNull();
        c = new YAMLMapper().readTree(in);
      }
      out.add(DynamicTest.dynamicTest(name + ": " + c.path("name").asString(), () -> check(name, c)));
    }
    return out.stream();
  }

  private void check(String file, JsonNode c) throws IOException {
    Path root = tmp.resolve(file.replace(".yaml", ""));
    build(root, c);
    CliRun r = CliRun.run("analyze", root.toString(), "--json");
    assertThat(r.exit()).as(r.err()).isIn(0, 1);
    JsonNode doc = Json.MAPPER.readTree(r.out());
    List<JsonNode> reports = new ArrayList<>();
    if (doc.has("reports")) {
      doc.path("reports").forEach(reports::add);
    } else {
      reports.add(doc);
    }
    JsonNode expect = c.path("expect");
    assertThat(reports.stream().map(HoldoutFoldersTest::computer).toList()).as(file + ": computers")
        .containsExactlyElementsOf(expect.valueStream().map(e -> e.path("computer").isNull() ? null : e.path("computer").asString()).toList());
    for (int i = 0; i < reports.size(); i++) {
      JsonNode rep = reports.get(i);
      JsonNode e = expect.get(i);
      String what = file + ", report " + (i + 1) + " (" + computer(rep) + ")";
      List<String> ids = rep.path("findings").valueStream().map(f -> f.path("id").asString()).toList();
      assertThat(ids).as(what + ": findings").containsAll(strings(e.path("findings")));
      for (String not : strings(e.path("notFindings"))) {
        assertThat(ids).as(what + ": findings").doesNotContain(not);
      }
      String prefix = root + root.getFileSystem().getSeparator();
      List<String> files = rep.path("evidence").path("files").valueStream()
          .map(f -> f.asString().replace(prefix, "").replaceAll(", \\d+ observation\\(s\\)$", "")).toList();
      assertThat(files).as(what + ": files").containsExactlyElementsOf(strings(e.path("files")));
      // Proofs name files as the user gave them: below the case folder, never a temporary folder.
      for (JsonNode f : rep.path("findings")) {
        for (JsonNode p : f.path("proof")) {
          String loc = p.path("location").asString();
          if (!p.path("source").asString().equals("user_input")) {
            assertThat(loc).as(what + ": proof location").startsWith(prefix);
          }
        }
      }
    }
  }

  private static String computer(JsonNode report) {
    JsonNode c = report.path("computer");
    return c.isNull() || c.isMissingNode() ? null : c.path("name").asString();
  }

  private static List<String> strings(JsonNode list) {
    return list.valueStream().map(JsonNode::asString).toList();
  }

  /** Writes the case's files; {@code x.zip!/entry} entries are gathered into zips written last. */
  private static void build(Path root, JsonNode c) throws IOException {
    boolean backslash = "backslash".equals(c.path("zipNames").asString(""));
    Map<String, Map<String, byte[]>> zips = new LinkedHashMap<>();
    for (JsonNode f : c.path("files")) {
      String at = f.path("at").asString();
      byte[] data = content(f);
      int bang = at.indexOf("!/");
      if (bang > 0) {
        String entry = at.substring(bang + 2);
        zips.computeIfAbsent(at.substring(0, bang), k -> new LinkedHashMap<>())
            .put(backslash ? entry.replace('/', '\\') : entry, data);
      } else {
        Path p = root.resolve(at);
        Files.createDirectories(p.getParent());
        Files.write(p, data);
      }
    }
    for (Map.Entry<String, Map<String, byte[]>> z : zips.entrySet()) {
      Path p = root.resolve(z.getKey());
      Files.createDirectories(p.getParent());
      try (OutputStream os = Files.newOutputStream(p); ZipOutputStream zo = new ZipOutputStream(os)) {
        for (Map.Entry<String, byte[]> e : z.getValue().entrySet()) {
          zo.putNextEntry(new ZipEntry(e.getKey()));
          zo.write(e.getValue());
          zo.closeEntry();
        }
      }
    }
  }

  private static byte[] content(JsonNode f) throws IOException {
    if (f.has("corpus")) {
      Path corpus = CliRun.corpus();
      String rel = f.path("corpus").asString();
      Assumptions.assumeTrue(corpus != null && Files.exists(corpus.resolve(rel)), "../shared/corpus missing: " + rel);
      return Files.readAllBytes(corpus.resolve(rel));
    }
    if (f.has("text")) {
      return f.path("text").asString().getBytes(StandardCharsets.UTF_8);
    }
    JsonNode ev = f.path("events");
    String computer = ev.path("computer").asString();
    int count = ev.path("count").asInt(1);
    EvtxWriter w = new EvtxWriter();
    switch (ev.path("fixture").asString()) {
      case "wrongPassword" -> {
        for (int i = 0; i < count; i++) {
          w.add(RdpFixtures.logonFailed(T.plusSeconds(i), "alice", "10.0.0.9", 0xC000006DL, 0xC000006AL).computer(computer));
        }
      }
      case "rdpClient" -> {
        for (int i = 0; i < count; i++) {
          w.add(RdpFixtures.clientConnecting(T.plusSeconds(60L * i), "srv01.corp.example").computer(computer));
          w.add(RdpFixtures.clientDisconnected(T.plusSeconds(60L * i + 5), 2308).computer(computer));
        }
      }
      default -> throw new IllegalArgumentException("unknown events fixture " + ev.path("fixture") + " in " + f);
    }
    return w.toBytes();
  }
}
