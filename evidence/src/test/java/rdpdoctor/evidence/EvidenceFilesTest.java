package rdpdoctor.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import rdpdoctor.protocol.DecodeException;

class EvidenceFilesTest {
  @TempDir Path dir;

  /** Sizes around the 1 MB read chunk, where an off-by-one in the loop would show. */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 3 * (1 << 20) + 5})
  void readsEveryByte(int size) throws IOException {
    byte[] want = new byte[size];
    new Random(size).nextBytes(want);
    Path f = dir.resolve("f" + size);
    Files.write(f, want);

    assertThat(EvidenceFiles.read(f, "test file size", size)).isEqualTo(want);
  }

  @Test
  void refusesAFileOverTheBoundNamingFieldAndSizes() throws IOException {
    Path f = dir.resolve("big");
    Files.write(f, new byte[4097]);

    assertThatThrownBy(() -> EvidenceFiles.read(f, "hive file size", 4096))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("hive file size")
        .hasMessageContaining("4097")
        .hasMessageContaining("4096");
  }

  /** A pipe has no size up front (FileChannel says 0): its bytes are read to the end, bounded. */
  @Test
  void readsAPipeToItsEndAndBoundsIt() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/usr/bin/mkfifo")),
        "mkfifo missing: pipe read not tested");
    Path fifo = dir.resolve("pipe");
    new ProcessBuilder("/usr/bin/mkfifo", fifo.toString()).start().waitFor();
    byte[] want = new byte[300_000];
    new Random(7).nextBytes(want);
    Thread writer = Thread.ofPlatform().start(() -> {
      try {
        Files.write(fifo, want);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertThat(EvidenceFiles.read(fifo, "pipe size", want.length)).isEqualTo(want);
    writer.join();

    Thread again = Thread.ofPlatform().start(() -> {
      try {
        Files.write(fifo, want);
      } catch (IOException e) {
        // the reader stops at its bound and closes the pipe: the writer's broken pipe is expected
      }
    });
    assertThatThrownBy(() -> EvidenceFiles.read(fifo, "pipe size", 1000))
        .isInstanceOf(DecodeException.class).hasMessageContaining("pipe size")
        .hasMessageContaining("more than 1000 bytes");
    again.join();
  }

  /** A device would be read until the bound (2 GB for a hive): it is refused before reading. */
  @Test
  void refusesADevice() {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/dev/zero")), "/dev/zero missing: device refusal not tested");
    assertThatThrownBy(() -> EvidenceFiles.read(Path.of("/dev/zero"), "file size", 1L << 31))
        .isInstanceOf(IOException.class).hasMessageContaining("neither a regular file nor a pipe");
  }

  @Test
  void aMissingFileIsAnIoError() {
    assertThatThrownBy(() -> EvidenceFiles.read(dir.resolve("none"), "file size", 10))
        .isInstanceOf(NoSuchFileException.class);
  }
}
