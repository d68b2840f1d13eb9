package rdpdoctor.app.diagnose;

import rdpdoctor.app.CliRun;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.Json;
import tools.jackson.databind.JsonNode;

/** End-to-end: files and bundles in, the expected top finding and a valid report out. */
class AnalyzeTest {
  @TempDir Path tmp;

  static final String CBS = String.join("\r\n",
      "2026-10-02 10:00:05, Info                  CSI    00000008 [SR] Verifying 100 components",
      "2026-10-02 10:00:06, Info                  CSI    00000009 [SR] Cannot repair member file [l:11]\"mstscax.dll\" of Microsoft-Windows-TerminalServices-ActiveXClient, version 10.0.19041.1, arch amd64, nonSxS, pkt {l:8 b:31bf3856ad364e35} in the store, hash mismatch",
      "2026-10-02 10:05:00, Info                  CSI    0000000c [SR] Verify complete", "");

  static final String CHECKS = "rdpdoctor install-checks 1\r\n"
      + "mstsc-not-readonly\tfail\tC:\\Windows\\System32\\mstsc.exe\tattributes: ReadOnly, Archive\r\n"
      + "tsclient-key-writable\tpass\tHKCU\\Software\\Microsoft\\Terminal Server Client\twrite access granted\r\n";

  private static Path corpus(String rel) {
    Path c = CliRun.corpus();
    Assumptions.assumeTrue(c != null && Files.exists(c.resolve(rel)), "../shared/corpus missing: " + rel);
    return c.resolve(rel);
  }

  private static JsonNode json(CliRun r) {
    return Json.MAPPER.readTree(r.out());
  }

  @Test
  void corpusSystemHiveMeansNlaOff() {
    CliRun r = CliRun.run("analyze", corpus("registry/SYSTEM").toString(), "--json");
    // NLA off is a weakness, true of hosts that connect fine: listed, never "the cause" (exit 0).
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
    JsonNode j = json(r);
    assertThat(j.path("verdict").path("causeFound").asBoolean()).isFalse();
    assertThat(j.path("verdict").path("summary").asString()).contains("1 weakness is listed separately");
    JsonNode nla = j.path("findings").get(0);
    assertThat(nla.path("id").asString()).isEqualTo("nla-off-on-host");
    assertThat(nla.path("kind").asString()).isEqualTo("weakness");
    assertThat(nla.path("explanation").asString()).contains("UserAuthentication=0");
  }

