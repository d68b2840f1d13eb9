package rdpdoctor.diagnosis.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The holdout corpus: every text people paste (whole dialogs, FreeRDP log excerpts, Event Viewer
 * copies, PowerShell error records), each in its own file under {@code pasted/} with the expected
 * reading beside it in {@code NAME.expect.yaml}, and the real source of its layout and wording.
 * The expectations were written from the sources, not from the program's output: a case that
 * fails is a wrong reading until shown otherwise.
 *
 * <p>Expectation keys: {@code source} (required); {@code codes} (family:name of every code read,
 * in order), {@code pairs} ("0x904 + 0x7"), {@code messages} (message ids), {@code events} (ids),
 * {@code unrecognised} and {@code skipped} ("kind: text", every non-code number) are compared
 * exactly and default to empty; {@code topCauses} are the first cause titles, in order.
 */
class PastedTextCorpusTest {
  static final Path DIR = Path.of("src", "test", "resources", "rdpdoctor", "diagnosis", "catalog", "pasted");
  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  static Stream<String> cases() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".txt"))
          .map(n -> n.substring(0, n.length() - 4))
          .sorted()
          .toList()
          .stream();
    }
  }

  @Test
  void theCorpusHasEveryKindOfSource() throws IOException {
    List<String> names = cases().toList();
    assertThat(names).hasSizeGreaterThanOrEqualTo(20);
    for (String kind : List.of("mstsc-", "freerdp2-", "freerdp3-", "event-viewer-", "powershell-", "windows-security-")) {
      assertThat(names).as("cases starting " + kind).anyMatch(n -> n.startsWith(kind));
    }
  }

  /** A message no real text exercises is a guess: every catalog message has a case. */
  @Test
  void everyCatalogMessageHasACase() throws IOException {
    List<String> seen = new ArrayList<>();
    for (String name : cases().toList()) {
      JsonNode expect = YAML.readTree(Files.readString(DIR.resolve(name + ".expect.yaml"), StandardCharsets.UTF_8));
      seen.addAll(list(expect.get("messages")));
    }
    for (MessageEntry m : Catalog.messages().messages()) {
      assertThat(seen).as("a case for message " + m.id()).contains(m.id());
      assertThat(m.patterns()).as(m.id() + " has an English wording").anyMatch(p -> p.language().equals("en"));
      assertThat(m.sources()).as(m.id() + " cites an authoritative source").anyMatch(Citation::authoritative);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void readsAsExpected(String name) throws IOException {
    String text = Files.readString(DIR.resolve(name + ".txt"), StandardCharsets.UTF_8);
    Path expectFile = DIR.resolve(name + ".expect.yaml");
    assertThat(expectFile).as("every case has its expected reading").exists();
    JsonNode expect = YAML.readTree(Files.readString(expectFile, StandardCharsets.UTF_8));
    assertThat(expect.path("source").asString("")).as(name + ": source").isNotBlank();

    Explanation x = CodeQuery.explain(text);
    Map<String, List<String>> actual = reading(x);
    Map<String, List<String>> expected = new LinkedHashMap<>();
    for (String key : actual.keySet()) {
      expected.put(key, list(expect.get(key)));
    }
    // compared as a whole, so a failure shows the whole reading beside the expectation
    assertThat(actual).as(name).isEqualTo(expected);

    List<String> top = list(expect.get("topCauses"));
    List<String> titles = x.causes().stream().map(rc -> rc.cause().title()).toList();
    assertThat(titles.subList(0, Math.min(top.size(), titles.size()))).as(name + ": top causes").isEqualTo(top);
  }

  /** The parts of a reading the expectations name, as comparable strings. */
  static Map<String, List<String>> reading(Explanation x) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put("codes", x.codes().stream().map(r -> r.family() + ":" + r.entry().name()).toList());
    m.put("pairs", x.pairs().stream().map(PairReading::label).toList());
    m.put("messages", x.messages().stream().map(r -> r.entry().id()).toList());
    m.put("events", x.events().stream().map(e -> String.valueOf(e.id())).distinct().toList());
    m.put("unrecognised", x.unrecognised());
    m.put("skipped", x.skipped().stream().map(s -> s.kind() + ": " + s.text()).toList());
    return m;
  }

  private static List<String> list(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n != null) {
      n.forEach(v -> out.add(v.asString()));
    }
    return out;
  }
}
