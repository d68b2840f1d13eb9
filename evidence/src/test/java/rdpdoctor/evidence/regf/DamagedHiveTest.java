package rdpdoctor.evidence.regf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import rdpdoctor.evidence.reg.RegFile;
import rdpdoctor.evidence.reg.RegWriter;
import rdpdoctor.evidence.registry.RegistryKey;
import rdpdoctor.evidence.registry.RegistryValue;
import rdpdoctor.evidence.registry.RegistryWalker;

/**
 * Hives the project damages itself, the ways real ones come damaged (issue 13): logs whose
 * sequence numbers leave a gap, a damaged hive bins size, names that differ only in a character
 * text cannot show, a duplicate subkey. Each test checks every key that should be found and the
 * numbers the damage report gives; each damaged file is also a Jazzer seed ({@link #SEEDS}).
 */
public class DamagedHiveTest {

  /** {@code n} keys below Software\TAG, each with a DWORD and a string: several pages of cells. */
  static HiveWriter.Key many(String tag, int n) {
    HiveWriter.Key root = new HiveWriter.Key("ROOT");
    for (int i = 0; i < n; i++) {
      root.key("Software\\" + tag + "\\Key" + i).dword("Index", i).sz("Name", tag + i);
    }
    return root;
  }

  /** Every key's path with its values, in walk order. */
  static Map<String, List<RegistryValue>> keys(byte[] file) {
    Map<String, List<RegistryValue>> out = new LinkedHashMap<>();
    RegistryWalker.walk(Hive.of(file).root(), (RegistryKey k, int d) -> out.put(k.path(), k.values()));
    return out;
  }

  static byte[] page(byte[] file, int n) {
    return Arrays.copyOfRange(file, 4096 + 4096 * n, 4096 + 4096 * (n + 1));
  }

  // ---- a subkeys list that cannot be read ----

  /**
   * The shape of yarp's TruncatedHive (a key's index root lies past the end of the file, its
   * key nodes do not): the subkeys list offset of Software\T is pointed outside the bins. Every
   * subkey is still found, by the Parent field of its key node, and hive check counts them.
   */
  @Test
  void subkeysOfAnUnreadableListAreRecoveredByTheirParentField() {
    byte[] sound = HiveWriter.write(many("T", 300));
    Map<String, List<RegistryValue>> want = keys(sound);
    HiveKey t = Hive.of(sound).root().subkey("Software").subkey("T");
    byte[] cut = sound.clone();
    // Key node data: Signature (2), Flags (2), Last written (8), Access bits (4), Parent (4),
    // Number of subkeys (4), Number of volatile subkeys (4), Subkeys list offset (4).
    int field = 4096 + (int) t.cellOffset() + 4 + 28;
    long outside = 0x7FFFFFF8L;
    for (int i = 0; i < 4; i++) {
      cut[field + i] = (byte) (outside >>> (8 * i));
    }
    List<String> errors = new ArrayList<>();
    List<Integer> recovered = new ArrayList<>();
    Map<String, List<RegistryValue>> got = new LinkedHashMap<>();
    RegistryWalker.walk(Hive.of(cut).root(), new RegistryWalker.Visitor() {
      @Override
      public void key(RegistryKey k, int d) {
        got.put(k.path(), k.values());
      }

      @Override
      public void error(RegistryKey k, rdpdoctor.protocol.DecodeException e) {
        errors.add(k.path());
      }

      @Override
      public void recovered(RegistryKey k, List<? extends RegistryKey> found) {
        recovered.add(found.size());
      }
    });
    assertThat(errors).containsExactly("Software\\T");
    assertThat(recovered).containsExactly(300);
    assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(want.keySet());
    assertThat(got.get("Software\\T\\Key299")).isEqualTo(want.get("Software\\T\\Key299"));

    HiveCheck c = HiveCheck.run(cut, List.of());
    assertThat(c.stats().keys()).isEqualTo(want.size());
    assertThat(c.problems()).filteredOn(p -> p.kind() == HiveCheck.Kind.RECOVERED).singleElement()
        .satisfies(p -> assertThat(p.message()).startsWith("300 of the 300 subkeys of key Software\\T are key nodes"));
    // A sound hive has nothing to recover.
    assertThat(HiveCheck.run(sound, List.of()).problems()).noneMatch(p -> p.kind() == HiveCheck.Kind.RECOVERED);
  }

