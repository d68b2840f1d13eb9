package rdpdoctor.probe.nla;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.probe.Probe;
import rdpdoctor.probe.ProbeOptions;
import rdpdoctor.probe.ProbeReport;
import rdpdoctor.probe.Target;
import rdpdoctor.probe.bench.Bench;
import rdpdoctor.protocol.nlmp.NtlmCredentials;

/**
 * The credential check against a real CredSSP server: freerdp-shadow-cli /sec:nla under Xvfb with a
 * SAM file made by winpr-hash, on 127.0.0.1 with an ephemeral port. Every case's verdict must match
 * the SAM file; xfreerdp /auth-only and impacket's rdp_check.py run on the same server and the test
 * output says where they are wrong (they are not asserted: they are the peers being measured).
 */
class ShadowNlaBenchTest {
  static final String RIGHT = "Correct-Horse-7";

  @TempDir static Path dir;
  static ShadowNla bench;
  static int port;
  static int tlsPort;
  static String display;

  static String run(List<String> cmd, String stdin, Path log) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("DISPLAY", display);
    pb.environment().put("HOME", dir.toString());
    Process p = pb.start();
    try (OutputStream o = p.getOutputStream()) {
      o.write(stdin.getBytes(StandardCharsets.UTF_8));
    } catch (IOException ignored) {
      // the tool did not read stdin
    }
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return "timeout";
    }
    return Integer.toString(p.exitValue());
  }

  @BeforeAll
  static void startShadow() throws Exception {
    Bench.require("xfreerdp", "freerdp2-x11");
    bench = new ShadowNla(dir, List.of(new String[] {"alice", "CORP", RIGHT}, new String[] {"empty", "CORP", ""}));
    display = bench.display;
    port = bench.listen("nla");
    tlsPort = bench.listen("tls");
  }

  @AfterAll
  static void stop() {
    if (bench != null) {
      bench.close();
    }
  }

  static CredentialReport rdpdoctor(int p, String domain, String user, String password) {
    CredentialCheckStage stage = new CredentialCheckStage(
        NtlmCredentials.fromPassword(domain, user, password.toCharArray()), domain + "\\" + user, false);
    ProbeOptions o = ProbeOptions.defaults().withTimeout(Duration.ofSeconds(20))
        .withStepTimeout(Duration.ofSeconds(5)).withStages(List.of(stage));
    ProbeReport r = new Probe(o).run(new Target("127.0.0.1", p));
    return (CredentialReport) r.sections().get("credentials");
  }

  static String xfreerdp(int p, String sec, String domain, String user, String password) throws Exception {
    return run(List.of("xfreerdp", "/v:127.0.0.1:" + p, "/d:" + domain, "/u:" + user, "/from-stdin:force",
        "/auth-only", "/cert:ignore", "/sec:" + sec), password + "\n", dir.resolve("xfreerdp.log"));
  }

  /** impacket's rdp_check.py needs port 3389: a loopback forwarder to the shadow port, only if 3389 is free. */
  static String impacket(String domain, String user, String password) throws Exception {
    Path script = Path.of("/usr/share/doc/python3-impacket/examples/rdp_check.py");
    if (!Files.exists(script) || !Files.isExecutable(Path.of("/usr/bin/python3"))) {
      return "not installed";
    }
    ServerSocket fwd;
    try {
      fwd = new ServerSocket(3389, 5, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      return "skipped: 127.0.0.1:3389 in use";
    }
    try (fwd) {
      Thread.ofVirtual().start(() -> forward(fwd, port));
      Path log = dir.resolve("impacket.log");
      String code = run(List.of("/usr/bin/python3", script.toString(), domain + "/" + user + ":" + password + "@127.0.0.1"),
          "", log);
      String out = Files.readString(log);
      String last = out.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("").strip();
      return "exit " + code + ", last line \"" + last + "\"";
    }
  }

  static void forward(ServerSocket fwd, int to) {
    while (!fwd.isClosed()) {
      try {
        Socket a = fwd.accept();
        Socket b = new Socket(InetAddress.getLoopbackAddress(), to);
        Thread.ofVirtual().start(() -> pipe(a, b));
        Thread.ofVirtual().start(() -> pipe(b, a));
      } catch (IOException e) {
        return;
      }
    }
  }

  static void pipe(Socket from, Socket to) {
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException ignored) {
      // either side closed
    } finally {
      try {
        from.close();
        to.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }

  record Case(String name, String domain, String user, String password, boolean samSaysValid) {}

  @Test
  void verdictsMatchTheSamFileWherePeersDoNot() throws Exception {
    List<Case> cases = List.of(
        new Case("right password", "CORP", "alice", RIGHT, true),
        new Case("wrong password", "CORP", "alice", "Wrong-Horse-7", false),
        new Case("unknown user", "CORP", "mallory", RIGHT, false),
        new Case("empty password, right", "CORP", "empty", "", true),
        new Case("empty password, wrong", "CORP", "empty", "not-empty", false));
    List<String> table = new ArrayList<>();
    table.add(String.format("%-22s | %-5s | %-26s | %-8s | %s", "case", "SAM", "rdpdoctor", "xfreerdp", "impacket rdp_check"));
    for (Case c : cases) {
      CredentialReport r = rdpdoctor(port, c.domain(), c.user(), c.password());
      String xf = xfreerdp(port, "nla", c.domain(), c.user(), c.password());
      String imp = impacket(c.domain(), c.user(), c.password());
      boolean xfWrong = xf.equals("0") != c.samSaysValid();
      boolean impWrong = !imp.startsWith("skipped") && !imp.equals("not installed")
          && imp.contains("Access Granted") != c.samSaysValid();
      table.add(String.format("%-22s | %-5s | %-26s | %-8s | %s", c.name(), c.samSaysValid() ? "valid" : "bad",
          r.verdict() + (r.ntstatusHex() != null ? " " + r.ntstatusHex() : ""),
          xf + (xfWrong ? " WRONG" : ""), imp + (impWrong ? " WRONG" : "")));
      assertThat(r.authenticated()).as(c.name() + ": " + r.detail()).isEqualTo(c.samSaysValid());
      assertThat(r.verdict()).isEqualTo(c.samSaysValid()
          ? CredentialReport.Verdict.AUTHENTICATED : CredentialReport.Verdict.REJECTED);
      assertThat(r.tsCredentialsSent()).isFalse();
    }
    // A TLS-only listener: FreeRDP's /auth-only "authenticates" a wrong password there (exit 0);
    // rdpdoctor says the password cannot be checked before the logon screen.
    CredentialReport tls = rdpdoctor(tlsPort, "CORP", "alice", "Wrong-Horse-7");
    String xfTls = xfreerdp(tlsPort, "tls", "CORP", "alice", "Wrong-Horse-7");
    table.add(String.format("%-22s | %-5s | %-26s | %-8s | %s", "TLS-only, wrong pw", "bad", tls.verdict(),
        xfTls + (xfTls.equals("0") ? " WRONG" : ""), "n/a (needs HYBRID)"));
    assertThat(tls.verdict()).isEqualTo(CredentialReport.Verdict.NLA_UNAVAILABLE);
    assertThat(tls.authenticated()).isFalse();
    System.out.println("credential check on freerdp-shadow-cli (SAM file is the truth):");
    table.forEach(l -> System.out.println("  " + l));
  }
}
