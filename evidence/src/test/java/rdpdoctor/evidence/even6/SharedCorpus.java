package rdpdoctor.evidence.even6;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/** Finds ../shared/corpus beside the project, whatever module directory the tests run in. */
public final class SharedCorpus {
  private SharedCorpus() {}

  /** The corpus folder {@code sub} (e.g. "evtx"), or null when there is no ../shared/corpus. */
  public static @Nullable Path find(String sub) {
    // Each ancestor's own "shared" covers the worktree-sibling layout too (the sibling of a module
    // folder's parent is its grandparent's child).
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path p = dir.resolve("shared").resolve("corpus").resolve(sub);
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    return null;
  }

  /** {@code sub/name} inside the corpus; the calling test is skipped, saying what is missing, without it. */
  public static Path file(String sub, String name) {
    Path dir = find(sub);
    Assumptions.assumeTrue(dir != null, "../shared/corpus/" + sub + " missing: corpus tests skipped");
    Path f = dir.resolve(name);
    Assumptions.assumeTrue(Files.exists(f), "../shared/corpus/" + sub + "/" + name + " missing");
    return f;
  }
}
