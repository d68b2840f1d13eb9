package rdpdoctor.evidence.regf;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.Provenance;
import rdpdoctor.evidence.reg.RegNames;
import rdpdoctor.evidence.registry.HiveKind;
import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.DecodeException;

/**
 * The integrity check behind {@code rdpdoctor hive check}: what Windows would do with this file
 * (and its transaction logs) when it loads it, and why.
 *
 * <p>It checks the base block (checksum, sequence numbers, version, sizes), replays the logs when
 * the hive is dirty, then checks the resulting file: the hive bin chain, every cell's size and
 * bounds, and every cell reachable from the root key (key nodes, subkey lists, value lists, key
 * values, data and big data, security cells), with cycles, shared nodes, references into the
 * middle of a cell and free cells detected. The walk uses an explicit stack and bit sets, so a
 * cyclic or huge structure costs memory proportional to the file, never the thread stack.
 *
 * @param verdict what Windows does with it
 * @param reasons why, one sentence each, most important first
 * @param consequence what the user sees, in the hive kind's terms
 * @param kind the hive kind (from its content), OTHER when it could not be read
 * @param baseBlock the primary's base block, or null when it is not a registry file
 * @param replay what log replay did (NOT_DIRTY when nothing was needed)
 * @param problems every problem found, in file order per phase
 * @param stats counts of what was walked
 */
