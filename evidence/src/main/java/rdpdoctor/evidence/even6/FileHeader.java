package rdpdoctor.evidence.even6;

import java.util.zip.CRC32;
import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.DecodeException;

/**
 * [MS-EVEN6] / libevtx "File header": the first 4096 bytes of an EVTX file, of which the first 128
 * carry fields and the first 120 are covered by the header CRC32.
 *
 * <p>Windows does not keep the chunk count current in dirty files, so the reader never trusts
 * {@code chunkCount} to stop; it is reported, not obeyed.
 *
 * @param firstChunk oldest chunk number
 * @param lastChunk current chunk number
 * @param nextRecordId identifier the next written record would get
 * @param minorVersion 1, or 2 for the Windows 10 2004+ format (3.2)
 * @param majorVersion 3
 * @param headerBlockSize offset of the first chunk, 4096
 * @param chunkCount chunks the header claims (dirty files hold more)
 * @param flags 0x1 dirty, 0x2 full, 0x4 no CRC32; unknown bits are kept
 * @param storedCrc the CRC32 written in the header
 * @param computedCrc the CRC32 of bytes 0..119
 */
public record FileHeader(
    long firstChunk,
    long lastChunk,
    long nextRecordId,
    int minorVersion,
    int majorVersion,
    int headerBlockSize,
    int chunkCount,
    long flags,
    long storedCrc,
    long computedCrc) {

  /** Size of the header block in front of the first chunk. */
  public static final int SIZE = 4096;

  public static final long FLAG_DIRTY = 0x1;
  public static final long FLAG_FULL = 0x2;
  public static final long FLAG_NO_CRC32 = 0x4;

  static final byte[] MAGIC = {'E', 'l', 'f', 'F', 'i', 'l', 'e', 0};

  /** Parses the header from at least 128 bytes. */
  public static FileHeader parse(byte[] data) {
    try {
      ByteReader r = ByteReader.of(data, 0, Math.min(data.length, SIZE));
      byte[] magic = r.bytes("file header signature", 8); // Signature (8 bytes) "ElfFile\0"
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        throw new DecodeException.UnexpectedValue(
            "file header", "signature", r.array()[0] & 0xFFL, "\"ElfFile\\0\"");
      }
      long first = r.u64le("first chunk number"); // First chunk number (8 bytes)
      long last = r.u64le("last chunk number"); // Last chunk number (8 bytes)
      long next = r.u64le("next record identifier"); // Next record identifier (8 bytes)
      r.u32le("header size"); // Header size (4 bytes), 128
      int minor = r.u16le("minor version"); // Minor format version (2 bytes)
      int major = r.u16le("major version"); // Major format version (2 bytes)
      int block = r.u16le("header block size"); // Header block size (2 bytes), 4096
      int chunks = r.u16le("number of chunks"); // Number of chunks (2 bytes)
      r.skip("unknown", 76); // Unknown, empty (76 bytes)
      long flags = r.u32le("file flags"); // File flags (4 bytes)
      long crc = r.u32le("checksum"); // Checksum (4 bytes): CRC32 of the first 120 bytes
      CRC32 c = new CRC32();
      c.update(data, 0, 120);
      return new FileHeader(first, last, next, minor, major, block, chunks, flags, crc, c.getValue());
    } catch (DecodeException e) {
      throw e.in("cannot read EVTX file header");
    }
  }

  /** True when the file says its checksums are not maintained (format 3.2, flag 0x4). */
  public boolean noCrc() {
    return (flags & FLAG_NO_CRC32) != 0;
  }

  public boolean dirty() {
    return (flags & FLAG_DIRTY) != 0;
  }

  /** The stored checksum matches, or the file says checksums are not kept. */
  public boolean crcOk() {
    return noCrc() || storedCrc == computedCrc;
  }
}
