package rdpdoctor.evidence.even6;

import org.jspecify.annotations.Nullable;

/**
 * Something wrong in the file that the reader worked around: a checksum that does not match, a
 * chunk or record it could not decode, bytes it skipped to find the next record. Reading always
 * goes on; these are reported so that a person knows what the output may be missing.
 *
 * @param kind what happened
 * @param chunk chunk index (0 = the chunk at file offset 4096), or -1 for the file header
 * @param offset file offset of the structure concerned
 * @param recordId the record's identifier when known
 * @param message one lowercase sentence with the numbers
 */
public record EvtxIssue(Kind kind, int chunk, long offset, @Nullable Long recordId, String message) {

  /** Kinds of issues; checksum mismatches are warnings, the others lose data. */
  public enum Kind {
    FILE_HEADER_CHECKSUM(false),
    FILE_HEADER_INVALID(true),
    CHUNK_HEADER_CHECKSUM(false),
    CHUNK_RECORDS_CHECKSUM(false),
    CHUNK_INVALID(true),
    CHUNK_TRUNCATED(true),
    RECORD_SIZE_MISMATCH(false),
    RECORD_INVALID(true),
    RECORD_SKIPPED_BYTES(true);

    private final boolean dataLost;

    Kind(boolean dataLost) {
      this.dataLost = dataLost;
    }

    /** False for checksum warnings: the records were still read. */
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
