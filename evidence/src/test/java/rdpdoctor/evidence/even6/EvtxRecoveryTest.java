package rdpdoctor.evidence.even6;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import rdpdoctor.diagnosis.Observation;

/**
 * The damaged files of {@link DamagedEvtx}: every intact record is found (and nothing else), each
 * recovered record says how it was found, and the report counts every loss.
 */
class EvtxRecoveryTest {
  @TempDir Path dir;

  record Read(List<EventRecord> records, EvtxReader.Report report) {
    List<EvtxIssue> of(EvtxIssue.Kind kind) {
      return report.issues().stream().filter(i -> i.kind() == kind).toList();
    }
  }

  Read read(byte[] file, boolean recover) throws IOException {
    Path p = dir.resolve("f" + System.nanoTime() + ".evtx");
    Files.write(p, file);
    List<EventRecord> records = new ArrayList<>();
    try (EvtxReader r = EvtxReader.open(p, recover)) {
      r.forEachChunk(2, c -> c, c -> records.addAll(c.records()));
      return new Read(records, r.report());
    }
  }

  static List<DamagedEvtx.Case> cases() {
    return DamagedEvtx.all();
  }

  /** "headerId@offset" of each record: identity and place, so a copy in the wrong place is not a find. */
  static Set<String> keys(List<EventRecord> records) {
    return records.stream().map(r -> r.headerRecordId() + "@" + r.fileOffset()).collect(Collectors.toSet());
  }

  @ParameterizedTest
  @MethodSource("cases")
  void everyIntactRecordIsFoundAndNothingElse(DamagedEvtx.Case c) throws IOException {
    Read r = read(c.bytes(), true);
    Set<String> expected = DamagedEvtx.intact(c).stream().map(x -> x[0] + "@" + x[1]).collect(Collectors.toSet());
    assertThat(keys(r.records())).as(c.name()).isEqualTo(expected);
    // And each decodes exactly as it does in the intact file it came from.
    Map<String, String> xml = new HashMap<>();
    for (byte[] src : c.sources()) {
      for (EventRecord e : read(src, false).records()) {
        xml.put(e.headerRecordId() + "@" + e.fileOffset(), e.xml());
      }
    }
    for (EventRecord e : r.records()) {
      assertThat(e.xml()).as(c.name() + " record " + e.headerRecordId()).isEqualTo(xml.get(e.headerRecordId() + "@" + e.fileOffset()));
    }
  }

  /** Every record of the intact log that is not in the damaged file is counted as lost, none twice. */
  @ParameterizedTest
  @MethodSource("cases")
  void everyLossIsCounted(DamagedEvtx.Case c) throws IOException {
    Read r = read(c.bytes(), true);
    long written = 0;
    for (byte[] src : c.sources()) {
      written += read(src, false).records().size();
    }
    // The reused chunk's overwritten records are the log's normal turnover, not damage.
    long expected = c.name().startsWith("reused") ? 0 : written - DamagedEvtx.intact(c).size();
    assertThat(r.report().recordsLost()).as(c.name() + ": " + r.report().summary()).isEqualTo(expected);
    // A chunk without its header is damage even when every record in it is found again: nothing
    // vouches for records before the first one the scan finds.
    assertThat(r.report().damaged()).isEqualTo(expected > 0 || c.name().equals("zeroed-chunk-header.evtx"));
  }

