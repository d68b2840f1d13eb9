package rdpdoctor.evidence.even6;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import org.jspecify.annotations.Nullable;
import rdpdoctor.protocol.DecodeException;

/**
 * [MS-EVEN6] chunk: a 64 KiB block holding a 512-byte header and event records, decoded on its
 * own (names and templates are chunk-local, which is what lets chunks be read in parallel).
 *
 * <p>Recovery follows libevtx's "Recovery" and "Corruption scenarios" chapters: zero bytes or a
 * broken record where the chunk header says records are is damage, and the rest of the record
 * area is scanned for record signatures; records found so are {@link EventRecord.Origin#AFTER_DAMAGE}.
 * With {@code slack} on, the space after the last record the chunk header knows (where a reused
 * chunk keeps records of its previous use) is scanned too: {@link EventRecord.Origin#SLACK}. The
 * chunk header's record count is checked against what was read, so a loss is counted.
 *
 * @param index chunk index in the file (0 = offset 4096)
 * @param fileOffset where the chunk starts
 * @param header the chunk header, or null when the chunk is empty (all zero) or not a chunk
 * @param headerCrcOk the header checksum matched, or checksums are off
 * @param dataCrcOk the records checksum matched, or checksums are off
 * @param records the records decoded, in chunk order (slack records last)
 * @param issues what could not be read, checksum warnings, and what the recovery scans found
 */
