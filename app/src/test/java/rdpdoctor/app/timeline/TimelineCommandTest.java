package rdpdoctor.app.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.app.CliRun;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.Json;
import rdpdoctor.diagnosis.Phase;
import rdpdoctor.diagnosis.timeline.Attempt;
import rdpdoctor.diagnosis.timeline.Proof;
import rdpdoctor.diagnosis.timeline.Session;
import rdpdoctor.diagnosis.timeline.Timeline;
import rdpdoctor.evidence.even6.EvtxReader;
import rdpdoctor.evidence.even6.EvtxWriter;
import rdpdoctor.evidence.even6.RdpFixtures;

/** The timeline over logs the project writes (client and host side) and over the corpus logs. */
class TimelineCommandTest {
  static final Instant T = Instant.parse("2024-05-01T10:00:00Z");

  @TempDir Path dir;

  Path clientLog() throws Exception {
    Path p = dir.resolve("client.evtx");
    new EvtxWriter()
        .add(RdpFixtures.clientConnecting(T, "rdp.example.org").computer("PC1"))
        .add(RdpFixtures.clientUserHash(T.plusSeconds(1), "q1w2e3").computer("PC1"))
        .add(RdpFixtures.clientConnected(T.plusSeconds(2), "CORP", 3).computer("PC1"))
        .add(RdpFixtures.clientMultiTransport(T.plusSeconds(1800), "UDP disconnected").computer("PC1"))
        .add(RdpFixtures.clientDisconnected(T.plusSeconds(1801), 2308).computer("PC1"))
        .add(RdpFixtures.clientConnecting(T.plusSeconds(3600), "other.example.org").computer("PC1"))
        .add(RdpFixtures.clientDisconnected(T.plusSeconds(3621), 516).computer("PC1"))
        .write(p);
    return p;
  }

  Path hostLogs() throws Exception {
    Path logs = Files.createDirectories(dir.resolve("host"));
    new EvtxWriter()
        .add(RdpFixtures.listenerConnection(T))
        .add(RdpFixtures.userAuthenticated(T.plusSeconds(1), "alice", "CORP", "10.0.0.5"))
        .write(logs.resolve("rcm.evtx"));
    new EvtxWriter()
        .add(RdpFixtures.logonSucceeded(T.plusSeconds(2), "alice", "10.0.0.5", 10))
        .add(RdpFixtures.logonFailed(T.plusSeconds(600), "bob", "10.0.0.7", 0xC000006DL, 0xC000006AL))
        .write(logs.resolve("security.evtx"));
    new EvtxWriter()
        .add(RdpFixtures.sessionLogon(T.plusSeconds(3), "CORP\\alice", 2, "10.0.0.5"))
        .add(RdpFixtures.sessionDisconnected(T.plusSeconds(60), "CORP\\alice", 2, "10.0.0.5"))
        .add(RdpFixtures.sessionReconnected(T.plusSeconds(7200), "CORP\\alice", 2, "10.0.0.9"))
        .add(RdpFixtures.sessionDisconnectReason(T.plusSeconds(9000), 2, 11))
        .add(RdpFixtures.sessionLogoff(T.plusSeconds(9001), "CORP\\alice", 2))
        .write(logs.resolve("lsm.evtx"));
    Files.writeString(logs.resolve("notes.txt"), "not a log: the folder search must skip it");
    return logs;
  }

  static List<String> proof(Attempt a) {
    return a.proof().stream().map(Proof::cite).toList();
  }

  @Test
  void theClientLogGivesEachAttemptItsPhasesEndAndProof() throws Exception {
    Timeline t = TimelineCommand.read(List.of(clientLog())).timeline();
    assertThat(t.attempts()).hasSize(2);
    Attempt a = t.attempts().get(0);
    assertThat(a.side()).isEqualTo("client");
    assertThat(a.server()).isEqualTo("rdp.example.org");
    assertThat(a.phases()).containsExactly(Phase.TCP, Phase.NLA, Phase.SESSION);
    assertThat(a.end()).isEqualTo(Attempt.End.DISCONNECTED);
    assertThat(a.stoppedAt()).isEqualTo(Phase.SESSION);
    assertThat(a.code().toString()).startsWith("disconnectReason:0x904");
    assertThat(a.authenticated()).isTrue();
    assertThat(a.duration().toSeconds()).isEqualTo(1801);
    assertThat(proof(a)).containsExactly("client.evtx record 1", "client.evtx record 2", "client.evtx record 3",
        "client.evtx record 4", "client.evtx record 5");
    Attempt b = t.attempts().get(1);
    assertThat(b.server()).isEqualTo("other.example.org");
    assertThat(b.phases()).containsExactly(Phase.TCP);
    assertThat(b.stoppedAt()).isEqualTo(Phase.TCP);
    assertThat(b.code().hex()).isEqualTo("0x204");
    assertThat(b.authenticated()).isFalse();
    assertThat(proof(b)).containsExactly("client.evtx record 6", "client.evtx record 7");
  }

