// Build step (run by app/pom.xml after the shade plugin, only when the building JDK is 24 or
// newer): rewrites the class files in rdpdoctor.jar that are older than Java 6 (version 50) as
// version 52 class files with stack maps, and leaves everything else byte for byte.
//
// Why: picocli is compiled for Java 5. The JVM's class-data sharing, and the AOT cache the
// ./rdpdoctor launcher makes on JDK 24+, skip such classes ("Unlinked class not supported"), so
// every run loaded, parsed and verified picocli's ~230 classes from the jar: measured 76 ms of a
// 150 ms `rdpdoctor --version`, against 31 ms once they are version 52 and archived. The code is
// not changed, only re-encoded by the JDK's own class-file library (java.lang.classfile), which
// also computes the stack maps; each rewritten class is checked with its verifier and kept as it
// was if the check finds anything.
//
//   java app/src/build/UpgradeOldClassFiles.java JAR
import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

public class UpgradeOldClassFiles {
  static final int TARGET_MAJOR = 52; // Java 8: stack maps required, understood by every JDK >= 21

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: java UpgradeOldClassFiles.java JAR");
      System.exit(2);
    }
    Path jar = Path.of(args[0]);
    Path tmp = jar.resolveSibling(jar.getFileName() + ".upgrading");
    int upgraded = 0;
    int kept = 0;
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
         ZipFile in = new ZipFile(jar.toFile());
         ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
      // Stack maps need the common super class of two types; the jar and the JDK both answer.
      ClassFile cf = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
          ClassHierarchyResolver.defaultResolver()
              .orElse(ClassHierarchyResolver.ofResourceParsing(loader))));
      for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        byte[] bytes;
        try (InputStream s = in.getInputStream(entry)) {
          bytes = s.readAllBytes();
        }
        if (entry.getName().endsWith(".class") && !entry.getName().startsWith("META-INF/")) {
          byte[] newer = upgrade(cf, bytes);
          if (newer == null) {
            kept++;
          } else if (newer != bytes) {
            bytes = newer;
            upgraded++;
          }
        }
        ZipEntry copy = new ZipEntry(entry.getName());
        copy.setTime(entry.getTime()); // same timestamps: the build stays reproducible
        out.putNextEntry(copy);
        out.write(bytes);
        out.closeEntry();
      }
    }
    Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    System.out.printf("UpgradeOldClassFiles: %s: %d class files rewritten as version %d%s%n",
        jar.getFileName(), upgraded, TARGET_MAJOR,
        kept == 0 ? "" : ", " + kept + " left as they were (the verifier objected)");
  }

  /** The class as version 52, the same array when it is new enough, null when it must stay old. */
  static byte[] upgrade(ClassFile cf, byte[] bytes) {
    ClassModel model = cf.parse(bytes);
    if (model.majorVersion() >= 50) {
      return bytes;
    }
    try {
      // Rebuilding every method body makes the library compute its stack map frames.
      byte[] newer = cf.transformClass(model, ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
          .andThen((builder, element) -> {
            if (element instanceof ClassFileVersion) {
              builder.withVersion(TARGET_MAJOR, 0);
            } else {
              builder.with(element);
            }
          }));
      return cf.verify(newer).isEmpty() ? newer : null;
    } catch (IllegalArgumentException | IllegalStateException e) {
      return null; // e.g. jsr/ret, which version 50+ class files may not contain
    }
  }
}
