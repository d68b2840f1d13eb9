package rdpdoctor.app.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import rdpdoctor.app.CliRun;
import rdpdoctor.app.Json;
import rdpdoctor.evidence.even6.EvtxWriter;
import rdpdoctor.evidence.even6.RdpFixtures;
import rdpdoctor.evidence.regf.HiveWriter;
import rdpdoctor.fleet.X224Responder;

/**
 * The release artifacts as a user gets them: scripts/release makes them from this build's jars
 * (failsafe runs this after package), each is unpacked into an empty folder and every command is
 * run from there through the bash launcher. The zip with only a JRE on PATH (the tarball's jlink'd
 * runtime, which has no javac), the tarball with a PATH that has no java and no mvn at all.
 */
class ReleaseIT {
  private static final Path ROOT = CliRun.projectRoot();
  private static final Path WORK = ROOT.resolve("app/target/release-it");
  /** The version scripts/release read from the pom, taken from the zip's name. */
  private static String version;
  private static String name;
  private static final Instant T = Instant.parse("2024-05-01T10:00:00Z");
  /** What the launcher needs from PATH: bash and a few coreutils, nothing Java. */
  private static final List<String> TOOLS = List.of("bash", "sh", "env", "dirname", "readlink", "mkdir", "rm", "mv", "find", "mktemp", "cat", "sed", "head");

  private static Path out;
  private static Path fixtures;
  private static X224Responder responder;

  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void makeTheArtifacts() throws Exception {
    for (String tool : List.of("zip", "unzip", "tar", "sha256sum")) {
      Assumptions.assumeTrue(which(tool) != null, tool + " missing: scripts/release and ReleaseIT need zip, unzip, tar, coreutils");
    }
    delete(WORK);
    Files.createDirectories(WORK);
    out = WORK.resolve("artifacts");
    Run r = exec(List.of(ROOT.resolve("scripts/release").toString(), "--no-build", "--out", out.toString()), ROOT, Map.of(), 900);
    assertThat(r.exit()).as("scripts/release --no-build:%n%s%n%s", r.out(), r.err()).isZero();
    name = list(out).stream().filter(f -> f.matches("rdpdoctor-[0-9][^-]*\\.zip")).findFirst().orElseThrow().replace(".zip", "");
    version = name.substring("rdpdoctor-".length());
    fixtures = Files.createDirectories(WORK.resolve("fixtures"));
    new EvtxWriter()
        .add(RdpFixtures.clientConnecting(T, "rdp.example.org"))
        .add(RdpFixtures.clientDisconnected(T.plusSeconds(5), 2308))
        .add(RdpFixtures.logonFailed(T.plusSeconds(3600), "bob", "10.0.0.9", 0xC000006DL, 0xC000006AL))
        .write(fixtures.resolve("client.evtx"));
    HiveWriter.Key root = new HiveWriter.Key("ROOT");
    root.key("Select").dword("Current", 1);
    root.key("ControlSet001\\Control\\Terminal Server").dword("fDenyTSConnections", 1);
    root.key("ControlSet001\\Control\\Terminal Server\\WinStations\\RDP-Tcp").dword("UserAuthentication", 0).dword("PortNumber", 3389);
    Files.write(fixtures.resolve("SYSTEM"), HiveWriter.write(root));
    Files.writeString(fixtures.resolve("rdp.reg"), "Windows Registry Editor Version 5.00\r\n\r\n"
        + "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server]\r\n\"fDenyTSConnections\"=dword:00000001\r\n");
    responder = new X224Responder("127.0.0.1", X224Responder.Policy.NLA_REQUIRED);
  }

  @AfterAll
  static void stop() throws IOException {
    if (responder != null) {
      responder.close();
    }
  }

