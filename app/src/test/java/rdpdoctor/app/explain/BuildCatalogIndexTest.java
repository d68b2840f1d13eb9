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
    // app/pom.xml writes catalog.idx in process-classes, before every test run: a missing index
    // means the build step broke, which a skip would hide.
    assertThat(built).as("catalog.idx on the class path (written by app/pom.xml in process-classes)").isNotNull()
        .isEqualTo(CatalogIndex.fromYaml());
    // and the catalog actually uses it instead of parsing YAML
    assertThat(Catalog.fromIndex()).isTrue();
  }
}
