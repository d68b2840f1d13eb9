package rdpdoctor.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Test;
import rdpdoctor.app.collect.CollectCommand;
import rdpdoctor.diagnosis.fix.FixCatalog;
import rdpdoctor.diagnosis.fix.FixScript;
import rdpdoctor.diagnosis.fix.FixSnippet;

/**
 * Every line of PowerShell the project emits or ships, read by a real PowerShell grammar
 * (tree-sitter-powershell under Node.js, {@code scripts/pscheck}) plus the checks a grammar cannot
 * make: backtick escapes in single-quoted strings, evidence values outside single-quoted literals,
 * strict mode and the error preference before a change, elevation-needing commands behind the
 * elevation check. The planted cases show each check can fail.
 */
class PowerShellCheckTest {
  /** A value of the right form for each fix parameter: every snippet is scripted with its parameters. */
  private static final Map<String, String> SAMPLE = Map.of(
      "Sid", "S-1-5-21-3623811015-3361044348-30300820-1013",
      "Thumbprint", "3A1F6C0E9B2D4F7A8C5E1B3D6F9A2C4E7B0D1F3A");
  private static final String COMPUTER = "HOST01";
  /** The undo text the fix script keeps in a here-string and writes to undo-stepN-ID.ps1 at -Apply. */
  private static final Pattern UNDO = Pattern.compile(
      "\\$undoText = @'\\n(.*?)\\n'@\\nSet-Content -Encoding UTF8 -Path \\(Join-Path \\$BackupDir '(undo-step\\d+-[a-z0-9-]+\\.ps1)'\\)",
      Pattern.DOTALL);

  /** The scripts checked, kept under target/ so a failure can be read (and re-checked by hand). */
  private Path dir;

