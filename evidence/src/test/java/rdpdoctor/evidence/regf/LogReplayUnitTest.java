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
    // The log was given: the advice is not to go and fetch it (yarp's BadLogHive3 got that).
    HiveCheck c = HiveCheck.run(d[0], List.of(t));
    assertThat(c.verdict()).isEqualTo(HiveCheck.Verdict.LOGS_NEEDED);
    assertThat(c.consequence()).startsWith("the logs given do not apply (see why)").doesNotContain("sit beside it");
    assertThat(HiveCheck.run(d[0], List.of()).consequence())
        .isEqualTo("copy the .LOG1 and .LOG2 files that sit beside it and check again");
  }

  /**
   * A log whose first entry is past the primary's secondary sequence number applies (msuhanov/regf
   * "Log entries" note 7: "not less than"): a partial reconcile wrote the entries in between to
   * the primary without updating its base block.
   */
  @Test
  void aLogThatStartsAfterThePrimaryApplies() {
    byte[][] d = dirtyAndTarget();
    byte[] log = new LogWriter(d[0], 5).entry(5, 4096, 0, d[1]).bytes();
    LogReplay.Result r = LogReplay.replay(d[0], List.of(TransactionLog.read("X.LOG2", log)));
    assertThat(r.outcome()).as("%s", r.steps()).isEqualTo(LogReplay.Outcome.RECOVERED);
    assertThat(r.firstSequence()).isEqualTo(5);
    assertThat(r.lastSequence()).isEqualTo(5);
    assertThat(r.steps()).anyMatch(s -> s.contains("starts at sequence number 5, after the primary's 1"));
    HiveCheck c = HiveCheck.run(d[0], List.of(TransactionLog.read("X.LOG2", log)));
    assertThat(c.verdict()).isEqualTo(HiveCheck.Verdict.LOADS_AFTER_LOG_REPLAY);
  }

  /** A log that starts before the primary's secondary sequence number was applied already. */
  @Test
  void aLogThatStartsBeforeThePrimaryIsNotUsed() {
    byte[][] d = dirtyAndTarget();
    HiveWriter.putI32(d[0], 4, 9); // sequence numbers 9 / 8
    HiveWriter.putI32(d[0], 8, 8);
    HiveWriter.fixChecksum(d[0]);
    byte[] log = new LogWriter(d[0], 7).entry(7, 4096, 0, d[1]).entry(8, 4096, 0, d[1]).bytes();
    LogReplay.Result r = LogReplay.replay(d[0], List.of(TransactionLog.read("X.LOG1", log)));
    assertThat(r.outcome()).isEqualTo(LogReplay.Outcome.LOGS_UNUSABLE);
    assertThat(r.steps()).anyMatch(s -> s.contains("starts at sequence number 7, before the primary's 8"));
  }

  /**
   * Bytes that are no entry after valid ones are remnants of older, longer entries (a reused log
   * always has them): said in the steps, not a problem; with no valid entry before them they are.
   */
  @Test
  void remnantsAfterTheLastEntryAreNoDamage() {
    byte[][] d = dirtyAndTarget();
    byte[] one = new LogWriter(d[0], 1).entry(1, 4096, 0, d[1]).bytes();
    byte[] log = Arrays.copyOf(one, one.length + 512);
    Arrays.fill(log, one.length, log.length, (byte) 0x5A); // what an older entry left there
    TransactionLog t = TransactionLog.read("X.LOG1", log);
    assertThat(t.entries()).hasSize(1);
    assertThat(t.remnant()).isTrue();
    HiveCheck c = HiveCheck.run(d[0], List.of(t));
    assertThat(c.problems()).extracting(HiveCheck.Problem::kind).doesNotContain(HiveCheck.Kind.LOG);
    assertThat(c.replay().steps()).contains(String.format("X.LOG1: ends after its last entry, no HvLE"
        + " signature at offset 0x%x (remnants of older entries)", one.length));

    byte[] garbage = Arrays.copyOf(one, one.length);
    Arrays.fill(garbage, 512, garbage.length, (byte) 0x5A); // no valid entry at all
    TransactionLog g = TransactionLog.read("X.LOG1", garbage);
    assertThat(g.remnant()).isFalse();
    assertThat(HiveCheck.run(d[0], List.of(g)).problems()).extracting(HiveCheck.Problem::kind)
        .contains(HiveCheck.Kind.LOG);
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

  /**
   * A fuzz input holding a primary and two logs: the primary's length (4 bytes, little-endian),
   * the primary, LOG1's length, LOG1, then LOG2 to the end.
   */
  static byte[] twoLogsInput(byte[] primary, byte[] log1, byte[] log2) {
    byte[] out = new byte[8 + primary.length + log1.length + log2.length];
    HiveWriter.putI32(out, 0, primary.length);
    System.arraycopy(primary, 0, out, 4, primary.length);
    HiveWriter.putI32(out, 4 + primary.length, log1.length);
    System.arraycopy(log1, 0, out, 8 + primary.length, log1.length);
    System.arraycopy(log2, 0, out, 8 + primary.length + log1.length, log2.length);
    return out;
  }

  /** The next length-prefixed part of a fuzz input from {@code at[0]}, cut at the input's end. */
  private static byte[] part(byte[] input, int[] at) {
    if (at[0] + 4 > input.length) {
      at[0] = input.length;
      return new byte[0];
    }
    long n = Hive.u32le(input, at[0]);
    int from = at[0] + 4;
    int to = (int) Math.min(input.length, from + n);
    at[0] = to;
    return Arrays.copyOfRange(input, from, to);
  }

  /**
   * Any primary with any two logs (the dual-logging case, where the order and the gaps between
   * the logs' sequence numbers decide what is applied): never a failure other than DecodeException.
   * Seeds: DamagedHiveTest's log-gap cases.
   */
  @FuzzTest(maxDuration = "60s")
  void anyTwoLogsReplay(byte[] input) {
    int[] at = {0};
    byte[] primary = part(input, at);
    byte[] log1 = part(input, at);
    byte[] log2 = Arrays.copyOfRange(input, at[0], input.length);
    try {
      List<TransactionLog> logs = List.of(TransactionLog.read("F.LOG1", log1), TransactionLog.read("F.LOG2", log2));
      HiveCheck.run(primary, logs);
      LogReplay.Result r = LogReplay.replay(primary, logs);
      if (r.outcome() == LogReplay.Outcome.RECOVERED) {
        HiveCheck.run(r.hive(), List.of());
        Hive.of(r.hive()).root().subkeys();
      }
    } catch (DecodeException expected) {
      // the documented failure
    }
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