  // ---- transaction logs with a sequence-number gap ----

  /**
   * The shape of public dirty hives (regipy's SYSTEM_B: primary 1622 / 1621, LOG1 from 2107,
   * LOG2 from 2111; msuhanov/regf-samples' "missing log entries": LOG2 holds the earlier
   * entries): the target hive {@code t}, its primary with every page after the first zeroed
   * (the writes the logs hold) and sequence numbers 2 / 1, LOG2 starting at 3 (page 2 as zeros,
   * then page 1) and LOG1 starting at 5 (pages 2 and up). Only LOG2 then LOG1, in sequence
   * order, gives {@code t}; LOG1 first would leave page 2 zeroed by LOG2's entry.
   */
  record GapCase(byte[] target, byte[] primary, byte[] log1, byte[] log2, int pages) {
    List<TransactionLog> logs() {
      return List.of(TransactionLog.read("X.LOG1", log1), TransactionLog.read("X.LOG2", log2));
    }
  }

  static GapCase gapCase(long log1Start) {
    byte[] t = HiveWriter.write(many("T", 100));
    int pages = (t.length - 4096) / 4096;
    assertThat(pages).isGreaterThanOrEqualTo(4);
    byte[] p = t.clone();
    Arrays.fill(p, 8192, p.length, (byte) 0);
    HiveWriter.putI32(p, 4, 2); // Primary sequence number
    HiveWriter.putI32(p, 8, 1); // Secondary sequence number
    HiveWriter.fixChecksum(p);
    long bins = t.length - 4096;
    byte[] log2 = new LogWriter(p, 3).entry(3, bins, 2 * 4096, new byte[4096])
        .entry(4, bins, 4096, page(t, 1)).bytes();
    LogWriter l1 = new LogWriter(p, log1Start);
    for (int i = 2; i < pages; i++) {
      l1.entry(log1Start + i - 2, bins, 4096L * i, page(t, i));
    }
    return new GapCase(t, p, l1.bytes(), log2, pages);
  }

  @Test
  void logsWithAGapAfterThePrimaryAreAppliedInSequenceOrder() {
    GapCase g = gapCase(5);
    // The logs matter: the primary alone is missing most of it.
    assertThat(HiveCheck.run(g.primary(), List.of()).stats().keys()).isLessThan(keys(g.target()).size());
    LogReplay.Result r = LogReplay.replay(g.primary(), g.logs());
    assertThat(r.outcome()).as("%s", r.steps()).isEqualTo(LogReplay.Outcome.RECOVERED);
    int last = 5 + g.pages() - 3;
    assertThat(r.firstSequence()).isEqualTo(3);
    assertThat(r.lastSequence()).isEqualTo(last);
    assertThat(r.entries()).isEqualTo(g.pages());
    assertThat(r.pages()).isEqualTo(g.pages());
    assertThat(r.steps()).contains(
        "X.LOG2 starts at sequence number 3, after the primary's 1: the entries between were"
            + " written to the primary by a partial reconcile; applied from 3, as Windows does",
        "X.LOG2: applied 2 log entries (3..4)",
        "X.LOG1: applied " + (g.pages() - 2) + " log entries (5.." + last + ")");
    assertThat(r.entriesNotApplied()).isZero();
    // Every key of the target, with its values, and the very bytes of its hive bins.
    assertThat(keys(r.hive())).isEqualTo(keys(g.target()));
    assertThat(Arrays.copyOfRange(r.hive(), 4096, r.hive().length))
        .isEqualTo(Arrays.copyOfRange(g.target(), 4096, g.target().length));
    Hive h = Hive.of(r.hive());
    assertThat(h.baseBlock().primarySequence()).isEqualTo(last);
    assertThat(h.baseBlock().dirty()).isFalse();

    HiveCheck c = HiveCheck.run(g.primary(), g.logs());
    assertThat(c.verdict()).as("%s", c.problems()).isEqualTo(HiveCheck.Verdict.LOADS_AFTER_LOG_REPLAY);
    assertThat(c.stats().keys()).isEqualTo(keys(g.target()).size());
    assertThat(c.reasons()).containsExactly("the hive is dirty (sequence numbers 2 and 1) and its logs"
        + " bring it to sequence number " + last);
  }

