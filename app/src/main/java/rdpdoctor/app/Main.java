package rdpdoctor.app;

import java.util.List;
import java.util.Map;
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
      "  1  diagnose/analyze/probe/hive check: a cause or a problem was found; evtx: records were lost",
      "  2  the input or the command line was not understood",
      "  3  a file or the network could not be read",
      "  4  internal error (please report it)",
      "",
      "Colour is used only on a terminal, never when NO_COLOR is set."
    })
// The subcommands are in COMMANDS below: commandLine(args) registers only the one it runs.
public final class Main {

  /**
   * The subcommands, one line each, in the order --help lists them. Building picocli's model of a
   * command (reflection over its annotated fields) is most of picocli's start-up, so a run builds
   * only the command it runs; --help, completion and unknown words get all of them.
   */
  static final List<Class<?>> COMMANDS = List.of(
      rdpdoctor.app.explain.ExplainCommand.class,
      rdpdoctor.app.probe.ProbeCommand.class,
      rdpdoctor.app.gateway.GatewayCommand.class,
      rdpdoctor.app.scan.ScanCommand.class,
      rdpdoctor.app.scan.HistoryCommand.class,
      rdpdoctor.app.scan.DiffCommand.class,
      rdpdoctor.app.serve.ServeCommand.class,
      rdpdoctor.app.diagnose.DiagnoseCommand.class,
      rdpdoctor.app.diagnose.AnalyzeCommand.class,
      rdpdoctor.app.timeline.TimelineCommand.class,
      rdpdoctor.app.fix.FixCommand.class,
      rdpdoctor.app.collect.CollectCommand.class,
      rdpdoctor.app.evtx.EvtxCommand.class,
      rdpdoctor.app.hive.HiveCommand.class,
      AutoComplete.GenerateCompletion.class);

  /** Commands with subcommands of their own: those are built the same way, only the one run. */
  static final Map<Class<?>, List<Class<?>>> NESTED = Map.of(
      rdpdoctor.app.evtx.EvtxCommand.class, rdpdoctor.app.evtx.EvtxCommand.SUBCOMMANDS,
      rdpdoctor.app.hive.HiveCommand.class, rdpdoctor.app.hive.HiveCommand.SUBCOMMANDS);

  public static void main(String[] args) {
    int code = run(args);
    // Runtime.exit first asks for a System.Logger to log the exit: a service-loader scan of the
    // class path and the java.util.logging set-up, 8-10 ms measured, as much as reading a 12 MB
    // hive. Exit code 0 needs no exit call: returning ends the JVM the same way (shutdown hooks
    // run), as long as no other non-daemon thread is left, and the project starts none.
    if (code != 0 || otherNonDaemonThreads()) {
      System.exit(code);
    }
  }

  private static boolean otherNonDaemonThreads() {
    Thread[] threads = new Thread[Thread.activeCount() + 16];
    int n = Thread.enumerate(threads);
    for (int i = 0; i < n; i++) {
      if (threads[i] != Thread.currentThread() && !threads[i].isDaemon()) {
        return true;
      }
    }
    return false;
  }

  /** Runs the command line and returns the exit code, without exiting: tests call this. */
  public static int run(String... args) {
    return commandLine(args).execute(args);
  }

  /** Runs with the given output streams (null keeps the default), for tests that read the output. */
  public static int run(
      java.io.@org.jspecify.annotations.Nullable PrintWriter out,
      java.io.@org.jspecify.annotations.Nullable PrintWriter err,
      String... args) {
    CommandLine cli = commandLine(args);
    if (out != null) {
      cli.setOut(out);
    }
    if (err != null) {
      cli.setErr(err);
    }
    return cli.execute(args);
  }

  /** The configured command line with every subcommand, for tests that capture its output streams. */
  public static CommandLine commandLine() {
    return commandLine(new String[0]);
  }

  /**
   * The configured command line for {@code args}: when they start with a subcommand's name (after
   * options), only that subcommand is built; otherwise all are.
   */
  static CommandLine commandLine(String[] args) {
    // picocli's default factory first looks for Groovy's Closure class on the whole class path,
    // which opens lib/rdpdoctor-libraries.jar (13 ms to read its 10,800-entry directory) in a run
    // that needs nothing from it. rdpdoctor has no Groovy, so the lookup is switched off.
    System.setProperty("picocli.disable.closures", "true");
    // Every CommandLine (one per command level) registers converters for java.time and java.sql
    // types by reflection (Class.forName, getDeclaredMethod: 3-4 ms per run measured). No option
    // here has such a type: times and durations are Strings that the commands parse themselves.
    System.setProperty("picocli.converters.excludes", "java\\.(sql|time)\\..*");
    CommandLine cli = new CommandLine(new Main());
    addChosen(cli, COMMANDS, args, 0);
    cli.setExecutionExceptionHandler(new ErrorHandler());
    cli.setExitCodeExceptionMapper(ErrorHandler::exitCode);
    CommandLine completion = cli.getSubcommands().get("generate-completion");
    if (completion != null) {
      completion.getCommandSpec().usageMessage().hidden(false);
    }
    return cli;
  }

  /**
   * Adds to {@code parent} the one of {@code commands} that the first word of {@code args} from
   * {@code from} on names (and, below it, its chosen subcommand), or all of them when that word
   * names none: --help and the error for an unknown word list every command. Completion describes
   * the whole tree, so it gets every command too.
   */
  private static void addChosen(CommandLine parent, List<Class<?>> commands, String[] args, int from) {
    int at = from;
    while (at < args.length && args[at].startsWith("-")) {
      at++;
    }
    String word = at < args.length ? args[at] : null;
    boolean known = commands.stream().anyMatch(c -> name(c).equals(word));
    boolean all = !known || "generate-completion".equals(word);
    for (Class<?> c : commands) {
      if (all || name(c).equals(word)) {
        CommandLine sub = new CommandLine(c);
        List<Class<?>> children = NESTED.getOrDefault(c, List.of());
        if (!children.isEmpty()) {
          addChosen(sub, children, args, all ? args.length : at + 1);
        }
        parent.addSubcommand(sub);
      }
    }
  }

  private static String name(Class<?> command) {
    return command.getAnnotation(Command.class).name();
  }

  /**
   * Reads the version Maven wrote into the jar manifest. Public, so that picocli's factory
   * constructs it directly instead of after a failed access (an exception on every run).
   */
  public static final class Version implements CommandLine.IVersionProvider {
    public Version() {}

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