public record HiveCheck(
    Verdict verdict,
    List<String> reasons,
    String consequence,
    HiveKind kind,
    @Nullable BaseBlock baseBlock,
    LogReplay.Result replay,
    List<Problem> problems,
    Stats stats) {

  /**
   * This check as a {@code registry.hive} observation (DEVELOPERS.md): {@code verdict} is
   * loads, loads-after-log-replay, logs-needed, self-healed or refused; {@code reason} the first
   * reason, with all of them, what the user sees, and the base block's numbers.
   */
  public Observation observation(String location, boolean logsPresent) {
    Observation.Builder b = Observation.of("registry.hive",
            new Provenance(Provenance.Source.REGISTRY_HIVE, location, "base block and hive bins"))
        .with("file", location)
        .with("kind", kindWord(kind))
        .with("verdict", verdict.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
            .replace("loads-as-is", "loads"))
        .with("reason", reasons.isEmpty() ? "" : reasons.get(0))
        .with("reasons", reasons)
        .with("consequence", consequence)
        .with("dirty", baseBlock != null && baseBlock.dirty())
        .with("logsPresent", logsPresent)
        .with("logReplay", replay.outcome().name())
        .with("problems", (long) problems.size());
    if (baseBlock != null) {
      b.with("primarySequence", baseBlock.primarySequence())
          .with("secondarySequence", baseBlock.secondarySequence())
          .with("checksumValid", baseBlock.checksumValid());
    }
    return b.summary(location + ": " + verdict.words() + " (" + String.join("; ", reasons) + ")");
  }

  /** The rules' words for hive kinds (DEVELOPERS.md): system, software, user, ... */
  public static String kindWord(HiveKind kind) {
    return switch (kind) {
      case NTUSER -> "user";
      case OTHER -> "unknown";
      default -> kind.name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** Windows' possible outcomes when it loads the hive. */
  public enum Verdict {
    LOADS_AS_IS("loads as is"),
    LOADS_AFTER_LOG_REPLAY("loads after log replay"),
    LOGS_NEEDED("dirty: the transaction logs are needed"),
    SELF_HEALED("loads only after Windows' self-healing drops damaged keys"),
    REFUSED("Windows will refuse it");

    private final String words;

    Verdict(String words) {
      this.words = words;
    }

    public String words() {
      return words;
    }
  }

  /** What kind of damage a problem is; {@code fatal} ones make Windows refuse the hive. */
  public enum Kind {
    NOT_A_HIVE(true),
    BASE_BLOCK_CHECKSUM(false),
    SEQUENCE_NUMBERS(false),
    HEADER(true),
    /** The base block's hive bins size is damaged; the bins present were read instead. */
    BINS_SIZE(true),
    TRUNCATED(true),
    BIN_CHAIN(true),
    CELL(true),
    ROOT(true),
    REFERENCE(false),
    CYCLE(false),
    SHARED_NODE(false),
    COUNT(false),
    PARENT(false),
    ORDER(false),
    /** The same name twice in one subkeys list: two keys Windows cannot tell apart by name. */
    DUPLICATE(false),
    /** Subkeys found by their Parent field where the subkeys list cannot be read: what a recovery gets back. */
    RECOVERED(false),
    VALUE(false),
    SECURITY(false),
    LOG(false);

    private final boolean fatal;

    Kind(boolean fatal) {
      this.fatal = fatal;
    }

    public boolean fatal() {
      return fatal;
    }
  }

  /**
   * One problem.
   *
   * @param kind its kind
   * @param offset file offset of the structure concerned, or -1
   * @param message one lowercase sentence with the numbers
   */
  public record Problem(Kind kind, long offset, String message) {}

  /** What was walked: hive bins, cells, keys, values, security cells, bytes of value data. */
  public record Stats(int bins, long cells, long freeCells, long keys, long values, long securityCells,
      long dataBytes) {}

  private static final int MAX_PROBLEMS = 1000;

  /** Checks {@code primary} with {@code logs} (may be empty). Never throws on bad input. */
  public static HiveCheck run(byte[] primary, List<TransactionLog> logs) {
    List<Problem> problems = new ArrayList<>();
    BaseBlock base = null;
    try {
      base = BaseBlock.read(primary);
    } catch (DecodeException e) {
      problems.add(new Problem(Kind.NOT_A_HIVE, 0, e.getMessage()));
    }
    if (base != null) {
      if (!base.checksumValid()) {
        problems.add(new Problem(Kind.BASE_BLOCK_CHECKSUM, 508, String.format(
            "base block checksum is 0x%08x, its contents give 0x%08x", base.storedChecksum(),
            base.computedChecksum())));
      }
      if (!base.sequencesMatch()) {
        problems.add(new Problem(Kind.SEQUENCE_NUMBERS, 4, String.format(
            "sequence numbers differ (primary %d, secondary %d): a write did not finish",
            base.primarySequence(), base.secondarySequence())));
      }
    }
    for (TransactionLog log : logs) {
      if (!log.baseBlockValid()) {
        problems.add(new Problem(Kind.LOG, 0, log.name() + ": " + log.baseBlockProblem()));
      } else if (log.stopReason() != null && !log.remnant()) {
        problems.add(new Problem(Kind.LOG, -1, log.name() + ": " + log.stopReason()));
      }
    }
    LogReplay.Result replay = LogReplay.replay(primary, logs);
    byte[] state = replay.hive(); // the primary itself unless the logs recovered it
    boolean headerUsable = base != null && base.checksumValid()
        || replay.outcome() == LogReplay.Outcome.RECOVERED;

    Walker w = new Walker(state, problems);
    HiveKind kind = HiveKind.OTHER;
    if (headerUsable || base != null) {
      w.run();
      kind = w.kind;
    }
    Stats stats = new Stats(w.bins, w.cells, w.freeCells, w.keys, w.values, w.securityCells, w.dataBytes);
    return decide(base, replay, problems, stats, kind, logs.isEmpty());
  }

  private static HiveCheck decide(@Nullable BaseBlock base, LogReplay.Result replay,
      List<Problem> problems, Stats stats, HiveKind kind, boolean noLogs) {
    List<String> reasons = new ArrayList<>();
    Verdict verdict;
    boolean recovered = replay.outcome() == LogReplay.Outcome.RECOVERED;
    List<Problem> structural = problems.stream()
        .filter(p -> p.kind() != Kind.BASE_BLOCK_CHECKSUM && p.kind() != Kind.SEQUENCE_NUMBERS
            && p.kind() != Kind.LOG)
        .toList();
    boolean fatal = structural.stream().anyMatch(p -> p.kind().fatal());
    if (base == null && !recovered) {
      verdict = Verdict.REFUSED;
      reasons.add("not a registry hive: " + problems.get(0).message());
    } else if (base != null && !base.checksumValid() && !recovered) {
      verdict = Verdict.REFUSED;
      reasons.add(String.format("the base block is damaged (checksum 0x%08x, expected 0x%08x) and %s",
          base.storedChecksum(), base.computedChecksum(),
          noLogs ? "no transaction log was given to repair it from"
              : "no transaction log given can repair it"));
    } else if (fatal) {
      verdict = Verdict.REFUSED;
      structural.stream().filter(p -> p.kind().fatal()).limit(3).forEach(p -> reasons.add(p.message()));
    } else if (base != null && base.dirty() && !recovered) {
      verdict = Verdict.LOGS_NEEDED;
      reasons.add(String.format("the hive is dirty (sequence numbers %d and %d): Windows would first"
          + " replay its transaction logs (.LOG1/.LOG2), %s; the file alone may miss the last"
          + " writes, or load with them half done", base.primarySequence(), base.secondarySequence(),
          noLogs ? "which are not here" : "and none of those given applies"));
    } else if (!structural.isEmpty()) {
      verdict = Verdict.SELF_HEALED;
      structural.stream().limit(3).forEach(p -> reasons.add(p.message()));
    } else if (recovered) {
      verdict = Verdict.LOADS_AFTER_LOG_REPLAY;
      reasons.add(base == null || !base.checksumValid()
          ? "the base block is damaged, and its transaction log repairs it"
          : String.format("the hive is dirty (sequence numbers %d and %d) and its logs bring it to"
              + " sequence number %d", base.primarySequence(), base.secondarySequence(),
              replay.lastSequence()));
    } else {
      verdict = Verdict.LOADS_AS_IS;
      reasons.add("base block, hive bins and every reachable cell are consistent");
    }
    if (replay.entriesNotApplied() > 0) {
      // Windows stops at the gap too, so this is no verdict of its own; but the writes are lost.
      reasons.add(String.format("%d later log entries are not applied: sequence number %d is missing"
          + " between them and the last one applied (%d), and Windows stops there too",
          replay.entriesNotApplied(), (replay.lastSequence() + 1) & 0xFFFFFFFFL, replay.lastSequence()));
    }
    if (recovered && !structural.isEmpty() && verdict != Verdict.LOADS_AFTER_LOG_REPLAY) {
      reasons.add("(checked after replaying the logs)");
    }
    return new HiveCheck(verdict, List.copyOf(reasons), consequence(verdict, kind, replay.outcome()), kind, base,
        replay, List.copyOf(problems), stats);
  }

  /** What the person at the keyboard sees, for each verdict and hive kind (no logs given). */
  public static String consequence(Verdict verdict, HiveKind kind) {
    return consequence(verdict, kind, LogReplay.Outcome.NO_LOGS);
  }

  /**
   * As above; for a dirty hive, {@code logs} tells whether logs were missing or were there and do
   * not apply (yarp's BadLogHive3: both logs found, both with a bad base block checksum), where
   * "copy the logs that sit beside it" would send the person for files they already gave.
   */
  public static String consequence(Verdict verdict, HiveKind kind, LogReplay.Outcome logs) {
    return switch (verdict) {
      case LOADS_AS_IS -> "nothing: Windows loads this hive normally";
      case LOADS_AFTER_LOG_REPLAY -> "nothing visible: Windows repairs it from its logs when it loads it";
      case LOGS_NEEDED -> logs == LogReplay.Outcome.LOGS_UNUSABLE
          ? "the logs given do not apply (see why): copy the hive and its .LOG1 and .LOG2 again, together,"
              + " from the computer (reg save, or a shadow copy) and check again"
          : "copy the .LOG1 and .LOG2 files that sit beside it and check again";
      case SELF_HEALED -> kind.userHive()
          ? "the profile loads, but settings under the damaged keys are lost"
          : "Windows loads it, but the damaged keys and their values are gone";
      case REFUSED -> switch (kind) {
        case NTUSER, USRCLASS ->
            "at logon the User Profile Service cannot load it: the user gets a temporary profile"
                + " (User Profile Service events 1500/1509/1511)";
        case SYSTEM, SOFTWARE -> "Windows does not boot with this hive";
        default -> "Windows refuses to load it (RegLoadKey fails with ERROR_BADDB, 1009)";
      };
    };
  }

  /** The structural walk over one file's bytes. */
  private static final class Walker {
    private final byte[] data;
    private final List<Problem> problems;
    /**
     * One byte per 8-byte slot of the hive bins the bin walk read, so a reference costs one array
     * read: {@link #CELL_START}, {@link #ALLOCATED}, {@link #VISITED_KEY}. Sized from the bins
     * actually in the file, never from a header field alone.
     */
    private byte[] slots = new byte[0];
    private final BitSet seenSecurity = new BitSet();
    int bins;
    long cells;
    long freeCells;
    long keys;
    long values;
    long securityCells;
    long dataBytes;
    HiveKind kind = HiveKind.OTHER;

    private static final byte CELL_START = 1;
    private static final byte ALLOCATED = 2;
    private static final byte VISITED_KEY = 4;

    Walker(byte[] data, List<Problem> problems) {
      this.data = data;
      this.problems = problems;
    }

    void problem(Kind kind, long offset, String message) {
      if (problems.size() < MAX_PROBLEMS) {
        problems.add(new Problem(kind, offset, message));
      }
    }

    void run() {
      BaseBlock b;
      try {
        b = BaseBlock.read(data);
      } catch (DecodeException e) {
        return;
      }
      if (b.major() != 1 || b.minor() < 3 || b.minor() > 6) {
        problem(Kind.HEADER, 20, "version " + b.major() + "." + b.minor() + " (expected: 1.3 to 1.6)");
      }
      if (b.fileType() != 0) {
        problem(Kind.HEADER, 28, "file type " + b.fileType() + " (expected: 0, a primary file)");
      }
      if (b.fileFormat() != 1) {
        problem(Kind.HEADER, 32, "file format " + b.fileFormat() + " (expected: 1)");
      }
      Hive.Bins extent = Hive.bins(data, b);
      long size = extent.size();
      if (extent.fellBack()) {
        // Both numbers, and what was read instead: the keys in the bins past a damaged size are
        // what a reader that trusted the field would lose.
        // Zeros after the bins are the padding hive files are written with; anything else there
        // is data that is not read, counted.
        int end = (int) (BaseBlock.SIZE + extent.present());
        boolean padding = true;
        for (int i = end; i < data.length && padding; i++) {
          padding = data[i] == 0;
        }
        problem(Kind.BINS_SIZE, 40, String.format("the base block says %d bytes of hive bins, the"
            + " file holds an unbroken chain of %d hive bins with %d bytes: reading the bins present%s",
            extent.declared(), extent.presentBins(), extent.present(), padding ? ""
                : String.format(" (the %d bytes after them are no hive bin and are not read)", data.length - end)));
      } else if (size % 4096 != 0 || size == 0) {
        problem(Kind.HEADER, 40, "hive bins data size " + size + " (expected: a non-zero multiple of 4096)");
        return;
      }
      if (size > data.length - (long) BaseBlock.SIZE) {
        problem(Kind.TRUNCATED, data.length, "the header declares " + size + " bytes of hive bins but the"
            + " file has " + Math.max(0, data.length - BaseBlock.SIZE) + ": the file is truncated");
      }
      long readable = Math.min(size, Math.max(0, data.length - BaseBlock.SIZE));
      slots = new byte[(int) (readable >>> 3)];
      bins(readable);
      Hive hive;
      try {
        hive = Hive.of(data);
      } catch (DecodeException e) {
        problem(Kind.ROOT, 36, e.getMessage());
        return;
      }
      keys(hive, b.rootCellOffset());
    }

    /** Follows the hive bin chain and every cell's size field through each bin. */
    private void bins(long size) {
      long at = 0;
      while (at < size) {
        long file = BaseBlock.SIZE + at;
        ByteReader r = ByteReader.of(data, (int) file, (int) Math.min(32, size - at));
        if (size - at < 32 || r.u32be("Signature") != 0x6862696eL) { // "hbin"
          problem(Kind.BIN_CHAIN, file, String.format("hive bin chain broken at file offset 0x%x:"
              + " no \"hbin\" signature (%d of %d bytes of hive bins readable)", file, at, size));
          return;
        }
        long offset = r.u32le("Offset");
        long binSize = r.u32le("Size");
        if (offset != at) {
          problem(Kind.BIN_CHAIN, file, String.format("hive bin at file offset 0x%x says it is at"
              + " offset 0x%x (expected: 0x%x)", file, offset, at));
        }
        if (binSize < 4096 || binSize % 4096 != 0 || binSize > size - at) {
          problem(Kind.BIN_CHAIN, file, String.format("hive bin chain broken at file offset 0x%x: bin"
              + " size %d (expected: a multiple of 4096, <= %d)", file, binSize, size - at));
          return;
        }
        bins++;
        cellsIn(at, binSize);
        at += binSize;
      }
    }

    private void cellsIn(long bin, long binSize) {
      long at = bin + 32;
      long end = bin + binSize;
      while (at < end) {
        if (end - at < 4) {
          problem(Kind.CELL, BaseBlock.SIZE + at, "cell header at 0x" + Long.toHexString(at) + " crosses the bin's end");
          return;
        }
        int p = (int) (BaseBlock.SIZE + at);
        int raw = (data[p] & 0xFF) | (data[p + 1] & 0xFF) << 8 | (data[p + 2] & 0xFF) << 16
            | (data[p + 3] & 0xFF) << 24;
        long len = raw < 0 ? -(long) raw : raw;
        if (len < 8 || len % 8 != 0 || len > end - at) {
          problem(Kind.CELL, p, String.format("cell at offset 0x%x has size %d (expected: a multiple of"
              + " 8 between 8 and %d, the rest of its hive bin)", at, len, end - at));
          return;
        }
        if (raw < 0) {
          slots[(int) (at >>> 3)] = CELL_START | ALLOCATED;
          cells++;
        } else {
          slots[(int) (at >>> 3)] = CELL_START;
          freeCells++;
        }
        at += len;
      }
    }

    /**
     * Checks that {@code offset} starts an allocated cell the bin walk found. The problem names
     * it as {@code what}, then "of" and {@code of}'s display name; that text is built only when
     * there is a problem, as this runs for every reference in the hive.
     */
    private boolean reference(long offset, String what, @Nullable HiveKey of, long from) {
      int slot = slot(offset);
      if (slot >= 0 && (slots[slot] & (CELL_START | ALLOCATED)) == (CELL_START | ALLOCATED)) {
        return true;
      }
      String name = of == null ? what : what + " of " + of.display();
      if (offset == Hive.NONE) {
        problem(Kind.REFERENCE, from, name + " offset is 0xffffffff (no cell)");
      } else if (slot < 0 || (slots[slot] & CELL_START) == 0) {
        problem(Kind.REFERENCE, from, String.format("%s at 0x%x is not the start of a cell"
            + " (outside the hive bins, or inside another cell)", name, offset));
      } else {
        problem(Kind.REFERENCE, from, String.format("%s at 0x%x is a free cell", name, offset));
      }
      return false;
    }

    /** The slot of a cell at {@code offset}, or -1 when no cell can start there. */
    private int slot(long offset) {
      return (offset & 7) == 0 && offset >= 0 && offset >>> 3 < slots.length ? (int) (offset >>> 3) : -1;
    }

    private void keys(Hive hive, long rootOffset) {
      if (!reference(rootOffset, "root key node", null, 36)) {
        problem(Kind.ROOT, 36, String.format("the root cell offset 0x%x does not lead to a key node", rootOffset));
        return;
      }
      HiveKey root;
      try {
        root = HiveKey.read(hive, rootOffset, null);
      } catch (DecodeException e) {
        problem(Kind.ROOT, BaseBlock.SIZE + rootOffset, "root key: " + e.getMessage());
        return;
      }
      kind = HiveKind.detect(root);
      Deque<HiveKey> stack = new ArrayDeque<>();
      stack.push(root);
      slots[(int) (rootOffset >>> 3)] |= VISITED_KEY;
      // The loop stays this small because it runs once, interpreted until an on-stack
      // replacement that comes late; key() runs per key and is compiled after a few hundred.
      while (!stack.isEmpty()) {
        key(hive, stack.pop(), stack);
      }
    }

    /**
     * A key whose subkeys list cannot be read: its subkeys that are still in the file, found by
     * their Parent field, are walked too (as {@code hive dump} writes them) and counted in a
     * problem of their own, so the report says how much a recovery gets back.
     */
    private void recover(HiveKey k, Deque<HiveKey> stack) {
      int found = 0;
      for (HiveKey child : k.recoveredSubkeys()) {
        int slot = (int) (child.cellOffset() >>> 3); // read() passed: an allocated cell inside the bins
        if (slot >= slots.length || (slots[slot] & VISITED_KEY) != 0) {
          continue;
        }
        slots[slot] |= VISITED_KEY;
        stack.push(child);
        found++;
      }
      if (found > 0) {
        problem(Kind.RECOVERED, BaseBlock.SIZE + k.cellOffset(), String.format("%d of the %d subkeys of %s are"
            + " key nodes that name it as their parent although its subkeys list is unreadable: hive dump"
            + " writes them, marked recovered", found, k.subkeyCount(), k.display()));
      }
    }

    /** Checks one key node's values, security and subkeys list, and pushes its subkeys. */
    private void key(Hive hive, HiveKey k, Deque<HiveKey> stack) {
      keys++;
      long at = BaseBlock.SIZE + k.cellOffset();
      checkValues(hive, k, at);
      checkSecurity(hive, k, at);
      if (k.subkeyCount() == 0) {
        return;
      }
      if (!reference(k.subkeyListOffset(), "subkeys list", k, at)) {
        recover(k, stack);
        return;
      }
      long[] subs;
      try {
        subs = hive.subkeyOffsets(k.subkeyListOffset());
      } catch (DecodeException e) {
        problem(Kind.REFERENCE, at, "subkeys list of " + k.display() + ": " + e.getMessage());
        recover(k, stack);
        return;
      }
      if (subs.length != k.subkeyCount()) {
        problem(Kind.COUNT, at, String.format("%s says it has %d subkeys, its list has %d",
            k.display(), k.subkeyCount(), subs.length));
      }
      HiveKey previous = null;
      boolean orderReported = false;
      for (int i = subs.length - 1; i >= 0; i--) {
        long o = subs[i];
        if (!reference(o, "subkey", k, at)) {
          continue;
        }
        if (k.onPath(o)) {
          problem(Kind.CYCLE, at, String.format("the subkeys of %s lead back to 0x%x, an ancestor:"
              + " a cycle", k.display(), o));
          continue;
        }
        int slot = (int) (o >>> 3); // reference() passed: a cell start inside the bins
        if ((slots[slot] & VISITED_KEY) != 0) {
          problem(Kind.SHARED_NODE, at, String.format("key node 0x%x is listed again under %s", o, k.display()));
          continue;
        }
        slots[slot] |= VISITED_KEY;
        HiveKey child;
        try {
          child = HiveKey.read(hive, o, k);
        } catch (DecodeException e) {
          problem(Kind.REFERENCE, at, "subkey of " + k.display() + ": " + e.getMessage());
          continue;
        }
        // Lists are walked backwards here, so each name must sort before the one after it; an
        // equal name (without case) is a duplicate, named as one: in a sorted list the twins
        // are neighbours, and every pair is reported, with both key nodes.
        int order = previous == null ? -1 : child.compareNameUpcase(previous);
        if (order == 0) {
          problem(Kind.DUPLICATE, at, String.format("the subkeys list of %s holds \"%s\" twice"
              + " (key nodes 0x%x and 0x%x): a lookup by name finds only one of them",
              k.display(), RegNames.escape(child.name()), o, previous.cellOffset()));
        } else if (order > 0 && !orderReported) {
          problem(Kind.ORDER, at, String.format("the subkeys list of %s is not sorted (\"%s\" before"
              + " \"%s\"): Windows looks subkeys up by binary search and would miss some",
              k.display(), RegNames.escape(child.name()), RegNames.escape(previous.name())));
          orderReported = true;
        }
        previous = child;
        if (child.parentOffset() != k.cellOffset()) {
          problem(Kind.PARENT, BaseBlock.SIZE + o, String.format("%s names 0x%x as its parent"
              + " (expected: 0x%x)", child.display(), child.parentOffset(), k.cellOffset()));
        }
        if (child.depth() > 512) {
          problem(Kind.CYCLE, at, "keys nest deeper than Windows allows (512 levels) at " + k.display());
          continue;
        }
        stack.push(child);
      }
    }

    private void checkValues(Hive hive, HiveKey k, long at) {
      if (k.valueCount() == 0) {
        return;
      }
      if (!reference(k.valueListOffset(), "values list", k, at)) {
        return;
      }
      long[] offsets;
      try {
        offsets = hive.valueOffsets(k.valueListOffset(), k.valueCount());
      } catch (DecodeException e) {
        problem(Kind.VALUE, at, "values list of " + k.display() + ": " + e.getMessage());
        return;
      }
      for (long o : offsets) {
        if (!reference(o, "value", k, at)) {
          continue;
        }
        try {
          dataBytes += HiveKey.checkValue(hive, o);
          values++;
        } catch (DecodeException e) {
          problem(Kind.VALUE, BaseBlock.SIZE + o, "value of " + k.display() + ": " + e.getMessage());
        }
      }
    }

    private void checkSecurity(Hive hive, HiveKey k, long at) {
      long s = k.securityOffset();
      if (s == Hive.NONE || (s & 7) != 0 || s >= Integer.MAX_VALUE) {
        return; // some offline-written hives have no security cells
      }
      if (seenSecurity.get((int) (s >>> 3))) {
        return;
      }
      seenSecurity.set((int) (s >>> 3));
      if (!reference(s, "key security", k, at)) {
        return;
      }
      try {
        Hive.Cell c = hive.cell(s, "key security");
        ByteReader r = c.reader(hive);
        long sig = r.u16be("Signature");
        if (sig != Hive.SIG_SK) {
          problem(Kind.SECURITY, BaseBlock.SIZE + s, String.format("key security of %s at 0x%x has"
              + " signature %s (expected: \"sk\")", k.display(), s, Hive.signatureText((int) sig)));
          return;
        }
        r.skip("Reserved", 2);
        r.skip("Flink", 4);
        r.skip("Blink", 4);
        r.skip("Reference count", 4);
        long size = r.u32le("Security descriptor size");
        if (size > r.remaining()) {
          problem(Kind.SECURITY, BaseBlock.SIZE + s, String.format("security descriptor of %d bytes"
              + " in a cell of %d", size, c.length()));
        }
        securityCells++;
      } catch (DecodeException e) {
        problem(Kind.SECURITY, BaseBlock.SIZE + s, e.getMessage());
      }
    }
  }
}
