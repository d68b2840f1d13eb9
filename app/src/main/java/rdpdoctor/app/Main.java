package rdpdoctor.app;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code rdpdoctor} command. Subcommands live in their own packages; this class only lists
 * them and maps failures to the documented exit codes.
 */
@Command(
    name = "rdpdoctor",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Diagnoses Remote Desktop (RDP) connection failures with evidence:",
      "decodes the codes you have, probes the host the way a client does,",
      "reads what Windows logged, and names the cause with proof and a safe fix."
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  done; for diagnose/analyze: no cause found",
      "  1  diagnose/analyze/probe/hive check: a cause or a problem was found",
      "  2  the input or the command line was not understood",
      "  3  a file or the network could not be read",
      "  4  internal error (please report it)",
      "",
      "Colour is used only on a terminal, never when NO_COLOR is set."
    },
    // One line per command, in the order --help lists them.
    subcommands = {
      rdpdoctor.app.explain.ExplainCommand.class,
      rdpdoctor.app.probe.ProbeCommand.class,
      rdpdoctor.app.diagnose.DiagnoseCommand.class,
      rdpdoctor.app.diagnose.AnalyzeCommand.class,
      rdpdoctor.app.fix.FixCommand.class,
      rdpdoctor.app.collect.CollectCommand.class,
      rdpdoctor.app.evtx.EvtxCommand.class,
      rdpdoctor.app.hive.HiveCommand.class,
      AutoComplete.GenerateCompletion.class,
    })
public final class Main {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code, without exiting: tests call this. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** Runs with the given output streams (null keeps the default), for tests that read the output. */
  public static int run(
      java.io.@org.jspecify.annotations.Nullable PrintWriter out,
      java.io.@org.jspecify.annotations.Nullable PrintWriter err,
      String... args) {
    CommandLine cli = commandLine();
    if (out != null) {
      cli.setOut(out);
    }
    if (err != null) {
      cli.setErr(err);
    }
    return cli.execute(args);
  }

  /** The configured command line, for tests that capture its output streams. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(new ErrorHandler());
    cli.setExitCodeExceptionMapper(ErrorHandler::exitCode);
    cli.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
    return cli;
  }

  /** Reads the version Maven wrote into the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {
        "rdpdoctor " + (v == null ? "(development build)" : v),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
      };
    }
  }
}
