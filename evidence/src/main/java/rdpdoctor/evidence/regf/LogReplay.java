package rdpdoctor.evidence.regf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.DecodeException;

/**
 * Applies transaction logs to a dirty primary file the way the Windows kernel does at hive load
 * (msuhanov/regf "Dirty state of a hive", "Multiple transaction log files"), giving the bytes
 * Windows would work with.
 *
 * <p>New format: with a valid primary base block, entries from both logs are applied in sequence
 * order, the log with the earlier entries first, from its starting sequence number (which may be
 * past the primary's secondary one: a partial reconcile leaves that gap), the other log only when
 * it continues where the first stopped; with an invalid one, the base block and entries come from
 * the log with the latest entries only (see {@link #replayNew}). Old format: the first log whose
 * base block is valid and whose last-written time matches the primary's (or the first hive bin's
 * when the primary base block is bad) has its dirty pages written over the primary.
 */
public final class LogReplay {

  /** What a replay did. */
  public enum Outcome {
    /** The primary is not dirty: Windows ignores the logs. */
    NOT_DIRTY,
    /** Logs were applied; {@link Result#hive()} is what Windows loads. */
    RECOVERED,
    /** Dirty, and no transaction log was given. */
    NO_LOGS,
    /** Dirty, and none of the logs given can be applied. */
    LOGS_UNUSABLE
  }

  /**
   * @param hive the recovered file bytes (the primary unchanged unless {@code RECOVERED})
   * @param outcome what happened
   * @param steps one line per decision, for reports ("applied LOG1 entries 566..588")
   * @param firstSequence first log entry sequence number applied (new format), or -1
   * @param lastSequence sequence number the recovered hive has, or -1
   * @param entries log entries applied (new format)
   * @param pages dirty pages written
   * @param entriesNotApplied valid entries of the logs used that come after the last one
   *     applied, beyond a gap in the sequence numbers: lost, for Windows as for this replay
   */
  public record Result(
      byte[] hive, Outcome outcome, List<String> steps, long firstSequence, long lastSequence,
      int entries, int pages, int entriesNotApplied) {

    /** A result that leaves no entry behind. */
    public Result(byte[] hive, Outcome outcome, List<String> steps, long firstSequence,
        long lastSequence, int entries, int pages) {
      this(hive, outcome, steps, firstSequence, lastSequence, entries, pages, 0);
    }
  }

  private LogReplay() {}

  public static Result replay(byte[] primary, List<TransactionLog> logs) {
    List<String> steps = new ArrayList<>();
    BaseBlock base = null;
    try {
      base = BaseBlock.read(primary);
    } catch (DecodeException e) {
      steps.add("primary base block unreadable: " + e.getMessage());
    }
    boolean baseValid = base != null && base.checksumValid();
    if (base != null && !base.dirty()) {
      return new Result(primary, Outcome.NOT_DIRTY, List.of("primary is not dirty"), -1, -1, 0, 0);
    }
    if (logs.isEmpty()) {
      steps.add("no transaction log given");
      return new Result(primary, Outcome.NO_LOGS, steps, -1, -1, 0, 0);
    }
    List<TransactionLog> usable = new ArrayList<>();
    for (TransactionLog log : logs) {
      if (!log.baseBlockValid()) {
        steps.add(log.name() + ": unusable, " + log.baseBlockProblem());
      } else if (log.format() == TransactionLog.Format.EMPTY) {
        steps.add(log.name() + ": no log data" + (log.stopReason() == null ? "" : ", " + log.stopReason()));
      } else {
        usable.add(log);
      }
    }
    List<TransactionLog> newLogs = usable.stream().filter(l -> l.format() == TransactionLog.Format.NEW).toList();
    List<TransactionLog> oldLogs = usable.stream().filter(l -> l.format() == TransactionLog.Format.OLD).toList();
    Result r = null;
    if (!newLogs.isEmpty()) {
      r = replayNew(primary, base, baseValid, newLogs, steps);
    }
    if (r == null && !oldLogs.isEmpty()) {
      r = replayOld(primary, base, baseValid, oldLogs, steps);
    }
    return r != null ? r : new Result(primary, Outcome.LOGS_UNUSABLE, steps, -1, -1, 0, 0);
  }

