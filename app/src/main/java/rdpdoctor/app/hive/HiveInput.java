package rdpdoctor.app.hive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.UserError;
import rdpdoctor.diagnosis.Texts;
import rdpdoctor.evidence.EvidenceFiles;
import rdpdoctor.evidence.regf.Hive;
import rdpdoctor.evidence.regf.HiveCheck;
import rdpdoctor.evidence.regf.HiveFiles;
import rdpdoctor.evidence.regf.HiveKey;
import rdpdoctor.protocol.DecodeException;

/**
 * A hive file as the commands see it: its bytes, its transaction logs (given, or found beside it),
 * the integrity check, and the state Windows would load (logs replayed when the hive is dirty).
 */
record HiveInput(Path file, List<Path> logPaths, HiveCheck check, byte[] effective) {

  static HiveInput load(Path file, List<Path> logs, boolean findLogs) {
    return load(file, read(file), logs, findLogs);
  }

  /** As {@link #load(Path, List, boolean)}, for a caller that has already read the file's bytes. */
  static HiveInput load(Path file, byte[] bytes, List<Path> logs, boolean findLogs) {
    // A large hive takes about a second to check: say so on a terminal, then erase the line.
    boolean progress = bytes.length > 4 << 20 && terminal();
    if (progress) {
      System.err.print("rdpdoctor hive: reading " + file.getFileName() + " ("
          + Texts.fixed(bytes.length / 1048576.0, 1) + " MB)...");
      System.err.flush();
    }
    try {
      List<Path> logPaths = logs.isEmpty() && findLogs ? HiveFiles.findLogs(file) : logs;
      HiveCheck check = HiveFiles.check(bytes, logPaths);
      byte[] effective = check.replay().hive(); // the bytes as read, unless the logs recovered them
      if (progress) {
        System.err.print("\r\u001b[K");
        System.err.flush();
      }
      return new HiveInput(file, logPaths, check, effective);
    } catch (NoSuchFileException e) {
      throw new UserError(ExitCodes.IO, "no such log file: " + e.getFile());
    } catch (IOException e) {
      throw new UserError(ExitCodes.IO, "cannot read the logs of " + file + ": " + e.getMessage());
    }
  }

  static byte[] read(Path file) {
    try {
      // A pipe is fine (hive check <(ssh host cat ...)): EvidenceFiles reads it to its end, bounded.
      boolean folder = Files.isDirectory(file);
      if (folder || !Files.exists(file)) {
        throw new UserError(ExitCodes.IO, (folder ? "a folder, not a file: " : "no such file: ")
            + file + " (give the path of a hive such as SYSTEM or NTUSER.DAT, or of a .reg export)");
      }
      return EvidenceFiles.read(file, "file size", Hive.MAX_FILE_SIZE);
    } catch (IOException e) {
      throw new UserError(ExitCodes.IO, "cannot read " + file + ": " + e.getMessage());
    }
  }

  /** The hive to read keys from; fails with the check's reason when there is none. */
  Hive hive() {
    return root().hive();
  }

  /** The root key of {@link #hive()}, for the caller that walks from it. */
  HiveKey root() {
    try {
      return Hive.of(effective).root();
    } catch (DecodeException e) {
      throw new UserError(ExitCodes.IO, file + " cannot be read as a hive: " + e.getMessage()
          + " (run: rdpdoctor hive check " + file + ")");
    }
  }

  /** Progress only for a person at a terminal that can redraw a line (not TERM=dumb). */
  private static boolean terminal() {
    return rdpdoctor.app.Style.stdoutIsTerminal() && !"dumb".equals(System.getenv("TERM"));
  }
}
