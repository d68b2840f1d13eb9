package rdpdoctor.evidence.regf;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import rdpdoctor.evidence.EvidenceFiles;

/** Finds and reads a primary file's transaction logs. */
public final class HiveFiles {
  private static final String[] SUFFIXES = {".LOG1", ".LOG2", ".LOG"};

  private HiveFiles() {}

  /**
   * The logs beside {@code primary}: {@code NAME.LOG1}, {@code NAME.LOG2} and {@code NAME.LOG},
   * matched ignoring case (copies from Windows keep their case, tools often lower it).
   */
  public static List<Path> findLogs(Path primary) throws IOException {
    Path dir = primary.toAbsolutePath().getParent();
    String base = primary.getFileName().toString().toUpperCase(Locale.ROOT);
    List<Path> found = new ArrayList<>();
    if (dir == null) {
      return found;
    }
    // One pass over the directory (a config directory holds dozens of files), sorted into the
    // suffixes' order; in directory order within a suffix, as the case-insensitive twins come.
    List<String> names = new ArrayList<>();
    List<List<Path>> bySuffix = new ArrayList<>();
    for (String suffix : SUFFIXES) {
      names.add(base + suffix);
      bySuffix.add(new ArrayList<>());
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        int i = names.indexOf(p.getFileName().toString().toUpperCase(Locale.ROOT));
        if (i >= 0 && Files.isRegularFile(p)) {
          bySuffix.get(i).add(p);
        }
      }
    }
    for (List<Path> paths : bySuffix) {
      found.addAll(paths);
    }
    return found;
  }

  /** {@link HiveCheck#run} of {@code primary} with the transaction logs at {@code logPaths}. */
  public static HiveCheck check(byte[] primary, List<Path> logPaths) throws IOException {
    return HiveCheck.run(primary, readLogs(logPaths));
  }

  /** Reads each log; a log larger than a hive can be is refused. */
  public static List<TransactionLog> readLogs(List<Path> logs) throws IOException {
    List<TransactionLog> out = new ArrayList<>();
    for (Path p : logs) {
      out.add(TransactionLog.read(p.getFileName().toString(), EvidenceFiles.read(p, "log file size", Hive.MAX_FILE_SIZE)));
    }
    return out;
  }
}
