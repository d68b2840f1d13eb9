package rdpdoctor.app.evtx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.CliRun;
import rdpdoctor.evidence.even6.EvtxWriter;
import rdpdoctor.evidence.even6.RdpFixtures;

class EvtxCommandTest {

  static CliRun run(String... args) {
    return CliRun.run(args);
  }
  static final Instant T = Instant.parse("2024-05-01T10:00:00Z");

  @TempDir Path dir;


  Path fixture() throws Exception {
    Path p = dir.resolve("client.evtx");
    new EvtxWriter()
        .add(RdpFixtures.clientConnecting(T, "rdp.example.org"))
        .add(RdpFixtures.clientDisconnected(T.plusSeconds(5), 2308))
        .add(RdpFixtures.logonFailed(T.plusSeconds(3600 * 48), "bob", "10.0.0.9", 0xC000006DL, 0xC000006AL))
        .write(p);
    return p;
  }

  @Test
  void dumpPrintsXmlOfEveryEvent() throws Exception {
    CliRun r = run("evtx", "dump", fixture().toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).startsWith("<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\n  <System>\n");
    assertThat(r.out().split("<Event ", -1)).hasSize(4);
    assertThat(r.out()).contains("<Data Name=\"Value\">2308</Data>");
  }

  @Test
  void dumpFiltersByIdAndWritesJsonLines() throws Exception {
    CliRun r = run("evtx", "dump", fixture().toString(), "--json", "--id", "1026,4625", "--until", "2024-05-02");
    assertThat(r.exit()).isEqualTo(ExitCodes.OK);
    String[] lines = r.out().strip().split("\n");
    assertThat(lines).hasSize(1);
    assertThat(lines[0]).contains("\"eventId\":1026").contains("\"Value\":\"2308\"");
  }

  @Test
  void dumpByRecordAndProvider() throws Exception {
    CliRun r = run("evtx", "dump", fixture().toString(), "--json", "--record", "3",
        "--provider", "microsoft-windows-security-auditing");
    assertThat(r.out().strip().split("\n")).singleElement().asString().contains("\"eventId\":4625");
  }

  @Test
  void anInvertedRecordRangeIsAUsageErrorNotAnEmptyResult() throws Exception {
    CliRun r = run("evtx", "dump", fixture().toString(), "--record", "5-3");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("--record: range \"5-3\" ends before it starts (3 < 5; expected: N-M with N <= M");
  }

  @Test
  void statsCountsChannelsAndIdsAsJson() throws Exception {
    CliRun r = run("evtx", "stats", fixture().toString(), "--json");
    assertThat(r.exit()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).contains("\"records\" : 3").contains("\"Security\" : 1")
        .contains("\"Microsoft-Windows-TerminalServices-ClientActiveXCore 1026\" : 1")
        .contains("\"issues\" : [ ]");
  }

  @Test
  void statsSortsEventIdsAsNumbers() {
    java.util.List<String> keys = new java.util.ArrayList<>(java.util.List.of("P 101", "P 65", "O 7", "P 1026"));
    keys.sort(EvtxCommand.Summary::byProviderThenId);
    assertThat(keys).containsExactly("O 7", "P 65", "P 101", "P 1026");
  }

  @Test
  void statsReportsDamage() throws Exception {
    Path p = fixture();
    byte[] b = Files.readAllBytes(p);
    b[4096 + 600] ^= 0x20; // inside the first record: the records checksum no longer matches
    Files.write(p, b);
    CliRun r = run("evtx", "stats", p.toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).contains("records checksum");
  }