  @Test
  void aSecondLogThatDoesNotContinueIsNotApplied() {
    GapCase g = gapCase(7); // LOG2 ends at 4, LOG1 starts at 7: 5 and 6 are missing
    LogReplay.Result r = LogReplay.replay(g.primary(), g.logs());
    assertThat(r.outcome()).isEqualTo(LogReplay.Outcome.RECOVERED);
    assertThat(r.entries()).isEqualTo(2);
    assertThat(r.lastSequence()).isEqualTo(4);
    assertThat(r.steps()).contains("X.LOG1: starts at sequence number 7, not at 5 (the one after the"
        + " last applied): not applied, recovery stops there",
        "not applied: " + (g.pages() - 2) + " later log entries, since sequence number 5 is missing");
    assertThat(r.entriesNotApplied()).isEqualTo(g.pages() - 2);
    // Windows stops there too: page 2 stays as LOG2 left it, and the check says what broke and
    // what was left behind.
    HiveCheck c = HiveCheck.run(g.primary(), g.logs());
    assertThat(c.verdict()).isEqualTo(HiveCheck.Verdict.REFUSED);
    assertThat(c.reasons()).anyMatch(s -> s.contains("has size 0"));
    assertThat(c.reasons()).contains((g.pages() - 2) + " later log entries are not applied: sequence"
        + " number 5 is missing between them and the last one applied (4), and Windows stops there too");
  }

  @Test
  void sequenceNumbersThatWrapPast32BitsStayInOrder() {
    byte[] t = HiveWriter.write(many("W", 100));
    byte[] p = t.clone();
    Arrays.fill(p, 8192, p.length, (byte) 0);
    HiveWriter.putI32(p, 4, 0);
    HiveWriter.putI32(p, 8, -1); // secondary 0xffffffff
    HiveWriter.fixChecksum(p);
    int pages = (t.length - 4096) / 4096;
    long bins = t.length - 4096;
    // LOG1: 0xffffffff and 0 (pages 1, 2); LOG2: 1 and on (pages 3 and up).
    byte[] log1 = new LogWriter(p, 0xFFFFFFFFL).entry(0xFFFFFFFFL, bins, 4096, page(t, 1))
        .entry(0, bins, 8192, page(t, 2)).bytes();
    LogWriter l2 = new LogWriter(p, 1);
    for (int i = 3; i < pages; i++) {
      l2.entry(i - 2, bins, 4096L * i, page(t, i));
    }
    List<TransactionLog> logs = List.of(TransactionLog.read("X.LOG2", l2.bytes()),
        TransactionLog.read("X.LOG1", log1));
    LogReplay.Result r = LogReplay.replay(p, logs);
    assertThat(r.outcome()).as("%s", r.steps()).isEqualTo(LogReplay.Outcome.RECOVERED);
    assertThat(r.firstSequence()).isEqualTo(0xFFFFFFFFL);
    assertThat(r.lastSequence()).isEqualTo(pages - 3);
    assertThat(keys(r.hive())).isEqualTo(keys(t));
  }

  // ---- a damaged hive bins data size ----

  /** A hive in bins of 4096 bytes whose base block's size field says {@code declared}. */
  static byte[] sizeDamaged(long declared, boolean fixChecksum) {
    byte[] f = HiveWriter.writeSmallBins(many("S", 100));
    HiveWriter.putI32(f, 40, (int) declared);
    if (fixChecksum) {
      HiveWriter.fixChecksum(f);
    }
    return f;
  }

