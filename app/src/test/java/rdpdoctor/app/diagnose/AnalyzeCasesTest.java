package rdpdoctor.app.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.app.CliRun;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.Json;
import rdpdoctor.app.explain.SchemaValidator;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.Provenance;
import rdpdoctor.evidence.cases.Case;
import rdpdoctor.evidence.cases.Computer;
import rdpdoctor.evidence.even6.EvtxWriter;
import rdpdoctor.evidence.even6.RdpFixtures;
import tools.jackson.databind.JsonNode;

/**
 * The cases as a user meets them: a healthy profile folder with its logs, two bundles of
 * two computers, a folder of logs from two computers; the reports, proof locations and fix
 * scripts per computer. Hives come from ../shared/corpus (skipped, saying so, without it).
 */
class AnalyzeCasesTest {
  static final Instant T = Instant.parse("2026-11-02T08:00:00Z");

  @TempDir Path tmp;

  private static Path corpus(String rel) {
    Path c = CliRun.corpus();
    Assumptions.assumeTrue(c != null && Files.exists(c.resolve(rel)), "../shared/corpus missing: " + rel);
    return c.resolve(rel);
  }

  private static JsonNode json(CliRun r) {
    return Json.MAPPER.readTree(r.out());
  }

  private static byte[] wrongPasswords(String computer, int n) {
    EvtxWriter w = new EvtxWriter();
    for (int i = 0; i < n; i++) {
      w.add(RdpFixtures.logonFailed(T.plusSeconds(i), "alice", "10.0.0.9", 0xC000006DL, 0xC000006AL).computer(computer));
    }
    return w.toBytes();
  }

