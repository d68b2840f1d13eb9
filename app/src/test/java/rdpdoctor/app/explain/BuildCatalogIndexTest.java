package rdpdoctor.app.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import rdpdoctor.diagnosis.catalog.Catalog;
import rdpdoctor.diagnosis.catalog.CatalogIndex;

class BuildCatalogIndexTest {

  /** The index the build put into the jar is the one the current YAML files produce. */
  @Test
  void theBuiltIndexIsCurrent() {
    CatalogIndex.Contents built = CatalogIndex.load();
    Assumptions.assumeTrue(built != null, "no catalog.idx on the class path (the build skipped process-classes)");
    assertThat(built).isEqualTo(CatalogIndex.fromYaml());
    // and the catalog actually uses it instead of parsing YAML
    assertThat(Catalog.fromIndex()).isTrue();
  }
}
