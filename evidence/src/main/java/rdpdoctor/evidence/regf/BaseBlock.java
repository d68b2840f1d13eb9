package rdpdoctor.evidence.regf;

import java.time.Instant;
import rdpdoctor.evidence.even6.FileTime;
import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.DecodeException;

/**
 * msuhanov/regf "Base block": the 4096-byte header of a primary file, and the first 512 bytes of
 * a transaction log (a partial copy of it with file type 1, 2 or 6).
 *
 * @param primarySequence incremented when a write to the primary file starts
 * @param secondarySequence incremented when it ends; differs from the primary one in a dirty hive
 * @param lastWritten FILETIME, raw (not updated by Windows 8.1 and later)
 * @param major major version, 1
 * @param minor minor version, 3 to 6 (lh lists need more than 4, db big data more than 3)
 * @param fileType 0 primary, 1 old-format log, 2 NT 2000 log, 6 new-format log
 * @param fileFormat 1 "direct memory load"
 * @param rootCellOffset offset of the root key node, relative to the hive bins data
 * @param hiveBinsDataSize bytes of hive bins after the base block
 * @param clusteringFactor logical sector size / 512
 * @param fileName partial path of the primary file (debug only)
 * @param storedChecksum the checksum field at offset 508
 * @param computedChecksum the XOR-32 checksum of bytes 0..507
 * @param flags Windows 10 KTM flags at offset 144 (bit 0 is restored from log entries)
 */
public record BaseBlock(
    long primarySequence,
    long secondarySequence,
    long lastWritten,
    long major,
    long minor,
    long fileType,
    long fileFormat,
    long rootCellOffset,
    long hiveBinsDataSize,
    long clusteringFactor,
    String fileName,
    long storedChecksum,
    long computedChecksum,
    long flags) {

  /** Size of the base block in a primary file. */
  public static final int SIZE = 4096;

  /** The part of the base block the checksum and a log's copy cover (one 512-byte sector). */
  public static final int SECTOR = 512;

  public static final long TYPE_PRIMARY = 0;
  public static final long TYPE_LOG_OLD = 1;
  public static final long TYPE_LOG_NT2000 = 2;
  public static final long TYPE_LOG_NEW = 6;

  /**
   * Reads a base block from the first 512 bytes of {@code file}. Only the signature is required
   * here; everything else is reported by {@link #problems()} so a damaged header can still be
   * described.
   */
  public static BaseBlock read(byte[] file) {
    ByteReader r;
    try {
      r = ByteReader.of(file, 0, Math.min(file.length, SECTOR));
      r.require("base block", SECTOR);
    } catch (DecodeException e) {
      throw e.in("cannot read base block");
    }
    long signature = r.u32be("Signature");
    if (signature != 0x72656766L) { // "regf"
      throw new DecodeException.UnexpectedValue("base block", "signature", signature, "\"regf\"")
          .in("not a registry hive");
    }
    long primary = r.u32le("Primary sequence number"); // 4
    long secondary = r.u32le("Secondary sequence number"); // 8
    long written = r.u64le("Last written timestamp"); // 12
    long major = r.u32le("Major version"); // 20
    long minor = r.u32le("Minor version"); // 24
    long type = r.u32le("File type"); // 28
    long format = r.u32le("File format"); // 32
    long root = r.u32le("Root cell offset"); // 36
    long size = r.u32le("Hive bins data size"); // 40
    long clustering = r.u32le("Clustering factor"); // 44
    String name = r.utf16le("File name", 32); // 48, 64 bytes
    r.seek("Flags", 144);
    long flags = r.u32le("Flags"); // 144 (Windows 10)
    r.seek("Checksum", 508);
    long stored = r.u32le("Checksum"); // 508
    int nul = name.indexOf('\0');
    return new BaseBlock(primary, secondary, written, major, minor, type, format, root, size,
        clustering, nul >= 0 ? name.substring(0, nul) : name, stored, checksum(file, 0), flags);
  }

  /**
   * msuhanov/regf "Base block", note 2: XOR of the 127 little-endian dwords before offset 508;
   * -1 becomes -2 and 0 becomes 1 (so neither value can appear).
   */
  public static long checksum(byte[] data, int offset) {
    int c = 0;
    for (int i = offset; i < offset + 508; i += 4) {
      c ^= (data[i] & 0xFF) | (data[i + 1] & 0xFF) << 8 | (data[i + 2] & 0xFF) << 16
          | (data[i + 3] & 0xFF) << 24;
    }
    if (c == -1) {
      c = -2;
    } else if (c == 0) {
      c = 1;
    }
    return c & 0xFFFFFFFFL;
  }

  /** Writes a fresh checksum into a base block held in {@code data} at {@code offset}. */
  static void writeChecksum(byte[] data, int offset) {
    long c = checksum(data, offset);
    for (int i = 0; i < 4; i++) {
      data[offset + 508 + i] = (byte) (c >>> (8 * i));
    }
  }

  public boolean checksumValid() {
    return storedChecksum == computedChecksum;
  }

  public boolean sequencesMatch() {
    return primarySequence == secondarySequence;
  }

  /** Dirty as msuhanov/regf "Dirty state of a hive" defines it: wrong checksum or unequal numbers. */
  public boolean dirty() {
    return !checksumValid() || !sequencesMatch();
  }

  public Instant lastWrittenTime() {
    return FileTime.toInstant(lastWritten);
  }
}