  @BeforeEach
  void folder(TestInfo test) throws IOException {
    dir = Path.of("target", "pscheck", test.getTestMethod().orElseThrow().getName()).toAbsolutePath();
    if (Files.isDirectory(dir)) {
      try (var old = Files.list(dir)) {
        for (Path p : old.toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(dir);
  }

  record Check(int exit, String output) {
    List<String> problems() {
      return output.lines().filter(l -> !l.contains(": ignored: ")).toList();
    }
  }

  /** Runs scripts/pscheck on {@code files}; skips, naming what is missing, without Node.js or its packages. */
  static Check pscheck(List<Path> files, List<String> evidence, Path tmp) throws IOException, InterruptedException {
    Path checker = CliRun.projectRoot().resolve("scripts/pscheck");
    Path node = onPath("node");
    Assumptions.assumeTrue(node != null,
        "node missing: the PowerShell parse check needs Node.js 20+ on PATH (apt-get install nodejs; .ci/run has it)");
    Assumptions.assumeTrue(Files.isDirectory(checker.resolve("node_modules/tree-sitter-powershell")),
        "scripts/pscheck/node_modules missing: run 'npm ci --ignore-scripts' in scripts/pscheck (.ci/run does)");
    List<String> cmd = new ArrayList<>(List.of(node.toString(), checker.resolve("pscheck.mjs").toString()));
    if (!evidence.isEmpty()) {
      Path values = tmp.resolve("evidence-values.txt");
      Files.write(values, evidence, StandardCharsets.UTF_8);
      cmd.addAll(List.of("--evidence", values.toString()));
    }
    files.forEach(f -> cmd.add(f.toString()));
    Path out = tmp.resolve("pscheck-output.txt");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("pscheck did not finish in 120 s");
    }
    return new Check(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  static Path onPath(String program) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(d.isEmpty() ? "." : d, program);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  private static FixScript.Request request(FixSnippet s) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, Pattern> p : s.parameters().entrySet()) {
      String v = SAMPLE.get(p.getKey());
      assertThat(v).as("fix " + s.id() + " has parameter " + p.getKey() + ": add a sample value to SAMPLE").isNotNull();
      assertThat(p.getValue().matcher(v).matches()).as("sample " + p.getKey() + " matches " + s.id() + "'s pattern").isTrue();
      values.put(p.getKey(), v);
    }
    return new FixScript.Request("finding-for-" + s.id(), s.id(), values);
  }

  @Test
  void everyEmittedAndShippedScriptParsesAndPassesTheChecks() throws Exception {
    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    List<Path> files = new ArrayList<>();
    files.add(write("collect.ps1", CollectCommand.script()));
    files.add(Files.copy(CliRun.projectRoot().resolve("rdpdoctor.ps1"), dir.resolve("rdpdoctor.ps1")));
    List<FixScript.Request> all = new ArrayList<>();
    for (FixSnippet s : FixCatalog.builtIn().all().values()) {
      FixScript.Request r = request(s);
      all.add(r);
      // Alone, with and without the computer guard: each snippet's steps in a script of their own.
      files.add(write("fix-" + s.id() + ".ps1", FixScript.build(List.of(r), FixCatalog.builtIn(), at, COMPUTER).script()));
      files.add(write("fix-" + s.id() + "-anywhere.ps1", FixScript.build(List.of(r), FixCatalog.builtIn(), at, null).script()));
    }
    FixScript.Result every = FixScript.build(all, FixCatalog.builtIn(), at, COMPUTER);
    assertThat(every.included()).hasSize(FixCatalog.builtIn().all().size());
    files.add(write("fix-all.ps1", every.script()));
    files.add(write("fix-none.ps1", FixScript.build(List.of(), FixCatalog.builtIn(), at, null).script()));
    // The undo scripts as -Apply writes them: the backup folder's line, then the here-string's text.
    Matcher m = UNDO.matcher(every.script());
    int undo = 0;
    while (m.find()) {
      undo++;
      files.add(write(m.group(2), "$BackupDir = 'C:\\ProgramData\\rdpdoctor\\backup-20260101-000000'\r\n" + m.group(1)));
    }
    assertThat(undo).as("undo scripts found in fix-all.ps1").isEqualTo(every.included().size());

    List<String> evidence = new ArrayList<>(SAMPLE.values());
    evidence.add(COMPUTER);
    Check c = pscheck(files, evidence, dir);
    assertThat(c.problems()).as("pscheck over %d scripts:%n%s", files.size(), c.output()).isEmpty();
    assertThat(c.exit()).as(c.output()).isZero();
  }

  @Test
  void aPlantedSyntaxErrorFailsWithItsLineAndColumn() throws Exception {
    String collect = CollectCommand.script();
    // Drop the closing brace of the first function: the grammar must see the script is broken.
    int close = collect.indexOf("\n}\n", collect.indexOf("function Add-BundleItem"));
    Path broken = write("collect-broken.ps1", collect.substring(0, close + 1) + collect.substring(close + 3));
    Check c = pscheck(List.of(broken), List.of(), dir);
    assertThat(c.exit()).as(c.output()).isEqualTo(1);
    assertThat(c.problems()).as(c.output()).anyMatch(l -> l.matches(".*collect-broken\\.ps1:\\d+:\\d+: syntax: (ERROR|MISSING).*"));

    Path paren = write("paren.ps1", "Set-StrictMode -Version 2\nWrite-Host 'ok'\nif ($x -eq 1 { Write-Host 'one' }\n");
    Check p = pscheck(List.of(paren), List.of(), dir);
    assertThat(p.exit()).isEqualTo(1);
    assertThat(p.problems()).as(p.output()).anyMatch(l -> l.contains("paren.ps1:3:"));
  }

  @Test
  void aPlantedBacktickEscapeInASingleQuotedStringFails() throws Exception {
    Path s = write("escape.ps1", "$line = \"a`tb\"\n$bad = '{0}`t{1}' -f 'x', 'y'\n");
    Check c = pscheck(List.of(s), List.of(), dir);
    assertThat(c.exit()).isEqualTo(1);
    assertThat(c.problems()).as(c.output()).singleElement().asString()
        .startsWith(s + ":2:8: escape: `t inside the single-quoted string");
  }

  @Test
  void evidenceOutsideASingleQuotedLiteralFails() throws Exception {
    String sid = SAMPLE.get("Sid");
    Path s = write("evidence.ps1", "# for " + sid + "\n$Sid = '" + sid + "'\nWrite-Host \"user " + sid + "\"\n");
    Check c = pscheck(List.of(s), List.of(sid), dir);
    assertThat(c.exit()).isEqualTo(1);
    assertThat(c.problems()).as(c.output()).singleElement().asString().startsWith(s + ":3:").contains(": evidence: ");
  }

  @Test
  void aChangeWithoutStrictModeOrElevationCheckFails() throws Exception {
    Path bare = write("bare.ps1", "$root = 'HKLM:\\SOFTWARE\\Example'\nRemove-Item \"$root\\$Sid\" -Recurse\nRestart-Service TermService\n");
    Check c = pscheck(List.of(bare), List.of(), dir);
    assertThat(c.exit()).isEqualTo(1);
    assertThat(c.problems()).as(c.output()).anyMatch(l -> l.startsWith(bare + ":2:1: strict: "))
        .anyMatch(l -> l.startsWith(bare + ":2:1: elevation: ")).anyMatch(l -> l.startsWith(bare + ":3:1: elevation: "));

    Path guarded = write("guarded.ps1", "Set-StrictMode -Version 2\n$ErrorActionPreference = 'Stop'\n"
        + "$id = [Security.Principal.WindowsIdentity]::GetCurrent()\n"
        + "if (-not (New-Object Security.Principal.WindowsPrincipal $id).IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) { exit 1 }\n"
        + "Restart-Service TermService\n");
    Check g = pscheck(List.of(guarded), List.of(), dir);
    assertThat(g.problems()).as(g.output()).isEmpty();
  }

  @Test
  void aChangeBeforeTheApplyGateFails() throws Exception {
    Path early = write("dry-run.ps1", "param([switch]$Apply)\nSet-StrictMode -Version 2\n$ErrorActionPreference = 'Stop'\n"
        + "icacls.exe 'C:\\x'\nSet-ItemProperty 'HKCU:\\Software\\x' -Name a -Value 1\nif (-not $Apply) { return }\n"
        + "Set-ItemProperty 'HKCU:\\Software\\x' -Name a -Value 2\n");
    Check c = pscheck(List.of(early), List.of(), dir);
    assertThat(c.exit()).isEqualTo(1);
    // icacls with only a path shows the ACL; the first Set-ItemProperty runs in a dry run, the second does not.
    assertThat(c.problems()).as(c.output()).singleElement().asString().startsWith(early + ":5:1: dry-run: ");
  }

  @Test
  void theListedGrammarFalsePositiveIsShownButDoesNotFail() throws Exception {
    // Valid PowerShell (a bare-word list is one array argument) that tree-sitter-powershell 0.26.4
    // reads as an error; a real error on the same line still fails.
    Path fp = write("false-positive.ps1", "Write-Output x, y\n");
    Check c = pscheck(List.of(fp), List.of(), dir);
    assertThat(c.exit()).as(c.output()).isZero();
    assertThat(c.output()).contains(fp + ":1:", ": ignored: grammar false positive \"bare-word list argument\"");
    Path both = write("false-positive-and-error.ps1", "Write-Output x, y (\n");
    assertThat(pscheck(List.of(both), List.of(), dir).exit()).isEqualTo(1);
  }
}
