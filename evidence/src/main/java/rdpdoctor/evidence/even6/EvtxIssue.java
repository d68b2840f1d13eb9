package rdpdoctor.evidence.even6;

import org.jspecify.annotations.Nullable;

/**
 * Something wrong in the file that the reader worked around: a checksum that does not match, a
 * chunk or record it could not decode, bytes it skipped to find the next record, a file shorter
 * than its header says. Reading always goes on; these are reported so that a person knows what the
 * output may be missing, and what the recovery scans found.
 *
 * @param kind what happened
 * @param chunk chunk index (0 = the chunk at file offset 4096), or -1 for the file header
 * @param offset file offset of the structure concerned
 * @param recordId the record's identifier (record header) when known
 * @param message one lowercase sentence with the numbers
 * @param records how many records the issue accounts for: lost ({@link Kind#dataLost()}) or
 *     recovered ({@link Kind#RECORDS_RECOVERED}); the kinds are counted so that no record is
 *     counted twice, and 0 means the issue itself counts none
 */
public record EvtxIssue(Kind kind, int chunk, long offset, @Nullable Long recordId, String message, long records) {

  /** An issue that counts no records (checksums, skipped bytes: the records are counted elsewhere). */
  public EvtxIssue(Kind kind, int chunk, long offset, @Nullable Long recordId, String message) {
    this(kind, chunk, offset, recordId, message, 0);
  }

  /** Kinds of issues; checksum mismatches and recovery reports are warnings, the others lose data. */
  public enum Kind {
    FILE_HEADER_CHECKSUM(false),
    FILE_HEADER_INVALID(true),
    /** The file ends before what its header promises (chunks, records); counts the records past the last chunk read. */
    FILE_TRUNCATED(true),
    CHUNK_HEADER_CHECKSUM(false),
    CHUNK_RECORDS_CHECKSUM(false),
    /** A slot without the chunk signature; any records found in it by scanning are reported beside it. */
    CHUNK_INVALID(true),
    /** A slot that is not all zeros but holds neither a chunk signature nor a record signature: no records. */
    NOT_A_CHUNK(false),
    CHUNK_TRUNCATED(true),
    /** A chunk header promises more records than could be read; counts the difference. */
    RECORDS_MISSING(true),
    RECORD_SIZE_MISMATCH(false),
    /** A record found but its BinXml does not decode: counts 1. */
    RECORD_INVALID(true),
    RECORD_SKIPPED_BYTES(true),
    /** Zero bytes where the chunk header says records are (a zero-filled gap in a copy). */
    ZERO_FILLED(true),
    /** Records found by a recovery scan (after damage, or in chunk slack with --recover); counts them. */
    RECORDS_RECOVERED(false),
    /** Record-shaped bytes in chunk slack that do not decode (old records whose templates were overwritten). */
    SLACK_UNREADABLE(false);

    private final boolean dataLost;

    Kind(boolean dataLost) {
      this.dataLost = dataLost;
    }

    /** False for checksum warnings and recovery reports: the records were still read. */
    public boolean dataLost() {
      return dataLost;
    }
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " at offset 0x"
        + Long.toHexString(offset) + (chunk >= 0 ? " (chunk " + chunk + ")" : "")
        + (recordId != null ? " record " + recordId : "") + ": " + message;
  }
}
