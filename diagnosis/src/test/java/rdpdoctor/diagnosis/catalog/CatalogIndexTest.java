package rdpdoctor.diagnosis.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The binary index must say exactly what the YAML files say. */
class CatalogIndexTest {

  private static CatalogIndex.Contents fromYaml() {
    List<CodeFamily> families = new ArrayList<>();
    for (String id : Catalog.FAMILIES) {
      families.add(CatalogLoader.family(id));
    }
    return new CatalogIndex.Contents(families, CatalogLoader.events(), CatalogLoader.combinations());
  }

  private static byte[] bytes(CatalogIndex.Contents c) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CatalogIndex.write(c, out);
    return out.toByteArray();
  }

  @Test
  void writeThenReadGivesTheYamlCatalogBack() throws IOException {
    CatalogIndex.Contents yaml = fromYaml();
    CatalogIndex.Contents back = CatalogIndex.read(new ByteArrayInputStream(bytes(yaml)));
    assertThat(back).isEqualTo(yaml);
  }

  /** The index the build put on the class path is the one the current YAML files produce. */
  @Test
  void theBuiltIndexIsCurrent() throws IOException {
    CatalogIndex.Contents built = CatalogIndex.load();
    Assumptions.assumeTrue(built != null, "no catalog.idx on the class path (build ran without process-classes)");
    assertThat(built).isEqualTo(fromYaml());
  }

  @Test
  void rejectsAForeignFile() {
    assertThatThrownBy(() -> CatalogIndex.read(new ByteArrayInputStream(new byte[16])))
        .isInstanceOf(CatalogException.class)
        .hasMessageContaining("magic");
  }

  @Test
  void rejectsAnOutOfRangeCount() throws IOException {
    byte[] b = bytes(fromYaml());
    // the string count follows the 8-byte magic
    b[8] = (byte) 0x7F;
    assertThatThrownBy(() -> CatalogIndex.read(new ByteArrayInputStream(b)))
        .isInstanceOf(CatalogException.class)
        .hasMessageContaining("strings count");
  }
}
