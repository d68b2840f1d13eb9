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
import rdpdoctor.evidence.even6.EventRecord;
import rdpdoctor.evidence.even6.EvtxReader;
import rdpdoctor.evidence.even6.RdpEvents;
import rdpdoctor.evidence.regf.Hive;
import rdpdoctor.evidence.regf.HiveKey;
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
        case REG_TEXT -> {
          notes.add(where + ": .reg exports are not read by this build yet (export the hive with reg save instead)");
          return;
        }
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
            .with("file", name).with("verdict", "REFUSED").with("reasons", java.util.List.of(String.valueOf(e.getMessage())))
            .summary(name + " cannot be read as a hive: " + e.getMessage()));
      }
    }
    files.add(where + ": " + kind.label() + ", " + (observations.size() - before) + " observation(s)");
  }

  private static byte[] text(Path f) throws IOException {
    long size = Files.size(f);
    if (size > MAX_TEXT_BYTES) {
      throw new DecodeException.InvalidField("file size", size + " (expected: <= " + MAX_TEXT_BYTES + ")");
    }
    return Files.readAllBytes(f);
  }

  private void evtx(Path f) throws IOException {
    // Keep what the evidence module calls RDP-relevant, plus every event id some rule tests.
    try (EvtxReader r = EvtxReader.open(f)) {
      for (EventRecord rec : r.readAll()) {
        Long id = rec.system().eventId();
        if (RdpEvents.relevant(rec) || (id != null && RULE_EVENT_IDS.contains(id))) {
          observations.add(RdpEvents.observation(rec, f.toString()));
        }
      }
    }
  }

  private void hive(Path f) throws IOException {
    Hive h = Hive.open(f);
    String name = f.getFileName().toString();
    HiveKey root = h.root();
    String kind = RegistryAdapter.kind(root);
    boolean dirty = h.baseBlock().dirty();
    boolean logs = Files.exists(f.resolveSibling(name + ".LOG1")) || Files.exists(f.resolveSibling(name + ".LOG2"))
        || Files.exists(f.resolveSibling(name + ".log1")) || Files.exists(f.resolveSibling(name + ".LOG"));
    // Without replaying the logs (the registry reader's job) only "clean" and "dirty, no logs" are certain.
    String hiveKind = switch (kind) {
      case "system" -> "SYSTEM";
      case "software" -> "SOFTWARE";
      case "user" -> "NTUSER";
      default -> kind.toUpperCase(java.util.Locale.ROOT);
    };
    Observation.Builder b = Observation.of("registry.hive", new Provenance(Provenance.Source.REGISTRY_HIVE, f.toString(), null))
        .with("file", name).with("kind", hiveKind).with("dirty", dirty)
        .with("logReplay", !dirty ? "NOT_DIRTY" : logs ? "NOT_TRIED" : "NO_LOGS")
        .with("verdict", !dirty ? "LOADS_AS_IS" : logs ? null : "LOGS_NEEDED");
    observations.add(b.summary(name + ": " + hiveKind + " hive, " + (dirty ? "dirty (sequence numbers differ), "
        + (logs ? "transaction logs beside it" : "no transaction logs beside it") : "clean")));
    observations.addAll(RegistryAdapter.observations(root, kind, Provenance.Source.REGISTRY_HIVE, f.toString()));
  }
}
