package rdpdoctor.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What can be checked of the Windows launchers without Windows (nothing here runs cmd.exe or
 * PowerShell; {@link PowerShellCheckTest} parses rdpdoctor.ps1 with a PowerShell grammar): the
 * batch file's line endings and blocks, the encodings Windows PowerShell 5.1 reads, and the choices
 * the issue asked for (a JRE is enough in a release, -DskipTests, the winget line).
 */
class WindowsLaunchersTest {
  private static final Path ROOT = CliRun.projectRoot();

  @Test
  void theBatchFileHasCrlfLinesBalancedBlocksAndPassesItsArgumentsAndExitCode() throws Exception {
    byte[] bytes = Files.readAllBytes(ROOT.resolve("rdpdoctor.cmd"));
    String text = new String(bytes, StandardCharsets.US_ASCII);
    assertThat(text).as("cmd.exe misreads labels and blocks in LF-only batch files (.gitattributes: *.cmd eol=crlf)")
        .endsWith("\r\n").doesNotContainPattern("(?<!\r)\n");
    int depth = 0;
    for (String line : text.split("\r\n")) {
      String code = line.strip();
      if (code.isEmpty() || code.regionMatches(true, 0, "rem ", 0, 4) || code.startsWith("::")) {
        continue;
      }
      // Inside a ( ... ) block a ")" in an echo ends the block early: only the block's own lines may hold one.
      if (depth > 0) {
        assertThat(code.equals(")") || !code.contains(")")).as("a ')' inside a block: " + code).isTrue();
      }
      depth += count(code, '(') - count(code, ')');
      assertThat(depth).as("blocks after: " + code).isBetween(0, 1);
    }
    assertThat(depth).as("every ( closed").isZero();
    assertThat(text).contains("-File \"%~dp0rdpdoctor.ps1\" %*\r\n").endsWith("exit /b %ERRORLEVEL%\r\n");
  }

  @Test
  void theLaunchersAreAsciiSoWindowsPowerShellReadsThemInAnyCodePage() throws Exception {
    for (String f : List.of("rdpdoctor.cmd", "rdpdoctor.ps1")) {
      byte[] b = Files.readAllBytes(ROOT.resolve(f));
      for (int i = 0; i < b.length; i++) {
        assertThat(b[i] & 0xFF).as(f + " byte " + i + " (a BOM-less script is read in the ANSI code page)").isLessThan(0x80);
      }
    }
  }

  @Test
  void thePowerShellLauncherRunsAReleaseWithAJreAndBuildsAClonesTestJars() throws Exception {
    String ps1 = Files.readString(ROOT.resolve("rdpdoctor.ps1"));
    // -Dmaven.test.skip=true skips making the test jars that modules depend on: a clone's first build fails.
    List<String> builds = ps1.lines().filter(l -> l.contains("& $mvn.Source")).toList();
    assertThat(builds).singleElement().asString().doesNotContain("maven.test.skip").contains("'-DskipTests' package");
    assertThat(ps1).contains("winget install $package", "'EclipseAdoptium.Temurin.21.JRE'", "'EclipseAdoptium.Temurin.21.JDK'");
    assertThat(ps1).contains("'Eclipse Adoptium'", "'Java'", "'Microsoft'", "'Zulu'", "$env:JAVA_HOME", "Get-Command java.exe");
    // A release is recognised the way ./rdpdoctor recognises it.
    String bash = Files.readString(ROOT.resolve("rdpdoctor"));
    assertThat(bash).contains("if [ -f \"$here/rdpdoctor.jar\" ] && [ ! -f \"$here/pom.xml\" ]; then");
    assertThat(ps1).contains("$release = (Test-Path -LiteralPath (Join-Path $here 'rdpdoctor.jar')) -and -not (Test-Path -LiteralPath (Join-Path $here 'pom.xml'))");
    assertThat(ps1).contains("$found = Find-Java (-not $release)");
  }

  private static int count(String s, char c) {
    return (int) s.chars().filter(x -> x == c).count();
  }
}
