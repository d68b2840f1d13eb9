package rdpdoctor.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

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
  void aRunBuildsOnlyTheSubcommandItRuns() {
    CommandLine hive = Main.commandLine(new String[] {"hive", "check", "x"});
    assertThat(hive.getSubcommands()).containsOnlyKeys("hive");
    assertThat(hive.getSubcommands().get("hive").getSubcommands()).containsOnlyKeys("check");
    assertThat(Main.commandLine(new String[] {"hive", "--help"}).getSubcommands().get("hive").getSubcommands())
        .containsOnlyKeys("check", "dump", "rdp");
    assertThat(Main.commandLine(new String[] {"--help"}).getSubcommands()).hasSize(Main.COMMANDS.size());
    assertThat(Main.commandLine(new String[] {"no-such-command"}).getSubcommands()).hasSize(Main.COMMANDS.size());
    CommandLine completion = Main.commandLine(new String[] {"generate-completion"});
    assertThat(completion.getSubcommands()).hasSize(Main.COMMANDS.size());
    assertThat(completion.getSubcommands().get("evtx").getSubcommands()).containsOnlyKeys("dump", "stats");
  }

  @Test
  void helpListsEveryCommandInOrder() {
    java.io.StringWriter out = new java.io.StringWriter();
    assertThat(Main.run(new java.io.PrintWriter(out), null, "--help")).isZero();
    assertThat(out.toString()).containsSubsequence("explain", "probe", "diagnose", "analyze", "fix",
        "collect", "evtx", "hive", "generate-completion");
  }

  @Test
  void colourOnlyOnATerminalWithoutNoColor() {
    assertThat(Style.detect(Map.of(), true).colour()).isTrue();
    assertThat(Style.detect(Map.of(), false).colour()).isFalse();
    assertThat(Style.detect(Map.of("NO_COLOR", ""), true).colour()).isFalse();
    assertThat(Style.detect(Map.of("TERM", "dumb"), true).colour()).isFalse();
  }

  /**
   * The launcher names each command's class-data archive by its command path, from its own list
   * of command words: a command missing there would share the "other" archive, loaded with
   * classes it does not need at every start. The list must follow Main's.
   */
  @Test
  void theLauncherKnowsEveryCommandPath() throws java.io.IOException {
    String launcher = java.nio.file.Files.readString(
        CliRun.projectRoot().resolve("rdpdoctor"));
    for (Class<?> c : Main.COMMANDS) {
      String name = c.getAnnotation(CommandLine.Command.class).name();
      if (!name.equals("generate-completion")) {
        assertThat(launcher).as("./rdpdoctor's command words").containsPattern("[ |]other:" + name + "[|)]");
      }
      for (Class<?> sub : Main.NESTED.getOrDefault(c, java.util.List.of())) {
        String word = sub.getAnnotation(CommandLine.Command.class).name();
        assertThat(launcher).containsPattern("[ |]" + name + ":" + word + "[|)]");
      }
    }
  }
}