  @Test
  void hostLogsOfThreeChannelsJoinIntoOneAttemptAndOneSession() throws Exception {
    TimelineCommand.Result r = TimelineCommand.read(TimelineCommand.files(List.of(hostLogs())));
    assertThat(r.coverage()).hasSize(3); // notes.txt is not a log
    Timeline t = r.timeline();
    assertThat(t.attempts()).hasSize(2);
    Attempt a = t.attempts().get(0);
    assertThat(a.side()).isEqualTo("host");
    assertThat(a.client()).isEqualTo("10.0.0.5");
    assertThat(a.user()).isEqualTo("alice");
    assertThat(a.phases()).containsExactly(Phase.TCP, Phase.NLA, Phase.LOGON, Phase.SESSION);
    assertThat(a.end()).isEqualTo(Attempt.End.DISCONNECTED);
    assertThat(proof(a)).containsExactly("rcm.evtx record 1", "rcm.evtx record 2", "security.evtx record 1",
        "lsm.evtx record 1", "lsm.evtx record 2");
    Attempt b = t.attempts().get(1);
    assertThat(b.client()).isEqualTo("10.0.0.7");
    assertThat(b.end()).isEqualTo(Attempt.End.FAILED);
    assertThat(b.stoppedAt()).isEqualTo(Phase.LOGON);
    assertThat(b.code().toString()).isEqualTo("ntstatus:0xC000006A STATUS_WRONG_PASSWORD");
    assertThat(proof(b)).containsExactly("security.evtx record 2");
    assertThat(t.sessions()).singleElement().satisfies(s -> {
      assertThat(s.sessionId()).isEqualTo(2L);
      assertThat(s.events()).extracting(Session.Event::kind).containsExactly(Session.Kind.LOGON,
          Session.Kind.DISCONNECT, Session.Kind.RECONNECT, Session.Kind.DISCONNECT, Session.Kind.LOGOFF);
      assertThat(s.addresses()).containsExactly("10.0.0.5", "10.0.0.9");
      assertThat(s.logoff()).isEqualTo(T.plusSeconds(9001));
      assertThat(s.events().get(3).code().name()).isNotNull();
    });
    assertThat(t.summary()).isEqualTo("2 attempts from 2 addresses in 10 min, 1 authenticated; "
        + "1 disconnected at session/profile, 1 failed at logon (0xC000006A STATUS_WRONG_PASSWORD); 1 session");
  }

  @Test
  void terminalLinesJsonAndCsv() throws Exception {
    Path logs = hostLogs();
    CliRun text = CliRun.run("timeline", logs.toString());
    assertThat(text.exit()).isEqualTo(ExitCodes.OK);
    assertThat(text.out()).contains("What the logs show: 2 attempts from 2 addresses")
        .contains("2024-05-01 10:00:00.000Z  attempt  host HOST1  from 10.0.0.5  user alice  reached TCP connect > CredSSP/NLA > logon > session/profile  disconnected at session/profile")
        .contains("rcm.evtx records 1, 2; security.evtx record 1; lsm.evtx records 1, 2")
        .contains("session  #2 on HOST1  user CORP\\alice  reconnect from 10.0.0.9  lsm.evtx record 3")
        .contains("Coverage:")
        .contains("security.evtx: Security 2024-05-01 10:00:02.000Z .. 2024-05-01 10:10:00.000Z (2 records)")
        // rcm.evtx ends (10:00:01) before lsm.evtx starts (10:00:03): the timeline says so.
        .contains("The logs share no common time");

    CliRun json = CliRun.run("timeline", logs.toString(), "--json", "--client", "10.0.0.7");
    List<Map<String, Object>> lines = new ArrayList<>();
    for (String l : json.out().strip().split("\n")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = Json.LINES.readValue(l, Map.class);
      lines.add(m);
    }
    assertThat(lines.get(0)).containsEntry("kind", "summary").containsEntry("attempts", 2);
    List<Map<String, Object>> attempts = lines.stream().filter(m -> m.get("kind").equals("attempt")).toList();
    assertThat(attempts).singleElement().satisfies(m -> {
      assertThat(m).containsEntry("client", "10.0.0.7").containsEntry("end", "FAILED").containsEntry("stoppedAt", "LOGON")
          .containsEntry("code", "ntstatus:0xC000006A").containsEntry("user", "bob");
      assertThat(m.get("proof").toString()).contains("recordId=2").contains("eventId=4625");
    });
    assertThat(lines).anyMatch(m -> m.get("kind").equals("log") && m.get("channel").equals("Security"));

    CliRun csv = CliRun.run("timeline", logs.toString(), "--csv", "--user", "alice", "--since", "2024-05-01T10:30:00");
    String[] rows = csv.out().split("\r\n");
    assertThat(rows[0]).isEqualTo(String.join(",", TimelineFormats.COLUMNS));
    // After 10:30 only alice's session events remain: the reconnect, the disconnect with reason 11, the logoff.
    assertThat(rows).hasSize(4);
    assertThat(rows[1]).startsWith("session,2024-05-01T12:00:00Z,,,host,HOST1,10.0.0.9,,CORP\\alice,,,,,,,2,RECONNECT,lsm.evtx record 3");
    assertThat(rows[2]).contains(",lsmReason:0xB");
  }

