package rdpdoctor.evidence.even6;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.evidence.even6.EvtxWriter.Event;
import rdpdoctor.evidence.even6.EvtxWriter.Value;

class EvtxRoundTripTest {
  static final Instant T = Instant.parse("2024-05-01T10:00:00.1234567Z");

  @TempDir Path dir;

  static List<EventRecord> read(Path p) throws IOException {
    try (EvtxReader r = EvtxReader.open(p)) {
      return r.readAll();
    }
  }

  static List<Chunk> chunks(Path p) throws IOException {
    List<Chunk> out = new ArrayList<>();
    try (EvtxReader r = EvtxReader.open(p)) {
      r.forEachChunk(out::add);
    }
    return out;
  }

  @Test
  void rdpClientDisconnectRoundTrips() throws IOException {
    Path p = dir.resolve("client.evtx");
    new EvtxWriter().firstRecordId(500)
        .add(RdpFixtures.clientConnecting(T, "rdp.example.org"))
        .add(RdpFixtures.clientDisconnected(T.plusSeconds(3), 516))
        .write(p);
    List<EventRecord> records = read(p);
    assertThat(records).hasSize(2);
    EventRecord r = records.get(1);
    assertThat(r.recordId()).isEqualTo(501);
    assertThat(r.system().eventId()).isEqualTo(1026);
    assertThat(r.system().channel()).isEqualTo(RdpFixtures.RDP_CLIENT);
    assertThat(r.system().provider()).isEqualTo(RdpFixtures.RDP_CLIENT_PROVIDER);
    assertThat(r.system().timeCreated()).isEqualTo(T.plusSeconds(3));
    assertThat(r.system().recordId()).isEqualTo(501);
    assertThat(r.system().keywords()).isEqualTo("0x8000000000000000");
    assertThat(r.data()).containsEntry("Name", "Disconnect Reason").containsEntry("Value", "516");
    assertThat(r.xml()).isEqualTo("""
        <Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">
          <System>
            <Provider Name="Microsoft-Windows-TerminalServices-ClientActiveXCore"/>
            <EventID>1026</EventID>
            <Version>0</Version>
            <Level>4</Level>
            <Task>0</Task>
            <Opcode>0</Opcode>
            <Keywords>0x8000000000000000</Keywords>
            <TimeCreated SystemTime="2024-05-01T10:00:03.123456700Z"/>
            <EventRecordID>501</EventRecordID>
            <Correlation/>
            <Execution ProcessID="1000" ThreadID="2000"/>
            <Channel>Microsoft-Windows-TerminalServices-RDPClient/Operational</Channel>
            <Computer>HOST1</Computer>
            <Security/>
          </System>
          <EventData>
            <Data Name="Name">Disconnect Reason</Data>
            <Data Name="Value">516</Data>
          </EventData>
        </Event>
        """);
  }

  @Test
  void localSessionManagerUserDataRoundTrips() throws IOException {
    Path p = dir.resolve("lsm.evtx");
    new EvtxWriter()
        .add(RdpFixtures.sessionLogon(T, "CORP\\alice", 3, "10.0.0.7"))
        .add(RdpFixtures.sessionLogoff(T, "CORP\\alice", 3))
        .add(RdpFixtures.sessionDisconnected(T, "CORP\\alice", 3, "10.0.0.7"))
        .add(RdpFixtures.sessionReconnected(T, "CORP\\alice", 3, "10.0.0.7"))
        .add(RdpFixtures.sessionDisconnectedBy(T, 3, 5))
        .add(RdpFixtures.sessionDisconnectReason(T, 3, 5))
        .write(p);
    List<EventRecord> records = read(p);
    assertThat(records).extracting(r -> r.system().eventId()).containsExactly(21L, 23L, 24L, 25L, 39L, 40L);
    assertThat(records.get(0).data())
        .containsEntry("User", "CORP\\alice").containsEntry("SessionID", "3").containsEntry("Address", "10.0.0.7");
    assertThat(records.get(5).data()).containsEntry("Session", "3").containsEntry("Reason", "5");
    assertThat(records.get(0).xml()).contains("""
          <UserData>
            <EventXML xmlns="Event_NS">
              <User>CORP\\alice</User>
              <SessionID>3</SessionID>
              <Address>10.0.0.7</Address>
            </EventXML>
          </UserData>
        """);
  }

