package rdpdoctor.evidence.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.evidence.even6.EvtxWriter;
import rdpdoctor.evidence.even6.RdpFixtures;
import rdpdoctor.evidence.even6.SharedCorpus;

/**
 * Real layouts, built at test time: a profile folder with NTUSER.DAT and its logs, a folder of
 * two computers' hives and logs, two collected bundles of two computers. Hives come from
 * ../shared/corpus/registry (the tests are skipped, saying so, without it); event logs are written
 * with the test-only EvtxWriter, each with its own Computer field.
 */
class CaseLoaderTest {
  static final Instant T = Instant.parse("2026-11-02T08:00:00Z");

  @TempDir Path tmp;

  /** The corpus' dirty user hive and its two new-format logs, named as Windows names them. */
  private static void profile(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.copy(SharedCorpus.file("registry", "transactions_NTUSER.DAT"), dir.resolve("NTUSER.DAT"));
    Files.copy(SharedCorpus.file("registry", "transactions_ntuser.dat.log1"), dir.resolve("ntuser.dat.LOG1"));
    Files.copy(SharedCorpus.file("registry", "transactions_ntuser.dat.log2"), dir.resolve("ntuser.dat.LOG2"));
  }

  private static byte[] security(String computer, int failures) {
    EvtxWriter w = new EvtxWriter();
    for (int i = 0; i < failures; i++) {
      w.add(RdpFixtures.logonFailed(T.plusSeconds(i), "alice", "10.0.0.9", 0xC000006DL, 0xC000006AL).computer(computer));
    }
    return w.toBytes();
  }

  private static List<Observation> of(Case c, String type) {
    return c.observations().stream().filter(o -> o.type().equals(type)).toList();
  }

  @Test
  void aProfileFolderWithLogsIsOneHiveReplayedFromItsLogs() throws IOException {
    Path alice = tmp.resolve("Users").resolve("alice");
    profile(alice);
    CaseLoader.Cases cs = CaseLoader.load(List.of(tmp.resolve("Users")), Set.of());
    assertThat(cs.cases()).hasSize(1);
    Case c = cs.cases().get(0);
    assertThat(c.computer()).isNull();
    assertThat(c.files()).hasSize(1);
    EvidenceFile f = c.files().get(0);
    assertThat(f.location()).isEqualTo(alice.resolve("NTUSER.DAT").toString());
    assertThat(f.logs()).containsExactly(alice.resolve("ntuser.dat.LOG1").toString(), alice.resolve("ntuser.dat.LOG2").toString());
    // One hive observation, the replayed state: the logs are not read as hives of their own.
    List<Observation> hives = of(c, "registry.hive");
    assertThat(hives).hasSize(1);
    assertThat(hives.get(0).fields()).containsEntry("kind", "user").containsEntry("verdict", "loads-after-log-replay")
        .containsEntry("logsPresent", true).containsEntry("logReplay", "RECOVERED");
    assertThat(cs.notes()).isEmpty();
  }

  @Test
  void aLogWithoutItsHiveIsNotedNotReadAsAHive() throws IOException {
    Files.copy(SharedCorpus.file("registry", "transactions_ntuser.dat.log1"), tmp.resolve("ntuser.dat.LOG1"));
    CaseLoader.Cases cs = CaseLoader.load(List.of(tmp), Set.of());
    assertThat(cs.cases()).isEmpty();
    assertThat(cs.notes()).singleElement().asString().contains("ntuser.dat.LOG1").contains("transaction log whose hive is not beside it");
  }