  /**
   * New format, msuhanov/regf "Log entries" notes 5 to 7 and "Multiple transaction log files",
   * "New format" (the rules yarp's {@code apply_new_log_files} follows):
   *
   * <ul>
   *   <li>a log's entries start at its base block's primary sequence number, and run on while
   *       each next entry has the number after the last;
   *   <li>with a valid primary base block, a log applies when that starting number is not less
   *       than the primary's secondary sequence number. It need not be equal: when the kernel
   *       rotates the logs twice before the primary is reconciled in full, a partial reconcile
   *       writes the data to the primary without touching its base block, and the entries in
   *       between are overwritten (msuhanov/regf-samples "10-missing_log_entries": primary
   *       1083, LOG2 from 1554, LOG1 from 1965; both logs applied give the consistent hive);
   *   <li>the log that starts earlier goes first, the other continues only when it starts at
   *       the number after the last entry applied;
   *   <li>with an invalid primary base block, only the log with the latest entries is used, and
   *       its base block replaces the primary's.
   * </ul>
   *
   * Sequence numbers are 32-bit and compared as serial numbers, as yarp does, so a log that
   * wrapped past 0xffffffff still sorts after one that did not.
   */
  private static @Nullable Result replayNew(
      byte[] primary, @Nullable BaseBlock base, boolean baseValid, List<TransactionLog> logs,
      List<String> steps) {
    List<List<TransactionLog.Entry>> runs = new ArrayList<>();
    List<TransactionLog> logsUsed = new ArrayList<>();
    for (TransactionLog log : logs) {
      long from = log.baseBlock().primarySequence();
      if (log.stopReason() != null) {
        steps.add(log.name() + (log.remnant()
            ? ": ends after its last entry, " + log.stopReason() + " (remnants of older entries)"
            : ": stops early, " + log.stopReason()));
      }
      // Entries before the starting number are old ones, already applied (note 4).
      List<TransactionLog.Entry> run = log.entries().stream()
          .filter(e -> serialCompare(e.sequence(), from) >= 0).toList();
      if (run.isEmpty() || run.get(0).sequence() != from) {
        steps.add(log.name() + ": no entry with its starting sequence number " + from);
        continue;
      }
      if (baseValid && serialCompare(from, base.secondarySequence()) < 0) {
        steps.add(log.name() + ": starts at sequence number " + from + ", before the primary's "
            + base.secondarySequence() + ": already applied, not used");
        continue;
      }
      runs.add(run);
      logsUsed.add(log);
    }
    if (runs.isEmpty()) {
      return null;
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      order.add(i);
    }
    byte[] baseSector;
    if (baseValid) {
      order.sort((x, y) -> serialCompare(runs.get(x).get(0).sequence(), runs.get(y).get(0).sequence()));
      baseSector = Arrays.copyOf(primary, BaseBlock.SIZE);
      long first = runs.get(order.get(0)).get(0).sequence();
      if (first != base.secondarySequence()) {
        steps.add(String.format("%s starts at sequence number %d, after the primary's %d: the"
            + " entries between were written to the primary by a partial reconcile; applied from %d,"
            + " as Windows does", logsUsed.get(order.get(0)).name(), first, base.secondarySequence(), first));
      }
    } else {
      int latest = order.stream()
          .max((x, y) -> serialCompare(last(runs.get(x)).sequence(), last(runs.get(y)).sequence()))
          .orElseThrow();
      order = List.of(latest);
      baseSector = Arrays.copyOf(logsUsed.get(latest).baseSector(), BaseBlock.SIZE);
      steps.add("primary base block is invalid: taking it from " + logsUsed.get(latest).name()
          + ", the log with the latest entries");
    }
    List<TransactionLog.Entry> chain = new ArrayList<>();
    long expected = runs.get(order.get(0)).get(0).sequence();
    for (int n = 0; n < order.size(); n++) {
      int i = order.get(n);
      String name = logsUsed.get(i).name();
      List<TransactionLog.Entry> run = runs.get(i);
      if (n > 0 && run.get(0).sequence() != expected) {
        steps.add(String.format("%s: starts at sequence number %d, not at %d (the one after the last"
            + " applied): not applied, recovery stops there", name, run.get(0).sequence(), expected));
        break;
      }
      int applied = 0;
      for (TransactionLog.Entry e : run) {
        if (e.sequence() != expected) {
          steps.add(String.format("%s: gap after sequence number %d (next is %d), the rest of this"
              + " log is not applied", name, prev(expected), e.sequence()));
          break;
        }
        chain.add(e);
        applied++;
        expected = (expected + 1) & 0xFFFFFFFFL;
      }
      steps.add(String.format("%s: applied %d log entries (%d..%d)", name, applied,
          run.get(0).sequence(), prev(expected)));
    }
    long binsSize = last(chain).hiveBinsDataSize();
    long maxEnd = BaseBlock.SIZE + binsSize;
    for (TransactionLog.Entry e : chain) {
      for (TransactionLog.Page p : e.pages()) {
        maxEnd = Math.max(maxEnd, BaseBlock.SIZE + p.offset() + p.length());
      }
    }
    DecodeException.checkBound("recovered hive size", maxEnd, Hive.MAX_FILE_SIZE);
    byte[] out = Arrays.copyOf(primary, (int) Math.max(primary.length, maxEnd));
    System.arraycopy(baseSector, 0, out, 0, BaseBlock.SIZE);
    int pages = 0;
    for (TransactionLog.Entry e : chain) {
      for (TransactionLog.Page p : e.pages()) {
        System.arraycopy(p.source(), p.start(), out, (int) (BaseBlock.SIZE + p.offset()), p.length());
        pages++;
      }
    }
    TransactionLog.Entry lastEntry = last(chain);
    finishBaseBlock(out, lastEntry.sequence(), binsSize, lastEntry.flags());
    steps.add(String.format("recovered: %d entries, %d dirty pages, sequence number now %d",
        chain.size(), pages, lastEntry.sequence()));
    // What a gap leaves behind: entries of the logs used that are newer than the last applied.
    int notApplied = 0;
    for (int i : order) {
      for (TransactionLog.Entry e : runs.get(i)) {
        if (serialCompare(e.sequence(), lastEntry.sequence()) > 0) {
          notApplied++;
        }
      }
    }
    if (notApplied > 0) {
      steps.add(String.format("not applied: %d later log entries, since sequence number %d is missing",
          notApplied, (lastEntry.sequence() + 1) & 0xFFFFFFFFL));
    }
    return new Result(out, Outcome.RECOVERED, steps, chain.get(0).sequence(), lastEntry.sequence(),
        chain.size(), pages, notApplied);
  }

