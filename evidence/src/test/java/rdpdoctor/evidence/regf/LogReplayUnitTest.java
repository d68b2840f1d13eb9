package rdpdoctor.evidence.regf;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import rdpdoctor.protocol.DecodeException;

/** Log replay on hives and logs written by the tests themselves (no corpus needed). */
class LogReplayUnitTest {

  /** A dirty primary (sequence numbers 2 / 1) and, separately, what its first bin should become. */
  static byte[][] dirtyAndTarget() {
    HiveWriter.Key before = new HiveWriter.Key("ROOT");
    before.key("Old").dword("V", 1);
    HiveWriter.Key after = new HiveWriter.Key("ROOT");
    after.key("New").dword("V", 2);
    byte[] primary = HiveWriter.write(before);
    byte[] target = HiveWriter.write(after);
    assertThat(target.length).isEqualTo(primary.length); // one 4096-byte bin each
    HiveWriter.putI32(primary, 4, 2);
    HiveWriter.fixChecksum(primary);
    return new byte[][] {primary, Arrays.copyOfRange(target, 4096, 8192)};
  }

  @Test
  void appliesConsecutiveEntriesAndStopsAtAGap() {
    byte[][] d = dirtyAndTarget();
    byte[] log = new LogWriter(d[0], 1).entry(1, 4096, 0, d[1]).entry(3, 4096, 0, new byte[4096]).bytes();
    LogReplay.Result r = LogReplay.replay(d[0], List.of(TransactionLog.read("X.LOG1", log)));
    assertThat(r.outcome()).isEqualTo(LogReplay.Outcome.RECOVERED);
    assertThat(r.entries()).isEqualTo(1);
    assertThat(r.steps()).anyMatch(s -> s.contains("gap after sequence number 1"));
    Hive h = Hive.of(r.hive());
    assertThat(h.baseBlock().dirty()).isFalse();
    assertThat(h.root().subkey("New").value("V").asNumber()).isEqualTo(2L);
    assertThat(h.root().subkey("Old")).isNull();
  }

  @Test
  void entryWithABadHashIsNotApplied() {
    byte[][] d = dirtyAndTarget();
    byte[] log = new LogWriter(d[0], 1).entry(1, 4096, 0, d[1]).bytes();
    log[512 + 100] ^= 1; // inside the page: Hash-1 no longer matches
    TransactionLog t = TransactionLog.read("X.LOG1", log);
    assertThat(t.entries()).isEmpty();
    assertThat(t.stopReason()).contains("Hash-1");
    LogReplay.Result r = LogReplay.replay(d[0], List.of(t));
    assertThat(r.outcome()).isEqualTo(LogReplay.Outcome.LOGS_UNUSABLE);
  }

  @Test
  void entriesThatStartAfterThePrimaryAreMissingOnes() {
    byte[][] d = dirtyAndTarget();
    byte[] log = new LogWriter(d[0], 5).entry(5, 4096, 0, d[1]).bytes();
    LogReplay.Result r = LogReplay.replay(d[0], List.of(TransactionLog.read("X.LOG2", log)));
    assertThat(r.outcome()).isEqualTo(LogReplay.Outcome.LOGS_UNUSABLE);
    assertThat(r.steps()).anyMatch(s -> s.contains("entries are missing"));
    HiveCheck c = HiveCheck.run(d[0], List.of(TransactionLog.read("X.LOG2", log)));
    assertThat(c.verdict()).isEqualTo(HiveCheck.Verdict.LOGS_NEEDED);
  }

  @Test
  void pageBeyondTheEntryIsRefused() {
    byte[][] d = dirtyAndTarget();
    byte[] log = new LogWriter(d[0], 1).entry(1, 4096, 0, d[1]).bytes();
    HiveWriter.putI32(log, 512 + 44, 1 << 20); // page Size far past the entry
    TransactionLog t = TransactionLog.read("X.LOG1", log);
    assertThat(t.entries()).isEmpty();
    assertThat(t.stopReason()).isNotNull();
  }

  /** Any log bytes against a dirty primary: reading, replaying and checking never fail otherwise. */
  @FuzzTest(maxDuration = "60s")
  void anyLogReplaysOrStopsCleanly(byte[] input) {
    byte[][] d = dirtyAndTarget();
    byte[] log = input;
    if (input.length > 0 && (input[0] & 1) == 1) {
      log = new LogWriter(d[0], 1).entry(1, 4096, 0, d[1]).entry(2, 8192, 4096, d[1]).bytes();
      for (int i = 1; i + 2 < input.length; i += 3) {
        int at = ((input[i] & 0xFF) << 8 | (input[i + 1] & 0xFF)) % log.length;
        log[at] = input[i + 2];
      }
    }
    try {
      TransactionLog t = TransactionLog.read("F.LOG1", log);
      LogReplay.Result r = LogReplay.replay(d[0], List.of(t));
      HiveCheck.run(d[0], List.of(t));
      if (r.outcome() == LogReplay.Outcome.RECOVERED) {
        Hive.of(r.hive()).root().subkeys();
      }
    } catch (DecodeException expected) {
      // the documented failure
    }
  }
}