  Path write(String name, byte[] bytes) throws Exception {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  @Test
  void dumpOfACutFileSaysWhatIsMissingAndExitsOne() throws Exception {
    Path p = write("cut.evtx", rdpdoctor.evidence.even6.DamagedEvtx.truncatedAtChunkBoundary().bytes());
    CliRun r = run("evtx", "dump", p.toString(), "--json");
    assertThat(r.exit()).isEqualTo(ExitCodes.FOUND);
    assertThat(r.out().strip().split("\n")).hasSize(264);
    assertThat(r.err()).contains("file truncated at offset 0x11000: the file header promises 2 chunk(s) (135168 bytes)"
        + " and records up to id 400; the file is 69632 bytes (1 chunk slot(s), records up to id 264): 136 record(s) lost")
        .contains(p + ": 264 record(s) read; 136 record(s) lost, the header promises 2 chunk(s) and the file holds 1 (1 problem(s))");
  }

  @Test
  void dumpOfAFileCutInsideItsHeaderIsNotASilentEmptyLog() throws Exception {
    Path p = write("head.evtx", rdpdoctor.evidence.even6.DamagedEvtx.truncatedInsideHeader().bytes());
    CliRun r = run("evtx", "dump", p.toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.FOUND);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("file is 2000 bytes: it ends inside its 4096-byte header block")
        .contains(": 0 record(s) read; 400 record(s) lost, the header promises 2 chunk(s) and the file holds 0 (1 problem(s))");
    CliRun stats = run("evtx", "stats", p.toString());
    assertThat(stats.exit()).isEqualTo(ExitCodes.FOUND);
    assertThat(stats.out()).contains("  recovery       0 record(s) read; 400 record(s) lost").doesNotContain("nothing lost");
  }

  @Test
  void dumpJsonOfAnExportedLogPrintsTheEventRecordId() throws Exception {
    Path p = write("exported.evtx", rdpdoctor.evidence.even6.DamagedEvtx.exported());
    CliRun r = run("evtx", "dump", p.toString(), "--json", "--record", "90950");
    assertThat(r.exit()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).startsWith("{\"recordId\":90950,\"headerRecordId\":2,");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void recoverMarksSlackRecordsInEveryOutput() throws Exception {
    Path p = write("reused.evtx", rdpdoctor.evidence.even6.DamagedEvtx.reusedChunk().bytes());
    CliRun plain = run("evtx", "dump", p.toString());
    assertThat(plain.exit()).isEqualTo(ExitCodes.OK);
    assertThat(plain.out().split("<Event ", -1)).hasSize(11);
    assertThat(plain.out()).doesNotContain("<!-- recovered");

    CliRun xml = run("evtx", "dump", p.toString(), "--recover");
    assertThat(xml.exit()).isEqualTo(ExitCodes.OK);
    int slack = xml.out().split("<!-- recovered: from chunk slack, chunk 0, offset 0x", -1).length - 1;
    assertThat(slack).isGreaterThan(40);
    assertThat(xml.out().split("<Event ", -1)).hasSize(11 + slack);
    assertThat(xml.err()).contains(slack + " record(s) recovered from the chunk slack")
        .contains(": " + (10 + slack) + " record(s) read, " + slack + " of them recovered from chunk slack; nothing lost");

    CliRun json = run("evtx", "dump", p.toString(), "--recover", "--json");
    assertThat(json.out().split("\"recovered\":\"slack\"}", -1)).hasSize(slack + 1);

    CliRun stats = run("evtx", "stats", p.toString(), "--recover");
    assertThat(stats.exit()).isEqualTo(ExitCodes.OK);
    assertThat(stats.out()).contains("  records        " + (10 + slack) + " (0 found by scanning past damage, " + slack
        + " recovered from chunk slack)");
    CliRun statsJson = run("evtx", "stats", p.toString(), "--recover", "--json");
    assertThat(statsJson.out()).contains("\"recoveredFromSlack\" : " + slack).contains("\"damaged\" : false");
  }

  @Test
  void statsOfAZeroedRangeCountsTheLossAndTheRecordsBehindIt() throws Exception {
    Path p = write("zeroed.evtx", rdpdoctor.evidence.even6.DamagedEvtx.zeroedRange().bytes());
    CliRun r = run("evtx", "stats", p.toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.FOUND);
    assertThat(r.out()).contains("  records        36 (32 found by scanning past damage, 0 recovered from chunk slack)")
        .contains("  recovery       36 record(s) read, 32 of them found by scanning past damage; 4 record(s) lost (2 problem(s))")
        .contains("chunk header promises 40 records (ids 1..40); 36 read: 4 lost (ids 5..8)");
  }

  @Test
  void missingFileSaysWhatToDo() {
    CliRun r = run("evtx", "dump", dir.resolve("nope.evtx").toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.IO);
    assertThat(r.err()).contains("no such file");
  }

  @Test
  void notAnEvtxFileIsAnIoError() throws Exception {
    Path p = dir.resolve("x.evtx");
    Files.writeString(p, "not an event log");
    CliRun r = run("evtx", "stats", p.toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.IO);
    assertThat(r.err()).contains("not an EVTX file");
  }

  @Test
  void badTimeIsAUsageError() throws Exception {
    CliRun r = run("evtx", "dump", fixture().toString(), "--since", "yesterday");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--since").contains("2024-05-01");
  }
}
