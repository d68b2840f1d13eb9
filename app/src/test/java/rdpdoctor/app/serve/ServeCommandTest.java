package rdpdoctor.app.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.app.CliRun;
import rdpdoctor.app.ExitCodes;

/** {@code rdpdoctor serve}'s refusals, through the real command line (none of these starts a server). */
class ServeCommandTest {
  @TempDir Path dir;

  @Test
  void aNonLoopbackListenWithoutATokenIsRefusedWithWhatToDo() {
    CliRun r = CliRun.run("serve", "--listen", "0.0.0.0:0", "--db", "jdbc:sqlite:" + dir.resolve("s.db"));
    assertThat(r.exit()).isEqualTo(ExitCodes.IO);
    assertThat(r.err()).contains("refusing to listen on 0.0.0.0:0 without an access token", "set tokenFile in the config");
  }

  @Test
  void badOptionsAndConfigsNameWhatIsWrong() throws Exception {
    assertThat(CliRun.run("serve", "--listen", "localhost:9389").err()).contains("give an address, not a name");
    Path config = dir.resolve("serve.yaml");
    Files.writeString(config, "allow: [corp.example]\n");
    CliRun r = CliRun.run("serve", "--config", config.toString(), "--db", "jdbc:sqlite:" + dir.resolve("s.db"));
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("allow: 'corp.example' is a host name");
    CliRun pw = CliRun.run("serve", "--listen", "127.0.0.1:0", "--db", "jdbc:postgresql://127.0.0.1/x?user=a&password=b");
    assertThat(pw.exit()).isEqualTo(ExitCodes.IO);
    assertThat(pw.err()).contains("holds a password").doesNotContain("password=b");
  }
}
