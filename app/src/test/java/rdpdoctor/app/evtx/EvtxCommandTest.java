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