  @Test
  void csvCellsAreQuotedAndFormulasDefused() {
    assertThat(TimelineFormats.cell("a,b")).isEqualTo("\"a,b\"");
    assertThat(TimelineFormats.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(TimelineFormats.cell("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
    assertThat(TimelineFormats.cell("-1.5")).isEqualTo("-1.5");
  }

  @Test
  void badArgumentsSayWhatToDo() throws Exception {
    CliRun r = CliRun.run("timeline", clientLog().toString(), "--since", "yesterday");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--since: cannot read time \"yesterday\"");
    CliRun both = CliRun.run("timeline", clientLog().toString(), "--json", "--csv");
    assertThat(both.exit()).isEqualTo(ExitCodes.USAGE);
    CliRun none = CliRun.run("timeline", dir.resolve("missing").toString());
    assertThat(none.exit()).isEqualTo(ExitCodes.IO);
  }

  static Path corpusLog(String name) {
    Path c = CliRun.corpus();
    assumeTrue(c != null && Files.isRegularFile(c.resolve("evtx").resolve(name)),
        "../shared/corpus/evtx/" + name + " is absent (the shared corpus is not beside the project)");
    return c.resolve("evtx").resolve(name);
  }

  @Test
  void theRdpCoreTsScanLogGivesOneFailedNlaAttemptPerEvent140() throws Exception {
    Path log = corpusLog("2-vss_0-Microsoft-Windows-RemoteDesktopServices-RdpCoreTS%4Operational.evtx");
    // Counted from the reader's records, independently of the correlation: the 140s, and those
    // whose connection (ActivityID) also has its opening 131 in the file.
    long failures;
    long opened;
    try (EvtxReader r = EvtxReader.open(log)) {
      List<rdpdoctor.evidence.even6.EventRecord> all = r.readAll();
      java.util.Set<String> with131 = new java.util.HashSet<>();
      all.stream().filter(x -> Long.valueOf(131).equals(x.system().eventId()) && x.system().activityId() != null)
          .forEach(x -> with131.add(x.system().activityId()));
      failures = all.stream().filter(x -> Long.valueOf(140).equals(x.system().eventId())).count();
      opened = all.stream().filter(x -> Long.valueOf(140).equals(x.system().eventId())
          && with131.contains(x.system().activityId())).count();
    }
    Timeline t = TimelineCommand.read(List.of(log)).timeline();
    List<Attempt> nla = t.attempts().stream().filter(a -> a.end() == Attempt.End.FAILED && a.stoppedAt() == Phase.NLA).toList();
    assertThat(failures).isGreaterThan(100);
    assertThat(nla).hasSize((int) failures);
    assertThat(nla).allSatisfy(a -> {
      assertThat(a.client()).isNotNull();
      assertThat(a.authenticated()).isFalse();
    });
    // The 131 that opened each and the 140 that ended it share the connection's ActivityID.
    List<Attempt> whole = nla.stream().filter(a -> a.proof().getFirst().eventId() == 131).toList();
    assertThat(whole).hasSize((int) opened).allSatisfy(a -> assertThat(a.phases()).containsExactly(Phase.TCP, Phase.NLA));
    assertThat(t.summary()).contains("none authenticated").contains(failures + " failed at CredSSP/NLA");
  }

  @Test
  void theRcmTunnelingLogShowsAuthenticatedAttemptsFromItsAddresses() throws Exception {
    Path log = corpusLog("attack_rcm_1149_rdp_tunneling.evtx");
    Timeline t = TimelineCommand.read(List.of(log)).timeline();
    List<Attempt> authenticated = t.attempts().stream().filter(Attempt::authenticated).toList();
    assertThat(authenticated).isNotEmpty().allSatisfy(a -> {
      assertThat(a.phases()).contains(Phase.NLA);
      assertThat(a.proof()).extracting(Proof::eventId).contains(1149L);
      assertThat(a.client()).isNotNull();
      assertThat(a.user()).isNotNull();
    });
  }

  @Test
  void analyzeOfEveryRdpCorpusLogSaysWhatTheLogsShow() {
    // With or without a cause, the report names the attempts and sessions, never only "no cause found".
    for (String name : List.of("2-vss_0-Microsoft-Windows-RemoteDesktopServices-RdpCoreTS%4Operational.evtx",
        "attack_rcm_1149_rdp_tunneling.evtx", "attack_4624_rdp_tunneling.evtx", "hayabusa_302_rd_gateway_logon_logoff.evtx",
        "hayabusa_4625_account_restriction_rdp.evtx", "hayabusa_4778_4779_rdp_reconnect.evtx",
        "hayabusa_4825_denied_rdp_valid_credentials.evtx", "Security_short_selected.evtx")) {
      CliRun r = CliRun.run("analyze", corpusLog(name).toString());
      assertThat(r.out()).as(name).containsPattern("The logs show: \\d+ (attempts?|sessions?)");
    }
    CliRun scan = CliRun.run("analyze", corpusLog("2-vss_0-Microsoft-Windows-RemoteDesktopServices-RdpCoreTS%4Operational.evtx").toString());
    // The scan is also a finding, with the timeline's attempts as proof.
    assertThat(scan.out()).contains("cause found: A burst of unauthenticated connection attempts")
        .containsPattern("\\d+ connection attempts reached the host within a minute and none was authenticated");
    assertThat(scan.out()).containsPattern("The logs show: \\d+ attempts from \\d+ addresses in [0-9.]+ d, none authenticated; \\d+ failed at CredSSP/NLA");
  }

  @Test
  void htmlDrawsTheAttemptsColouredByEndAndEscapesWhatTheLogsSay() throws Exception {
    Path log = dir.resolve("sec.evtx");
    new EvtxWriter()
        .add(RdpFixtures.logonFailed(T, "<script>alert(1)</script>", "10.0.0.7", 0xC000006DL, 0xC000006AL))
        .add(RdpFixtures.logonSucceeded(T.plusSeconds(30), "alice", "10.0.0.5", 10))
        .write(log);
    Path page = dir.resolve("t.html");
    CliRun r = CliRun.run("timeline", log.toString(), "--html", page.toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.OK);
    String html = Files.readString(page);
    assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg").doesNotContain("<script")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .contains("fill=\"" + TimelineHtml.colour(Attempt.End.FAILED) + "\"")
        .contains("fill=\"" + TimelineHtml.colour(Attempt.End.LOGGED_ON) + "\"")
        .doesNotContain("src=", "href=", "<link", "@import"); // self-contained: nothing is fetched
    assertThat(html.split("<rect ", -1)).hasSize(3);
  }

  @Test
  void readingOnFourThreadsGivesWhatOneThreadGives() throws Exception {
    Path log = corpusLog("2-vss_0-Microsoft-Windows-RemoteDesktopServices-RdpCoreTS%4Operational.evtx");
    rdpdoctor.evidence.even6.RdpEventLog.Read one = rdpdoctor.evidence.even6.RdpEventLog.read(log, 1);
    rdpdoctor.evidence.even6.RdpEventLog.Read four = rdpdoctor.evidence.even6.RdpEventLog.read(log, 4);
    assertThat(four.coverage()).isEqualTo(one.coverage());
    assertThat(four.events()).isEqualTo(one.events());
    assertThat(one.coverage().damage()).isNotEmpty(); // the corpus file is damaged, and the coverage says so
    assertThat(rdpdoctor.diagnosis.timeline.Correlator.correlate(four.events()))
        .isEqualTo(rdpdoctor.diagnosis.timeline.Correlator.correlate(one.events()));
  }

  @Test
  void analyzeOfTheRdpHijackSampleNamesTheTsconTakeover() {
    CliRun r = CliRun.run("analyze", corpusLog("hayabusa_4778_4779_rdp_reconnect.evtx").toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.FOUND);
    assertThat(r.out()).contains("cause found: A Remote Desktop session was taken over with tscon")
        .contains("admmarsid took over RDP-Tcp#8");
  }
}
