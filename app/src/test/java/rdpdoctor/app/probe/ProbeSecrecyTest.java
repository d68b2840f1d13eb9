package rdpdoctor.app.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.probe.nla.FakeNlaServer;
import rdpdoctor.probe.nla.ShadowNla;
import rdpdoctor.protocol.cssp.TsRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * `rdpdoctor probe --user` end to end, as a separate process: a distinctive password goes in through
 * the environment or a file descriptor, and everything the command writes (stdout, stderr, with any
 * exception) is searched for it in every form. A negative control proves the search would catch it.
 */
class ProbeSecrecyTest {
  static final String PASSWORD = "Marmalade-Quokka-8923!";
  static final SecretScan SCAN = new SecretScan(PASSWORD);

  @TempDir Path dir;

  record Run(int exit, byte[] stdout, byte[] stderr) {
    JsonNode json() {
      return JsonMapper.builder().build().readTree(new String(stdout, StandardCharsets.UTF_8));
    }
  }

  /** Runs rdpdoctor's Main in a fresh JVM with this test's classpath; env adds variables. */
  static Run rdpdoctor(Map<String, String> env, String shellPrefix, String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), "rdpdoctor.app.Main"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb;
    if (shellPrefix.isEmpty()) {
      pb = new ProcessBuilder(cmd);
    } else {
      // For --password-fd: bash opens the descriptor for the JVM it execs.
      StringBuilder line = new StringBuilder("exec");
      for (String c : cmd) {
        line.append(" '").append(c.replace("'", "'\\''")).append("'");
      }
      pb = new ProcessBuilder("bash", "-c", line + " " + shellPrefix);
    }
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread t = Thread.ofVirtual().start(() -> {
      try {
        p.getErrorStream().transferTo(err);
      } catch (java.io.IOException ignored) {
        // process gone
      }
    });
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    t.join();
    return new Run(p.exitValue(), out, err.toByteArray());
  }

  static void assertClean(Run r) {
    assertThat(SCAN.find(r.stdout())).as("password forms found on stdout").isEmpty();
    assertThat(SCAN.find(r.stderr())).as("password forms found on stderr").isEmpty();
  }

  /** Negative control: the same output with the secret planted in it, in each form, is caught. */
  static void assertScanCatchesALeakIn(Run r) {
    for (Map.Entry<String, byte[]> form : SCAN.forms().entrySet()) {
      byte[] out = r.stdout();
      ByteArrayOutputStream leaky = new ByteArrayOutputStream();
      leaky.write(out, 0, out.length / 2);
      leaky.writeBytes(form.getValue());
      leaky.write(out, out.length / 2, out.length - out.length / 2);
      assertThat(SCAN.find(leaky.toByteArray())).as(form.getKey()).contains(form.getKey());
    }
    // A command that printed the password as text would fail the very check the real runs pass.
    String printed = new String(r.stdout(), StandardCharsets.UTF_8) + "\npassword: " + PASSWORD + "\n";
    assertThat(SCAN.find(printed.getBytes(StandardCharsets.UTF_8))).contains("password (UTF-8)");
  }

  @Test
  void passwordNeverReachesOutputOrServer() throws Exception {
    try (FakeNlaServer server = new FakeNlaServer("CORP", "alice", PASSWORD.toCharArray(),
        FakeNlaServer.Mode.HONEST, Duration.ZERO, 6)) {
      Run json = rdpdoctor(Map.of("RDPDOCTOR_TEST_PW", PASSWORD), "", "probe", server.target().toString(),
          "--user", "CORP\\alice", "--password-env", "RDPDOCTOR_TEST_PW", "--json", "--timeout", "30s");
      assertClean(json);
      assertScanCatchesALeakIn(json);
      assertThat(json.json().path("credentials").path("verdict").asString()).isEqualTo("AUTHENTICATED");
      assertThat(json.json().path("credentials").path("tsCredentialsSent").asBoolean()).isFalse();
      java.nio.file.Files.writeString(dir.resolve("pw"), PASSWORD + "\n");
      Run text = rdpdoctor(Map.of(), "3<'" + dir.resolve("pw") + "'", "probe", server.target().toString(),
          "--user", "CORP\\alice", "--password-fd", "3", "--timeout", "30s");
      assertClean(text);
      assertThat(new String(text.stdout(), StandardCharsets.UTF_8)).contains("AUTHENTICATED");
      // What the server received: no TSCredentials, and the password in no form.
      assertThat(server.received).isNotEmpty().allSatisfy(m -> {
        assertThat(TsRequest.decode(m).authInfo()).isNull();
        assertThat(SCAN.find(m)).isEmpty();
      });
    }
  }

  @Test
  void wrongPasswordAndErrorPathsStayClean() throws Exception {
    try (FakeNlaServer server = new FakeNlaServer("CORP", "alice", "other".toCharArray(),
        FakeNlaServer.Mode.HONEST, Duration.ZERO, 6)) {
      Run r = rdpdoctor(Map.of("RDPDOCTOR_TEST_PW", PASSWORD), "", "probe", server.target().toString(),
          "--user", "CORP\\alice", "--password-env", "RDPDOCTOR_TEST_PW", "--json", "--timeout", "30s");
      assertClean(r);
      assertThat(r.json().path("credentials").path("verdict").asString()).isEqualTo("REJECTED");
      assertThat(r.json().path("credentials").path("clientCode").asString()).isEqualTo("0x807");
    }
    // A password on the command line: refused, and the refusal does not repeat it.
    Run refused = rdpdoctor(Map.of(), "", "probe", "127.0.0.1:9", "--user", "CORP\\alice", "--password", PASSWORD);
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(new String(refused.stderr(), StandardCharsets.UTF_8)).contains("a password on the command line is refused");
    assertClean(refused);
    // A hostile server (oversized TSRequest): the failure is printed, the password is not.
    try (FakeNlaServer server = new FakeNlaServer("CORP", "alice", PASSWORD.toCharArray(),
        FakeNlaServer.Mode.OVERSIZED_TSREQUEST, Duration.ZERO, 6)) {
      Run r = rdpdoctor(Map.of("RDPDOCTOR_TEST_PW", PASSWORD), "", "probe", server.target().toString(),
          "--user", "CORP\\alice", "--password-env", "RDPDOCTOR_TEST_PW", "--timeout", "30s");
      assertClean(r);
    }
  }

  @Test
  void passwordNeverReachesOutputAgainstTheShadowBench() throws Exception {
    try (ShadowNla bench = new ShadowNla(dir, List.<String[]>of(new String[] {"alice", "CORP", PASSWORD}))) {
      int port = bench.listen("nla");
      Run r = rdpdoctor(Map.of("RDPDOCTOR_TEST_PW", PASSWORD), "", "probe", "127.0.0.1:" + port,
          "--user", "CORP\\alice", "--password-env", "RDPDOCTOR_TEST_PW", "--json", "--timeout", "30s");
      assertClean(r);
      assertThat(r.json().path("credentials").path("verdict").asString()).isEqualTo("AUTHENTICATED");
    }
  }
}
