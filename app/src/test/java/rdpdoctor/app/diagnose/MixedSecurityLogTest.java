package rdpdoctor.app.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.app.CliRun;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.Json;
import rdpdoctor.evidence.even6.EvtxWriter;
import rdpdoctor.evidence.even6.EvtxWriter.Event;
import rdpdoctor.evidence.even6.EvtxWriter.Value;
import tools.jackson.databind.JsonNode;

/**
 * Issue 12's "mixed Security log": a host's Security log as a busy server writes it, with RDP
 * failures among console and SMB ones. Written with the test-only EvtxWriter (no public sample
 * has this mix) and read back by {@code analyze} through the real EVTX reader.
 *
 * <ul>
 *   <li>3,558 wrong passwords (0xC000006A) over RDP without NLA (type 10) from 10.0.0.9, the last two days;
 *   <li>3 disabled-account refusals (0xC0000072), type 10, from 10.0.0.12;
 *   <li>40 no-such-user (0xC0000064) with NLA: type 3 from 10.0.0.20, which also has a successful
 *       type 10 logon (4624), so it is an RDP client;
 *   <li>40 locked-out refusals (0xC0000234), type 10, a burst 30 days before the end of the log;
 *   <li>noise that is not RDP: 5,000 type 3 disabled-account failures from 10.0.0.50 (a service
 *       account over SMB, never an RDP client, which also has 100 successful type 3 logons) and 200
 *       console (type 2) no-such-user failures.
 * </ul>
 */
class MixedSecurityLogTest {
  @TempDir Path dir;

  private static final Instant END = Instant.now().minus(Duration.ofHours(1));

  /** Each event's time, kept beside it: the writer's Event does not give it back. */
  private static final java.util.Map<Event, Instant> TIMES = new java.util.IdentityHashMap<>();

  private static Instant timeOf(Event e) {
    return TIMES.get(e);
  }

  private static Event failed(Instant t, int logonType, String user, String ip, long subStatus) {
    Event e = Event.of("Security", "Microsoft-Windows-Security-Auditing", 4625).time(t).level(0).task(12544)
        .keywords(0x8010000000000000L).computer("RDS01.corp.example")
        .data("TargetUserSid", Value.sid("S-1-0-0"))
        .data("TargetUserName", user)
        .data("TargetDomainName", "CORP")
        .data("Status", Value.hex32(0xC000006DL))
        .data("FailureReason", "%%2313")
        .data("SubStatus", Value.hex32(subStatus))
        .data("LogonType", Value.uint32(logonType))
        .data("LogonProcessName", logonType == 2 ? "User32 " : "NtLmSsp ")
        .data("AuthenticationPackageName", logonType == 2 ? "Negotiate" : "NTLM")
        .data("IpAddress", ip)
        .data("IpPort", logonType == 2 ? "0" : "50123");
    TIMES.put(e, t);
    return e;
  }

  private static Event loggedOn(Instant t, int logonType, String user, String ip) {
    Event e = Event.of("Security", "Microsoft-Windows-Security-Auditing", 4624).time(t).level(0).task(12544)
        .keywords(0x8020000000000000L).computer("RDS01.corp.example")
        .data("TargetUserSid", Value.sid("S-1-5-21-1-2-3-1001"))
        .data("TargetUserName", user)
        .data("TargetDomainName", "CORP")
        .data("LogonType", Value.uint32(logonType))
        .data("IpAddress", ip)
        .data("IpPort", "50124");
    TIMES.put(e, t);
    return e;
  }

  private Path securityLog() throws Exception {
    List<Event> events = new ArrayList<>();
    Instant start = END.minus(Duration.ofDays(2));
    for (int i = 0; i < 3558; i++) {
      events.add(failed(start.plusSeconds(48L * i), 10, "alice", "10.0.0.9", 0xC000006AL));
    }
    for (int i = 0; i < 5000; i++) {
      events.add(failed(start.plusSeconds(34L * i), 3, "svc-backup", "10.0.0.50", 0xC0000072L));
    }
    for (int i = 0; i < 200; i++) {
      events.add(failed(start.plusSeconds(600L * i), 2, "admin2", "127.0.0.1", 0xC0000064L));
    }
    // The service account also logs on over SMB (type 3) with another account: not an RDP client,
    // and not kept at all (a 4624 other than types 10 and 7 is never RDP's).
    for (int i = 0; i < 100; i++) {
      events.add(loggedOn(start.plusSeconds(1700L * i), 3, "svc-files", "10.0.0.50"));
    }
    for (int i = 0; i < 3; i++) {
      events.add(failed(END.minusSeconds(600L * i), 10, "carol", "10.0.0.12", 0xC0000072L));
    }
    events.add(loggedOn(END.minus(Duration.ofHours(3)), 10, "dave", "10.0.0.20"));
    for (int i = 0; i < 40; i++) {
      events.add(failed(END.minus(Duration.ofHours(2)).plusSeconds(20L * i), 3, "dav", "10.0.0.20", 0xC0000064L));
    }
    Instant old = END.minus(Duration.ofDays(30));
    for (int i = 0; i < 40; i++) {
      events.add(failed(old.plusSeconds(i), 10, "bob", "10.0.0.9", 0xC0000234L));
    }
    // Windows writes records in time order.
    events.sort(java.util.Comparator.comparing(MixedSecurityLogTest::timeOf));
    EvtxWriter w = new EvtxWriter();
    events.forEach(w::add);
    Path p = dir.resolve("Security.evtx");
    w.write(p);
    return p;
  }

  @Test
  void rdpFailuresAreWeighedByLogonTypeVolumeAndRecency() throws Exception {
    CliRun r = CliRun.run("analyze", securityLog().toString(), "--json");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.FOUND);
    JsonNode j = Json.MAPPER.readTree(r.out());
    assertThat(j.path("evidence").path("byType").path("event").asLong()).isEqualTo(3558 + 5000 + 200 + 3 + 1 + 40 + 40);

    // The expected ranking: volume first, NLA's type 3 counted for an RDP client, the old burst last.
    List<String> ranked = ReportJson.ids(j).stream()
        .filter(List.of("wrong-password", "no-such-user", "account-disabled", "account-locked")::contains).toList();
    assertThat(ranked).containsExactly("wrong-password", "no-such-user", "account-disabled", "account-locked");
    assertThat(j.path("verdict").path("topFinding").asString()).isEqualTo("wrong-password");

    // Only RDP logons are counted: the 5,000 SMB and 200 console failures are not.
    assertThat(ReportJson.finding(j, "wrong-password").path("confidence").path("reasons").toString()).contains("3558 matching event records");
    assertThat(ReportJson.finding(j, "account-disabled").path("confidence").path("reasons").toString()).contains("3 matching event records");
    assertThat(ReportJson.finding(j, "no-such-user").path("confidence").path("reasons").toString()).contains("40 matching event records");
    assertThat(ReportJson.finding(j, "account-disabled").path("proof").toString()).contains("10.0.0.12").doesNotContain("10.0.0.50");
    assertThat(ReportJson.finding(j, "account-locked").path("confidence").path("reasons").toString())
        .contains("day(s) older than the newest event in the logs");

    // One record, one finding: the bursts are the status rules' records, not a second cause.
    assertThat(ReportJson.ids(j)).doesNotContain("repeated-failed-logons");
    assertThat(j.path("findings").toString()).contains("reported once: repeated-failed-logons");
  }
}
