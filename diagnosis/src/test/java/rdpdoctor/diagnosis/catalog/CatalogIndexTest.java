package rdpdoctor.diagnosis.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The binary index must say exactly what the YAML files say. */
class CatalogIndexTest {

  private static byte[] bytes(CatalogIndex.Contents c) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CatalogIndex.write(c, out);
    return out.toByteArray();
  }

  @Test
  void writeThenReadGivesTheYamlCatalogBack() throws IOException {
    CatalogIndex.Contents yaml = CatalogIndex.fromYaml();
    CatalogIndex.Contents back = CatalogIndex.read(new ByteArrayInputStream(bytes(yaml)));
    assertThat(back).isEqualTo(yaml);
  }

  @Test
  void rejectsAForeignFile() {
    assertThatThrownBy(() -> CatalogIndex.read(new ByteArrayInputStream(new byte[16])))
        .isInstanceOf(CatalogException.class)
        .hasMessageContaining("magic");
  }

  @Test
  void rejectsAnOutOfRangeCount() throws IOException {
    byte[] b = bytes(CatalogIndex.fromYaml());
    // the string count follows the 8-byte magic
    b[8] = (byte) 0x7F;
    assertThatThrownBy(() -> CatalogIndex.read(new ByteArrayInputStream(b)))
        .isInstanceOf(CatalogException.class)
        .hasMessageContaining("strings count");
  }
}
