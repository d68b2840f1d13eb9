package rdpdoctor.app.diagnose;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import rdpdoctor.app.Main;

/** Runs the command line in-process and keeps what it printed. */
record Cli(int exit, String out, String err) {
  static Cli run(String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int rc = Main.run(new PrintWriter(o, true), new PrintWriter(e, true), args);
    return new Cli(rc, o.toString(), e.toString());
  }

  /** ../shared/corpus beside the project, found by walking up from the working directory. */
  static @Nullable Path corpus() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path c = p.resolve("shared").resolve("corpus");
      if (Files.isDirectory(c)) {
        return c;
      }
    }
    return null;
  }
}