  @Test
  void aFolderOfTwoComputersGivesACaseEach() throws IOException {
    // wks/: the corpus SYSTEM (ComputerName WKS-WIN732BITA) and a profile copied with it;
    // desk/: the 1709 SYSTEM (DESKTOP-2KGM189) and its Security log; client.evtx: a third machine.
    Path wks = tmp.resolve("wks");
    Files.createDirectories(wks);
    Files.copy(SharedCorpus.file("registry", "SYSTEM"), wks.resolve("SYSTEM"));
    profile(wks.resolve("Users").resolve("alice"));
    Path desk = tmp.resolve("desk");
    Files.createDirectories(desk);
    Files.copy(SharedCorpus.file("registry", "SYSTEM_WIN_10_1709"), desk.resolve("SYSTEM"));
    Files.write(desk.resolve("Security.evtx"), security("DESKTOP-2KGM189.corp.example", 3));
    new EvtxWriter().add(RdpFixtures.clientConnecting(T, "desktop-2kgm189.corp.example").computer("LAPTOP9"))
        .add(RdpFixtures.clientDisconnected(T.plusSeconds(4), 2308).computer("LAPTOP9"))
        .write(tmp.resolve("client.evtx"));

    CaseLoader.Cases cs = CaseLoader.load(List.of(tmp), Set.of());
    assertThat(cs.cases()).extracting(Case::label).containsExactlyInAnyOrder("WKS-WIN732BITA", "DESKTOP-2KGM189", "LAPTOP9");
    Case w = byName(cs, "WKS-WIN732BITA");
    assertThat(w.files()).extracting(EvidenceFile::location)
        .containsExactly(wks.resolve("SYSTEM").toString(), wks.resolve("Users/alice/NTUSER.DAT").toString());
    assertThat(w.computer().basis()).containsExactly("ComputerName in the SYSTEM hive " + wks.resolve("SYSTEM"));
    Case d = byName(cs, "DESKTOP-2KGM189");
    // The event's DNS name and the hive's NetBIOS name are one computer.
    assertThat(d.computer().key()).isEqualTo("DESKTOP-2KGM189");
    assertThat(d.files()).extracting(EvidenceFile::location)
        .containsExactlyInAnyOrder(desk.resolve("SYSTEM").toString(), desk.resolve("Security.evtx").toString());
    assertThat(of(d, "event")).hasSize(3).allMatch(o -> o.provenance().location().equals(desk.resolve("Security.evtx").toString()));
    Case l = byName(cs, "LAPTOP9");
    assertThat(of(l, "event")).hasSize(2);
    assertThat(of(l, "registry.hive")).isEmpty();
    // Each case's facts are its own: no SYSTEM setting of one computer in another's case.
    assertThat(of(w, "registry.setting")).isNotEmpty()
        .allMatch(o -> o.provenance().location().startsWith(wks.toString()));
    assertThat(of(d, "registry.setting")).allMatch(o -> o.provenance().location().startsWith(desk.toString()));
  }

  @Test
  void aProfileOnACopiedDriveGoesWithThatDrivesSystemHiveBesideOtherComputersLogs() throws IOException {
    // A system drive copy whose winevt folder also holds two other machines' Security logs: the
    // nearest folder naming one computer does not exist, but Windows' layout says whose profile it is.
    Path drive = tmp.resolve("case");
    Path config = Files.createDirectories(drive.resolve("Windows/System32/config"));
    Files.copy(SharedCorpus.file("registry", "SYSTEM"), config.resolve("SYSTEM"));
    profile(drive.resolve("Users").resolve("alice"));
    Path logs = Files.createDirectories(drive.resolve("Windows/System32/winevt/Logs"));
    Files.write(logs.resolve("Security.evtx"), security("temporal", 2));
    Files.write(logs.resolve("Security-FS03.evtx"), security("FS03.offsec.lan", 2));

    CaseLoader.Cases cs = CaseLoader.load(List.of(drive), Set.of());
    assertThat(cs.cases()).extracting(Case::label).containsExactlyInAnyOrder("WKS-WIN732BITA", "temporal", "FS03.offsec.lan");
    assertThat(byName(cs, "WKS-WIN732BITA").files()).extracting(EvidenceFile::location).containsExactlyInAnyOrder(
        config.resolve("SYSTEM").toString(), drive.resolve("Users/alice/NTUSER.DAT").toString());
  }

