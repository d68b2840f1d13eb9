package rdpdoctor.evidence.even6;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.protocol.ByteWriter;
import rdpdoctor.protocol.DecodeException;

/** Damaged files: each case loses at most what is damaged, says where, and never hangs. */
class EvtxCorruptionTest {
  static final Instant T = Instant.parse("2024-05-01T10:00:00Z");
  static final int CHUNK = ChunkHeader.CHUNK_SIZE;

  @TempDir Path dir;

  /** A file of several chunks, about 160 records each. */
  static byte[] sample(int events) {
    EvtxWriter w = new EvtxWriter();
    for (int i = 0; i < events; i++) {
      w.add(RdpFixtures.logonFailed(T.plusSeconds(i), "user" + i, "10.0.0.1", 0xC000006DL, 0xC000006AL));
    }
    return w.toBytes();
  }

  record Result(List<EventRecord> records, List<EvtxIssue> issues) {}

  Result read(byte[] file) throws IOException {
    Path p = dir.resolve("f" + System.nanoTime() + ".evtx");
    Files.write(p, file);
    List<EventRecord> records = new ArrayList<>();
    List<EvtxIssue> issues = new ArrayList<>();
    try (EvtxReader r = EvtxReader.open(p)) {
      issues.addAll(r.headerIssues());
      r.forEachChunk(c -> {
        records.addAll(c.records());
        issues.addAll(c.issues());
      });
    }
    return new Result(records, issues);
  }

  static int chunkOffset(int i) {
    return FileHeader.SIZE + i * CHUNK;
  }

  @Test
  void truncatedFileKeepsTheRecordsBeforeTheCut() throws IOException {
    byte[] full = sample(2000);
    int total = read(full).records().size();
    assertThat((full.length - FileHeader.SIZE) / CHUNK).isGreaterThan(3);
    byte[] cut = Arrays.copyOf(full, chunkOffset(2) + 20000);
    Result r = read(cut);
    assertThat(r.records().size()).isGreaterThan(0).isLessThan(total);
    assertThat(r.records()).extracting(EventRecord::recordId).startsWith(1L, 2L, 3L);
    assertThat(r.issues()).extracting(EvtxIssue::kind).contains(EvtxIssue.Kind.CHUNK_TRUNCATED);
    assertThat(r.issues()).filteredOn(i -> i.kind() == EvtxIssue.Kind.CHUNK_TRUNCATED)
        .extracting(EvtxIssue::offset).containsOnly((long) chunkOffset(2));
  }

  @Test
  void zeroedChunkIsSkippedAndTheOthersAreRead() throws IOException {
    byte[] f = sample(600);
    int chunks = (f.length - FileHeader.SIZE) / CHUNK;
    assertThat(chunks).isGreaterThanOrEqualTo(3);
    int perChunk0 = countIn(f, 0);
    Arrays.fill(f, chunkOffset(1), chunkOffset(2), (byte) 0);
    Result r = read(f);
    assertThat(r.issues()).isEmpty();
    assertThat(r.records().size()).isEqualTo(600 - countIn(sample(600), 1));
    assertThat(r.records().get(perChunk0 - 1).recordId()).isEqualTo(perChunk0);
  }

  private int countIn(byte[] f, int chunk) {
    return (int) (Values.i64(f, chunkOffset(chunk) + 32) - Values.i64(f, chunkOffset(chunk) + 24) + 1);
  }

  @Test
  void badChunkMagicIsReportedWithItsOffsetAndReadingGoesOn() throws IOException {
    byte[] f = sample(600);
    f[chunkOffset(1)] = 'X';
    Result r = read(f);
    assertThat(r.issues()).extracting(EvtxIssue::kind)
        .containsExactly(EvtxIssue.Kind.CHUNK_INVALID, EvtxIssue.Kind.RECORDS_RECOVERED);
    assertThat(r.issues().get(0)).satisfies(i -> {
      assertThat(i.offset()).isEqualTo(chunkOffset(1));
      assertThat(i.chunk()).isEqualTo(1);
    });
    // Only the signature is broken: the scan of the slot finds every record of the chunk.
    assertThat(r.records().size()).isEqualTo(600);
    assertThat(r.records()).filteredOn(EventRecord::recovered).hasSize(countIn(f, 1));
  }

