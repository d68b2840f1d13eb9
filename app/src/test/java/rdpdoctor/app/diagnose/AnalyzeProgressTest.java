package rdpdoctor.app.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.app.ProgressLine;
import rdpdoctor.evidence.even6.EvtxWriter;
import rdpdoctor.evidence.even6.RdpFixtures;

/** analyze's progress line: what it says while files are read, and silence when stderr is no terminal. */
class AnalyzeProgressTest {
  static final Instant T = Instant.parse("2024-05-01T10:00:00Z");

  @TempDir Path dir;

  private Path evidence() throws Exception {
    Path logs = Files.createDirectories(dir.resolve("logs"));
    new EvtxWriter()
        .add(RdpFixtures.clientConnecting(T, "rdp.example.org"))
        .add(RdpFixtures.clientDisconnected(T.plusSeconds(5), 2308))
        .add(RdpFixtures.logonFailed(T.plusSeconds(60), "bob", "10.0.0.9", 0xC000006DL, 0xC000006AL))
        .write(logs.resolve("client.evtx"));
    Files.writeString(logs.resolve("install-checks.txt"),
        "rdpdoctor install-checks 1\nvolume-writable\tpass\tC:\\\tok\n");
    return logs;
  }

  @Test
  void theLineNamesFilesDoneOfTotalRecordsReadAndTheCurrentFile() {
    assertThat(AnalyzeCommand.progressText(3, 12, 48_210, "Security.evtx"))
        .isEqualTo("analyze: 3 of 12 files, 48210 event records read (Security.evtx)");
    assertThat(AnalyzeCommand.progressText(0, 0, 0, "")).isEqualTo("analyze: 0 of 0 files, 0 event records read");
  }

  @Test
  void onATerminalTheLoaderDrawsEachStepAndErasesTheLineAtTheEnd() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    AtomicLong clock = new AtomicLong();
    // Each look at the clock is a second later, so every update is due and drawn.
    ProgressLine line = ProgressLine.to(new PrintStream(bytes, true, StandardCharsets.UTF_8), true,
        () -> clock.addAndGet(1_000_000_000L));
    rdpdoctor.evidence.cases.CaseLoader.Cases l = AnalyzeCommand.load(List.of(evidence()), line);
    assertThat(l.cases()).hasSize(1);
    assertThat(l.cases().get(0).files()).hasSize(2);
    String err = bytes.toString(StandardCharsets.UTF_8);
    assertThat(err).contains(
        "\ranalyze: 0 of 2 files, 0 event records read (client.evtx)\u001b[K",
        "\ranalyze: 0 of 2 files, 3 event records read (client.evtx)\u001b[K",
        "\ranalyze: 1 of 2 files, 3 event records read (install-checks.txt)\u001b[K",
        "\ranalyze: 2 of 2 files, 3 event records read (install-checks.txt)\u001b[K");
    assertThat(err).endsWith("\r\u001b[K");
  }
}