  @Test
  void manyEventsSpanChunksAndAllChecksumsVerify() throws IOException {
    EvtxWriter w = new EvtxWriter();
    for (int i = 0; i < 1500; i++) {
      w.add(i % 2 == 0
          ? RdpFixtures.logonFailed(T.plusSeconds(i), "user" + i, "10.0.0." + (i % 250), 0xC000006DL, 0xC000006AL)
          : RdpFixtures.sessionLogon(T.plusSeconds(i), "CORP\\u" + i, i, "10.1.1.1"));
    }
    Path p = dir.resolve("many.evtx");
    w.write(p);
    List<Chunk> chunks = chunks(p);
    assertThat(chunks).hasSizeGreaterThan(3);
    assertThat(chunks).allSatisfy(c -> {
      assertThat(c.issues()).isEmpty();
      assertThat(c.headerCrcOk()).isTrue();
      assertThat(c.dataCrcOk()).isTrue();
    });
    List<EventRecord> records = chunks.stream().flatMap(c -> c.records().stream()).toList();
    assertThat(records).hasSize(1500);
    for (int i = 0; i < records.size(); i++) {
      assertThat(records.get(i).recordId()).isEqualTo(i + 1);
    }
    EventRecord failed = records.get(998);
    assertThat(failed.data()).containsEntry("TargetUserName", "user998").containsEntry("Status", "0xc000006d")
        .containsEntry("SubStatus", "0xc000006a").containsEntry("LogonType", "10").containsEntry("TargetUserSid", "S-1-0-0");
    try (EvtxReader r = EvtxReader.open(p)) {
      assertThat(r.headerIssues()).isEmpty();
      assertThat(r.header().chunkCount()).isEqualTo(chunks.size());
    }
  }

  @Test
  void parallelDecodingKeepsFileOrder() throws IOException {
    EvtxWriter w = new EvtxWriter();
    for (int i = 0; i < 3000; i++) {
      w.add(RdpFixtures.clientDisconnected(T.plusSeconds(i), i));
    }
    Path p = dir.resolve("order.evtx");
    w.write(p);
    List<Long> ids = new ArrayList<>();
    try (EvtxReader r = EvtxReader.open(p)) {
      r.forEachChunk(2, c -> c.records().stream().map(EventRecord::recordId).toList(), ids::addAll);
    }
    assertThat(ids).hasSize(3000);
    for (int i = 0; i < ids.size(); i++) {
      assertThat(ids.get(i)).isEqualTo(i + 1);
    }
  }

