package rdpdoctor.evidence.regf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import rdpdoctor.evidence.registry.RegistryCorpus;
import rdpdoctor.evidence.registry.RegistryKey;
import rdpdoctor.evidence.registry.RegistryValue;
import rdpdoctor.evidence.registry.RegistryWalker;

class LogReplayTest {

  static Map<String, List<RegistryValue>> keys(Hive hive) {
    Map<String, List<RegistryValue>> out = new LinkedHashMap<>();
    RegistryWalker.walk(hive.root(), (RegistryKey k, int d) -> out.put(k.path(), k.values()));
    return out;
  }

  static LogReplay.Result replay(Path primary) throws Exception {
    return LogReplay.replay(Files.readAllBytes(primary), HiveFiles.readLogs(HiveFiles.findLogs(primary)));
  }

  @Test
  void oldFormatLogGivesWhatWindows7Recovered() throws Exception {
    Path dirty = RegistryCorpus.file("yarp/OldDirtyHive/OldDirtyHive");
    Path golden = RegistryCorpus.file("yarp/OldDirtyHive/RecoveredHive_Windows7");
    LogReplay.Result r = replay(dirty);
    assertThat(r.outcome()).as("%s", r.steps()).isEqualTo(LogReplay.Outcome.RECOVERED);
    Hive recovered = Hive.of(r.hive());
    assertThat(recovered.baseBlock().dirty()).isFalse();
    Map<String, List<RegistryValue>> want = keys(Hive.open(golden));
    Map<String, List<RegistryValue>> before = keys(Hive.open(dirty));
    Map<String, List<RegistryValue>> got = keys(recovered);
    assertThat(before).isNotEqualTo(want); // the log matters
    assertThat(got.keySet()).containsExactlyElementsOf(want.keySet());
    assertThat(got).isEqualTo(want);
    System.out.printf("OldDirtyHive: %d dirty pages applied; %d keys equal to RecoveredHive_Windows7%n",
        r.pages(), got.size());
  }

  @Test
  void newFormatLogsBringTheUserHiveToTheLastEntry() throws Exception {
    Path dirty = RegistryCorpus.file("transactions_NTUSER.DAT");
    LogReplay.Result r = replay(dirty);
    assertThat(r.outcome()).as("%s", r.steps()).isEqualTo(LogReplay.Outcome.RECOVERED);
    // log1 holds entries 566..588; the primary stopped at 566 (567/566 in its base block).
    assertThat(r.firstSequence()).isEqualTo(566);
    assertThat(r.lastSequence()).isEqualTo(588);
    assertThat(r.entries()).isEqualTo(23);
    assertThat(r.pages()).isEqualTo(132); // the dirty pages regipy's own test expects for this hive
    // log2 holds one older entry (562), written before the primary's last write: not used.
    assertThat(r.steps()).contains("transactions_ntuser.dat.log2: starts at sequence number 562, before"
        + " the primary's 566: already applied, not used", "transactions_ntuser.dat.log1: applied 23 log"
        + " entries (566..588)");
    Hive recovered = Hive.of(r.hive());
    assertThat(recovered.baseBlock().dirty()).isFalse();
    Map<String, List<RegistryValue>> before = keys(Hive.open(dirty));
    Map<String, List<RegistryValue>> after = keys(recovered);
    long newKeys = after.keySet().stream().filter(k -> !before.containsKey(k)).count();
    System.out.printf("transactions_NTUSER.DAT: %d entries, %d pages; keys %d -> %d (%d new)%n",
        r.entries(), r.pages(), before.size(), after.size(), newKeys);
    assertThat(after.size()).isGreaterThan(before.size());
  }

  @Test
  void badBaseBlockIsRepairedFromTheLog() throws Exception {
    Path bad = RegistryCorpus.file("yarp/BadBaseBlockHive/BadBaseBlockHive");
    assertThat(Hive.open(bad).baseBlock().checksumValid()).isFalse();
    LogReplay.Result r = replay(bad);
    assertThat(r.outcome()).as("%s", r.steps()).isEqualTo(LogReplay.Outcome.RECOVERED);
    Hive recovered = Hive.of(r.hive());
    assertThat(recovered.baseBlock().checksumValid()).isTrue();
    assertThat(keys(recovered)).isNotEmpty();
    assertThat(r.steps()).anyMatch(s -> s.contains("taking it from"));
  }

  @Test
  void cleanHiveIsNotReplayed() throws Exception {
    Path clean = RegistryCorpus.file("SYSTEM");
    LogReplay.Result r = LogReplay.replay(Files.readAllBytes(clean), List.of());
    assertThat(r.outcome()).isEqualTo(LogReplay.Outcome.NOT_DIRTY);
  }

  @Test
  void dirtyHiveWithoutLogsSaysSo() throws Exception {
    Path dirty = RegistryCorpus.file("SYSTEM_WIN_10_1709");
    LogReplay.Result r = replay(dirty);
    assertThat(r.outcome()).isEqualTo(LogReplay.Outcome.NO_LOGS);
  }
}