  static final int SOUND_KEYS = 103; // ROOT, Software, S and Key0..Key99

  @Test
  void aSizeThatEndsInsideABinFallsBackToTheBinsPresent() {
    byte[] sound = HiveWriter.writeSmallBins(many("S", 100));
    int bins = (sound.length - 4096) / 4096;
    assertThat(bins).isGreaterThanOrEqualTo(4);
    assertThat(keys(sound)).hasSize(SOUND_KEYS);
    byte[] f = sizeDamaged(4096 + 512, true); // checksum valid: only the bin cut in two says it is wrong
    Hive.Bins b = Hive.bins(f, Hive.of(f).baseBlock());
    assertThat(b).isEqualTo(new Hive.Bins(4608, 4096L * bins, 4096L * bins, bins));
    assertThat(keys(f)).isEqualTo(keys(sound));
    HiveCheck c = HiveCheck.run(f, List.of());
    String report = "the base block says 4608 bytes of hive bins, the file holds an unbroken chain of "
        + bins + " hive bins with " + 4096L * bins + " bytes: reading the bins present";
    assertThat(c.problems()).containsExactly(new HiveCheck.Problem(HiveCheck.Kind.BINS_SIZE, 40, report));
    assertThat(c.verdict()).isEqualTo(HiveCheck.Verdict.REFUSED);
    assertThat(c.reasons()).containsExactly(report);
    assertThat(c.stats().keys()).isEqualTo(SOUND_KEYS);
    assertThat(c.stats().bins()).isEqualTo(bins);
  }

  @Test
  void aSizeUnderABadChecksumFallsBackToo() {
    byte[] f = sizeDamaged(4096, false); // on a bin boundary, but the checksum says the block is damaged
    int bins = (f.length - 4096) / 4096;
    assertThat(keys(f)).hasSize(SOUND_KEYS);
    HiveCheck c = HiveCheck.run(f, List.of());
    assertThat(c.problems()).extracting(HiveCheck.Problem::kind)
        .containsExactly(HiveCheck.Kind.BASE_BLOCK_CHECKSUM, HiveCheck.Kind.BINS_SIZE);
    assertThat(c.problems().get(1).message()).startsWith("the base block says 4096 bytes of hive bins,"
        + " the file holds an unbroken chain of " + bins + " hive bins with " + 4096L * bins + " bytes");
    assertThat(c.stats().keys()).isEqualTo(SOUND_KEYS);
  }

  /**
   * The case on a real hive: yarp's RecoveredHive_Windows7 (110 bins, 5,003 keys) with
   * its size field set to one bin, damaged in memory (with its checksum left as it was, and
   * recomputed over a size inside a bin): read to that size, it gave 2 keys.
   */
  @Test
  void aRealHiveWithADamagedSizeKeepsAllItsKeys() throws IOException {
    byte[] sound = Files.readAllBytes(rdpdoctor.evidence.registry.RegistryCorpus.file(
        "yarp/OldDirtyHive/RecoveredHive_Windows7"));
    Map<String, List<RegistryValue>> want = keys(sound);
    assertThat(want).hasSize(5003);
    for (int declared : new int[] {4096, 4096 + 512}) {
      byte[] f = sound.clone();
      HiveWriter.putI32(f, 40, declared);
      if (declared != 4096) {
        HiveWriter.fixChecksum(f);
      }
      assertThat(keys(f)).as("size %d", declared).isEqualTo(want);
      HiveCheck c = HiveCheck.run(f, List.of());
      assertThat(c.stats().keys()).isEqualTo(5003);
      // The zeros after the last bin are the file's padding, not data left unread.
      assertThat(c.problems()).extracting(HiveCheck.Problem::message).contains("the base block says "
          + declared + " bytes of hive bins, the file holds an unbroken chain of 110 hive bins with"
          + " 487424 bytes: reading the bins present");
    }
  }

