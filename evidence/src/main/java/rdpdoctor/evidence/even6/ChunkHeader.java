package rdpdoctor.evidence.even6;

import java.util.zip.CRC32;

/**
 * [MS-EVEN6] / libevtx "Chunk header": the first 512 bytes of a 64 KiB chunk (128 bytes of fields,
 * then the 64 common-string and 32 template hash buckets, which this reader does not follow).
 *
 * @param firstRecordNumber first event record number (log-relative)
 * @param lastRecordNumber last event record number
 * @param firstRecordId first event record identifier
 * @param lastRecordId last event record identifier
 * @param lastRecordOffset chunk offset of the last record
 * @param freeSpaceOffset chunk offset where unused space begins
 * @param storedDataCrc CRC32 of the records, as written
 * @param flags chunk flags (0x4: no CRC32)
 * @param storedHeaderCrc CRC32 of bytes 0..119 and 128..511, as written
 */
public record ChunkHeader(
    long firstRecordNumber,
    long lastRecordNumber,
    long firstRecordId,
    long lastRecordId,
    long lastRecordOffset,
    long freeSpaceOffset,
    long storedDataCrc,
    long flags,
    long storedHeaderCrc) {

  public static final int SIZE = 512;
  public static final int CHUNK_SIZE = 65536;
  static final long MAGIC = 0x006b6e6843666c45L; // "ElfChnk\0" little-endian

  /** Reads the header fields of the chunk in {@code b} (at least 128 bytes). */
  static ChunkHeader parse(byte[] b) {
    return new ChunkHeader(
        Values.i64(b, 8), // First event record number (8 bytes)
        Values.i64(b, 16), // Last event record number (8 bytes)
        Values.i64(b, 24), // First event record identifier (8 bytes)
        Values.i64(b, 32), // Last event record identifier (8 bytes)
        // Header size (4 bytes) at 40, 128
        Values.u32(b, 44), // Last event record data offset (4 bytes)
        Values.u32(b, 48), // Free space offset (4 bytes)
        Values.u32(b, 52), // Event records checksum (4 bytes)
        // Unknown (64 bytes) at 56
        Values.u32(b, 120), // Flags (4 bytes)
        Values.u32(b, 124)); // Checksum (4 bytes)
  }

  /** CRC32 over bytes 0..119 and 128..511: the header checksum leaves out flags and itself. */
  static long headerCrc(byte[] b) {
    CRC32 c = new CRC32();
    c.update(b, 0, 120);
    c.update(b, 128, SIZE - 128);
    return c.getValue();
  }

  /** CRC32 of the record area, from the end of the header to the free space offset. */
  static long dataCrc(byte[] b, int length, long freeSpaceOffset) {
    CRC32 c = new CRC32();
    int end = (int) Math.min(Math.max(freeSpaceOffset, SIZE), length);
    c.update(b, SIZE, end - SIZE);
    return c.getValue();
  }
}
