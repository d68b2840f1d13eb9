package rdpdoctor.app.diagnose;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.UserError;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.Provenance;
import rdpdoctor.evidence.EvidenceFiles;
import rdpdoctor.evidence.even6.EventRecord;
import rdpdoctor.evidence.even6.EvtxReader;
import rdpdoctor.evidence.even6.RdpEvents;
import rdpdoctor.evidence.reg.RegFile;
import rdpdoctor.evidence.regf.Hive;
import rdpdoctor.evidence.regf.HiveCheck;
import rdpdoctor.evidence.regf.HiveFiles;
import rdpdoctor.evidence.registry.HiveKind;
import rdpdoctor.evidence.registry.RdpRegistry;
import rdpdoctor.evidence.text.CbsLog;
import rdpdoctor.evidence.text.CertificateFile;
import rdpdoctor.evidence.text.InstallChecks;
import rdpdoctor.protocol.DecodeException;

/**
 * Reads every evidence file under the given paths (files, folders, bundle zips), decides each
 * file's kind from its content, hands it to the evidence reader for that kind, and collects the
 * observations together with a note for each file it could not use and why.
 */
public final class EvidenceLoader {
  /** Files read from one folder tree; a collected bundle has a few dozen. */
  static final int MAX_FILES = 10_000;

  /** Text evidence (CBS.log, certificates, install checks) read whole: larger is refused by the readers. */
  static final long MAX_TEXT_BYTES = 256L * 1024 * 1024;

  /**
   * What was read.
   *
   * @param observations every observation, in file order
   * @param files each file with its kind and how many observations it gave
   * @param notes files skipped or only partly read, with the reason
   */
  public record Loaded(List<Observation> observations, List<String> files, List<String> notes) {}

  private static final java.util.Set<Long> RULE_EVENT_IDS =
      rdpdoctor.diagnosis.rules.RuleSet.eventIds(rdpdoctor.diagnosis.rules.RuleSet.builtIn());

  private final Path scratch;
  private final List<RdpRegistry.HiveSource> hives = new ArrayList<>();
  private final List<Observation> observations = new ArrayList<>();
  private final List<String> files = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private int count;

  private EvidenceLoader(Path scratch) {
    this.scratch = scratch;
  }

  /** Loads {@code inputs}; bundles are unpacked below {@code scratch}, which the caller deletes. */
  public static Loaded load(List<Path> inputs, Path scratch) throws IOException {
    EvidenceLoader l = new EvidenceLoader(scratch);
    for (Path p : inputs) {
      if (!Files.exists(p)) {
        throw new UserError(ExitCodes.IO, "no such file or folder: " + p + " (give files, folders or a bundle .zip)");
      }
      l.path(p, true);
    }
    if (!l.hives.isEmpty()) {
      // One extraction over every hive, so a policy value in SOFTWARE overrides SYSTEM's local one.
      l.observations.addAll(RdpRegistry.extract(l.hives));
    }
    return new Loaded(List.copyOf(l.observations), List.copyOf(l.files), List.copyOf(l.notes));
  }

  private void path(Path p, boolean top) throws IOException {
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      List<Path> list;
      try (Stream<Path> s = Files.walk(p, 12)) {
        list = s.filter(x -> Files.isRegularFile(x, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
      }
      for (Path f : list) {
        file(f, top);
      }
    } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      file(p, top);
    } else {
      notes.add(p + ": not a regular file or folder; skipped");
    }
  }

