package rdpdoctor.evidence.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import rdpdoctor.evidence.even6.SharedCorpus;

/**
 * Finds ../shared/corpus/registry beside the project, whatever the working directory (Maven runs a
 * module's tests inside the module folder), and skips a test visibly when it is not there.
 */
public final class RegistryCorpus {
  private RegistryCorpus() {}

  /** The corpus folder, or null when no parent folder has {@code shared/corpus/registry}. */
  public static @Nullable Path dirOrNull() {
    return SharedCorpus.find("registry");
  }

  /** {@code name} inside the corpus; the calling test is skipped when it is missing. */
  public static Path file(String name) {
    return SharedCorpus.file("registry", name);
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