public record Chunk(
    int index,
    long fileOffset,
    @Nullable ChunkHeader header,
    boolean headerCrcOk,
    boolean dataCrcOk,
    List<EventRecord> records,
    List<EvtxIssue> issues) {

  private static final int RECORD_MAGIC = 0x00002a2a;
  private static final int RECORD_HEADER = 24;
  /** Smallest record: header (24) + at least one token... + copy of size (4). */
  private static final int RECORD_MIN = 28;
  /** Most records a chunk can hold: its record area over the smallest record. */
  static final int MAX_RECORDS = (ChunkHeader.CHUNK_SIZE - ChunkHeader.SIZE) / RECORD_MIN;

  /** True for an all-zero (never used) chunk slot. */
  public boolean empty() {
    return header == null && issues.isEmpty();
  }

  /** Records found by a recovery scan, of either kind. */
  public int recoveredCount() {
    int n = 0;
    for (EventRecord r : records) {
      if (r.recovered()) {
        n++;
      }
    }
    return n;
  }

  /** {@link #decode(BinXml, byte[], int, int, long, boolean, LongPredicate)} without the slack scan. */
  static Chunk decode(BinXml binxml, byte[] b, int length, int index, long fileOffset, boolean checkCrc) {
    return decode(binxml, b, length, index, fileOffset, checkCrc, null);
  }

  /** With the slack scan, and no other chunk's ranges to compare with (fuzzing, single chunks). */
  static Chunk decode(BinXml binxml, byte[] b, int length, int index, long fileOffset, boolean checkCrc,
      boolean slack) {
    return decode(binxml, b, length, index, fileOffset, checkCrc, slack ? id -> false : null);
  }

  /**
   * Decodes the chunk in {@code b[0, length)} ({@code length} is less than 64 KiB only for a file
   * that ends inside its last chunk).
   *
   * @param checkCrc false when the file header says checksums are not kept
   * @param claimed null: no slack scan; else the slack is scanned, and a record found there whose
   *     record header id this tells is claimed by some chunk header of the file is an older copy
   *     of a record the file holds (libevtx's recovery rule 2) and is not repeated
   */
  static Chunk decode(BinXml binxml, byte[] b, int length, int index, long fileOffset, boolean checkCrc,
      @Nullable LongPredicate claimed) {
    return decode(binxml, b, length, index, fileOffset, checkCrc, claimed, claimed != null);
  }

  /**
   * As above, with the slack scan switched by {@code slack} alone: {@code claimed} (null: none
   * known) also keeps a slot without a chunk header from repeating records other chunks hold.
   */
  static Chunk decode(BinXml binxml, byte[] b, int length, int index, long fileOffset, boolean checkCrc,
      @Nullable LongPredicate claimed, boolean slack) {
    List<EvtxIssue> issues = new ArrayList<>(0);
    if (length < ChunkHeader.SIZE) {
      issues.add(new EvtxIssue(EvtxIssue.Kind.CHUNK_TRUNCATED, index, fileOffset, null,
          "file ends " + length + " bytes into the chunk, inside its 512-byte header (expected: 65536)"));
      return new Chunk(index, fileOffset, null, false, false, List.of(), issues);
    }
    long magic = Values.i64(b, 0);
    if (magic != ChunkHeader.MAGIC) {
      if (allZero(b, length)) {
        return new Chunk(index, fileOffset, null, true, true, List.of(), List.of());
      }
      return headerless(binxml, b, length, index, fileOffset, magic, claimed);
    }
    if (length < ChunkHeader.CHUNK_SIZE) {
      issues.add(new EvtxIssue(EvtxIssue.Kind.CHUNK_TRUNCATED, index, fileOffset, null,
          "file ends " + length + " bytes into the chunk (expected: 65536); reading what is there"));
    }
    ChunkHeader h = ChunkHeader.parse(b);
    boolean noCrc = !checkCrc || (h.flags() & FileHeader.FLAG_NO_CRC32) != 0;
    boolean headerOk = true;
    boolean dataOk = true;
    if (!noCrc) {
      long hc = ChunkHeader.headerCrc(b);
      if (hc != h.storedHeaderCrc()) {
        headerOk = false;
        issues.add(new EvtxIssue(EvtxIssue.Kind.CHUNK_HEADER_CHECKSUM, index, fileOffset, null,
            String.format("header checksum is 0x%08x (computed: 0x%08x)", h.storedHeaderCrc(), hc)));
      }
      long dc = ChunkHeader.dataCrc(b, length, h.freeSpaceOffset());
      if (dc != h.storedDataCrc()) {
        dataOk = false;
        issues.add(new EvtxIssue(EvtxIssue.Kind.CHUNK_RECORDS_CHECKSUM, index, fileOffset, null,
            String.format("records checksum is 0x%08x (computed: 0x%08x)", h.storedDataCrc(), dc)));
      }
    }
    binxml.reset(b, length);
    List<EventRecord> records = new ArrayList<>(128);
    // The free space offset can be wrong in dirty files (omerbenamram issue #197): clamp it.
    long free = h.freeSpaceOffset();
    int limit = free >= ChunkHeader.SIZE + RECORD_MIN && free <= length ? (int) free : length;
    // Where the header says its last record starts: zeros before it are a gap, not the end of use.
    long lastAt = h.lastRecordOffset();
    int lastRecord = lastAt >= ChunkHeader.SIZE && lastAt < limit ? (int) lastAt : -1;
    EventRecord.Origin origin = EventRecord.Origin.RECORDS;
    List<Long> invalid = new ArrayList<>(0); // header ids of records found but undecodable
    int pos = ChunkHeader.SIZE;
    while (pos + RECORD_HEADER <= limit) {
      int m = Values.i32(b, pos);
      if (m == 0 && (pos + 8 > length || Values.i32(b, pos + 4) == 0)) {
        if (lastRecord < 0 || pos > lastRecord) {
          break; // zero fill after the last record: the end of the used part of the chunk
        }
        // Zeros where the chunk header has records (libevtx: "a large block of 0-byte values
        // directly after an event record"): scan the rest of the record area for the next record.
        int zerosEnd = pos;
        while (zerosEnd < limit && b[zerosEnd] == 0) {
          zerosEnd++;
        }
        int next = scan(b, zerosEnd, limit);
        issues.add(new EvtxIssue(EvtxIssue.Kind.ZERO_FILLED, index, fileOffset + pos, null,
            (zerosEnd - pos) + " zero bytes at chunk offset 0x" + Integer.toHexString(pos)
                + " where the chunk header has records (its last record starts at 0x"
                + Integer.toHexString(lastRecord) + ")"
                + (next < 0 ? "; no record after them" : "; next record at chunk offset 0x" + Integer.toHexString(next))));
        if (next < 0) {
          break;
        }
        pos = next;
        origin = EventRecord.Origin.AFTER_DAMAGE;
        continue;
      }
      long size = m == RECORD_MAGIC ? Values.u32(b, pos + 4) : -1;
      boolean fits = m == RECORD_MAGIC && size >= RECORD_MIN && pos + size <= length;
      long copy = fits ? Values.u32(b, pos + (int) size - 4) : -1;
      EventRecord decoded = null;
      String error = null;
      long id = fits ? Values.i64(b, pos + 8) : 0; // Event record identifier (8 bytes)
      if (fits) {
        try {
          decoded = record(binxml, b, pos, (int) size, index, fileOffset, origin);
        } catch (DecodeException e) {
          error = e.getMessage();
        }
      }
      if (decoded != null && copy != size && unwritten(decoded)) {
        // Windows writes a record's header and template first and its values after: a record
        // without its size copy whose System values are still zeros was never finished
        // (omerbenamram/evtx HelloForBusiness%4Operational.evtx, record 6). Shown, it would be an
        // event of 1601 with EventRecordID 0 and no provider; evtxexport drops it too.
        invalid.add(id);
        issues.add(new EvtxIssue(EvtxIssue.Kind.RECORD_INVALID, index, fileOffset + pos, id,
            "record size " + size + " differs from its copy " + copy + " and its values were never written"
                + " (EventRecordID 0, TimeCreated 1601-01-01T00:00:00Z): a record Windows was writing; not shown", 1));
        pos += (int) size;
        continue;
      }
      if (decoded != null || (fits && copy == size)) {
        if (decoded != null) {
          records.add(decoded);
          if (copy != size) {
            // The last record of a chunk Windows was writing can lack its trailing size copy.
            issues.add(new EvtxIssue(EvtxIssue.Kind.RECORD_SIZE_MISMATCH, index, fileOffset + pos, id,
                "record size " + size + " differs from its copy " + copy + "; the record decoded and was kept"));
          }
        } else {
          invalid.add(id);
          issues.add(new EvtxIssue(EvtxIssue.Kind.RECORD_INVALID, index, fileOffset + pos, id,
              "cannot decode record BinXml: " + error, 1));
        }
      } else {
        int next = scan(b, pos + 4, limit);
        String why = m != RECORD_MAGIC
            ? String.format("record signature is 0x%08x (expected: 0x00002a2a)", m)
            : !fits
                ? "record size " + size + " does not fit the chunk (" + (length - pos) + " bytes left)"
                : "record size " + size + " differs from its copy " + copy + " and its BinXml does not decode (" + error + ")";
        issues.add(new EvtxIssue(EvtxIssue.Kind.RECORD_SKIPPED_BYTES, index, fileOffset + pos, null,
            why + (next < 0 ? "; rest of the chunk skipped" : "; skipped " + (next - pos) + " bytes to the next record")));
        if (next < 0) {
          break;
        }
        pos = next;
        origin = EventRecord.Origin.AFTER_DAMAGE;
        continue;
      }
      pos += (int) size;
      if (id == h.lastRecordId() && headerOk) {
        break;
      }
    }
    int afterDamage = 0;
    for (EventRecord r : records) {
      if (r.origin() == EventRecord.Origin.AFTER_DAMAGE) {
        afterDamage++;
      }
    }
    if (afterDamage > 0) {
      issues.add(new EvtxIssue(EvtxIssue.Kind.RECORDS_RECOVERED, index, fileOffset, null,
          afterDamage + " record(s) found by scanning past the damaged range(s) for record signatures"
              + (dataOk ? "" : " (the chunk's records checksum does not verify, as expected with damage)"),
          afterDamage));
    }
    missing(h, records, invalid, index, fileOffset, issues);
    if (slack) {
      slack(binxml, b, length, Math.max(pos, ChunkHeader.SIZE), claimed != null ? claimed : id -> false, records, index, fileOffset, issues);
    }
    return new Chunk(index, fileOffset, h, headerOk, dataOk, records, issues);
  }

  /**
   * A slot without the chunk signature that is not all zeros. A chunk whose header was zeroed or
   * overwritten (omerbenamram/evtx {@code sample_with_a_bad_chunk_magic.evtx}: chunks 6 and 10
   * start with 57,345 and 8,193 zero bytes, then hold records) still holds records that decode,
   * since names and templates are referenced by chunk offset, not through the header: the slot is
   * scanned for record signatures with the slack scan's checks ({@link #candidate}, decoding,
   * {@link #implausible}: nothing in the slot vouches for them), and they come back
   * {@link EventRecord.Origin#AFTER_DAMAGE}. A record whose header id {@code claimed} says another
   * chunk header holds is an older copy and not repeated. A slot with no record signature at all
   * (preallocated space holding other data, as in omerbenamram/evtx {@code sysmon.evtx}, slots
   * 9..16) holds no records: a warning, and a loss, if any, is counted from the record ids of
   * the chunks around it.
   */
  private static Chunk headerless(BinXml binxml, byte[] b, int length, int index, long fileOffset, long magic,
      @Nullable LongPredicate claimed) {
    List<EvtxIssue> issues = new ArrayList<>(2);
    List<EventRecord> records = new ArrayList<>(0);
    String signature = "chunk signature is 0x" + Long.toHexString(magic) + " (expected: \"ElfChnk\\0\")";
    binxml.reset(b, length);
    java.util.Set<Long> ids = new java.util.HashSet<>();
    int candidates = 0;
    int copies = 0;
    int unreadable = 0;
    String firstError = null;
    long minId = Long.MAX_VALUE;
    long maxId = Long.MIN_VALUE;
    // Records start after the 512-byte header in any chunk, so the header's place is not scanned.
    for (int p = ChunkHeader.SIZE; p + RECORD_MIN <= length; ) {
      if (Values.i32(b, p) != RECORD_MAGIC || !candidate(b, p, length)) {
        p += 4;
        continue;
      }
      candidates++;
      int size = (int) Values.u32(b, p + 4);
      try {
        EventRecord r = record(binxml, b, p, size, index, fileOffset, EventRecord.Origin.AFTER_DAMAGE);
        String implausible = implausible(r);
        if (implausible != null) {
          throw new DecodeException.InvalidField("recovered record", implausible);
        }
        if ((claimed == null || !claimed.test(r.headerRecordId())) && ids.add(r.headerRecordId())) {
          records.add(r);
          minId = Math.min(minId, r.headerRecordId());
          maxId = Math.max(maxId, r.headerRecordId());
        } else {
          copies++;
        }
        p += size;
      } catch (DecodeException e) {
        unreadable++;
        if (firstError == null) {
          firstError = "at chunk offset 0x" + Integer.toHexString(p) + ": " + e.getMessage();
        }
        p += 4;
      }
    }
    if (candidates == 0) {
      int nonZero = 0;
      for (int i = 0; i < length; i++) {
        nonZero += b[i] != 0 ? 1 : 0;
      }
      issues.add(new EvtxIssue(EvtxIssue.Kind.NOT_A_CHUNK, index, fileOffset, null,
          signature + " and the slot holds no record signature (" + nonZero + " of " + length
              + " bytes non-zero): no records; a loss, if any, is counted from the record ids of the chunks around it"));
      return new Chunk(index, fileOffset, null, true, true, List.of(), issues);
    }
    issues.add(new EvtxIssue(EvtxIssue.Kind.CHUNK_INVALID, index, fileOffset, null,
        signature + "; no chunk header: the slot was scanned for record signatures, " + records.size()
            + " record(s) found" + (records.isEmpty() ? "" : " (record header ids " + minId + ".." + maxId + ")")
            + (copies > 0 ? ", " + copies + " older copies of records the file holds not repeated" : "")
            + (unreadable > 0 ? ", " + unreadable + " record-shaped range(s) do not decode (first " + firstError + ")" : "")));
    if (!records.isEmpty()) {
      issues.add(new EvtxIssue(EvtxIssue.Kind.RECORDS_RECOVERED, index, fileOffset, null,
          records.size() + " record(s) found by scanning a chunk slot without a chunk header for record signatures",
          records.size()));
    }
    // No header, so no checksum that fails: the stats' checksum counts are of chunks that have one.
    return new Chunk(index, fileOffset, null, true, true, records, issues);
  }

  /** True when the record's System holds EventRecordID 0 and TimeCreated 0 (1601): values not written yet. */
  private static boolean unwritten(EventRecord r) {
    EventSystem s = r.system();
    return s.recordId() != null && s.recordId() == 0 && s.timeCreated() != null
        && s.timeCreated().equals(java.time.Instant.parse("1601-01-01T00:00:00Z"));
  }

  /** Decodes the record at {@code pos} of {@code size} bytes (already checked to fit the chunk). */
  private static EventRecord record(BinXml binxml, byte[] b, int pos, int size, int index, long fileOffset,
      EventRecord.Origin origin) throws DecodeException {
    long id = Values.i64(b, pos + 8); // Event record identifier (8 bytes)
    long written = Values.i64(b, pos + 16); // Written date and time, FILETIME (8 bytes)
    List<Object> content = binxml.record(pos + RECORD_HEADER, pos + size - 4);
    return new EventRecord(id, written, fileOffset + pos, index, content, origin);
  }

  /**
   * Compares the records read with the chunk header's count (last minus first record number, plus
   * one) and reports the difference with the identifiers missing. A header whose numbers do not
   * agree with each other promises nothing.
   */
  private static void missing(ChunkHeader h, List<EventRecord> records, List<Long> invalidIds, int index,
      long fileOffset, List<EvtxIssue> issues) {
    long promised = h.lastRecordNumber() - h.firstRecordNumber() + 1;
    long first = h.firstRecordId();
    long last = h.lastRecordId();
    if (promised <= 0 || promised > MAX_RECORDS || last - first + 1 != promised) {
      return;
    }
    boolean[] seen = new boolean[(int) promised];
    int read = 0;
    for (EventRecord r : records) {
      long id = r.headerRecordId();
      if (id >= first && id <= last && !seen[(int) (id - first)]) {
        seen[(int) (id - first)] = true;
        read++;
      }
    }
    // Undecodable records count 1 each in their own issue; those the header promises are not lost twice.
    int invalid = 0;
    for (long id : invalidIds) {
      if (id >= first && id <= last && !seen[(int) (id - first)]) {
        seen[(int) (id - first)] = true;
        invalid++;
      }
    }
    long lost = promised - read - invalid;
    if (lost <= 0) {
      return;
    }
    issues.add(new EvtxIssue(EvtxIssue.Kind.RECORDS_MISSING, index, fileOffset, null,
        "chunk header promises " + promised + " records (ids " + first + ".." + last + "); " + read + " read"
            + (invalid > 0 ? ", " + invalid + " found but undecodable" : "") + ": " + lost
            + (invalid > 0 ? " more" : "") + " lost (ids " + ranges(seen, first) + ")",
        lost));
  }

  /** The identifiers not seen, as ranges: "12..40, 57" (at most 8 ranges, then "..."). */
  private static String ranges(boolean[] seen, long first) {
    StringBuilder sb = new StringBuilder();
    int shown = 0;
    for (int i = 0; i < seen.length; i++) {
      if (seen[i]) {
        continue;
      }
      int j = i;
      while (j + 1 < seen.length && !seen[j + 1]) {
        j++;
      }
      if (shown == 8) {
        sb.append(", ...");
        break;
      }
      sb.append(shown++ == 0 ? "" : ", ").append(first + i);
      if (j > i) {
        sb.append("..").append(first + j);
      }
      i = j;
    }
    return sb.toString();
  }

  /**
   * Scans the chunk slack, {@code [from, length)}, for records of the chunk's previous use: each
   * candidate must pass {@link #candidate}, decode, and not be {@link #implausible}. A record whose
   * identifier this chunk holds or another chunk's header claims is an older copy of it and is not
   * repeated (libevtx's recovery rule 2; the Shell-Core sample's slack is 109 such copies).
   */
  private static void slack(BinXml binxml, byte[] b, int length, int from, LongPredicate claimed,
      List<EventRecord> records, int index, long fileOffset, List<EvtxIssue> issues) {
    java.util.Set<Long> ids = null;
    int found = 0;
    int copies = 0;
    int unreadable = 0;
    String firstError = null;
    long minId = Long.MAX_VALUE;
    long maxId = Long.MIN_VALUE;
    for (int p = (from + 3) & ~3; p + RECORD_MIN <= length; ) {
      if (Values.i32(b, p) != RECORD_MAGIC || !candidate(b, p, length)) {
        p += 4;
        continue;
      }
      int size = (int) Values.u32(b, p + 4);
      try {
        EventRecord r = record(binxml, b, p, size, index, fileOffset, EventRecord.Origin.SLACK);
        String implausible = implausible(r);
        if (implausible != null) {
          throw new DecodeException.InvalidField("recovered record", implausible);
        }
        if (ids == null) {
          ids = new java.util.HashSet<>();
          for (EventRecord k : records) {
            ids.add(k.headerRecordId());
          }
        }
        if (!claimed.test(r.headerRecordId()) && ids.add(r.headerRecordId())) {
          records.add(r);
          found++;
          minId = Math.min(minId, r.headerRecordId());
          maxId = Math.max(maxId, r.headerRecordId());
        } else {
          copies++;
        }
        p += size;
      } catch (DecodeException e) {
        unreadable++;
        if (firstError == null) {
          firstError = "at chunk offset 0x" + Integer.toHexString(p) + ": " + e.getMessage();
        }
        p += 4;
      }
    }
    String where = "chunk slack after chunk offset 0x" + Integer.toHexString(from);
    if (found > 0) {
      issues.add(new EvtxIssue(EvtxIssue.Kind.RECORDS_RECOVERED, index, fileOffset + from, null,
          found + " record(s) recovered from the " + where + " (record header ids " + minId + ".." + maxId + ")"
              + (copies > 0 ? "; " + copies + " older copies of records the file holds not repeated" : ""),
          found));
    } else if (copies > 0) {
      issues.add(new EvtxIssue(EvtxIssue.Kind.SLACK_UNREADABLE, index, fileOffset + from, null,
          "the " + where + " holds " + copies + " older copies of records the file holds; not repeated", 0));
    }
    if (unreadable > 0) {
      issues.add(new EvtxIssue(EvtxIssue.Kind.SLACK_UNREADABLE, index, fileOffset + from, null,
          unreadable + " record-shaped range(s) in the " + where + " do not decode (first " + firstError + ")",
          0));
    }
  }

  /**
   * Why a record found in slack is not an event after all, or null: it must be an {@code <Event>}
   * with a {@code <System>}, and its element and attribute names XML names in ASCII. A slack
   * record refers to names and templates by chunk offset, and when the new use of the chunk has
   * overwritten them, the BinXml still decodes, into names made of whatever bytes are there now.
   */
  static @Nullable String implausible(EventRecord r) {
    XmlElement ev = r.event();
    if (ev == null || !ev.name().equals("Event") || ev.child("System") == null) {
      return "no <Event> with a <System> element";
    }
    return badNames(ev, 0);
  }

  private static @Nullable String badNames(XmlElement e, int depth) {
    if (!xmlName(e.name())) {
      return "element name \"" + printable(e.name()) + "\" is no XML name";
    }
    for (int i = 0; i < e.attributeCount(); i++) {
      if (!xmlName(e.attributeName(i))) {
        return "attribute name \"" + printable(e.attributeName(i)) + "\" is no XML name";
      }
    }
    if (depth < 64) {
      for (XmlElement k : e.elements()) {
        String bad = badNames(k, depth + 1);
        if (bad != null) {
          return bad;
        }
      }
    }
    return null;
  }

  private static boolean xmlName(String n) {
    if (n.isEmpty() || n.length() > 256) {
      return false;
    }
    for (int i = 0; i < n.length(); i++) {
      char c = n.charAt(i);
      boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
      if (!letter && (i == 0 || !((c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':'))) {
        return false;
      }
    }
    return true;
  }

  private static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && i < 16; i++) {
      char c = s.charAt(i);
      sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
    }
    return sb.toString();
  }

  /**
   * The next 4-aligned offset in {@code [from, limit)} that holds a plausible record, or -1 (the
   * record area after a damaged range: the walk decodes what is found there).
   */
  private static int scan(byte[] b, int from, int limit) {
    for (int p = (from + 3) & ~3; p + RECORD_MIN <= limit; p += 4) {
      if (Values.i32(b, p) == RECORD_MAGIC && candidate(b, p, limit)) {
        return p;
      }
    }
    return -1;
  }

  /**
   * libevtx's checks for a record found by scanning, at {@code p} (signature already matched):
   * a size of at least 28 that fits before {@code limit}, the trailing copy of the size equal to
   * it, and BinXml that starts as a document does ([MS-EVEN6]: a fragment header 0f 01 01 00, or
   * a processing instruction 0x0a).
   */
  private static boolean candidate(byte[] b, int p, int limit) {
    long size = Values.u32(b, p + 4);
    if (size < RECORD_MIN || p + size > limit || Values.u32(b, p + (int) size - 4) != size) {
      return false;
    }
    int x = p + RECORD_HEADER;
    return (b[x] == 0x0f && b[x + 1] == 1 && b[x + 2] == 1 && b[x + 3] == 0) || (b[x] == 0x0a && size >= RECORD_MIN + 1);
  }

  private static boolean allZero(byte[] b, int length) {
    for (int i = 0; i < length; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