  @Test
  void corpus4825MeansNoRemoteDesktopLogonRight() {
    CliRun r = CliRun.run("analyze", corpus("evtx/hayabusa_4825_denied_rdp_valid_credentials.evtx").toString(), "--json");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.FOUND);
    JsonNode top = json(r).path("findings").get(0);
    assertThat(top.path("id").asString()).isEqualTo("no-rdp-logon-right");
    assertThat(top.path("explanation").asString()).startsWith("svc6test1 has valid credentials");
    assertThat(top.path("proof").get(0).path("detail").asString()).startsWith("record ");
    // Fields in a fixed order, so two runs print the same JSON (Map.of's order changes per JVM).
    assertThat(json(r).path("tool").propertyNames()).containsExactly("name", "version");
    assertThat(top.path("confidence").propertyNames()).containsExactly("value", "level", "reasons");
  }

  @Test
  void corpus4625MeansAccountRestriction() {
    CliRun r = CliRun.run("analyze", corpus("evtx/hayabusa_4625_account_restriction_rdp.evtx").toString(), "--json");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.FOUND);
    JsonNode top = json(r).path("findings").get(0);
    assertThat(top.path("id").asString()).isEqualTo("account-restriction");
    assertThat(top.path("proof").get(0).path("fields").path("Status").asString()).isEqualToIgnoringCase("0xc000006e");
    assertThat(top.path("explains").toString()).contains("ntstatus:0xC000006E");
  }

  @Test
  void aBundleOfCorpusFilesAndFixturesGivesEveryFindingAndAValidReport() throws IOException {
    Path zip = tmp.resolve("bundle.zip");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
      add(z, "registry/SYSTEM", Files.readAllBytes(corpus("registry/SYSTEM")));
      add(z, "events/Security.evtx", Files.readAllBytes(corpus("evtx/hayabusa_4625_account_restriction_rdp.evtx")));
      add(z, "text/CBS.log", CBS.getBytes(StandardCharsets.UTF_8));
      add(z, "text/install-checks.txt", CHECKS.getBytes(StandardCharsets.UTF_8));
      // As collect writes it: the manifest names the computer, so every file in the bundle is its
      // (the hayabusa log's events were logged under another name on the lab machine).
      add(z, "manifest.json", "{\"schema\":\"rdpdoctor.bundle/1\",\"computer\":\"WKS-WIN732BITA\"}".getBytes(StandardCharsets.UTF_8));
    }
    CliRun r = CliRun.run("analyze", zip.toString(), "--error", "ntstatus:0xC000006E", "--json");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.FOUND);
    JsonNode j = json(r);
    assertThat(j.path("verdict").path("topFinding").asString()).isEqualTo("account-restriction");
    List<String> ids = j.path("findings").valueStream().map(f -> f.path("id").asString()).toList();
    assertThat(ids).contains("nla-off-on-host", "system-file-corruption", "mstsc-readonly").doesNotContain("tsclient-key-unwritable");
    assertThat(j.path("evidence").path("files").size()).isEqualTo(4);
    assertThat(j.path("computer").path("name").asString()).isEqualTo("WKS-WIN732BITA");
    // Proofs name the bundle and the entry in it, never the temporary folder it was unpacked into.
    assertThat(j.path("findings").get(0).path("proof").get(0).path("location").asString())
        .isEqualTo(zip + "!/events/Security.evtx");
    JsonNode schema = Json.MAPPER.readTree(Files.readString(CliRun.projectRoot().resolve("docs/schema/diagnosis-report-v1.schema.json")));
    assertThat(rdpdoctor.app.explain.SchemaValidator.validate(schema, j)).isEmpty();
  }

  @Test
  void schemaValidatorCatchesAMissingMember() throws IOException {
    JsonNode schema = Json.MAPPER.readTree(Files.readString(CliRun.projectRoot().resolve("docs/schema/diagnosis-report-v1.schema.json")));
    JsonNode doc = Json.MAPPER.readTree("{\"schema\":\"rdpdoctor.diagnosis-report/1\",\"extra\":1}");
    assertThat(rdpdoctor.app.explain.SchemaValidator.validate(schema, doc)).anyMatch(s -> s.contains("missing property verdict"))
        .anyMatch(s -> s.contains("property extra is not in the schema"));
  }

  @Test
  void nothingToFindExitsZero() throws IOException {
    Path f = tmp.resolve("install-checks.txt");
    Files.writeString(f, "rdpdoctor install-checks 1\nvolume-writable\tpass\tC:\\\tok\n");
    CliRun r = CliRun.run("analyze", f.toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).contains("no cause found");
  }

  @Test
  void aCutEventLogIsReportedWithItsNumbers() throws IOException {
    Path f = tmp.resolve("Security.evtx");
    Files.write(f, rdpdoctor.evidence.even6.DamagedEvtx.truncatedAtChunkBoundary().bytes());
    CliRun md = CliRun.run("analyze", f.toString(), "--markdown");
    assertThat(md.out()).as(md.err()).contains(f + " (EVTX): 264 record(s) read; 136 record(s) lost,"
        + " the header promises 2 chunk(s) and the file holds 1 (1 problem(s))");
    CliRun json = CliRun.run("analyze", f.toString(), "--json");
    JsonNode doc = Json.MAPPER.readTree(json.out());
    JsonNode schema = Json.MAPPER.readTree(Files.readString(CliRun.projectRoot().resolve("docs/schema/diagnosis-report-v1.schema.json")));
    assertThat(rdpdoctor.app.explain.SchemaValidator.validate(schema, doc)).isEmpty();
    assertThat(json.out()).contains("\"evtx.damage\"").contains("136 record(s) lost");
  }

  @Test
  void codesAloneGiveTheServerDeniedReading() {
    CliRun r = CliRun.run("analyze", "--error", "Error code: 0x904, Extended error code: 0x7", "--markdown", "nothing-there-" + System.nanoTime());
    assertThat(r.exit()).isEqualTo(ExitCodes.IO);
    CliRun ok = CliRun.run("diagnose", "--help");
    assertThat(ok.exit()).isZero();
    assertThat(ok.out()).contains("Examples:");
  }

  @Test
  void markdownAndHtmlReports() throws IOException {
    Path evil = tmp.resolve("install-checks.txt");
    Files.writeString(evil, "rdpdoctor install-checks 1\nmstsc-not-readonly\tfail\t<script>alert(1)</script>\t**x** | y\n");
    Path html = tmp.resolve("r.html");
    CliRun r = CliRun.run("analyze", evil.toString(), "--markdown", "--html", html.toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.FOUND);
    assertThat(r.out()).startsWith("## rdpdoctor analyze").contains("| TLS | no finding |").contains("\\*\\*x\\*\\* \\| y");
    String page = Files.readString(html);
    assertThat(page).startsWith("<!DOCTYPE html>").contains("<style>").doesNotContain("<script").contains("&lt;script&gt;")
        .doesNotContain("http://").doesNotContain("https://").contains("class=\"timeline\"");
  }

  @Test
  void anExpiredCertificateFileIsNamed() throws Exception {
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    java.security.KeyPair kp = g.generateKeyPair();
    var name = new org.bouncycastle.asn1.x500.X500Name("CN=host01.corp.example");
    java.time.Instant now = java.time.Instant.now();
    byte[] der = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(name, java.math.BigInteger.ONE,
            java.util.Date.from(now.minusSeconds(86400L * 400)), java.util.Date.from(now.minusSeconds(86400L * 3)), name, kp.getPublic())
        .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())).getEncoded();
    Path cer = tmp.resolve("rdp.cer");
    Files.write(cer, der);
    CliRun r = CliRun.run("analyze", cer.toString(), "--error", "0x904 0x7", "--json");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.FOUND);
    JsonNode top = json(r).path("findings").get(0);
    assertThat(top.path("id").asString()).isEqualTo("cert-expired");
    assertThat(top.path("explanation").asString()).contains("CN=host01.corp.example");
    assertThat(top.path("remediation").get(0).path("parameters").path("Thumbprint").asString()).hasSize(40);
    assertThat(top.path("alternatives").toString()).contains("server-denied-connection");
  }

  static void add(ZipOutputStream z, String name, byte[] data) throws IOException {
    z.putNextEntry(new ZipEntry(name));
    z.write(data);
    z.closeEntry();
  }


  @SuppressWarnings("unused")
  private static void unused(OutputStream o) {}
}