  /** A chain that breaks before the file ends: what follows it is counted as not read. */
  @Test
  void bytesAfterTheChainAreCountedAsNotRead() {
    byte[] f = sizeDamaged(0x1234, true);
    int bins = (f.length - 4096) / 4096;
    f[4096 + 4096 * (bins - 1)] = 'X'; // the last bin's signature: the chain ends one bin early
    HiveCheck c = HiveCheck.run(f, List.of());
    assertThat(c.problems()).extracting(HiveCheck.Problem::message).contains("the base block says 4660"
        + " bytes of hive bins, the file holds an unbroken chain of " + (bins - 1) + " hive bins with "
        + 4096L * (bins - 1) + " bytes: reading the bins present (the 4096 bytes after them are no"
        + " hive bin and are not read)");
  }

  @Test
  void aSizeThatIsNoMultipleOf4096FallsBack() {
    for (long declared : new long[] {0, 0x1234, 0x7FFFFFFFL}) {
      byte[] f = sizeDamaged(declared, true);
      assertThat(keys(f)).as("size %d", declared).hasSize(SOUND_KEYS);
      HiveCheck c = HiveCheck.run(f, List.of());
      assertThat(c.problems()).extracting(HiveCheck.Problem::kind).containsExactly(HiveCheck.Kind.BINS_SIZE);
      assertThat(c.stats().keys()).isEqualTo(SOUND_KEYS);
    }
  }

  /**
   * A well-formed size on a bin boundary under a valid checksum is Windows' own number even when
   * more bins follow (a dirty hive's bins its logs have not counted yet, as SYSTEM_WIN_10_1709):
   * kept, and the keys it cuts off are reported as references past the end, not read.
   */
  @Test
  void aWellFormedSizeOnABoundaryIsKept() {
    byte[] f = sizeDamaged(8192, true);
    Hive.Bins b = Hive.bins(f, Hive.of(f).baseBlock());
    assertThat(b.fellBack()).isFalse();
    HiveCheck c = HiveCheck.run(f, List.of());
    assertThat(c.problems()).extracting(HiveCheck.Problem::kind).doesNotContain(HiveCheck.Kind.BINS_SIZE);
    assertThat(c.stats().bins()).isEqualTo(2);
  }

  // ---- names ----

  /** Keys whose names differ only in a code unit that text cannot show, and the .reg text of them. */
  static HiveWriter.Key oddNames() {
    HiveWriter.Key root = new HiveWriter.Key("ROOT");
    root.key("K\uD800").dword("V", 1); // lone high surrogates: both decoded to U+FFFD before
    root.key("K\uD801").dword("V", 2);
    root.key("Ctl\u0001").dword("V", 3); // a Latin-1 name with a control character
    root.key("Mark\uFFFD").dword("V", 4); // a real U+FFFD, so it must not read as an escape
    root.key("Values").dword("W\uDFFF", 5).dword("W\uDFFE", 6);
    return root;
  }

