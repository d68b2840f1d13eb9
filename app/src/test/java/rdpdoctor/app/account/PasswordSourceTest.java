package rdpdoctor.app.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import rdpdoctor.app.UserError;

class PasswordSourceTest {
  static final String SECRET = "Zx9-Quill-Ember-4417!";

  @TempDir Path dir;

  PasswordSource source(Map<String, String> env, char[] typed) {
    return new PasswordSource(env, fd -> dir.resolve("fd" + fd), p -> typed);
  }

  @Test
  void environmentVariable() {
    assertThat(source(Map.of("PW", SECRET), null).read("PW", null, "CORP\\a")).containsExactly(SECRET.toCharArray());
  }

  @Test
  void missingVariableSaysWhatToDoWithoutAValue() {
    assertThatThrownBy(() -> source(Map.of(), null).read("PW", null, "CORP\\a"))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("--password-env PW: the variable is not set");
  }

  @Test
  void descriptorReadsTheFirstLineAsUtf8() throws Exception {
    Files.write(dir.resolve("fd3"), (SECRET + "é\r\nsecond line").getBytes(StandardCharsets.UTF_8));
    assertThat(new String(source(Map.of(), null).read(null, 3, "a"))).isEqualTo(SECRET + "é");
  }

  @Test
  void emptyPasswordFromADescriptorIsAllowed() throws Exception {
    Files.write(dir.resolve("fd4"), new byte[] {'\n'});
    assertThat(source(Map.of(), null).read(null, 4, "a")).isEmpty();
  }

  @Test
  void unreadableDescriptorIsExplained() {
    assertThatThrownBy(() -> source(Map.of(), null).read(null, 9, "a"))
        .hasMessageContaining("--password-fd 9: cannot read that descriptor");
  }

  @Test
  void noTerminalPointsToTheOtherSources() {
    assertThatThrownBy(() -> source(Map.of(), null).read(null, null, "CORP\\a"))
        .hasMessageContaining("no terminal to ask for the password of CORP\\a; use --password-env NAME or --password-fd N");
  }

  @Test
  void promptIsUsedByDefault() {
    assertThat(source(Map.of(), SECRET.toCharArray()).read(null, null, "a")).containsExactly(SECRET.toCharArray());
  }

  @Test
  void passwordOnTheCommandLineIsRefusedWithoutEchoingIt() {
    AccountOptions o = new AccountOptions();
    new CommandLine(o).parseArgs("--user", "CORP\\alice", "--password", SECRET);
    assertThatThrownBy(() -> o.credentials(source(Map.of(), null)))
        .isInstanceOf(UserError.class)
        .hasMessageStartingWith("a password on the command line is refused")
        .hasMessageNotContaining(SECRET);
    AccountOptions eq = new AccountOptions();
    new CommandLine(eq).parseArgs("--user", "CORP\\alice", "--password=" + SECRET);
    assertThatThrownBy(() -> eq.credentials(source(Map.of(), null))).hasMessageNotContaining(SECRET);
  }

  @Test
  void sourcesNeedAUser() {
    AccountOptions o = new AccountOptions();
    new CommandLine(o).parseArgs("--password-env", "PW");
    assertThatThrownBy(() -> o.credentials(source(Map.of("PW", SECRET), null)))
        .hasMessage("--password-env and --password-fd need --user DOMAIN\\name");
  }

  @Test
  void credentialsAreTheAccountsHashNotItsPassword() {
    AccountOptions o = new AccountOptions();
    new CommandLine(o).parseArgs("--user", "CORP\\alice", "--password-env", "PW");
    var creds = o.credentials(source(Map.of("PW", SECRET), null));
    assertThat(creds).isNotNull();
    assertThat(o.user()).isEqualTo("CORP\\alice");
    assertThat(creds.toString()).doesNotContain(SECRET);
  }
}
