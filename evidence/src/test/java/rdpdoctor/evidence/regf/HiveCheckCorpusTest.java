package rdpdoctor.evidence.regf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import rdpdoctor.evidence.registry.HiveKind;
import rdpdoctor.evidence.registry.RegistryCorpus;

/** The verdicts the corpus README and the brief expect, with their reasons. */
class HiveCheckCorpusTest {

  static HiveCheck check(String name) throws Exception {
    Path p = RegistryCorpus.file(name);
    HiveCheck c = HiveCheck.run(Files.readAllBytes(p), HiveFiles.readLogs(HiveFiles.findLogs(p)));
    System.out.printf("%s: %s; %s; %s%n", name, c.verdict().words(), c.reasons(), c.stats());
    return c;
  }

  @ParameterizedTest
  @ValueSource(strings = {"SYSTEM", "SAM", "NTUSER.DAT", "yarp/BigDataHive", "yarp/EmptyHive",
      "yarp/MultiSzHive", "yarp/ExtendedASCIIHive", "yarp/OldDirtyHive/RecoveredHive_Windows7"})
  void cleanHivesLoadAsIs(String name) throws Exception {
    HiveCheck c = check(name);
    assertThat(c.verdict()).as("%s", c.problems()).isEqualTo(HiveCheck.Verdict.LOADS_AS_IS);
    assertThat(c.problems()).isEmpty();
  }

  @Test
  void systemHiveIsRecognisedAndCounted() throws Exception {
    HiveCheck c = check("SYSTEM");
    assertThat(c.kind()).isEqualTo(HiveKind.SYSTEM);
    assertThat(c.stats().keys()).isEqualTo(30756);
    assertThat(c.stats().values()).isEqualTo(73361 + 95);
  }

  @Test
  void corruptedSystemHiveIsRefusedForItsBrokenBinChain() throws Exception {
    HiveCheck c = check("corrupted_system_hive");
    assertThat(c.verdict()).isEqualTo(HiveCheck.Verdict.REFUSED);
    assertThat(c.reasons().get(0)).contains("hive bin chain broken at file offset 0x1a000");
    assertThat(c.consequence()).contains("does not boot");
  }

  @Test
  void badBaseBlockIsRepairedFromItsLog() throws Exception {
    HiveCheck c = check("yarp/BadBaseBlockHive/BadBaseBlockHive");
    assertThat(c.verdict()).isEqualTo(HiveCheck.Verdict.LOADS_AFTER_LOG_REPLAY);
    assertThat(c.reasons().get(0)).contains("base block is damaged");
    assertThat(c.problems()).anyMatch(p -> p.kind() == HiveCheck.Kind.BASE_BLOCK_CHECKSUM);
  }

  @Test
  void garbageHiveIsRefused() throws Exception {
    HiveCheck c = check("yarp/GarbageHive");
    assertThat(c.verdict()).isEqualTo(HiveCheck.Verdict.REFUSED);
    assertThat(c.reasons().get(0)).contains("checksum").contains("no transaction log");
  }

  @Test
  void oldDirtyHiveLoadsAfterReplay() throws Exception {
    HiveCheck c = check("yarp/OldDirtyHive/OldDirtyHive");
    assertThat(c.verdict()).isEqualTo(HiveCheck.Verdict.LOADS_AFTER_LOG_REPLAY);
  }

  @Test
  void dirtyUserHiveLoadsAfterReplayOfItsNewFormatLogs() throws Exception {
    HiveCheck c = check("transactions_NTUSER.DAT");
    assertThat(c.verdict()).isEqualTo(HiveCheck.Verdict.LOADS_AFTER_LOG_REPLAY);
    assertThat(c.kind()).isEqualTo(HiveKind.NTUSER);
    assertThat(c.reasons().get(0)).contains("sequence number 588");
  }

  @Test
  void dirtySystemHiveWithoutLogsNeedsThem() throws Exception {
    HiveCheck c = check("SYSTEM_WIN_10_1709");
    assertThat(c.verdict()).isEqualTo(HiveCheck.Verdict.LOGS_NEEDED);
    assertThat(c.reasons().get(0)).contains("4317").contains("4316").contains("not here");
  }
}
