package rdpdoctor.app.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import rdpdoctor.diagnosis.catalog.Catalog;
import rdpdoctor.diagnosis.catalog.CatalogIndex;

class BuildCatalogIndexTest {

  /** The index the build put into the jar is the one the current YAML files produce. */
  @Test
  void theBuiltIndexIsCurrent() {
    CatalogIndex.Contents built = CatalogIndex.load();
    // ./test and the launcher both run process-classes, which writes the index: its absence is a build bug.
    assertThat(built).as("catalog.idx on the class path (written by the build's process-classes step)").isNotNull();
    assertThat(built).isEqualTo(CatalogIndex.fromYaml());
    // and the catalog actually uses it instead of parsing YAML
    assertThat(Catalog.fromIndex()).isTrue();
  }
}
