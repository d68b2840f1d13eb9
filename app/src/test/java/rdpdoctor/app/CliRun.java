package rdpdoctor.app;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;

/**
 * Runs the real command line in-process (the same error handler and exit codes as {@link Main})
 * and keeps everything it printed: picocli's writers and {@code System.out}/{@code err}, which the
 * streaming commands (evtx dump) write to directly.
 */
public record CliRun(int exit, String out, String err) {

  /** Synchronized because {@code System.setOut} is process-wide. */
  public static synchronized CliRun run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream sysOut = new ByteArrayOutputStream();
    ByteArrayOutputStream sysErr = new ByteArrayOutputStream();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    try {
      System.setOut(new PrintStream(sysOut, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(sysErr, true, StandardCharsets.UTF_8));
      CommandLine cli = Main.commandLine();
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      int exit = cli.execute(args);
      return new CliRun(
          exit,
          out + sysOut.toString(StandardCharsets.UTF_8),
          err + sysErr.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  /** {@code shared/corpus} beside the project, found by walking up from the working directory. */
  public static @Nullable Path corpus() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path c = p.resolve("shared").resolve("corpus");
      if (Files.isDirectory(c)) {
        return c;
      }
    }
    return null;
  }

  /** The checkout's root folder (where docs/schema and the ./rdpdoctor launcher are). */
  public static Path projectRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("docs/schema/diagnosis-report-v1.schema.json"))) {
        return p;
      }
    }
    throw new IllegalStateException("project root with docs/schema not found");
  }
}
