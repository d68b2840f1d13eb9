package rdpdoctor.diagnosis.yaml;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists this module's own resources in one folder, so that a rule is added by adding a file and
 * nothing else. The build (maven-antrun-plugin in diagnosis/pom.xml) writes {@code index.txt}
 * into each such folder with the file names it holds; reading that index needs no directory
 * listing, no jar or URL handling, and works the same from the class folder and the jar.
 */
public final class ResourceFiles {
  private ResourceFiles() {}

  /**
   * The resource names under {@code folder} (such as {@code rdpdoctor/rules/}) that end with
   * {@code suffix}, sorted, as full resource names.
   */
  public static List<String> list(String folder, String suffix) {
    List<String> out = new ArrayList<>();
    try (InputStream in = open(folder + "index.txt");
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        String name = line.strip();
        if (name.endsWith(suffix) && !name.contains("/") && !name.contains("\\")) {
          out.add(folder + name);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder + " (index.txt is written by the build: run ./test or mvn package)", e);
    }
    out.sort(null);
    return out;
  }

  /** Opens one of this module's resources. */
  public static InputStream open(String name) throws IOException {
    InputStream in = ResourceFiles.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IOException("resource not found: " + name);
    }
    return in;
  }
}
