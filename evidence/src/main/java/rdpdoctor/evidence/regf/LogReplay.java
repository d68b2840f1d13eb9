package rdpdoctor.evidence.regf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
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
 * order starting at the primary's secondary sequence number, the log with the earlier entries
 * first, stopping at the first gap; with an invalid one, the base block and entries come from the
 * log with the latest entries only. Old format: the first log whose base block is valid and whose
 * last-written time matches the primary's (or the first hive bin's when the primary base block is
 * bad) has its dirty pages written over the primary.
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
   */
  public record Result(
      byte[] hive, Outcome outcome, List<String> steps, long firstSequence, long lastSequence,
      int entries, int pages) {}

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

  private static @Nullable Result replayNew(
      byte[] primary, @Nullable BaseBlock base, boolean baseValid, List<TransactionLog> logs,
      List<String> steps) {
    // Each log's applicable entries start at its base block's primary sequence number.
    List<List<TransactionLog.Entry>> runs = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<TransactionLog> logsUsed = new ArrayList<>();
    for (TransactionLog log : logs) {
      long from = log.baseBlock().primarySequence();
      List<TransactionLog.Entry> run = log.entries().stream().filter(e -> e.sequence() >= from).toList();
      if (log.stopReason() != null) {
        steps.add(log.name() + ": stops early, " + log.stopReason());
      }
      if (run.isEmpty() || run.get(0).sequence() != from) {
        steps.add(log.name() + ": no entry with its starting sequence number " + from);
        continue;
      }
      if (baseValid) {
        long min = base.secondarySequence();
        run = run.stream().filter(e -> e.sequence() >= min).toList();
        if (run.isEmpty()) {
          steps.add(log.name() + ": entries end before the primary's sequence number " + min + " (already applied)");
          continue;
        }
      }
      runs.add(run);
      names.add(log.name());
      logsUsed.add(log);
    }
    if (runs.isEmpty()) {
      return null;
    }
    byte[] baseSector;
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      order.add(i);
    }
    if (baseValid) {
      order.sort(Comparator.comparingLong(i -> runs.get(i).get(0).sequence()));
      baseSector = Arrays.copyOf(primary, BaseBlock.SIZE);
    } else {
      // Invalid primary base block: only the log with the latest entries is used.
      int latest = order.stream()
          .max(Comparator.comparingLong(i -> runs.get(i).get(runs.get(i).size() - 1).sequence()))
          .orElseThrow();
      order = List.of(latest);
      baseSector = Arrays.copyOf(logsUsed.get(latest).baseSector(), BaseBlock.SIZE);
      steps.add("primary base block is invalid: taking it from " + names.get(latest));
    }
    List<TransactionLog.Entry> chain = new ArrayList<>();
    long expected = runs.get(order.get(0)).get(0).sequence();
    if (baseValid && expected != base.secondarySequence()) {
      steps.add("first log entry has sequence number " + expected + ", the primary needs "
          + base.secondarySequence() + ": entries are missing, nothing applied");
      return null;
    }
    for (int i : order) {
      for (TransactionLog.Entry e : runs.get(i)) {
        if (e.sequence() < expected) {
          continue;
        }
        if (e.sequence() != expected) {
          steps.add(names.get(i) + ": gap after sequence number " + (expected - 1) + " (next is "
              + e.sequence() + "), recovery stops there");
          break;
        }
        chain.add(e);
        expected++;
      }
      long applied = runs.get(i).stream().filter(chain::contains).count();
      if (applied > 0) {
        steps.add(String.format("%s: applied %d log entries (%d..%d)", names.get(i), applied,
            runs.get(i).stream().filter(chain::contains).findFirst().orElseThrow().sequence(),
            expected - 1));
      }
    }
    long binsSize = chain.get(chain.size() - 1).hiveBinsDataSize();
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
    TransactionLog.Entry last = chain.get(chain.size() - 1);
    finishBaseBlock(out, last.sequence(), binsSize, last.flags());
    steps.add(String.format("recovered: %d entries, %d dirty pages, sequence number now %d",
        chain.size(), pages, last.sequence()));
    return new Result(out, Outcome.RECOVERED, steps, chain.get(0).sequence(), last.sequence(),
        chain.size(), pages);
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