  @Test
  void namesThatDifferOnlyInAnUnreadableUnitStayDistinct() {
    byte[] f = HiveWriter.write(oddNames());
    HiveKey root = Hive.of(f).root();
    assertThat(root.subkeys()).extracting(HiveKey::name)
        .containsExactly("Ctl\u0001", "K\uD800", "K\uD801", "Mark\uFFFD", "Values");
    assertThat(root.subkey("K\uD801").value("V").asNumber()).isEqualTo(2L);
    assertThat(root.subkey("Values").values()).extracting(RegistryValue::name)
        .containsExactly("W\uDFFF", "W\uDFFE");
    HiveCheck c = HiveCheck.run(f, List.of());
    assertThat(c.verdict()).as("%s", c.problems()).isEqualTo(HiveCheck.Verdict.LOADS_AS_IS);

    StringBuilder text = new StringBuilder();
    RegWriter.write(root, "HKEY_LOCAL_MACHINE\\T", text);
    String reg = text.toString();
    assertThat(reg).contains("[HKEY_LOCAL_MACHINE\\T\\Ctl\uFFFD{0001}]\r\n\"V\"=dword:00000003\r\n",
        "[HKEY_LOCAL_MACHINE\\T\\K\uFFFD{d800}]\r\n\"V\"=dword:00000001\r\n",
        "[HKEY_LOCAL_MACHINE\\T\\K\uFFFD{d801}]\r\n\"V\"=dword:00000002\r\n",
        "[HKEY_LOCAL_MACHINE\\T\\Mark\uFFFD{fffd}]\r\n",
        "\"W\uFFFD{dfff}\"=dword:00000005\r\n\"W\uFFFD{dffe}\"=dword:00000006\r\n");
    // stdout's UTF-8 bytes say the same (no '?' for half a pair), and both read back to the raw names.
    java.io.ByteArrayOutputStream utf8 = new java.io.ByteArrayOutputStream();
    RegWriter.writeUtf8(root, "HKEY_LOCAL_MACHINE\\T", utf8);
    assertThat(utf8.toString(StandardCharsets.UTF_8)).isEqualTo(reg);
    RegFile back = RegFile.parse(reg);
    RegistryKey t = back.root().find("HKEY_LOCAL_MACHINE\\T");
    assertThat(t.subkeys()).extracting(RegistryKey::name)
        .containsExactlyInAnyOrder("Ctl\u0001", "K\uD800", "K\uD801", "Mark\uFFFD", "Values");
    assertThat(t.subkey("K\uD800").value("V").asNumber()).isEqualTo(1L);
    assertThat(t.subkey("Values").value("W\uDFFE").asNumber()).isEqualTo(6L);
  }

  // ---- a duplicate subkey ----

  /** Subkeys "Dup" and "Dup2", then the second one's name cut to "Dup": one name twice in a list. */
  static byte[] duplicate() {
    HiveWriter.Key root = new HiveWriter.Key("ROOT");
    root.key("Dup").dword("V", 1);
    HiveWriter.Key second = root.key("Dup2");
    second.dword("V", 2);
    byte[] f = HiveWriter.write(root);
    int nk = 4096 + (int) second.offset + 4; // the key node's data, after its cell size
    f[nk + 72] = 3; // Key name length (2): "Dup2" becomes "Dup"
    f[nk + 73] = 0;
    return f;
  }

  @Test
  void aDuplicateSubkeyIsNamedAsOne() {
    byte[] f = duplicate();
    HiveKey root = Hive.of(f).root();
    assertThat(root.subkeys()).extracting(HiveKey::name).containsExactly("Dup", "Dup");
    assertThat(root.subkeys()).extracting(k -> k.value("V").asNumber()).containsExactly(1L, 2L);
    HiveCheck c = HiveCheck.run(f, List.of());
    long first = root.subkeys().get(0).cellOffset();
    long second = root.subkeys().get(1).cellOffset();
    assertThat(c.problems()).containsExactly(new HiveCheck.Problem(HiveCheck.Kind.DUPLICATE,
        4096 + root.cellOffset(), String.format("the subkeys list of the root key holds \"Dup\" twice"
            + " (key nodes 0x%x and 0x%x): a lookup by name finds only one of them", first, second)));
    assertThat(c.verdict()).isEqualTo(HiveCheck.Verdict.SELF_HEALED);
    assertThat(c.stats().keys()).isEqualTo(3);
  }

  /**
   * One key node listed under two keys (as yarp's BadSubkeyHive): A\\sub and B\\sub are the same
   * node. The dump writes it once and says where it left it out, instead of dropping it silently.
   */
  public static byte[] sharedNode() {
    HiveWriter.Key root = new HiveWriter.Key("ROOT");
    HiveWriter.Key a = root.key("A");
    HiveWriter.Key aSub = a.key("sub");
    aSub.dword("V", 1);
    HiveWriter.Key b = root.key("B");
    b.key("sub").dword("V", 2);
    byte[] f = HiveWriter.write(root);
    // B's one-element subkeys list: cell size (4), signature and count (4), then offset and hash.
    int element = 4096 + (int) b.subkeyListOffset + 4 + 4;
    for (int i = 0; i < 4; i++) {
      f[element + i] = (byte) (aSub.offset >>> (8 * i)); // little-endian cell offset
    }
    return f;
  }