  /**
   * Serial-number order of two 32-bit sequence numbers (negative when {@code a} comes first):
   * the sign of their difference modulo 2^32, so numbers that wrapped past 0xffffffff still
   * follow the ones before the wrap.
   */
  static int serialCompare(long a, long b) {
    return Integer.signum((int) (a - b));
  }

  private static long prev(long sequence) {
    return (sequence - 1) & 0xFFFFFFFFL;
  }

  private static TransactionLog.Entry last(List<TransactionLog.Entry> entries) {
    return entries.get(entries.size() - 1);
  }

  private static @Nullable Result replayOld(
      byte[] primary, @Nullable BaseBlock base, boolean baseValid, List<TransactionLog> logs,
      List<String> steps) {
    long stamp = base != null ? base.lastWritten() : Long.MIN_VALUE;
    long binStamp = Long.MIN_VALUE;
    if (!baseValid && primary.length >= BaseBlock.SIZE + 28) {
      // The first hive bin's Timestamp (hbin offset 20) backs up the base block's. A base block
      // that fails only its checksum still carries a timestamp worth comparing (yarp's
      // BadBaseBlockHive: its log matches that one, not the hive bin's).
      binStamp = ByteReader.of(primary, BaseBlock.SIZE + 20, 8).u64le("hive bin Timestamp");
    }
    for (TransactionLog log : logs) {
      long logStamp = log.baseBlock().lastWritten();
      if (logStamp != stamp && logStamp != binStamp) {
        steps.add(log.name() + ": its last-written time does not match the "
            + (baseValid ? "primary's" : "first hive bin's") + ", so it is not this hive's log");
        continue;
      }
      long binsSize = log.baseBlock().hiveBinsDataSize();
      long maxEnd = BaseBlock.SIZE + binsSize;
      DecodeException.checkBound("recovered hive size", maxEnd, Hive.MAX_FILE_SIZE);
      byte[] out = Arrays.copyOf(primary, (int) Math.max(primary.length, maxEnd));
      if (!baseValid) {
        Arrays.fill(out, 0, BaseBlock.SIZE, (byte) 0);
        System.arraycopy(log.baseSector(), 0, out, 0, BaseBlock.SECTOR);
        steps.add("primary base block is invalid: taking it from " + log.name());
      }
      int pages = 0;
      for (TransactionLog.Page p : log.dirtyPages()) {
        if (BaseBlock.SIZE + p.offset() + p.length() > out.length) {
          break;
        }
        System.arraycopy(p.source(), p.start(), out, (int) (BaseBlock.SIZE + p.offset()), p.length());
        pages++;
      }
      long seq = Math.max(log.baseBlock().primarySequence(), base == null ? 0 : base.primarySequence());
      long flags = ByteReader.of(out, 144, 4).u32le("Flags");
      finishBaseBlock(out, seq, binsSize, flags);
      steps.add(String.format("%s: wrote %d dirty pages of 512 bytes (old format)", log.name(), pages));
      return new Result(out, Outcome.RECOVERED, steps, -1, seq, 0, pages);
    }
    return null;
  }

  /** Equal sequence numbers, primary file type, the size and flag from the log, a fresh checksum. */
  private static void finishBaseBlock(byte[] out, long sequence, long binsSize, long flags) {
    putU32(out, 4, sequence);
    putU32(out, 8, sequence);
    putU32(out, 28, BaseBlock.TYPE_PRIMARY);
    putU32(out, 40, binsSize);
    long old = (out[144] & 0xFFL) | (out[145] & 0xFFL) << 8 | (out[146] & 0xFFL) << 16 | (out[147] & 0xFFL) << 24;
    putU32(out, 144, (old & ~1L) | (flags & 1L));
    BaseBlock.writeChecksum(out, 0);
  }

  private static void putU32(byte[] b, int at, long v) {
    for (int i = 0; i < 4; i++) {
      b[at + i] = (byte) (v >>> (8 * i));
    }
  }
}