  @Test
  void checksumsAndSbomDescribeTheArtifacts() throws Exception {
    Run sums = exec(List.of("sha256sum", "-c", "SHA256SUMS"), out, Map.of(), 60);
    assertThat(sums.exit()).as(sums.out() + sums.err()).isZero();
    assertThat(sums.out().lines()).containsExactlyInAnyOrder(
        name + ".zip: OK", name + "-linux-x64.tar.gz: OK", name + ".cdx.json: OK");
    var bom = Json.MAPPER.readTree(Files.readString(out.resolve(name + ".cdx.json")));
    assertThat(bom.get("bomFormat").asString()).isEqualTo("CycloneDX");
    List<String> components = new ArrayList<>();
    bom.get("components").forEach(c -> components.add(c.get("name").asString()));
    assertThat(components).contains("picocli", "bcprov-jdk18on", "bctls-jdk18on", "jackson-databind", "sqlite-jdbc");
  }

  @Test
  void theZipRunsEveryCommandWithOnlyAJreOnPath() throws Exception {
    Path tar = unpackTarball("for-its-jre");
    Path jre = tar.resolve("runtime");
    assertThat(jre.resolve("bin/java")).isExecutable();
    assertThat(jre.resolve("bin/javac")).as("the runtime is a JRE").doesNotExist();
    Path dir = Files.createDirectories(WORK.resolve("zip"));
    Run unzip = exec(List.of("unzip", "-q", out.resolve(name + ".zip").toString(), "-d", dir.toString()), dir, Map.of(), 120);
    assertThat(unzip.exit()).as(unzip.err()).isZero();
    Path home = dir.resolve(name);
    assertThat(home.resolve("pom.xml")).doesNotExist();
    assertThat(home.resolve("runtime")).doesNotExist();
    String path = toolsBin(dir) + ":" + jre.resolve("bin");
    // The launcher picks the JRE on PATH (and no JDK): the JVM says which java.home it runs.
    Run which = launch(home, path, Map.of("RDPDOCTOR_JAVA_OPTS", "-XshowSettings:properties"), "explain", "0x904");
    assertThat(which.exit()).as(which.err()).isZero();
    assertThat(which.err()).contains("java.home = " + jre);
    smokeTestEveryCommand(home, path);
  }

  @Test
  void theTarballRunsEveryCommandWithNoJavaOnPathAndRecordsNothing() throws Exception {
    Path home = unpackTarball("tar");
    Path bin = Path.of(toolsBin(home.getParent()));
    Run noJava = exec(List.of(bin.resolve("bash").toString(), "-c", "command -v java || command -v mvn || echo none"), home,
        Map.of("PATH", bin.toString()), 30);
    assertThat(noJava.out().strip()).isEqualTo("none");
    TreeSet<String> before = list(home.resolve("cds"));
    assertThat(before).as("AOT caches made at build time").contains("explain-25.aot", "explain-json-25.aot", "probe-quick-25.aot",
        "analyze-25.aot", "hive-check-25.aot", "evtx-dump-25.aot", "scan-25.aot", "fix-25.aot");
    smokeTestEveryCommand(home, bin.toString());
    // Every command ran from a cache made at build time: a user's first run records nothing.
    assertThat(list(home.resolve("cds"))).isEqualTo(before);
  }