  /** Bundle 1: WKS-WIN732BITA's SYSTEM (NLA off). Bundle 2: HOST02's Security log (wrong passwords). */
  private List<Path> twoBundles() throws IOException {
    Path a = tmp.resolve("bundle-WKS.zip");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(a))) {
      add(z, "manifest.json", manifest("WKS-WIN732BITA"));
      add(z, "registry/SYSTEM", Files.readAllBytes(corpus("registry/SYSTEM")));
    }
    Path b = tmp.resolve("bundle-HOST02.zip");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(b))) {
      add(z, "manifest.json", manifest("HOST02"));
      add(z, "events/Security.evtx", wrongPasswords("host02.corp.example", 4));
    }
    return List.of(a, b);
  }

  @Test
  void aHealthyProfileFolderWithLogsIsNotCalledDamaged() throws IOException {
    Path alice = tmp.resolve("alice");
    Files.createDirectories(alice);
    Files.copy(corpus("registry/transactions_NTUSER.DAT"), alice.resolve("NTUSER.DAT"));
    Files.copy(corpus("registry/transactions_ntuser.dat.log1"), alice.resolve("ntuser.dat.LOG1"));
    Files.copy(corpus("registry/transactions_ntuser.dat.log2"), alice.resolve("ntuser.dat.LOG2"));
    CliRun r = CliRun.run("analyze", alice.toString(), "--json");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
    JsonNode j = json(r);
    assertThat(j.path("findings").size()).isZero();
    assertThat(r.out()).doesNotContain("damaged").doesNotContain("re-create the profile");
    assertThat(j.path("evidence").path("files").get(0).asString())
        .isEqualTo(alice.resolve("NTUSER.DAT") + ": registry hive (regf) with ntuser.dat.LOG1, ntuser.dat.LOG2, 1 observation(s)");
    // What hive check says of the same files: it loads after log replay.
    CliRun check = CliRun.run("hive", "check", alice.resolve("NTUSER.DAT").toString());
    assertThat(check.out()).contains("loads after log replay");
  }

  @Test
  void aCorruptSystemHiveIsNotCalledACorruptNtuserDat() throws IOException {
    Path dir = tmp.resolve("config");
    Files.createDirectories(dir);
    Files.copy(corpus("registry/corrupted_system_hive"), dir.resolve("SYSTEM"));
    CliRun r = CliRun.run("analyze", dir.toString(), "--json");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.FOUND);
    JsonNode top = json(r).path("findings").get(0);
    assertThat(top.path("id").asString()).isEqualTo("machine-hive-corrupt");
    assertThat(top.path("explanation").asString()).contains("system hive").contains("Windows does not boot with this hive");
    assertThat(r.out()).doesNotContain("ntuser-corrupt").doesNotContain("NTUSER.DAT is damaged");
  }

  @Test
  void twoBundlesOfTwoComputersGiveAReportEach() throws IOException {
    List<Path> zips = twoBundles();
    CliRun r = CliRun.run("analyze", zips.get(0).toString(), zips.get(1).toString(), "--json");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.FOUND);
    JsonNode set = json(r);
    assertThat(set.path("schema").asString()).isEqualTo(ReportOptions.SET_SCHEMA);
    JsonNode reports = set.path("reports");
    assertThat(reports.size()).isEqualTo(2);
    JsonNode schema = Json.MAPPER.readTree(Files.readString(CliRun.projectRoot().resolve("docs/schema/diagnosis-report-v1.schema.json")));
    for (JsonNode rep : reports) {
      assertThat(SchemaValidator.validate(schema, rep)).isEmpty();
    }
    JsonNode wks = reports.get(0);
    JsonNode host02 = reports.get(1);
    assertThat(wks.path("computer").path("name").asString()).isEqualTo("WKS-WIN732BITA");
    assertThat(wks.path("computer").path("basis").toString()).contains("manifest.json of " + zips.get(0));
    assertThat(host02.path("computer").path("name").asString()).isEqualTo("HOST02");
    assertThat(ids(wks)).contains("nla-off-on-host").doesNotContain("wrong-password");
    assertThat(ids(host02)).contains("wrong-password").doesNotContain("nla-off-on-host");
    // Every proof of a report comes from its own bundle, named as bundle!/entry.
    assertThat(locations(wks)).isNotEmpty().allMatch(l -> l.equals(zips.get(0) + "!/registry/SYSTEM"));
    assertThat(locations(host02)).isNotEmpty().allMatch(l -> l.equals(zips.get(1) + "!/events/Security.evtx"));

    CliRun text = CliRun.run("analyze", zips.get(0).toString(), zips.get(1).toString());
    assertThat(text.out()).startsWith("Evidence from 2 computers, one report each: computer WKS-WIN732BITA, computer HOST02")
        .contains("=== 1 of 2: computer WKS-WIN732BITA ===").contains("=== 2 of 2: computer HOST02 ===")
        .contains("rdpdoctor analyze, computer HOST02: cause found");
    Path html = tmp.resolve("report.html");
    CliRun md = CliRun.run("analyze", zips.get(0).toString(), zips.get(1).toString(), "--markdown", "--html", html.toString());
    assertThat(md.out()).contains("# 1 of 2: computer WKS-WIN732BITA").contains("## rdpdoctor analyze, computer HOST02");
    assertThat(Files.readString(tmp.resolve("report-HOST02.html"))).contains("<h1>rdpdoctor analyze, computer HOST02</h1>");
    assertThat(tmp.resolve("report-WKS-WIN732BITA.html")).exists();
    assertThat(html).doesNotExist();
  }

  @Test
  void aFolderOfLogsFromTwoComputersGivesAReportEach() throws IOException {
    Path logs = tmp.resolve("logs");
    Files.createDirectories(logs);
    Files.write(logs.resolve("Security.evtx"), wrongPasswords("SRV01.corp.example", 3));
    new EvtxWriter().add(RdpFixtures.clientConnecting(T, "srv01.corp.example").computer("LAPTOP9"))
        .add(RdpFixtures.clientDisconnected(T.plusSeconds(4), 2308).computer("LAPTOP9"))
        .write(logs.resolve("Microsoft-Windows-TerminalServices-RDPClient_Operational.evtx"));
    CliRun r = CliRun.run("analyze", logs.toString(), "--json");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.FOUND);
    JsonNode reports = json(r).path("reports");
    assertThat(reports.valueStream().map(x -> x.path("computer").path("name").asString()).toList())
        .containsExactly("LAPTOP9", "SRV01.corp.example");
    JsonNode srv = reports.get(1);
    assertThat(ids(srv)).contains("wrong-password");
    assertThat(locations(srv)).allMatch(l -> l.equals(logs.resolve("Security.evtx").toString()));
    assertThat(locations(reports.get(0))).allMatch(l -> l.endsWith("RDPClient_Operational.evtx"));
    assertThat(srv.path("evidence").path("notes").toString()).contains("this report uses only SRV01.corp.example's files");
  }

  @Test
  void fixWritesAScriptPerComputerThatRefusesOtherComputers() throws IOException {
    List<Path> zips = twoBundles();
    CliRun mixed = CliRun.run("fix", zips.get(0).toString(), zips.get(1).toString());
    assertThat(mixed.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(mixed.err()).contains("2 computers").contains("fix-WKS-WIN732BITA.ps1").contains("fix-HOST02.ps1");

    Path out = tmp.resolve("fix.ps1");
    // NLA off on WKS is a weakness: scripted only with --hardening (without it the script is empty).
    CliRun r = CliRun.run("fix", "--hardening", zips.get(0).toString(), zips.get(1).toString(), "-o", out.toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
    String wks = Files.readString(tmp.resolve("fix-WKS-WIN732BITA.ps1"));
    String host02 = Files.readString(tmp.resolve("fix-HOST02.ps1"));
    // The guard is the first statement after param(): nothing runs on another computer.
    String afterParam = wks.substring(wks.indexOf("param([switch]$Apply)"));
    assertThat(afterParam).containsSubsequence("param([switch]$Apply)\n", "if ($env:COMPUTERNAME -ne 'WKS-WIN732BITA') {",
        "Nothing was checked or changed", "exit 3\n}", "# ---- 1. Read-only checks");
    assertThat(wks).contains("nla-enable").contains("For computer WKS-WIN732BITA only");
    assertThat(host02).contains("if ($env:COMPUTERNAME -ne 'HOST02') {").doesNotContain("nla-enable");
    CliRun plain = CliRun.run("fix", zips.get(0).toString(), zips.get(1).toString(), "--json");
    assertThat(plain.out()).as(plain.err()).doesNotContain("nla-enable");
    JsonNode left = json(plain).path("scripts");
    assertThat(left.get(0).path("hardeningLeftOut").asInt()).as(plain.out()).isEqualTo(1);
    assertThat(left.get(1).path("hardeningLeftOut").asInt()).isZero();

    // The same from a saved report set.
    Path saved = tmp.resolve("set.json");
    Files.writeString(saved, CliRun.run("analyze", zips.get(0).toString(), zips.get(1).toString(), "--json").out());
    CliRun fromReport = CliRun.run("fix", "--report", saved.toString(), "--json");
    assertThat(fromReport.exit()).as(fromReport.err()).isEqualTo(ExitCodes.OK);
    JsonNode scripts = json(fromReport).path("scripts");
    assertThat(scripts.valueStream().map(s -> s.path("computer").asString()).toList()).containsExactly("WKS-WIN732BITA", "HOST02");
    assertThat(scripts.get(0).path("script").asString()).contains("if ($env:COMPUTERNAME -ne 'WKS-WIN732BITA') {");
  }

  @Test
  void theCodesTheUserGaveGoWithEveryComputersReport() throws IOException {
    List<Path> zips = twoBundles();
    CliRun r = CliRun.run("analyze", zips.get(0).toString(), zips.get(1).toString(), "--error", "ntstatus:0xC000006A", "--json");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.FOUND);
    JsonNode reports = json(r).path("reports");
    assertThat(reports.size()).isEqualTo(2);
    for (JsonNode rep : reports) {
      assertThat(rep.path("evidence").path("byType").path("code").asInt()).as(rep.path("computer").toString()).isEqualTo(1);
    }
    // The code is explained where the evidence supports it: HOST02's wrong passwords.
    assertThat(reports.get(1).path("findings").get(0).path("explainsObserved").toString()).contains("0xC000006A");
  }

  @Test
  void theProbeJoinsTheComputerItsNtlmChallengeNamed() {
    Computer a = new Computer("HOST01", "HOST01", List.of("manifest"));
    Computer b = new Computer("SRV01.corp.example", "SRV01", List.of("events"));
    List<Case> cases = List.of(new Case(a, List.of(), List.of()), new Case(b, List.of(), List.of()));
    Observation ntlm = Observation.of("probe.ntlm", new Provenance(Provenance.Source.PROBE, "srv01:3389", null))
        .with("netbiosComputer", "SRV01").summary("NTLM challenge");
    assertThat(AnalyzeCommand.probedCase(cases, List.of(ntlm))).isEqualTo(1);
    Observation other = Observation.of("probe.ntlm", new Provenance(Provenance.Source.PROBE, "x:3389", null))
        .with("netbiosComputer", "ELSEWHERE").summary("NTLM challenge");
    assertThat(AnalyzeCommand.probedCase(cases, List.of(other))).isEqualTo(-1);
    assertThat(AnalyzeCommand.probedCase(cases.subList(0, 1), List.of(other))).isZero();
  }

  private static List<String> ids(JsonNode report) {
    return report.path("findings").valueStream().map(f -> f.path("id").asString()).toList();
  }

  /** Every proof location of a report's findings, skipping the user's own codes. */
  private static List<String> locations(JsonNode report) {
    List<String> out = new ArrayList<>();
    for (JsonNode f : report.path("findings")) {
      for (JsonNode p : f.path("proof")) {
        out.add(p.path("location").asString());
      }
    }
    return out;
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
