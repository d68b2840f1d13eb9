package rdpdoctor.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The redrawn status line: silent off a terminal and in the first second, then "\r text ESC[K". */
class ProgressLineTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final AtomicLong clock = new AtomicLong(5_000_000_000L);

  private String written() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void offATerminalNothingIsEverWritten() {
    ProgressLine p = ProgressLine.to(err, false, clock::get);
    for (int i = 0; i < 10; i++) {
      clock.addAndGet(1_000_000_000L);
      p.update(() -> "analyze: 1 of 2 files");
    }
    p.clear();
    assertThat(written()).isEmpty();
  }

  @Test
  void onATerminalItWaitsASecondRedrawsAtMostFourTimesASecondAndClearsItself() {
    ProgressLine p = ProgressLine.to(err, true, clock::get);
    clock.addAndGet(999_000_000L);
    p.update(() -> "too early");
    assertThat(written()).as("a run shorter than a second shows nothing").isEmpty();
    clock.addAndGet(1_000_000L);
    p.update(() -> "analyze: 1 of 2 files");
    assertThat(written()).isEqualTo("\ranalyze: 1 of 2 files\u001b[K");
    clock.addAndGet(100_000_000L);
    p.update(() -> "not yet");
    assertThat(written()).doesNotContain("not yet");
    clock.addAndGet(150_000_000L);
    p.update(() -> "analyze: 2 of 2 files");
    p.clear();
    assertThat(written()).isEqualTo("\ranalyze: 1 of 2 files\u001b[K\ranalyze: 2 of 2 files\u001b[K\r\u001b[K");
  }

  @Test
  void aLineNeverDrawnIsNotCleared() {
    ProgressLine p = ProgressLine.to(err, true, clock::get);
    p.update(() -> "quick");
    p.clear();
    assertThat(written()).isEmpty();
  }

  @Test
  void aLongLineIsCutToOneRowAndControlCharactersCannotMoveTheCursor() {
    String r = ProgressLine.render("analyze: 1 of 2 files (" + "x".repeat(100) + "\u001b[2J)");
    assertThat(r).startsWith("\r").endsWith("...\u001b[K").doesNotContain("\u001b[2J");
    assertThat(r.length() - "\r".length() - "\u001b[K".length()).isEqualTo(ProgressLine.MAX_WIDTH);
    assertThat(ProgressLine.render("name\u001b[2Jx")).isEqualTo("\rname?[2Jx\u001b[K");
  }

  @Test
  void stderrOfATestRunIsNoTerminalAndTermDumbNeverIs() {
    // Surefire runs the tests with stderr going into a pipe.
    assertThat(ProgressLine.stderrIsTerminal(Map.of())).isFalse();
    assertThat(ProgressLine.stderrIsTerminal(Map.of("TERM", "dumb"))).isFalse();
  }
}