  private void file(Path f, boolean top) throws IOException {
    if (++count > MAX_FILES) {
      throw new UserError(ExitCodes.USAGE, "more than " + MAX_FILES + " files under the given paths; point at the evidence folder itself");
    }
    byte[] head;
    try (InputStream in = Files.newInputStream(f)) {
      head = in.readNBytes(8192);
    }
    String name = f.getFileName().toString();
    FileKind kind = FileKind.detect(head, name);
    String where = f.toString();
    int before = observations.size();
    try {
      switch (kind) {
        case EVTX -> evtx(f);
        case REGISTRY_HIVE -> hive(f);
        case CBS_LOG -> observations.addAll(CbsLog.read(text(f), where));
        case INSTALL_CHECKS -> observations.addAll(InstallChecks.read(text(f), where));
        case CERTIFICATE -> observations.addAll(CertificateFile.read(text(f), where));
        case ZIP -> {
          if (!top) {
            notes.add(where + ": a zip inside a bundle is not unpacked");
            return;
          }
          Path dest = Files.createTempDirectory(scratch, "bundle-");
          BundleReader.extract(f, dest, BundleReader.Limits.DEFAULT);
          path(dest, false);
          return;
        }
        case REG_TEXT -> reg(f);
        case MANIFEST -> {
          return;
        }
        case UNKNOWN -> {
          if (top) {
            notes.add(where + ": not a kind rdpdoctor reads (EVTX, registry hive, certificate, CBS.log, install-checks.txt, bundle zip); skipped");
          }
          return;
        }
      }
    } catch (DecodeException e) {
      notes.add(where + " (" + kind.label() + "): " + e.getMessage() + "; skipped");
      if (kind == FileKind.REGISTRY_HIVE) {
        observations.add(Observation.of("registry.hive", new Provenance(Provenance.Source.REGISTRY_HIVE, where, null))
            .with("file", name).with("verdict", "refused").with("reason", String.valueOf(e.getMessage()))
            .summary(name + " cannot be read as a hive: " + e.getMessage()));
      }
    }
    files.add(where + ": " + kind.label() + ", " + (observations.size() - before) + " observation(s)");
  }

  private static byte[] text(Path f) throws IOException {
    return EvidenceFiles.read(f, "file size", MAX_TEXT_BYTES);
  }

  private void evtx(Path f) throws IOException {
    // Keep what the evidence module calls RDP-relevant, plus every event id some rule tests.
    try (EvtxReader r = EvtxReader.open(f)) {
      for (EventRecord rec : r.readAll()) {
        Long id = rec.system().eventId();
        if (RdpEvents.relevant(rec) || (id != null && RULE_EVENT_IDS.contains(id) && !RdpEvents.excluded(rec))) {
          observations.add(RdpEvents.observation(rec, f.toString()));
        }
      }
    }
  }

  /**
   * A binary hive: the registry reader's integrity check (with its transaction logs, found beside
   * it, replayed when the hive is dirty), then the state Windows would load joins the other hives
   * so that Group Policy values override local ones across SYSTEM and SOFTWARE.
   */
  private void hive(Path f) throws IOException {
    byte[] bytes = EvidenceFiles.read(f, "hive file size", Hive.MAX_FILE_SIZE);
    List<Path> logPaths = HiveFiles.findLogs(f);
    HiveCheck check = HiveFiles.check(bytes, logPaths);
    observations.add(check.observation(f.toString(), !logPaths.isEmpty()));
    hives.add(hiveSource(Hive.of(check.replay().hive()), check.kind(), f));
  }

  /**
   * A binary hive file as a source for {@link RdpRegistry#extract}, mounted where Windows loads a
   * hive of its kind (a hive of another kind keeps its file name).
   */
  public static RdpRegistry.HiveSource hiveSource(Hive hive, HiveKind kind, Path f) throws DecodeException {
    String mount = switch (kind) {
      case SYSTEM -> "HKLM\\SYSTEM";
      case SOFTWARE -> "HKLM\\SOFTWARE";
      case NTUSER -> "HKCU";
      default -> f.getFileName().toString();
    };
    return new RdpRegistry.HiveSource(hive.root(), kind, Provenance.Source.REGISTRY_HIVE, f.toString(), mount);
  }

  /** A .reg export: each hive it holds (HKLM\\SYSTEM, HKLM\\SOFTWARE, HKCU, HKU\\SID). */
  private void reg(Path f) throws IOException {
    RegFile reg = RegFile.parse(text(f));
    hives.addAll(RdpRegistry.sources(reg.root(), f.toString()));
  }

}
