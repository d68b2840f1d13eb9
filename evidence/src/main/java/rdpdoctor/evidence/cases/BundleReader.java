package rdpdoctor.evidence.cases;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Unpacks a collected bundle (a zip) into a folder, refusing anything a hostile or broken zip
 * could do: a name that escapes the folder (zip-slip: "../x", "/etc/x", "C:\x"), too many entries,
 * an entry or a total beyond the size limits, and zip bombs (an entry that inflates more than
 * {@link Limits#maxRatio} times its compressed size). Sizes are counted as the bytes actually
 * come out of the inflater; the sizes the zip declares are not trusted.
 */
public final class BundleReader {

  /**
   * Limits for one bundle.
   *
   * @param maxEntries entries (files and folders) in the zip
   * @param maxEntryBytes uncompressed bytes of one entry
   * @param maxTotalBytes uncompressed bytes of all entries
   * @param maxRatio uncompressed / compressed bytes of one entry, checked once it is past 1 MiB
   */
  public record Limits(int maxEntries, long maxEntryBytes, long maxTotalBytes, long maxRatio) {
    /** Generous for real bundles (event logs of a few hundred MB), small next to a zip bomb. */
    public static final Limits DEFAULT = new Limits(10_000, 2L << 30, 8L << 30, 200);
  }

  private static final long RATIO_FLOOR = 1 << 20;

  private BundleReader() {}

  /** Extracts {@code zip} into the empty folder {@code dest}; returns the files written. */
  public static List<Path> extract(Path zip, Path dest, Limits limits) throws IOException {
    Path root = dest.toAbsolutePath().normalize();
    Files.createDirectories(root);
    List<Path> out = new ArrayList<>();
    long total = 0;
    int entries = 0;
    try (InputStream raw = Files.newInputStream(zip);
        CountingInputStream counted = new CountingInputStream(raw);
        ZipInputStream in = new ZipInputStream(counted)) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        if (++entries > limits.maxEntries()) {
          throw refuse(zip, "more than " + limits.maxEntries() + " entries");
        }
        Path target = safePath(root, e.getName(), zip);
        if (e.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        Files.createDirectories(target.getParent());
        long compressedStart = counted.count();
        long written = 0;
        byte[] buf = new byte[64 * 1024];
        try (OutputStream os = Files.newOutputStream(target)) {
          for (int n; (n = in.read(buf)) > 0; ) {
            written += n;
            total += n;
            if (written > limits.maxEntryBytes()) {
              throw refuse(zip, "entry " + e.getName() + " is larger than " + limits.maxEntryBytes() + " bytes");
            }
            if (total > limits.maxTotalBytes()) {
              throw refuse(zip, "contents are larger than " + limits.maxTotalBytes() + " bytes");
            }
            long compressed = Math.max(1, counted.count() - compressedStart);
            if (written > RATIO_FLOOR && written / compressed > limits.maxRatio()) {
              throw refuse(zip, "entry " + e.getName() + " expands more than " + limits.maxRatio()
                  + " times (a zip bomb?)");
            }
            os.write(buf, 0, n);
          }
        }
        out.add(target);
      }
    } catch (java.util.zip.ZipException ex) {
      throw new EvidenceRefused("cannot read bundle " + zip + ": " + ex.getMessage());
    }
    return out;
  }

  /** The path inside {@code root} for an entry name, or a refusal when it would land outside. */
  static Path safePath(Path root, String name, Path zip) throws EvidenceRefused {
    String n = name.replace('\\', '/');
    if (n.isEmpty() || n.startsWith("/") || n.matches("^[A-Za-z]:.*") || n.contains("\0")) {
      throw refuse(zip, "entry name '" + printable(name) + "' is absolute");
    }
    for (String part : n.split("/")) {
      if (part.equals("..")) {
        throw refuse(zip, "entry name '" + printable(name) + "' leaves the bundle folder");
      }
    }
    Path p = root.resolve(n).normalize();
    if (!p.startsWith(root)) {
      throw refuse(zip, "entry name '" + printable(name) + "' leaves the bundle folder");
    }
    return p;
  }

  private static String printable(String s) {
    return s.replaceAll("[\\p{Cntrl}]", "?");
  }

  private static EvidenceRefused refuse(Path zip, String why) {
    return new EvidenceRefused("refusing bundle " + zip + ": " + why + "; nothing from it was analysed");
  }

  /** Counts the compressed bytes the inflater has pulled so far. */
  private static final class CountingInputStream extends java.io.FilterInputStream {
    private long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    long count() {
      return count;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long s = super.skip(n);
      count += s;
      return s;
    }
  }
}
