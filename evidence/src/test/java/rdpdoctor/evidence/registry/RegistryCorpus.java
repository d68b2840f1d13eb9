package rdpdoctor.evidence.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds ../shared/corpus/registry beside the project, whatever the working directory (Maven runs a
 * module's tests inside the module folder), and skips a test visibly when it is not there.
 */
public final class RegistryCorpus {
  private RegistryCorpus() {}

  /** The corpus folder, or null when no parent folder has {@code shared/corpus/registry}. */
  public static Path dirOrNull() {
    Path p = Path.of("").toAbsolutePath();
    for (; p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared").resolve("corpus").resolve("registry");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** {@code name} inside the corpus; the calling test is skipped when it is missing. */
  public static Path file(String name) {
    Path dir = dirOrNull();
    Assumptions.assumeTrue(dir != null, "../shared/corpus/registry missing: corpus tests skipped");
    Path f = dir.resolve(name);
    Assumptions.assumeTrue(Files.exists(f), "../shared/corpus/registry/" + name + " missing");
    return f;
  }

  /** True when {@code command} runs (used to skip peer comparisons visibly). */
  public static boolean hasCommand(String command) {
    try {
      Process p = new ProcessBuilder(command, "-V").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException(e));
    }
  }
}
