package rdpdoctor.evidence.even6;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The damaged files of {@link DamagedEvtx} against {@code evtxexport -m all} (libevtx's recovery
 * mode): every event it prints, recovered or not, we read too, with the same XML; where we read
 * more, it is exactly the intact records of a chunk the file ends inside, which libevtx skips.
 * (On the reused chunk and the zeroed range both find the same records: 59 and 36.)
 */
class EvtxRecoveryConformanceTest {
  @TempDir Path dir;

  static List<DamagedEvtx.Case> cases() {
    return DamagedEvtx.all();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void everyRecordEvtxexportRecoversIsReadTheSame(DamagedEvtx.Case c) throws Exception {
    Path evtxexport = Path.of("/usr/bin/evtxexport");
    Assumptions.assumeTrue(Files.isExecutable(evtxexport), "evtxexport missing (apt-get install libevtx-utils)");
    Path f = dir.resolve(c.name());
    Files.write(f, c.bytes());
    Path out = dir.resolve(c.name() + ".xml");
    Process proc = new ProcessBuilder(evtxexport.toString(), "-m", "all", "-f", "xml", f.toString())
        .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(proc.waitFor(120, TimeUnit.SECONDS)).as("evtxexport finished").isTrue();
    Map<Long, List<String>> theirs = EvtxCorpusConformanceTest.blocks(Files.readString(out, StandardCharsets.UTF_8));

    Map<Long, String> ours = new HashMap<>();
    try (EvtxReader r = EvtxReader.open(f, true)) {
      for (EventRecord e : r.readAll()) {
        ours.put(e.recordId(), e.xml());
      }
    }
    for (Map.Entry<Long, List<String>> t : theirs.entrySet()) {
      assertThat(ours).as(c.name() + ": evtxexport -m all prints record " + t.getKey()).containsKey(t.getKey());
      List<String> mine = EvtxCorpusConformanceTest.normalise(ours.get(t.getKey()), false);
      assertThat(t.getValue().stream().map(x -> EvtxCorpusConformanceTest.normalise(x, false)))
          .as(c.name() + " record " + t.getKey()).contains(mine);
    }
    Set<Long> extra = new TreeSet<>(ours.keySet());
    extra.removeAll(theirs.keySet());
    Set<Long> inPartialChunk = new TreeSet<>();
    int lastChunk = (c.bytes().length - FileHeader.SIZE) / ChunkHeader.CHUNK_SIZE;
    if ((c.bytes().length - FileHeader.SIZE) % ChunkHeader.CHUNK_SIZE != 0) {
      for (long[] x : DamagedEvtx.intact(c)) {
        if (x[1] >= DamagedEvtx.chunkOffset(lastChunk)) {
          inPartialChunk.add(x[0]);
        }
      }
    }
    assertThat(extra).as(c.name() + ": records we read and evtxexport -m all does not").isEqualTo(inPartialChunk);
  }
}