  @Test
  void aRecordWindowsWasStillWritingIsALossNotAnEventOf1601() throws IOException {
    Read r = read(DamagedEvtx.unfinishedRecord().bytes(), false);
    assertThat(r.records()).extracting(EventRecord::headerRecordId)
        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 19).boxed().toList());
    assertThat(r.of(EvtxIssue.Kind.RECORD_INVALID)).singleElement().satisfies(i -> {
      assertThat(i.recordId()).isEqualTo(20L);
      assertThat(i.records()).isEqualTo(1);
      assertThat(i.message()).startsWith("record size ").contains(" differs from its copy 0 and its values were never written"
          + " (EventRecordID 0, TimeCreated 1601-01-01T00:00:00Z)");
    });
    assertThat(r.of(EvtxIssue.Kind.RECORDS_MISSING)).isEmpty();
    assertThat(r.report().recordsLost()).isEqualTo(1);
  }

  @Test
  void recordsOfAChunkWithoutItsHeaderAreFoundByScanningAndNotCountedAsLost() throws IOException {
    DamagedEvtx.Case c = DamagedEvtx.zeroedChunkHeader();
    byte[] full = c.sources().get(0);
    long first = Values.i64(full, DamagedEvtx.chunkOffset(1) + 24);
    long last = Values.i64(full, DamagedEvtx.chunkOffset(1) + 32);
    for (boolean recover : new boolean[] {false, true}) {
      Read r = read(c.bytes(), recover);
      assertThat(r.records()).as("recover " + recover).hasSize(700);
      assertThat(r.records()).filteredOn(e -> e.headerRecordId() >= first && e.headerRecordId() <= last)
          .hasSize((int) (last - first + 1))
          .allSatisfy(e -> assertThat(e.origin()).isEqualTo(EventRecord.Origin.AFTER_DAMAGE));
      assertThat(r.of(EvtxIssue.Kind.CHUNK_INVALID)).singleElement().satisfies(i -> assertThat(i.message())
          .isEqualTo("chunk signature is 0x0 (expected: \"ElfChnk\\0\"); no chunk header: the slot was scanned for"
              + " record signatures, " + (last - first + 1) + " record(s) found (record header ids " + first + ".." + last + ")"));
      assertThat(r.of(EvtxIssue.Kind.RECORDS_RECOVERED)).singleElement().satisfies(i -> assertThat(i.records()).isEqualTo(last - first + 1));
      // The neighbours' ids leave no gap once the scan's finds are counted.
      assertThat(r.of(EvtxIssue.Kind.RECORDS_MISSING)).isEmpty();
      assertThat(r.report().recordsLost()).isZero();
      assertThat(r.report().recoveredAfterDamage()).isEqualTo(last - first + 1);
    }
  }

  /**
   * Slots that hold other data, neither a chunk nor a record signature (omerbenamram/evtx
   * {@code sysmon.evtx}: 8 such slots after its 9 chunks, ids contiguous): a warning, not an
   * unknown loss, and not a checksum mismatch; a zeroed chunk's ids are still counted lost.
   */
  @Test
  void aSlotHoldingOtherDataIsNoLossOfItsOwn() throws IOException {
    byte[] f = DamagedEvtx.log(700, 1);
    java.util.Random random = new java.util.Random(7);
    byte[] noise = new byte[DamagedEvtx.CHUNK];
    random.nextBytes(noise);
    for (int i = 0; i + 4 <= noise.length; i += 4) {
      if (Values.i32(noise, i) == 0x2a2a) {
        noise[i] = 1; // no record signature by chance
      }
    }
    byte[] tail = java.util.Arrays.copyOf(f, f.length + DamagedEvtx.CHUNK);
    System.arraycopy(noise, 0, tail, f.length, noise.length);
    Read r = read(tail, false);
    assertThat(r.records()).hasSize(700);
    assertThat(r.report().damaged()).isFalse();
    assertThat(r.of(EvtxIssue.Kind.NOT_A_CHUNK)).singleElement().satisfies(i -> {
      assertThat(i.chunk()).isEqualTo(3);
      assertThat(i.message()).contains("and the slot holds no record signature (").contains(" of 65536 bytes non-zero): no records");
    });
    // In the middle, the same slot loses the chunk it replaced: counted from the neighbours' ids.
    byte[] middle = f.clone();
    System.arraycopy(noise, 0, middle, DamagedEvtx.chunkOffset(1), noise.length);
    long first = Values.i64(f, DamagedEvtx.chunkOffset(1) + 24);
    long last = Values.i64(f, DamagedEvtx.chunkOffset(1) + 32);
    Read m = read(middle, false);
    assertThat(m.report().recordsLost()).isEqualTo(last - first + 1);
    assertThat(m.report().damaged()).isTrue();
  }

  @Test
  void cutAtAChunkBoundaryCountsTheMissingChunkAndItsRecords() throws IOException {
    DamagedEvtx.Case c = DamagedEvtx.truncatedAtChunkBoundary();
    Read r = read(c.bytes(), false);
    long inFirst = Values.i64(c.sources().get(0), DamagedEvtx.chunkOffset(0) + 32); // last record id of chunk 0
    assertThat(r.records()).hasSize((int) inFirst);
    assertThat(r.report().recordsLost()).isEqualTo(400 - inFirst);
    assertThat(r.report().damaged()).isTrue();
    assertThat(r.of(EvtxIssue.Kind.FILE_TRUNCATED)).singleElement().satisfies(i -> {
      assertThat(i.records()).isEqualTo(400 - inFirst);
      assertThat(i.message()).isEqualTo("the file header promises 2 chunk(s) (135168 bytes) and records up to id 400;"
          + " the file is 69632 bytes (1 chunk slot(s), records up to id " + inFirst + "): " + (400 - inFirst)
          + " record(s) lost");
    });
    assertThat(r.report().summary()).isEqualTo(inFirst + " record(s) read; " + (400 - inFirst)
        + " record(s) lost, the header promises 2 chunk(s) and the file holds 1 (1 problem(s))");
  }

  @Test
  void cutInsideAChunkCountsWhatTheChunkAndTheHeaderPromised() throws IOException {
    DamagedEvtx.Case c = DamagedEvtx.truncatedInsideChunk();
    Read r = read(c.bytes(), false);
    int intact = DamagedEvtx.intact(c).size();
    byte[] full = c.sources().get(0);
    long chunk1First = Values.i64(full, DamagedEvtx.chunkOffset(1) + 24);
    long chunk1Last = Values.i64(full, DamagedEvtx.chunkOffset(1) + 32);
    long readIn1 = intact - (chunk1First - 1);
    assertThat(r.records()).hasSize(intact);
    assertThat(r.report().recordsLost()).isEqualTo(700 - intact);
    assertThat(r.of(EvtxIssue.Kind.CHUNK_TRUNCATED)).singleElement()
        .satisfies(i -> assertThat(i.message()).startsWith("file ends 20000 bytes into the chunk"));
    assertThat(r.of(EvtxIssue.Kind.RECORDS_MISSING)).singleElement().satisfies(i -> {
      assertThat(i.chunk()).isEqualTo(1);
      assertThat(i.records()).isEqualTo(chunk1Last - chunk1First + 1 - readIn1);
      assertThat(i.message()).isEqualTo("chunk header promises " + (chunk1Last - chunk1First + 1) + " records (ids "
          + chunk1First + ".." + chunk1Last + "); " + readIn1 + " read: " + (chunk1Last - chunk1First + 1 - readIn1)
          + " lost (ids " + (chunk1First + readIn1) + ".." + chunk1Last + ")");
    });
    assertThat(r.of(EvtxIssue.Kind.FILE_TRUNCATED)).singleElement()
        .satisfies(i -> assertThat(i.records()).isEqualTo(700 - chunk1Last));
  }

  @Test
  void cutInsideTheHeaderIsDamageNotAnEmptyLog() throws IOException {
    Read r = read(DamagedEvtx.truncatedInsideHeader().bytes(), false);
    assertThat(r.records()).isEmpty();
    assertThat(r.report().damaged()).isTrue();
    assertThat(r.of(EvtxIssue.Kind.FILE_TRUNCATED)).singleElement().satisfies(i -> assertThat(i.message())
        .isEqualTo("file is 2000 bytes: it ends inside its 4096-byte header block; the header promises 2 chunk(s)"
            + " (135168 bytes) and records up to id 400, none of which is there: 400 record(s) lost"));
    assertThat(r.report().recordsLost()).isEqualTo(400);
    // Cut inside the 128 bytes of fields: still an EVTX file (its signature), still damage.
    Read tiny = read(java.util.Arrays.copyOf(DamagedEvtx.truncatedInsideHeader().bytes(), 60), false);
    assertThat(tiny.records()).isEmpty();
    assertThat(tiny.of(EvtxIssue.Kind.FILE_TRUNCATED)).singleElement().satisfies(i -> assertThat(i.message())
        .isEqualTo("file is 60 bytes: it ends inside the 128 bytes of header fields, before any chunk"));
  }

  @Test
  void recordsBehindAZeroedRangeAreFoundByScanningAndMarked() throws IOException {
    Read r = read(DamagedEvtx.zeroedRange().bytes(), false);
    assertThat(r.records()).extracting(EventRecord::headerRecordId)
        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 40).filter(i -> i < 5 || i > 8).boxed().toList());
    assertThat(r.records()).filteredOn(e -> e.headerRecordId() > 8)
        .hasSize(32).allSatisfy(e -> assertThat(e.origin()).isEqualTo(EventRecord.Origin.AFTER_DAMAGE));
    assertThat(r.records()).filteredOn(e -> e.headerRecordId() < 5)
        .allSatisfy(e -> assertThat(e.recovered()).isFalse());
    assertThat(r.of(EvtxIssue.Kind.ZERO_FILLED)).singleElement()
        .satisfies(i -> assertThat(i.message()).contains("zero bytes at chunk offset 0x").contains("where the chunk header has records"));
    assertThat(r.of(EvtxIssue.Kind.RECORDS_RECOVERED)).singleElement().satisfies(i -> assertThat(i.records()).isEqualTo(32));
    assertThat(r.of(EvtxIssue.Kind.RECORDS_MISSING)).singleElement().satisfies(i -> {
      assertThat(i.records()).isEqualTo(4);
      assertThat(i.message()).isEqualTo("chunk header promises 40 records (ids 1..40); 36 read: 4 lost (ids 5..8)");
    });
    assertThat(r.report().recordsLost()).isEqualTo(4);
    assertThat(r.report().recoveredAfterDamage()).isEqualTo(32);
  }

  @Test
  void aZeroedChunkIsALossOfTheIdsBetweenItsNeighbours() throws IOException {
    DamagedEvtx.Case c = DamagedEvtx.zeroedChunk();
    Read r = read(c.bytes(), false);
    byte[] full = c.sources().get(0);
    long first = Values.i64(full, DamagedEvtx.chunkOffset(1) + 24);
    long last = Values.i64(full, DamagedEvtx.chunkOffset(1) + 32);
    assertThat(r.records()).hasSize((int) (700 - (last - first + 1)));
    assertThat(r.of(EvtxIssue.Kind.RECORDS_MISSING)).singleElement().satisfies(i -> assertThat(i.message())
        .isEqualTo("record ids " + first + ".." + last + " are in no chunk (chunk 0 ends at " + (first - 1)
            + ", chunk 2 starts at " + (last + 1) + "): " + (last - first + 1) + " lost"));
    assertThat(r.report().recordsLost()).isEqualTo(last - first + 1);
  }

  @Test
  void slackOfAReusedChunkIsReadWithRecoverOnly() throws IOException {
    DamagedEvtx.Case c = DamagedEvtx.reusedChunk();
    Read plain = read(c.bytes(), false);
    assertThat(plain.records()).extracting(EventRecord::headerRecordId)
        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1001, 1010).boxed().toList());
    assertThat(plain.report().issues()).isEmpty();

    Read rec = read(c.bytes(), true);
    List<Long> slackIds = DamagedEvtx.intact(c).stream().map(x -> x[0]).filter(id -> id < 1000).sorted().toList();
    assertThat(slackIds).hasSizeGreaterThan(40).last().isEqualTo(60L);
    assertThat(rec.records()).filteredOn(EventRecord::recovered)
        .allSatisfy(e -> assertThat(e.origin()).isEqualTo(EventRecord.Origin.SLACK))
        .extracting(EventRecord::headerRecordId).containsExactlyElementsOf(slackIds);
    assertThat(rec.of(EvtxIssue.Kind.RECORDS_RECOVERED)).singleElement().satisfies(i -> {
      assertThat(i.records()).isEqualTo(slackIds.size());
      assertThat(i.message()).startsWith(slackIds.size() + " record(s) recovered from the chunk slack after chunk offset 0x")
          .endsWith("(record header ids " + slackIds.get(0) + "..60)");
    });
    assertThat(rec.report().damaged()).isFalse();
    assertThat(rec.report().recordsLost()).isZero();
    assertThat(rec.report().recoveredFromSlack()).isEqualTo(slackIds.size());
    // Every output marks them: JSON and the event observation.
    EventRecord first = rec.records().stream().filter(EventRecord::recovered).findFirst().orElseThrow();
    StringBuilder json = new StringBuilder();
    first.appendJson(json);
    assertThat(json.toString()).contains(",\"recovered\":\"slack\"");
    Observation o = RdpEvents.observation(first, "reused.evtx");
    assertThat(o.fields()).containsEntry("recovered", "slack");
    assertThat(o.provenance().detail()).isEqualTo("record " + slackIds.get(0) + " (recovered: slack)");
  }

  /**
   * Real damage (a shadow copy of a log being written): 41 records found past damaged ranges,
   * as {@code evtxexport -m all} finds; chunks 0 and 13 each lose the last 34 ids their header
   * promises, and 24 records found in chunk 0 do not decode (ids outside its header's range, so
   * not counted twice): 92. Its chunk slack adds 22 records no chunk claims.
   */
  @Test
  void theRdpCoreTsShadowCopyCountsItsLosses() throws IOException {
    Path corpus = SharedCorpus.find("evtx");
    org.junit.jupiter.api.Assumptions.assumeTrue(corpus != null, "../shared/corpus/evtx missing: corpus case skipped");
    byte[] f = Files.readAllBytes(corpus.resolve("2-vss_0-Microsoft-Windows-RemoteDesktopServices-RdpCoreTS%4Operational.evtx"));
    Read r = read(f, true);
    assertThat(r.report().records()).isEqualTo(1951 + 22);
    assertThat(r.report().recoveredAfterDamage()).isEqualTo(41);
    assertThat(r.report().recoveredFromSlack()).isEqualTo(22);
    assertThat(r.report().recordsLost()).isEqualTo(92);
    assertThat(r.of(EvtxIssue.Kind.RECORDS_MISSING)).extracting(EvtxIssue::records).containsExactly(34L, 34L);
    assertThat(r.of(EvtxIssue.Kind.RECORD_INVALID)).hasSize(24);
  }

  @Test
  void anExportedLogIsKnownByItsEventRecordIds() throws IOException {
    Read r = read(DamagedEvtx.exported(), false);
    assertThat(r.records()).extracting(EventRecord::recordId).containsExactly(90907L, 90950L, 91002L);
    assertThat(r.records()).extracting(EventRecord::headerRecordId).containsExactly(1L, 2L, 3L);
    StringBuilder json = new StringBuilder();
    r.records().get(0).appendJson(json);
    assertThat(json.toString()).startsWith("{\"recordId\":90907,\"headerRecordId\":1,\"timeCreated\":");
    EventFilter byRecord = new EventFilter(Set.of(), Set.of(), Set.of(), null, null, List.of(new long[] {90950, 90950}));
    assertThat(r.records().stream().filter(byRecord)).extracting(EventRecord::headerRecordId).containsExactly(2L);
    Observation o = RdpEvents.observation(r.records().get(2), "exported.evtx");
    assertThat(o.fields()).containsEntry("recordId", 91002L).containsEntry("headerRecordId", 3L);
    // A live log's records carry no second number.
    StringBuilder live = new StringBuilder();
    read(DamagedEvtx.log(1, 1), false).records().get(0).appendJson(live);
    assertThat(live.toString()).startsWith("{\"recordId\":1,\"timeCreated\":").doesNotContain("headerRecordId");
  }
}