  /** One run of each command, from the unpacked folder, with PATH set to {@code path} and nothing else Java. */
  private static void smokeTestEveryCommand(Path home, String path) throws Exception {
    String evtx = fixtures.resolve("client.evtx").toString();
    String hive = fixtures.resolve("SYSTEM").toString();
    String reg = fixtures.resolve("rdp.reg").toString();
    String db = "jdbc:sqlite:" + home.getParent().resolve("scans.db");
    Map<String, String> env = Map.of();
    expect(launch(home, path, env, "--version"), 0, version);
    expect(launch(home, path, env, "explain", "0x904", "0x7"), 0, "disconnectReason");
    assertThat(Json.MAPPER.readTree(expect(launch(home, path, env, "explain", "--json", "0x904"), 0, "\"codes\"").out()).isObject()).isTrue();
    expect(launch(home, path, env, "evtx", "dump", evtx), 0, "<Data Name=\"Value\">2308</Data>");
    expect(launch(home, path, env, "evtx", "stats", evtx), 0, "3");
    expect(launch(home, path, env, "hive", "check", hive), 0, "loads");
    expect(launch(home, path, env, "hive", "dump", hive), 0, "Windows Registry Editor Version 5.00");
    expect(launch(home, path, env, "hive", "rdp", reg), 0, "RDP disabled");
    expect(launch(home, path, env, "analyze", evtx, hive), -1, "rdpdoctor analyze");
    expect(launch(home, path, env, "fix", evtx), 0, "rdpdoctor fix script");
    expect(launch(home, path, env, "collect", "--powershell"), 0, "rdpdoctor collect");
    expect(launch(home, path, env, "probe", "--quick", responder.spec()), -1, "NLA");
    expect(launch(home, path, env, "probe", responder.spec()), -1, responder.spec());
    expect(launch(home, path, env, "diagnose", "--error", "0x904", responder.spec()), -1, "rdpdoctor diagnose");
    expect(launch(home, path, env, "scan", "--db", db, responder.spec()), -1, "1 hosts, 1 up");
    expect(launch(home, path, env, "scan", "--json", "--db", db, responder.spec()), -1, "\"nla\"");
    expect(launch(home, path, env, "history", "--db", db, responder.spec()), 0, "scan 2 (default");
    expect(launch(home, path, env, "diff", "--db", db), 0, "scan 1 (");
  }

  /** exit -1: 0 or 1 (a problem found is a success for analyze, probe, scan). */
  private static Run expect(Run r, int exit, String text) {
    if (exit < 0) {
      assertThat(r.exit()).as("exit code%n%s%n%s", r.out(), r.err()).isBetween(0, 1);
    } else {
      assertThat(r.exit()).as("exit code%n%s%n%s", r.out(), r.err()).isEqualTo(exit);
    }
    assertThat(r.out()).as(r.err()).contains(text);
    return r;
  }

  private static Run launch(Path home, String path, Map<String, String> extra, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(home.resolve("rdpdoctor").toString()));
    cmd.addAll(List.of(args));
    java.util.HashMap<String, String> env = new java.util.HashMap<>(extra);
    env.put("PATH", path);
    env.put("HOME", home.getParent().toString());
    env.put("XDG_DATA_HOME", home.getParent().toString());
    env.put("NO_COLOR", "1");
    return exec(cmd, home.getParent(), env, 300);
  }

  private static Path unpackTarball(String folder) throws Exception {
    Path dir = WORK.resolve(folder);
    if (!Files.isDirectory(dir.resolve(name))) {
      Files.createDirectories(dir);
      Run tar = exec(List.of("tar", "-xzf", out.resolve(name + "-linux-x64.tar.gz").toString(), "-C", dir.toString()), dir, Map.of(), 300);
      assertThat(tar.exit()).as(tar.err()).isZero();
    }
    return dir.resolve(name);
  }

  /** A folder of symlinks to the few programs the launcher runs. */
  private static String toolsBin(Path dir) throws IOException {
    Path bin = dir.resolve("bin");
    if (!Files.isDirectory(bin)) {
      Files.createDirectories(bin);
      for (String tool : TOOLS) {
        Path p = which(tool);
        assertThat(p).as(tool + " on PATH").isNotNull();
        Files.createSymbolicLink(bin.resolve(tool), p);
      }
    }
    return bin.toString();
  }

  private static Path which(String program) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path p = Path.of(d.isEmpty() ? "." : d, program);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  private static TreeSet<String> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }
  }

  /** Runs a program with exactly {@code env} (when given PATH) and waits at most {@code seconds}. */
  private static Run exec(List<String> cmd, Path dir, Map<String, String> env, int seconds) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    if (env.containsKey("PATH")) {
      pb.environment().clear();
    }
    pb.environment().putAll(env);
    Path o = Files.createTempFile(WORK, "out", ".txt");
    Path e = Files.createTempFile(WORK, "err", ".txt");
    Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(o.toFile()).redirectError(e.toFile()).start();
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", cmd) + " did not finish in " + seconds + " s");
    }
    Run r = new Run(p.exitValue(), Files.readString(o, StandardCharsets.UTF_8), Files.readString(e, StandardCharsets.UTF_8));
    Files.delete(o);
    Files.delete(e);
    return r;
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
