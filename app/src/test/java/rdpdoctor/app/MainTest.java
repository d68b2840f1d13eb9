package rdpdoctor.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {

  @Test
  void unknownSubcommandIsAUsageError() {
    assertThat(Main.run("no-such-command")).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void helpExitsZero() {
    assertThat(Main.run("--help")).isZero();
  }

  @Test
  void colourOnlyOnATerminalWithoutNoColor() {
    assertThat(Style.detect(Map.of(), true).colour()).isTrue();
    assertThat(Style.detect(Map.of(), false).colour()).isFalse();
    assertThat(Style.detect(Map.of("NO_COLOR", ""), true).colour()).isFalse();
    assertThat(Style.detect(Map.of("TERM", "dumb"), true).colour()).isFalse();
  }
}
