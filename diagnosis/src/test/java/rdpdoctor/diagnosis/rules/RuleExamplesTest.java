package rdpdoctor.diagnosis.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import rdpdoctor.diagnosis.Finding;
import rdpdoctor.diagnosis.catalog.Catalog;
import rdpdoctor.diagnosis.fix.FixCatalog;

/**
 * Runs every built-in rule's embedded examples: each positive example must make its rule fire
 * (and its explanation contain {@code expect:} when given), each negative one must not.
 */
class RuleExamplesTest {

  @TestFactory
  Stream<DynamicTest> everyRuleExample() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Rule r : RuleSet.builtIn()) {
      for (Rule.Example e : r.examples()) {
        String name = r.id() + " " + (e.positive() ? "fires on" : "stays quiet on") + ": " + e.name();
        tests.add(DynamicTest.dynamicTest(name, () -> {
          Finding f = RuleEngine.fire(r, e.observations(), e.now());
          if (e.positive()) {
            assertThat(f).as("%s:%d positive example '%s' did not fire", r.file(), e.line(), e.name()).isNotNull();
            assertThat(f.proof()).as("a fired rule has proof").isNotEmpty();
            assertThat(f.explanation()).doesNotContain("(not observed)");
            if (e.expectText() != null) {
              assertThat(f.explanation()).contains(e.expectText());
            }
          } else {
            assertThat(f).as("%s:%d negative example '%s' fired", r.file(), e.line(), e.name()).isNull();
          }
        }));
      }
    }
    return tests.stream();
  }

  @Test
  void thereAreRulesAndEachHasBothKindsOfExample() {
    List<Rule> rules = RuleSet.builtIn();
    assertThat(rules.size()).as("number of rules").isGreaterThanOrEqualTo(30);
    for (Rule r : rules) {
      assertThat(r.examples()).anyMatch(Rule.Example::positive).anyMatch(e -> !e.positive());
    }
  }

  @Test
  void theBuildIndexListsEveryRuleFile() throws java.io.IOException {
    // The index is written by the build; a rule file it missed would silently never run.
    java.nio.file.Path dir = java.nio.file.Path.of("src/main/resources/rdpdoctor/rules");
    try (var s = java.nio.file.Files.list(dir)) {
      List<String> onDisk = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
      assertThat(RuleSet.builtIn()).extracting(r -> r.file().substring(RuleSet.FOLDER.length())).containsExactlyElementsOf(onDisk);
    }
  }

  @Test
  void everyFixARuleNamesExists() {
    for (Rule r : RuleSet.builtIn()) {
      for (Rule.RemedyTemplate t : r.remediation()) {
        if (t.fix() != null) {
          assertThat(FixCatalog.builtIn().get(t.fix()))
              .as("%s names fix '%s'", r.file(), t.fix()).isNotNull();
          assertThat(FixCatalog.builtIn().get(t.fix()).parameters().keySet())
              .as("%s gives fix '%s' the parameters it declares", r.file(), t.fix())
              .isEqualTo(t.with().keySet());
        }
      }
    }
  }

  /**
   * A rule's {@code explains} code is matched against {@code code} observations, which carry the
   * catalog's family ids and values: a code the catalog does not know could never be reported, so
   * the rule would silently never be tied to the user's code.
   */
  @Test
  void everyCodeARuleExplainsIsInTheCatalog() {
    for (Rule r : RuleSet.builtIn()) {
      for (Rule.CodeRef c : r.explains()) {
        if (!c.family().equals("*")) {
          assertThat(Catalog.FAMILIES).as("%s explains %s", r.file(), c).contains(c.family());
          assertThat(Catalog.find(c.family(), c.value())).as("%s explains %s", r.file(), c).isPresent();
        }
      }
    }
  }
}
