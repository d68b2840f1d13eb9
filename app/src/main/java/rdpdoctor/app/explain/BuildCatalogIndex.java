package rdpdoctor.app.explain;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import rdpdoctor.diagnosis.catalog.CatalogIndex;

/**
 * Build step (Maven, process-classes of the app module): writes the code catalog's binary index
 * into the app's classes so the runnable jar carries it. Not part of the command line.
 */
public final class BuildCatalogIndex {
  private BuildCatalogIndex() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: BuildCatalogIndex <output file>");
    }
    Path out = Path.of(args[0]).toAbsolutePath();
    Files.createDirectories(out.getParent());
    // Write beside, then move: a failed build never leaves a half-written index in the jar.
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp))) {
      CatalogIndex.writeFromYaml(os);
    }
    Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
