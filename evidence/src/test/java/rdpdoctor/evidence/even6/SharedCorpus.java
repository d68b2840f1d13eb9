package rdpdoctor.evidence.even6;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** Finds ../shared/corpus beside the project, whatever module directory the tests run in. */
public final class SharedCorpus {
  private SharedCorpus() {}

  /** The corpus folder {@code sub} (e.g. "evtx"), or null when there is no ../shared/corpus. */
  public static @Nullable Path find(String sub) {
    Path dir = Path.of("").toAbsolutePath();
    for (int i = 0; i < 5 && dir != null; i++) {
      Path p = dir.resolve("shared").resolve("corpus").resolve(sub);
      if (Files.isDirectory(p)) {
        return p;
      }
      Path beside = dir.resolveSibling("shared").resolve("corpus").resolve(sub);
      if (dir.getParent() != null && Files.isDirectory(beside)) {
        return beside;
      }
      dir = dir.getParent();
    }
    return null;
  }
}