  @Test
  void badFileHeaderMagicStillReadsTheChunks() throws IOException {
    byte[] f = sample(10);
    f[0] = 'X';
    Result r = read(f);
    assertThat(r.records()).hasSize(10);
    assertThat(r.issues()).extracting(EvtxIssue::kind).containsExactly(EvtxIssue.Kind.FILE_HEADER_INVALID);
  }

  @Test
  void notAnEvtxFileIsRefused() throws IOException {
    Path p = dir.resolve("text.evtx");
    Files.writeString(p, "hello, this is not an event log".repeat(300));
    assertThatThrownBy(() -> EvtxReader.open(p))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("not an EVTX file");
  }

  @Test
  void emptyFileIsRefused() throws IOException {
    Path p = dir.resolve("empty.evtx");
    Files.write(p, new byte[0]);
    assertThatThrownBy(() -> EvtxReader.open(p)).isInstanceOf(DecodeException.class);
  }

  @Test
  void badRecordsChecksumIsAWarningNotADrop() throws IOException {
    byte[] f = sample(20);
    // Flip one character of a user name inside a record: the records CRC no longer matches.
    int at = indexOf(f, "user7".getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
    f[at] = 'U';
    Result r = read(f);
    assertThat(r.records()).hasSize(20);
    assertThat(r.records().get(7).data()).containsEntry("TargetUserName", "User7");
    assertThat(r.issues()).extracting(EvtxIssue::kind).containsExactly(EvtxIssue.Kind.CHUNK_RECORDS_CHECKSUM);
    assertThat(r.issues().get(0).kind().dataLost()).isFalse();
  }

  @Test
  void noCrcFlagTurnsChecksumsOff() throws IOException {
    EvtxWriter w = new EvtxWriter().fileFlags(FileHeader.FLAG_NO_CRC32);
    w.add(RdpFixtures.clientDisconnected(T, 3));
    Result r = read(w.toBytes());
    assertThat(r.records()).hasSize(1);
    assertThat(r.issues()).isEmpty();
  }

  @Test
  void badChunkHeaderChecksumIsAWarning() throws IOException {
    byte[] f = sample(20);
    f[chunkOffset(0) + 200] ^= 1; // in the string bucket table, covered by the header CRC
    Result r = read(f);
    assertThat(r.records()).hasSize(20);
    assertThat(r.issues()).extracting(EvtxIssue::kind).containsExactly(EvtxIssue.Kind.CHUNK_HEADER_CHECKSUM);
  }

  @Test
  void damagedRecordIsSkippedAndTheNextOneFound() throws IOException {
    byte[] f = sample(20);
    int second = chunkOffset(0) + ChunkHeader.SIZE + (int) Values.u32(f, chunkOffset(0) + ChunkHeader.SIZE + 4);
    f[second] = 0x55; // record 2's signature
    Result r = read(f);
    assertThat(r.records()).extracting(EventRecord::recordId).doesNotContain(2L).contains(1L, 3L, 20L);
    assertThat(r.records()).hasSize(19);
    assertThat(r.issues()).filteredOn(i -> i.kind() == EvtxIssue.Kind.RECORD_SKIPPED_BYTES)
        .singleElement().satisfies(i -> assertThat(i.offset()).isEqualTo(second));
  }

  @Test
  void zeroSizeRecordDoesNotLoop() throws IOException {
    byte[] f = sample(5);
    int first = chunkOffset(0) + ChunkHeader.SIZE;
    EvtxWriter.putU32(f, first + 4, 0);
    Result r = read(f);
    assertThat(r.records()).extracting(EventRecord::recordId).containsExactly(2L, 3L, 4L, 5L);
  }

  @Test
  void recordWithGarbageBinXmlIsReportedWithItsId() throws IOException {
    byte[] f = sample(5);
    int first = chunkOffset(0) + ChunkHeader.SIZE;
    int size = (int) Values.u32(f, first + 4);
    // The third record refers back to the template defined in the first: break the definition.
    Arrays.fill(f, first + 24 + 10, first + 24 + 60, (byte) 0xEE);
    Result r = read(f);
    assertThat(r.issues()).filteredOn(i -> i.kind() == EvtxIssue.Kind.RECORD_INVALID)
        .extracting(EvtxIssue::recordId).contains(1L);
    assertThat(r.issues()).allSatisfy(i -> assertThat(i.message()).isNotBlank());
    assertThat(size).isPositive();
  }

  /** A chunk whose only record instantiates a template whose definition instantiates itself. */
  @Test
  void cyclicTemplateOffsetsAreRefusedNotFollowed() {
    byte[] chunk = emptyChunk();
    int def = 0x1000;
    // Template definition at `def`: next (4), GUID (16), data size (4), then its data.
    ByteWriter d = new ByteWriter();
    d.u8(0x0f).u8(1).u8(1).u8(0); // fragment header
    d.u8(0x0c).u8(1).u32le(7).u32le(def); // template instance referring to this same definition
    d.u32le(0); // no values
    d.u8(0x00); // EOF
    byte[] data = d.toByteArray();
    EvtxWriter.putU32(chunk, def + 20, data.length);
    System.arraycopy(data, 0, chunk, def + 24, data.length);
    // A second pair that refers to each other: A -> B -> A.
    int a = 0x2000, b = 0x3000;
    for (int[] pair : new int[][] {{a, b}, {b, a}}) {
      ByteWriter x = new ByteWriter();
      x.u8(0x0f).u8(1).u8(1).u8(0).u8(0x0c).u8(1).u32le(7).u32le(pair[1]).u32le(0).u8(0);
      byte[] xd = x.toByteArray();
      EvtxWriter.putU32(chunk, pair[0] + 20, xd.length);
      System.arraycopy(xd, 0, chunk, pair[0] + 24, xd.length);
    }
    int pos = ChunkHeader.SIZE;
    pos = addRecord(chunk, pos, 1, new ByteWriter().u8(0x0f).u8(1).u8(1).u8(0)
        .u8(0x0c).u8(1).u32le(7).u32le(def).u32le(0).u8(0).toByteArray());
    pos = addRecord(chunk, pos, 2, new ByteWriter().u8(0x0f).u8(1).u8(1).u8(0)
        .u8(0x0c).u8(1).u32le(7).u32le(a).u32le(0).u8(0).toByteArray());
    finishChunk(chunk, pos, 1, 2);
    Chunk c = Chunk.decode(new BinXml(), chunk, CHUNK, 0, FileHeader.SIZE, true);
    assertThat(c.records()).isEmpty();
    assertThat(c.issues()).hasSize(2).allSatisfy(i -> {
      assertThat(i.kind()).isEqualTo(EvtxIssue.Kind.RECORD_INVALID);
      assertThat(i.message()).contains("refers to itself");
    });
  }

  /** Hash-chain "next" fields and bucket tables that loop are never followed. */
  @Test
  void stringCacheLoopsDoNotHang() throws IOException {
    byte[] f = sample(30);
    int c0 = chunkOffset(0);
    // Every common-string bucket points at offset 0x300, whose next-in-chain points to itself.
    for (int i = 0; i < 64; i++) {
      EvtxWriter.putU32(f, c0 + 128 + 4 * i, 0x300);
    }
    for (int i = 0; i < 32; i++) {
      EvtxWriter.putU32(f, c0 + 384 + 4 * i, 0x300);
    }
    // And every inline name's next-in-chain field points at the name itself.
    byte[] eventName = "Event".getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
    int nameChars = indexOf(f, eventName);
    EvtxWriter.putU32(f, nameChars - 8, nameChars - 8 - c0);
    EvtxWriter.putU32(f, c0 + 124, ChunkHeader.headerCrc(Arrays.copyOfRange(f, c0, c0 + CHUNK)));
    Result r = read(f);
    assertThat(r.records()).hasSize(30);
    assertThat(r.issues()).extracting(EvtxIssue::kind).containsOnly(EvtxIssue.Kind.CHUNK_RECORDS_CHECKSUM);
  }

  /** 10 000 nested elements in one record: refused with a typed error, not a stack overflow. */
  @Test
  void deepNestingIsRefused() {
    byte[] chunk = emptyChunk();
    ByteWriter w = new ByteWriter();
    w.u8(0x0f).u8(1).u8(1).u8(0);
    int nameAt = ChunkHeader.SIZE + 24 + 4 + 1 + 4 + 4; // after token, data size, name offset
    for (int i = 0; i < 3000; i++) {
      w.u8(0x01).u32le(0).u32le(nameAt); // element without dependency id, name at a fixed offset
      if (i == 0) {
        w.u32le(0).u16le(0).u16le(1).utf16le("a").u16le(0);
      }
      w.u8(0x02);
    }
    byte[] body = w.toByteArray();
    int pos = addRecord(chunk, ChunkHeader.SIZE, 1, body);
    finishChunk(chunk, pos, 1, 1);
    Chunk c = Chunk.decode(new BinXml(), chunk, CHUNK, 0, FileHeader.SIZE, true);
    assertThat(c.records()).isEmpty();
    assertThat(c.issues()).singleElement().satisfies(i -> assertThat(i.message()).contains("nesting"));
  }

  static byte[] emptyChunk() {
    byte[] c = new byte[CHUNK];
    System.arraycopy(new byte[] {'E', 'l', 'f', 'C', 'h', 'n', 'k', 0}, 0, c, 0, 8);
    EvtxWriter.putU32(c, 40, 128);
    return c;
  }

  /** One event holding {@code value}, then a good one. */
  Result readWithValue(EvtxWriter.Value value) throws IOException {
    return read(new EvtxWriter()
        .add(EvtxWriter.Event.of("Application", "P", 1).data("Value", value))
        .add(RdpFixtures.clientDisconnected(T, 3))
        .toBytes());
  }

  @Test
  void anArrayThatIsNotWholeItemsIsAnIssueWithTheSizes() throws IOException {
    // 6 bytes of uint32[]: the last 2 used to be dropped without a word.
    Result r = readWithValue(new EvtxWriter.Value(Values.UINT32 | Values.ARRAY, new byte[6]));
    assertThat(r.records()).hasSize(1);
    assertThat(r.issues()).singleElement().satisfies(i -> {
      assertThat(i.kind()).isEqualTo(EvtxIssue.Kind.RECORD_INVALID);
      assertThat(i.message()).endsWith("invalid field uint32[] value size: 6 (expected: a multiple of 4)");
    });
  }

  @Test
  void aCutOffSidInASidArrayIsAnIssueWithTheSizes() throws IOException {
    // S-1-5-18, then a SID that claims 5 sub-authorities and holds 1: it used to end the array early.
    byte[] sids = rdpdoctor.protocol.Hex.parse("""
        01 01 00 00 00 00 00 05 12 00 00 00   // S-1-5-18
        01 05 00 00 00 00 00 05 15 00 00 00   // S-1-5-21-... cut after its first sub-authority
        """);
    Result r = readWithValue(new EvtxWriter.Value(Values.SID | Values.ARRAY, sids));
    assertThat(r.records()).hasSize(1);
    assertThat(r.issues()).singleElement().satisfies(i -> assertThat(i.message())
        .endsWith("not enough bytes for sid sub-authorities: 4 (expected: 20)"));
  }

  static int addRecord(byte[] chunk, int pos, long id, byte[] binxml) {
    int size = (24 + binxml.length + 4 + 7) & ~7;
    EvtxWriter.putU32(chunk, pos, 0x2a2a);
    EvtxWriter.putU32(chunk, pos + 4, size);
    EvtxWriter.putU32(chunk, pos + 8, id);
    System.arraycopy(binxml, 0, chunk, pos + 24, binxml.length);
    EvtxWriter.putU32(chunk, pos + size - 4, size);
    return pos + size;
  }

  static void finishChunk(byte[] chunk, int free, long firstId, long lastId) {
    EvtxWriter.putU32(chunk, 24, firstId);
    EvtxWriter.putU32(chunk, 32, lastId);
    EvtxWriter.putU32(chunk, 48, free);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(chunk, ChunkHeader.SIZE, free - ChunkHeader.SIZE);
    EvtxWriter.putU32(chunk, 52, crc.getValue());
    EvtxWriter.putU32(chunk, 124, ChunkHeader.headerCrc(chunk));
  }

  static int indexOf(byte[] hay, byte[] needle) {
    // ISO-8859-1 maps each byte to one char and back, so the JDK's String search is a byte search.
    int at = new String(hay, java.nio.charset.StandardCharsets.ISO_8859_1)
        .indexOf(new String(needle, java.nio.charset.StandardCharsets.ISO_8859_1));
    if (at < 0) {
      throw new AssertionError("not found");
    }
    return at;
  }
}
