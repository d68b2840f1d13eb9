package rdpdoctor.evidence.even6;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The damaged files are also the seeds of the EVTX fuzz targets: whole files for
 * {@code fileReadingNeverFailsOtherwise}, and a first chunk that is damaged in {@code FuzzedDataProvider} form
 * for {@code chunkDecodingNeverFailsOtherwise} (chunk bytes after the signature, then a 0 byte:
 * the provider reads its first boolean from the end, and false takes the raw-bytes branch). The
 * checked-in seeds must equal what {@link DamagedEvtx} writes; {@code -Devtx.writeSeeds=true}
 * writes them again after a change to the cases.
 */
class EvtxFuzzSeedsTest {
  static final Path INPUTS = Path.of("src/test/resources/rdpdoctor/evidence/even6/EvtxFuzzTestInputs");

  static java.util.List<DamagedEvtx.Case> cases() {
    return DamagedEvtx.all();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void seedsAreTheDamagedFiles(DamagedEvtx.Case c) throws IOException {
    check(INPUTS.resolve("fileReadingNeverFailsOtherwise").resolve(c.name()), c.bytes());
    int start = DamagedEvtx.chunkOffset(0) + 8;
    int end = Math.min(c.bytes().length, DamagedEvtx.chunkOffset(1));
    // A chunk seed only where the damage is in the first chunk (the others' is an intact chunk).
    if (c.bytes().length > start && !Arrays.equals(c.bytes(), start, end, c.sources().get(0), start, end)) {
      byte[] chunk = Arrays.copyOfRange(c.bytes(), start, end);
      check(INPUTS.resolve("chunkDecodingNeverFailsOtherwise").resolve(c.name()), Arrays.copyOf(chunk, chunk.length + 1));
    }
  }

  private static void check(Path seed, byte[] expected) throws IOException {
    if (Boolean.getBoolean("evtx.writeSeeds")) {
      Files.createDirectories(seed.getParent());
      Files.write(seed, expected);
    }
    assertThat(seed).as("fuzz seed (write it with -Devtx.writeSeeds=true)").exists();
    assertThat(Files.readAllBytes(seed)).as(seed.toString()).isEqualTo(expected);
  }
}
