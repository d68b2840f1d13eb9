package rdpdoctor.evidence.even6;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;

/**
 * Fuzzes the chunk and BinXml decoders: whatever the bytes, {@link Chunk#decode} returns (bad
 * records become issues), and every record it returns renders as XML, JSON and typed fields.
 * Any other exception, a hang or a stack overflow is a bug.
 */
class EvtxFuzzTest {
  /** A valid chunk with templates, names and substitutions of many types, to mutate. */
  private static final byte[] SEED = seedChunk();

  private static byte[] seedChunk() {
    Instant t = Instant.parse("2024-05-01T10:00:00Z");
    EvtxWriter w = new EvtxWriter()
        .add(RdpFixtures.logonFailed(t, "alice", "10.0.0.1", 0xC000006DL, 0xC000006AL))
        .add(RdpFixtures.sessionLogon(t, "CORP\\bob", 3, "10.0.0.2"))
        .add(RdpFixtures.clientDisconnected(t, 516))
        .add(RdpFixtures.logonFailed(t, "carol", "10.0.0.3", 0xC000006EL, 0))
        .add(EvtxWriter.Event.of("T", "P", 1)
            .data("g", EvtxWriter.Value.guid("{54849625-5478-4994-A5BA-3E3B0328C30D}"))
            .data("a", EvtxWriter.Value.strings("x", "y"))
            .data("b", EvtxWriter.Value.binary(new byte[] {1, 2, 3}))
            .data("f", EvtxWriter.Value.bool(7)));
    byte[] file = w.toBytes();
    byte[] chunk = new byte[ChunkHeader.CHUNK_SIZE];
    System.arraycopy(file, FileHeader.SIZE, chunk, 0, chunk.length);
    return chunk;
  }

  @FuzzTest(maxDuration = "30s")
  void chunkDecodingNeverFailsOtherwise(FuzzedDataProvider data) {
    byte[] chunk;
    int length;
    if (data.consumeBoolean()) {
      // Mutate the valid chunk at a few places: reaches deep into templates and values.
      chunk = SEED.clone();
      int edits = data.consumeInt(1, 16);
      for (int i = 0; i < edits && data.remainingBytes() > 2; i++) {
        int at = data.consumeInt(0, 4096);
        byte[] b = data.consumeBytes(data.consumeInt(1, 8));
        System.arraycopy(b, 0, chunk, at, Math.min(b.length, chunk.length - at));
      }
      length = data.consumeBoolean() ? chunk.length : data.consumeInt(0, chunk.length);
    } else {
      // Raw bytes as a chunk, with a valid signature so the record walk runs.
      byte[] raw = data.consumeRemainingAsBytes();
      chunk = new byte[ChunkHeader.CHUNK_SIZE];
      System.arraycopy(SEED, 0, chunk, 0, 8);
      System.arraycopy(raw, 0, chunk, 8, Math.min(raw.length, chunk.length - 8));
      length = Math.min(chunk.length, Math.max(ChunkHeader.SIZE, raw.length + 8));
    }
    Chunk c = Chunk.decode(new BinXml(), chunk, length, 0, FileHeader.SIZE, true, true);
    StringBuilder sb = new StringBuilder();
    for (EventRecord r : c.records()) {
      r.appendXml(sb);
      r.appendJson(sb);
      r.system();
      r.data();
      r.time();
    }
    for (EvtxIssue i : c.issues()) {
      sb.append(i);
    }
  }

  /**
   * Whole files through the reader with the slack scan on, and its report: records and issues,
   * or a typed error for a file that is not EVTX. The seeds are {@link DamagedEvtx}'s damaged files
   * ({@code EvtxFuzzSeedsTest} keeps them equal to what it writes).
   */
  @FuzzTest(maxDuration = "30s")
  void fileReadingNeverFailsOtherwise(byte[] input) throws java.io.IOException {
    java.nio.file.Path p = java.nio.file.Files.createTempFile("evtx-fuzz", ".evtx");
    try {
      java.nio.file.Files.write(p, input);
      try (EvtxReader r = EvtxReader.open(p, true)) {
        StringBuilder sb = new StringBuilder();
        r.forEachChunk(2, c -> c, c -> {
          for (EventRecord e : c.records()) {
            e.appendJson(sb);
            e.appendXml(sb);
          }
        });
        EvtxReader.Report report = r.report();
        sb.append(report.summary());
        for (EvtxIssue i : report.issues()) {
          sb.append(i);
        }
      } catch (rdpdoctor.protocol.DecodeException notEvtx) {
        // typed error: fine
      }
    } finally {
      java.nio.file.Files.delete(p);
    }
  }

  /** The file header decoder: any 4096 bytes give a header or a typed error. */
  @FuzzTest(maxDuration = "30s")
  void fileHeaderNeverFailsOtherwise(byte[] input) {
    byte[] h = java.util.Arrays.copyOf(input, FileHeader.SIZE);
    if (input.length >= 8 && (input[0] & 1) == 1) {
      System.arraycopy(FileHeader.MAGIC, 0, h, 0, 8); // get past the signature half of the time
    }
    try {
      FileHeader fh = FileHeader.parse(h);
      fh.crcOk();
      fh.dirty();
    } catch (rdpdoctor.protocol.DecodeException expected) {
      // typed error: fine
    }
  }
}
