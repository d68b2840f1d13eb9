package rdpdoctor.app.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.app.CliRun;
import rdpdoctor.fleet.HostResult;
import rdpdoctor.fleet.Store;
import rdpdoctor.fleet.X224Responder;

/** SIGINT to a real scan process, then --resume: the same store as a scan that was never stopped. */
class ScanInterruptTest {
  @TempDir Path dir;
  private final List<X224Responder> responders = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (X224Responder r : responders) {
      r.close();
    }
  }

  @Test
  void ctrlCThenResumeEqualsAnUninterruptedScan() throws Exception {
    List<String> args = new ArrayList<>(List.of("scan"));
    for (int i = 60; i < 90; i++) {
      X224Responder r = new X224Responder("127.0.0." + i,
          i % 4 == 0 ? X224Responder.Policy.RDP_ONLY : X224Responder.Policy.NLA_REQUIRED);
      responders.add(r);
      args.add(r.spec());
    }
    String stopped = "jdbc:sqlite:" + dir.resolve("stopped.db");
    String whole = "jdbc:sqlite:" + dir.resolve("whole.db");

    // 24 connections/s = 3 hosts/s: the scan of 30 hosts is still running when the signal comes
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "rdpdoctor.app.Main"));
    command.addAll(args);
    command.addAll(List.of("--db", stopped, "--rate", "24", "--parallel", "2"));
    Process p = new ProcessBuilder(command).redirectOutput(dir.resolve("out.txt").toFile())
        .redirectError(dir.resolve("err.txt").toFile()).start();
    try {
      long recorded = 0;
      for (int i = 0; i < 600 && recorded < 4; i++) { // until 4 results are in, at most 60 s
        Thread.sleep(100);
        recorded = count(stopped);
      }
      assertThat(recorded).as("results recorded before the signal").isGreaterThanOrEqualTo(4);
      new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start().waitFor();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the scan ends after SIGINT").isTrue();
    } finally {
      p.destroyForcibly();
    }
    assertThat(p.exitValue()).isEqualTo(130);
    assertThat(java.nio.file.Files.readString(dir.resolve("err.txt")))
        .contains("stopped after", "run the same command with --resume to continue");
    long partial;
    try (Store s = Store.open(stopped)) {
      assertThat(s.unfinished("default")).isPresent();
      partial = s.results(1).size();
    }
    assertThat(partial).isBetween(4L, 29L);

    List<String> resume = new ArrayList<>(args);
    resume.addAll(List.of("--db", stopped, "--resume"));
    CliRun resumed = CliRun.run(resume.toArray(String[]::new));
    assertThat(resumed.exit()).as(resumed.err()).isEqualTo(1); // the RDP_ONLY hosts are problems
    assertThat(resumed.out()).contains(partial + " from before the resume");

    List<String> once = new ArrayList<>(args);
    once.addAll(List.of("--db", whole));
    assertThat(CliRun.run(once.toArray(String[]::new)).exit()).isEqualTo(1);

    try (Store a = Store.open(stopped); Store b = Store.open(whole)) {
      assertThat(a.unfinished("default")).isEmpty();
      assertThat(a.scans("default")).hasSize(1);
      assertThat(withoutTiming(a.results(1))).hasSize(30).isEqualTo(withoutTiming(b.results(1)));
    }
  }

  private static long count(String url) {
    try (Store s = Store.open(url)) {
      return s.results(1).size();
    } catch (RuntimeException e) {
      return 0; // not created yet, or busy
    }
  }

  private static List<HostResult> withoutTiming(List<HostResult> rs) {
    return rs.stream().map(r -> new HostResult(r.target(), Instant.EPOCH, r.reachable(), r.failure(), r.nla(),
        r.rdpSecurity(), r.tlsVersions(), r.certSha1(), r.certNotAfter(), r.credsspVersion(), r.osBuild(),
        r.problems(), 0)).toList();
  }
}