  @Test
  void everyScalarValueTypeRendersLikeEvtxexport() throws IOException {
    Path p = dir.resolve("types.evtx");
    new EvtxWriter().add(Event.of("Test", "P", 1)
        .data("s", "a<b & c>\"d\"")
        .data("u8", Value.uint8(255))
        .data("u16", Value.uint16(65535))
        .data("u32", Value.uint32(4294967295L))
        .data("i32", Value.int32(-5))
        .data("u64", Value.uint64(-1L))
        .data("h32", Value.hex32(0xC000006EL))
        .data("h64", Value.hex64(0x3e7))
        .data("ft", Value.fileTime(Instant.parse("2021-10-23T21:50:11.6665197Z")))
        .data("b0", Value.bool(0))
        .data("b2", Value.bool(2))
        .data("bin", Value.binary(new byte[] {0x0a, (byte) 0xbc}))
        .data("guid", Value.guid("{54849625-5478-4994-A5BA-3E3B0328C30D}"))
        .data("sid", Value.sid("S-1-5-21-186559946-3925841745-111227986-500"))
        .data("null", Value.nul())
        .data("arr", Value.strings("x", "y")))
        .write(p);
    EventRecord r = read(p).get(0);
    assertThat(r.data())
        .containsEntry("s", "a<b & c>\"d\"")
        .containsEntry("u8", "255")
        .containsEntry("u16", "65535")
        .containsEntry("u32", "4294967295")
        .containsEntry("i32", "-5")
        .containsEntry("u64", "18446744073709551615")
        .containsEntry("h32", "0xc000006e")
        .containsEntry("h64", "0x00000000000003e7")
        .containsEntry("ft", "2021-10-23T21:50:11.666519700Z")
        .containsEntry("b0", "false")
        .containsEntry("b2", "true")
        .containsEntry("bin", "0ABC")
        .containsEntry("guid", "{54849625-5478-4994-A5BA-3E3B0328C30D}")
        .containsEntry("sid", "S-1-5-21-186559946-3925841745-111227986-500")
        .doesNotContainKey("null");
    String xml = r.xml();
    // Escaped exactly once: & < > in text, quotes left alone in element text.
    assertThat(xml).contains("<Data Name=\"s\">a&lt;b &amp; c&gt;\"d\"</Data>");
    // An optional substitution of a NULL value leaves its element out.
    assertThat(xml).doesNotContain("Name=\"null\"");
    // A string array repeats the element once per item.
    assertThat(xml).contains("<Data Name=\"arr\">x</Data>\n    <Data Name=\"arr\">y</Data>");
  }

  @Test
  void filterSelectsByIdChannelProviderTimeAndRecord() throws IOException {
    Path p = dir.resolve("filter.evtx");
    new EvtxWriter()
        .add(RdpFixtures.clientConnecting(T, "h"))
        .add(RdpFixtures.clientDisconnected(T.plusSeconds(60), 2308))
        .add(RdpFixtures.sessionLogon(T.plusSeconds(120), "u", 2, "1.2.3.4"))
        .write(p);
    List<EventRecord> all = read(p);
    EventFilter byId = new EventFilter(java.util.Set.of(), java.util.Set.of(), java.util.Set.of(1026L), null, null, List.of());
    assertThat(all.stream().filter(byId)).extracting(EventRecord::recordId).containsExactly(2L);
    EventFilter byChannel = new EventFilter(java.util.Set.of(RdpFixtures.LSM.toUpperCase()), java.util.Set.of(), java.util.Set.of(), null, null, List.of());
    assertThat(all.stream().filter(byChannel)).extracting(EventRecord::recordId).containsExactly(3L);
    EventFilter byProvider = new EventFilter(java.util.Set.of(), java.util.Set.of(RdpFixtures.RDP_CLIENT_PROVIDER), java.util.Set.of(), null, null, List.of());
    assertThat(all.stream().filter(byProvider)).hasSize(2);
    EventFilter byTime = new EventFilter(java.util.Set.of(), java.util.Set.of(), java.util.Set.of(), T.plusSeconds(30), T.plusSeconds(90), List.of());
    assertThat(all.stream().filter(byTime)).extracting(EventRecord::recordId).containsExactly(2L);
    EventFilter byRecord = new EventFilter(java.util.Set.of(), java.util.Set.of(), java.util.Set.of(), null, null, List.of(new long[] {1, 1}, new long[] {3, 9}));
    assertThat(all.stream().filter(byRecord)).extracting(EventRecord::recordId).containsExactly(1L, 3L);
  }

  @Test
  void jsonLineHasTypedSystemFieldsAndData() throws IOException {
    Path p = dir.resolve("json.evtx");
    new EvtxWriter().add(RdpFixtures.clientDisconnected(T, 2308).user("S-1-5-18")).write(p);
    StringBuilder sb = new StringBuilder();
    read(p).get(0).appendJson(sb);
    assertThat(sb.toString()).startsWith("{\"recordId\":1,\"timeCreated\":\"2024-05-01T10:00:00.123456700Z\"")
        .contains("\"eventId\":1026,").contains("\"userId\":\"S-1-5-18\"")
        .contains("\"data\":{\"Name\":\"Disconnect Reason\",\"Value\":\"2308\"}");
  }
}