  @Test
  void twoBundlesOfTwoComputersUseTheirManifestsAndTheirEntryNames() throws IOException {
    Path a = tmp.resolve("bundle-HOST01.zip");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(a))) {
      add(z, "manifest.json", manifest("HOST01"));
      add(z, "events/Security.evtx", security("host01.corp.example", 2));
      add(z, "registry/NTUSER.DAT", Files.readAllBytes(SharedCorpus.file("registry", "transactions_NTUSER.DAT")));
      add(z, "registry/ntuser.dat.LOG1", Files.readAllBytes(SharedCorpus.file("registry", "transactions_ntuser.dat.log1")));
      add(z, "registry/ntuser.dat.LOG2", Files.readAllBytes(SharedCorpus.file("registry", "transactions_ntuser.dat.log2")));
    }
    Path b = tmp.resolve("bundle-HOST02.zip");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(b))) {
      add(z, "manifest.json", manifest("HOST02"));
      add(z, "events/Security.evtx", security("HOST02", 5));
    }
    CaseLoader.Cases cs = CaseLoader.load(List.of(a, b), Set.of());
    assertThat(cs.cases()).extracting(Case::label).containsExactly("HOST01", "HOST02");
    Case one = cs.cases().get(0);
    assertThat(one.computer().basis()).contains("manifest.json of " + a);
    assertThat(one.files()).extracting(EvidenceFile::describe).containsExactly(
        a + "!/events/Security.evtx: Windows event log (EVTX), 2 observation(s)",
        a + "!/registry/NTUSER.DAT: registry hive (regf) with ntuser.dat.LOG1, ntuser.dat.LOG2, 1 observation(s)");
    assertThat(one.files().get(1).logs()).containsExactly(a + "!/registry/ntuser.dat.LOG1", a + "!/registry/ntuser.dat.LOG2");
    Case two = cs.cases().get(1);
    assertThat(of(two, "event")).hasSize(5).allMatch(o -> o.provenance().location().equals(b + "!/events/Security.evtx"));
    // No location points into the temporary folder the bundles were unpacked into (deleted by now).
    for (Case c : cs.cases()) {
      assertThat(c.observations()).allMatch(o -> o.provenance().location().startsWith(tmp.toString()));
    }
  }

  @Test
  void filesWithoutIdentityJoinTheOnlyComputerElseAreUnknown() throws IOException {
    Path cbs = tmp.resolve("CBS.log");
    Files.writeString(cbs, "2026-10-02 10:05:00, Info                  CSI    0000000c [SR] Verify complete\r\n");
    Path one = tmp.resolve("one.evtx");
    Files.write(one, security("HOST01", 1));
    CaseLoader.Cases only = CaseLoader.load(List.of(cbs, one), Set.of());
    assertThat(only.cases()).extracting(Case::label).containsExactly("HOST01");
    assertThat(only.cases().get(0).files()).extracting(EvidenceFile::location).containsExactly(cbs.toString(), one.toString());

    Path two = tmp.resolve("two.evtx");
    Files.write(two, security("HOST02", 1));
    CaseLoader.Cases both = CaseLoader.load(List.of(cbs, one, two), Set.of());
    assertThat(both.cases()).extracting(Case::label).containsExactly("HOST01", "HOST02", "computer unknown");
    assertThat(both.cases().get(2).files()).extracting(EvidenceFile::location).containsExactly(cbs.toString());
  }

  @Test
  void aBundlesManifestSpeaksForEventsLoggedUnderAnotherName() throws IOException {
    // A lab machine renamed after its events were logged: the bundle is still one computer, and a
    // loose file beside it joins that only computer.
    Path a = tmp.resolve("bundle.zip");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(a))) {
      add(z, "manifest.json", manifest("HOST01"));
      add(z, "events/Security.evtx", security("OLDNAME.corp.example", 2));
    }
    Path cbs = tmp.resolve("CBS.log");
    Files.writeString(cbs, "2026-10-02 10:05:00, Info                  CSI    0000000c [SR] Verify complete\r\n");
    CaseLoader.Cases cs = CaseLoader.load(List.of(a, cbs), Set.of());
    assertThat(cs.cases()).extracting(Case::label).containsExactly("HOST01");
    assertThat(cs.cases().get(0).files()).extracting(EvidenceFile::location)
        .containsExactly(a + "!/events/Security.evtx", cbs.toString());
  }

  @Test
  void aBrokenBundleEntryIsNotedByItsEntryNameNotItsTemporaryCopy() throws IOException {
    Path a = tmp.resolve("bundle.zip");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(a))) {
      add(z, "registry/SYSTEM", "regf-but-nothing-else".getBytes(StandardCharsets.US_ASCII));
    }
    CaseLoader.Cases cs = CaseLoader.load(List.of(a), Set.of());
    assertThat(cs.notes()).singleElement().asString().startsWith(a + "!/registry/SYSTEM").doesNotContain("rdpdoctor-");
    Observation refused = cs.cases().get(0).observations().get(0);
    // Too short to show its keys: the kind comes from Windows' file name, and so does the consequence.
    assertThat(refused.fields()).containsEntry("verdict", "refused").containsEntry("kind", "system")
        .containsEntry("kindFrom", "file name").containsEntry("consequence", "Windows does not boot with this hive");
    assertThat(refused.provenance().location()).isEqualTo(a + "!/registry/SYSTEM");
  }

  @Test
  void filesGivenOneByOneGoWithTheComputerOfTheirFolder() throws IOException {
    Path a = tmp.resolve("hostA");
    profile(a);
    Files.copy(SharedCorpus.file("registry", "SYSTEM"), a.resolve("SYSTEM"));
    Path b = tmp.resolve("hostB");
    Files.createDirectories(b);
    Files.write(b.resolve("Security.evtx"), security("HOST02", 1));
    CaseLoader.Cases cs = CaseLoader.load(List.of(a.resolve("SYSTEM"), a.resolve("NTUSER.DAT"), b.resolve("Security.evtx")), Set.of());
    assertThat(cs.cases()).extracting(Case::label).containsExactly("WKS-WIN732BITA", "HOST02");
    assertThat(cs.cases().get(0).files()).extracting(EvidenceFile::location)
        .containsExactly(a.resolve("SYSTEM").toString(), a.resolve("NTUSER.DAT").toString());
    // Given on its own, the hive still brings the logs beside it.
    assertThat(cs.cases().get(0).files().get(1).logs()).hasSize(2);
  }

  @Test
  void computerKeysAreNetbiosNames() {
    assertThat(Computer.keyOf("host01.corp.example")).isEqualTo("HOST01");
    assertThat(Computer.keyOf(" Desktop-2kgm189 ")).isEqualTo("DESKTOP-2KGM189");
    // Windows truncates a longer host name to 15 characters for its NetBIOS (COMPUTERNAME) name.
    assertThat(Computer.keyOf("averyveryverylonghostname.corp")).isEqualTo("AVERYVERYVERYLO");
  }

  @Test
  void aMissingInputAndABadBundleAreTypedErrors() throws IOException {
    assertThatThrownBy(() -> CaseLoader.load(List.of(tmp.resolve("nothing")), Set.of())).isInstanceOf(NoSuchFileException.class);
    Path evil = tmp.resolve("evil.zip");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(evil))) {
      add(z, "../../escape.txt", "x".getBytes(StandardCharsets.UTF_8));
    }
    assertThatThrownBy(() -> CaseLoader.load(List.of(evil), Set.of())).isInstanceOf(EvidenceRefused.class)
        .hasMessageContaining("leaves the bundle folder");
  }

  private static Case byName(CaseLoader.Cases cs, String name) {
    return cs.cases().stream().filter(c -> c.label().equals(name)).findFirst().orElseThrow();
  }

  private static byte[] manifest(String computer) {
    return ("{\"schema\":\"rdpdoctor.bundle/1\",\"computer\":\"" + computer + "\",\"user\":\"alice\",\"elevated\":true,"
        + "\"items\":[]}").getBytes(StandardCharsets.UTF_8);
  }

  private static void add(ZipOutputStream z, String name, byte[] data) throws IOException {
    z.putNextEntry(new ZipEntry(name));
    z.write(data);
    z.closeEntry();
  }
}
