// Build step (run by app/pom.xml after the shade plugin): gives lib/rdpdoctor-libraries.jar a
// manifest of its own, replacing the one the shade plugin copied from the first library it merged.
//
// Why: that first library is BouncyCastle's bctls, whose manifest is 140 KB of OSGi headers and a
// SHA-256 digest line per class (left over from its signature, which the merged jar no longer
// has). The JVM parses a jar's manifest when it first loads a class from it, so every probe,
// diagnose or --json run paid for it: about 10 ms measured against the same jar with a two-line
// manifest. The shade plugin keeps the first manifest it meets whatever its filters say.
//
//   java app/src/build/FreshLibraryManifest.java JAR
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

public class FreshLibraryManifest {
  /** BouncyCastle and Jackson keep classes for newer JDKs under META-INF/versions. */
  static final String MANIFEST = "Manifest-Version: 1.0\r\nMulti-Release: true\r\n"
      + "Created-By: rdpdoctor build (app/src/build/FreshLibraryManifest.java)\r\n\r\n";

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: java FreshLibraryManifest.java JAR");
      System.exit(2);
    }
    Path jar = Path.of(args[0]);
    Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
    try (ZipFile in = new ZipFile(jar.toFile());
         ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
      // The manifest first, as JarInputStream expects it.
      out.putNextEntry(new ZipEntry("META-INF/"));
      out.closeEntry();
      out.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
      out.write(MANIFEST.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
      Enumeration<? extends ZipEntry> entries = in.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        if (e.getName().equals("META-INF/") || e.getName().equals("META-INF/MANIFEST.MF")) {
          continue;
        }
        ZipEntry copy = new ZipEntry(e.getName());
        copy.setTime(e.getTime());
        out.putNextEntry(copy);
        try (InputStream data = in.getInputStream(e)) {
          data.transferTo(out);
        }
        out.closeEntry();
      }
    }
    Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
    System.out.println("FreshLibraryManifest: " + jar.getFileName() + ": manifest of " + MANIFEST.length() + " bytes");
  }
}