  @Test
  void aKeyNodeListedTwiceIsWrittenOnceAndTheOtherPlaceSaysSo() {
    byte[] f = sharedNode();
    HiveKey root = Hive.of(f).root();
    long node = root.subkey("A").subkey("sub").cellOffset();
    assertThat(root.subkey("B").subkey("sub").cellOffset()).isEqualTo(node);
    StringBuilder reg = new StringBuilder();
    rdpdoctor.evidence.reg.RegWriter.write(root, "HKEY_LOCAL_MACHINE\\X", reg);
    assertThat(reg.toString()).contains("[HKEY_LOCAL_MACHINE\\X\\A\\sub]")
        .doesNotContain("[HKEY_LOCAL_MACHINE\\X\\B\\sub]")
        .contains(String.format("; B\\sub not written: it is key node 0x%x, already written under another key"
            + " (the hive lists it twice)", node));
  }

  // ---- Jazzer seeds ----

  /**
   * The damaged files above as seeds of the regf fuzz targets (replayed by every ./test): hive
   * files for {@code HiveReaderTest#anyBytesReadOrFailCleanly} (a first byte 'r' is even, so
   * they are read as they are), a log for {@code LogReplayUnitTest#anyLogReplaysOrStopsCleanly}
   * and log pairs for {@code LogReplayUnitTest#anyTwoLogsReplay}.
   */
  static final Map<String, byte[]> SEEDS = seeds();

  private static Map<String, byte[]> seeds() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    String hives = "HiveReaderTestInputs/anyBytesReadOrFailCleanly/";
    m.put(hives + "bins-size-inside-a-bin", sizeDamaged(4096 + 512, true));
    m.put(hives + "bins-size-bad-checksum", sizeDamaged(4096, false));
    m.put(hives + "bins-size-zero", sizeDamaged(0, true));
    m.put(hives + "names-unreadable-units", HiveWriter.write(oddNames()));
    m.put(hives + "duplicate-subkey", duplicate());
    GapCase g = gapCase(5);
    m.put(hives + "dirty-log-gap-primary", g.primary());
    String logs = "LogReplayUnitTestInputs/anyTwoLogsReplay/";
    m.put(logs + "gap-after-primary", LogReplayUnitTest.twoLogsInput(g.primary(), g.log1(), g.log2()));
    byte[][] d = LogReplayUnitTest.dirtyAndTarget(); // that target's own primary, secondary 1
    m.put("LogReplayUnitTestInputs/anyLogReplaysOrStopsCleanly/gap-after-primary",
        new LogWriter(d[0], 5).entry(5, 4096, 0, d[1]).entry(6, 4096, 0, d[1]).bytes());
    GapCase stop = gapCase(7);
    m.put(logs + "gap-between-logs", LogReplayUnitTest.twoLogsInput(stop.primary(), stop.log1(), stop.log2()));
    return m;
  }

  static final Path SEED_DIR = Path.of("src/test/resources/rdpdoctor/evidence/regf");

  /**
   * The committed seeds are the files these tests write (so the fuzzers start from today's
   * damage). {@code -Drdpdoctor.writeSeeds=true} writes them after a change to the writers.
   */
  @Test
  void theSeedsAreTheseDamagedFiles() throws IOException {
    boolean write = Boolean.getBoolean("rdpdoctor.writeSeeds");
    List<String> stale = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : SEEDS.entrySet()) {
      if (write) {
        Path p = SEED_DIR.resolve(e.getKey());
        Files.createDirectories(p.getParent());
        Files.write(p, e.getValue());
        continue;
      }
      try (InputStream in = DamagedHiveTest.class.getResourceAsStream(e.getKey())) {
        if (in == null || !Arrays.equals(in.readAllBytes(), e.getValue())) {
          stale.add(e.getKey());
        }
      }
    }
    assertThat(stale).as("seeds missing or stale: run this test with -Drdpdoctor.writeSeeds=true").isEmpty();
  }
}
