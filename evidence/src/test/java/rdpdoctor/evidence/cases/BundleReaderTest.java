package rdpdoctor.evidence.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


class BundleReaderTest {
  @TempDir Path tmp;

  private Path zip(String... namesAndContents) throws IOException {
    Path z = tmp.resolve("b" + System.nanoTime() + ".zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(z))) {
      for (int i = 0; i < namesAndContents.length; i += 2) {
        out.putNextEntry(new ZipEntry(namesAndContents[i]));
        out.write(namesAndContents[i + 1].getBytes());
        out.closeEntry();
      }
    }
    return z;
  }

  @Test
  void extractsAnOrdinaryBundle() throws IOException {
    Path dest = tmp.resolve("out");
    var files = BundleReader.extract(zip("a/b.txt", "hello", "c.txt", "x"), dest, BundleReader.Limits.DEFAULT);
    assertThat(files).hasSize(2);
    assertThat(Files.readString(dest.resolve("a/b.txt"))).isEqualTo("hello");
  }

  @Test
  void refusesDotDot() throws IOException {
    Path dest = tmp.resolve("out");
    assertThatThrownBy(() -> BundleReader.extract(zip("ok.txt", "1", "../../evil.txt", "x"), dest, BundleReader.Limits.DEFAULT))
        .isInstanceOf(EvidenceRefused.class).hasMessageContaining("leaves the bundle folder");
    assertThat(tmp.resolve("evil.txt")).doesNotExist();
    assertThat(tmp.getParent().resolve("evil.txt")).doesNotExist();
  }

  @Test
  void refusesBackslashDotDotAndAbsoluteNames() throws IOException {
    Path dest = tmp.resolve("out");
    assertThatThrownBy(() -> BundleReader.extract(zip("a\\..\\..\\evil.txt", "x"), dest, BundleReader.Limits.DEFAULT))
        .isInstanceOf(EvidenceRefused.class).hasMessageContaining("leaves the bundle folder");
    assertThatThrownBy(() -> BundleReader.extract(zip("/etc/evil", "x"), dest, BundleReader.Limits.DEFAULT))
        .isInstanceOf(EvidenceRefused.class).hasMessageContaining("is absolute");
    assertThatThrownBy(() -> BundleReader.extract(zip("C:/Windows/evil", "x"), dest, BundleReader.Limits.DEFAULT))
        .isInstanceOf(EvidenceRefused.class).hasMessageContaining("is absolute");
  }

  @Test
  void refusesTooManyEntries() throws IOException {
    String[] many = new String[2 * 6];
    for (int i = 0; i < 6; i++) {
      many[2 * i] = "f" + i;
      many[2 * i + 1] = "x";
    }
    assertThatThrownBy(() -> BundleReader.extract(zip(many), tmp.resolve("out"), new BundleReader.Limits(5, 1 << 20, 1 << 20, 100)))
        .isInstanceOf(EvidenceRefused.class).hasMessageContaining("more than 5 entries");
  }

  @Test
  void refusesAnEntryOverTheSizeLimit() throws IOException {
    assertThatThrownBy(() -> BundleReader.extract(zip("big", "x".repeat(5000)), tmp.resolve("out"), new BundleReader.Limits(10, 4096, 1 << 20, 1_000_000)))
        .isInstanceOf(EvidenceRefused.class).hasMessageContaining("entry big is larger than 4096 bytes");
  }

  @Test
  void refusesATotalOverTheLimit() throws IOException {
    assertThatThrownBy(() -> BundleReader.extract(zip("a", "x".repeat(3000), "b", "y".repeat(3000)), tmp.resolve("out"), new BundleReader.Limits(10, 4096, 5000, 1_000_000)))
        .isInstanceOf(EvidenceRefused.class).hasMessageContaining("contents are larger than 5000 bytes");
  }

  @Test
  void refusesAZipBomb() throws IOException {
    // 64 MiB of zeros deflates to about 64 KiB: a ratio near 1000, far beyond 200.
    Path z = tmp.resolve("bomb.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(z))) {
      out.putNextEntry(new ZipEntry("zeros"));
      byte[] chunk = new byte[1 << 20];
      for (int i = 0; i < 64; i++) {
        out.write(chunk);
      }
      out.closeEntry();
    }
    assertThat(Files.size(z)).isLessThan(1 << 20);
    assertThatThrownBy(() -> BundleReader.extract(z, tmp.resolve("out"), BundleReader.Limits.DEFAULT))
        .isInstanceOf(EvidenceRefused.class).hasMessageContaining("zip bomb");
  }

  @Test
  void fileKindsByContent() {
    assertThat(FileKind.detect("ElfFile\0xxxx".getBytes(), "x.bin")).isEqualTo(FileKind.EVTX);
    assertThat(FileKind.detect("regf....".getBytes(), "x")).isEqualTo(FileKind.REGISTRY_HIVE);
    assertThat(FileKind.detect("Windows Registry Editor Version 5.00\r\n".getBytes(), "x")).isEqualTo(FileKind.REG_TEXT);
    assertThat(FileKind.detect(new byte[] {'P', 'K', 3, 4, 0}, "x")).isEqualTo(FileKind.ZIP);
    assertThat(FileKind.detect("-----BEGIN CERTIFICATE-----\nMII".getBytes(), "x.txt")).isEqualTo(FileKind.CERTIFICATE);
    assertThat(FileKind.detect("hello".getBytes(), "Security.evtx")).isEqualTo(FileKind.UNKNOWN);
    // A transaction log carries its hive's base block, "regf" included; the file type (offset 28) differs.
    byte[] log = new byte[512];
    System.arraycopy("regf".getBytes(), 0, log, 0, 4);
    log[28] = 6;
    assertThat(FileKind.detect(log, "ntuser.dat.LOG1")).isEqualTo(FileKind.TRANSACTION_LOG);
    log[28] = 0;
    assertThat(FileKind.detect(log, "NTUSER.DAT")).isEqualTo(FileKind.REGISTRY_HIVE);
  }
}
