package rdpdoctor.diagnosis.yaml;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Lists this module's own resources in one folder, so that a rule is added by adding a file and
 * nothing else (no index to keep in step). Works from the build's class folder and from the jar.
 */
public final class ResourceFiles {
  private ResourceFiles() {}

  /**
   * The resource names under {@code folder} (such as {@code rdpdoctor/rules/}) that end with
   * {@code suffix}, sorted, as full resource names.
   */
  public static List<String> list(String folder, String suffix) {
    URL self = ResourceFiles.class.getResource("ResourceFiles.class");
    List<String> out = new ArrayList<>();
    try {
      if (self != null && "jar".equals(self.getProtocol())) {
        URLConnection c = self.openConnection();
        c.setUseCaches(false); // our own JarFile, so closing it cannot close the class loader's
        try (JarFile jar = ((JarURLConnection) c).getJarFile()) {
          for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
            String n = e.nextElement().getName();
            if (n.startsWith(folder) && n.endsWith(suffix) && n.indexOf('/', folder.length()) < 0) {
              out.add(n);
            }
          }
        }
      } else {
        URL dir = ResourceFiles.class.getClassLoader().getResource(folder);
        if (dir == null) {
          return List.of();
        }
        // A file: URL to a folder reads as its list of names, one per line.
        try (InputStream in = dir.openStream();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            if (line.endsWith(suffix)) {
              out.add(folder + line);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list resources in " + folder, e);
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
