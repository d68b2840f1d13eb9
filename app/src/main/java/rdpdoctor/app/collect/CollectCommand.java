package rdpdoctor.app.collect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.Json;
import rdpdoctor.app.UserError;

/**
 * {@code rdpdoctor collect}: gathers a bundle on Windows by running the same read-only PowerShell
 * script that {@code --powershell} prints, so the two can never differ.
 */
@Command(
    name = "collect",
    mixinStandardHelpOptions = true,
    description = {
      "Gathers the evidence for an RDP failure on this Windows machine into a zip bundle with a",
      "manifest: registry hives and RDP keys, RDP event logs, the Remote Desktop certificates,",
      "CBS.log, and the install-context checks. Read-only. Analyse the bundle with 'rdpdoctor analyze'.",
      "On a machine without Java, or not on Windows: --powershell prints the same collector as a script."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  rdpdoctor collect                          (on Windows; elevated for hives and Security)",
      "  rdpdoctor collect -o C:\\temp\\host01.zip --days 30",
      "  rdpdoctor collect --powershell > collect.ps1",
      "     then on the Windows machine: powershell -ExecutionPolicy Bypass -File collect.ps1",
      "",
      "Exit codes: 0 bundle written (or script printed), 2 not on Windows without --powershell, 3 the collector failed."
    })
public final class CollectCommand implements Callable<Integer> {
  static final String SCRIPT = "rdpdoctor/collect/collect.ps1";

  @Option(names = "--powershell", description = "print the read-only PowerShell collector instead of running it")
  boolean powershell;

  @Option(names = {"-o", "--output"}, paramLabel = "ZIP", description = "where to write the bundle (default: rdpdoctor-bundle-COMPUTER-TIME.zip here)")
  @Nullable Path output;

  @Option(names = "--days", defaultValue = "14", description = "how many days of event logs (default: ${DEFAULT-VALUE})")
  int days;

  @Option(names = "--json", description = "with --powershell: print {\"script\": ...} as JSON")
  boolean json;

  @Spec CommandSpec spec;

  /** The collector script shipped in the jar. */
  public static String script() throws IOException {
    try (InputStream in = CollectCommand.class.getClassLoader().getResourceAsStream(SCRIPT)) {
      if (in == null) {
        throw new IOException("collector script missing from the build: " + SCRIPT);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (days < 1 || days > 365) {
      throw new UserError(ExitCodes.USAGE, "--days must be between 1 and 365, not " + days);
    }
    if (powershell) {
      String s = script();
      if (json) {
        spec.commandLine().getOut().println(Json.MAPPER.writeValueAsString(java.util.Map.of("script", s)));
      } else {
        spec.commandLine().getOut().print(s);
      }
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
      throw new UserError(ExitCodes.USAGE, "collect gathers evidence on Windows, and this is "
          + System.getProperty("os.name") + "; run 'rdpdoctor collect --powershell > collect.ps1', run that script "
          + "on the Windows machine, then 'rdpdoctor analyze' the bundle it writes");
    }
    Path tmp = Files.createTempFile("rdpdoctor-collect-", ".ps1");
    try {
      Files.writeString(tmp, "\uFEFF" + script(), StandardCharsets.UTF_8);
      List<String> cmd = new java.util.ArrayList<>(List.of("powershell.exe", "-NoProfile", "-ExecutionPolicy", "Bypass",
          "-File", tmp.toString(), "-Days", Integer.toString(days)));
      if (output != null) {
        cmd.add("-OutFile");
        cmd.add(output.toAbsolutePath().toString());
      }
      Process p = new ProcessBuilder(cmd).inheritIO().start();
      int rc = p.waitFor();
      if (rc != 0) {
        throw new UserError(ExitCodes.IO, "the collector script failed with exit code " + rc + "; its output is above");
      }
      return ExitCodes.OK;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
