package rdpdoctor.evidence.cases;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
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
import rdpdoctor.evidence.registry.LoggedSettings;
import rdpdoctor.evidence.registry.RdpRegistry;
import rdpdoctor.evidence.registry.RegistryKey;
import rdpdoctor.evidence.registry.RegistryValue;
import rdpdoctor.evidence.text.CbsLog;
import rdpdoctor.evidence.text.CertificateFile;
import rdpdoctor.evidence.text.InstallChecks;
import rdpdoctor.protocol.DecodeException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads every evidence file under the given paths (files, folders, bundle zips) the way Windows
 * uses them and sorts them into one {@link Case} per computer.
 *
 * <ul>
 *   <li>A file's kind comes from its content ({@link FileKind}). A hive's transaction logs
 *       (NAME.LOG, .LOG1, .LOG2 beside it, any case) are checked and replayed with it, the way
 *       {@code hive check} does; they are never read as hives themselves.
 *   <li>A file's computer comes from, in this order: its bundle's {@code manifest.json}
 *       ({@code computer}); its own content (an event's {@code Computer}, the SYSTEM hive's
 *       {@code ComputerName}); for a user hive in Windows' place on a copied drive
 *       ({@code Users\NAME\NTUSER.DAT}), the computer of that drive's
 *       {@code Windows\System32\config\SYSTEM}; the nearest enclosing folder whose identified files name exactly one
 *       computer (a profile folder's NTUSER.DAT goes with the SYSTEM hive or logs beside it); the
 *       only computer when the evidence names one; else "computer unknown".
 *   <li>Every location is the file as the user gave it: {@code evidence/host01/SYSTEM}, or
 *       {@code host01.zip!/registry/SYSTEM} for a bundle entry. Bundles are unpacked into a
 *       temporary folder (with {@link BundleReader}'s limits) that is deleted before this returns,
 *       so no report can point into it.
 * </ul>
 */
public final class CaseLoader {
  /** Files read from one folder tree; a collected bundle has a few dozen. */
  static final int MAX_FILES = 10_000;

  /** Text evidence (CBS.log, certificates, install checks) read whole: larger is refused by the readers. */
  static final long MAX_TEXT_BYTES = 256L * 1024 * 1024;

  /** collect's manifest.json is a few KB; anything near this is not one. */
  static final long MAX_MANIFEST_BYTES = 4L * 1024 * 1024;

  /** Folder depth walked below a given folder: a bundle is three deep, a profile copy a few more. */
  static final int MAX_DEPTH = 12;

  /**
   * What was read.
   *
   * @param cases one per computer, in the order the evidence first named them; an unknown
   *     computer's case comes last
   * @param notes files skipped or only partly read, with the reason
   */
  public record Cases(List<Case> cases, List<String> notes) {
    public Cases {
      cases = List.copyOf(cases);
      notes = List.copyOf(notes);
    }
  }

  /** A file found under the inputs, before it is read. */
  private static final class Unit {
    final String location;
    final Path path;
    final @Nullable String bundle;
    /** Enclosing folders as locations, nearest first, up to the folder the user named. */
    final List<String> folders;
    FileKind kind = FileKind.UNKNOWN;
    final List<String> logs = new ArrayList<>();
    final List<Path> logPaths = new ArrayList<>();
    /** Observations by computer key ("" for none of its own). */
    final Map<String, List<Observation>> observations = new LinkedHashMap<>();
    final List<RdpRegistry.HiveSource> hives = new ArrayList<>();
    /** Computer keys the file's content names. */
    final Set<String> own = new LinkedHashSet<>();
    String assigned = "";

    Unit(String location, Path path, @Nullable String bundle, List<String> folders) {
      this.location = location;
      this.path = path;
      this.bundle = bundle;
      this.folders = folders;
    }

    void add(String key, Observation o) {
      observations.computeIfAbsent(key, k -> new ArrayList<>()).add(o);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Set<Long> ruleEventIds;
  private final Path scratch;
  private final List<Unit> units = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  /** Files looked at, of any kind: what {@link #MAX_FILES} bounds. */
  private int seen;
  /** Computers by key, in the order the evidence named them, with how each is known. */
  private final Map<String, String> names = new LinkedHashMap<>();
  private final Map<String, List<String>> basis = new LinkedHashMap<>();
  /** A bundle's location to the manifest's computer key. */
  private final Map<String, String> bundleComputer = new LinkedHashMap<>();

  private final Progress progress;
  private int filesDone;
  private long records;

  private CaseLoader(Set<Long> ruleEventIds, Path scratch, Progress progress) {
    this.ruleEventIds = ruleEventIds;
    this.scratch = scratch;
    this.progress = progress;
  }

  /**
   * Told how far the reading is, for a progress line: after each file and each EVTX chunk. The
   * total is known once every folder is listed and every bundle unpacked (transaction logs are
   * counted with their hive), so it does not grow while the files are read.
   */
  @FunctionalInterface
  public interface Progress {
    Progress NONE = (done, total, records, current) -> { };

    void at(int filesDone, int filesTotal, long eventRecords, String currentFile);
  }

  /**
   * Loads {@code inputs}. Events are kept when {@link RdpEvents#relevant} accepts them or their id
   * is in {@code ruleEventIds} (the ids some rule tests), so a new rule's events are read without
   * touching the reader.
   */
  public static Cases load(List<Path> inputs, Set<Long> ruleEventIds) throws IOException {
    return load(inputs, ruleEventIds, Progress.NONE);
  }

  /** As {@link #load(List, Set)}, telling {@code progress} how far it is. */
  public static Cases load(List<Path> inputs, Set<Long> ruleEventIds, Progress progress) throws IOException {
    Path scratch = Files.createTempDirectory("rdpdoctor-");
    try {
      CaseLoader l = new CaseLoader(ruleEventIds, scratch, progress);
      for (Path p : inputs) {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
          throw new NoSuchFileException(p.toString(), null, "no such file or folder (give files, folders or a bundle .zip)");
        }
        l.gather(p);
      }
      l.pairLogs();
      for (Unit u : l.units) {
        String name = fileName(u.location);
        progress.at(l.filesDone, l.units.size(), l.records, name);
        l.read(u);
        l.filesDone++;
        progress.at(l.filesDone, l.units.size(), l.records, name);
      }
      return l.group();
    } finally {
      delete(scratch);
    }
  }

  // ---- 1. Finding the files and their kinds

  private void gather(Path input) throws IOException {
    if (Files.isDirectory(input, LinkOption.NOFOLLOW_LINKS)) {
      folder(input, input.toString(), null, List.of(input.toString()));
    } else if (Files.isRegularFile(input, LinkOption.NOFOLLOW_LINKS)) {
      // A file given on its own still sits in a folder: "host01/SYSTEM host01/NTUSER.DAT" are one
      // computer's even when another computer's files are given too.
      Path parent = input.getParent();
      Unit u = unit(input, input.toString(), null, parent == null ? List.of() : List.of(parent.toString()));
      if (u.kind == FileKind.ZIP) {
        units.remove(u);
        bundle(u);
      } else if (u.kind == FileKind.UNKNOWN) {
        notes.add(u.location + ": not a kind rdpdoctor reads (EVTX, registry hive, certificate, CBS.log, install-checks.txt, bundle zip); skipped");
        units.remove(u);
      }
    } else {
      notes.add(input + ": not a regular file or folder; skipped");
    }
  }

  /**
   * Every regular file below {@code dir}, located as {@code prefix} + its path below {@code dir}.
   * {@code outer} are the enclosing folders' locations above {@code dir} (nearest first).
   */
  private void folder(Path dir, String prefix, @Nullable String bundle, List<String> outer) throws IOException {
    List<Path> list;
    try (Stream<Path> s = Files.walk(dir, MAX_DEPTH)) {
      list = s.filter(x -> Files.isRegularFile(x, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
    }
    String sep = bundle != null ? "/" : dir.getFileSystem().getSeparator();
    for (Path f : list) {
      Path rel = dir.relativize(f);
      List<String> folders = new ArrayList<>();
      StringBuilder at = new StringBuilder(prefix);
      List<String> down = new ArrayList<>();
      for (int i = 0; i < rel.getNameCount() - 1; i++) {
        at.append(i == 0 && bundle != null ? "" : sep).append(rel.getName(i));
        down.add(at.toString());
      }
      for (int i = down.size() - 1; i >= 0; i--) {
        folders.add(down.get(i));
      }
      folders.addAll(outer);
      String location = prefix + (bundle != null ? "" : sep) + String.join(sep, names(rel));
      Unit u = unit(f, location, bundle, folders);
      if (u.kind == FileKind.ZIP) {
        units.remove(u);
        if (bundle == null) {
          bundle(u); // a folder of collected bundles, one per computer
        } else {
          // A collected bundle never holds another one; unpacking zips in zips is how bombs nest.
          notes.add(location + ": a zip inside a bundle is not unpacked; give it on its own");
        }
      } else if (u.kind == FileKind.UNKNOWN) {
        units.remove(u);
      }
    }
  }

  private static List<String> names(Path rel) {
    List<String> out = new ArrayList<>();
    for (Path p : rel) {
      out.add(p.toString());
    }
    return out;
  }

  private Unit unit(Path f, String location, @Nullable String bundle, List<String> folders) throws IOException {
    if (++seen > MAX_FILES) {
      throw new EvidenceRefused("more than " + MAX_FILES + " files under the given paths; point at the evidence folder itself");
    }
    Unit u = new Unit(location, f, bundle, folders);
    byte[] head;
    try (InputStream in = Files.newInputStream(f)) {
      head = in.readNBytes(8192);
    }
    u.kind = FileKind.detect(head, f.getFileName().toString());
    units.add(u);
    return u;
  }

  private void bundle(Unit zip) throws IOException {
    Path dest = Files.createTempDirectory(scratch, "bundle-");
    BundleReader.extract(zip.path, dest, BundleReader.Limits.DEFAULT);
    String prefix = zip.location + "!/";
    folder(dest, prefix, zip.location, List.of(zip.location + "!"));
  }

  /** Attaches each hive's transaction logs to it; a log without its hive is noted, not read. */
  private void pairLogs() throws IOException {
    Map<Path, Unit> byPath = new LinkedHashMap<>();
    for (Unit u : units) {
      byPath.put(u.path.toAbsolutePath().normalize(), u);
    }
    Set<Unit> logs = new HashSet<>();
    for (Unit u : units) {
      if (u.kind != FileKind.REGISTRY_HIVE) {
        continue;
      }
      // The same search hive check uses: NAME.LOG1, NAME.LOG2, NAME.LOG beside the hive, any case.
      for (Path p : HiveFiles.findLogs(u.path)) {
        Unit log = byPath.get(p.toAbsolutePath().normalize());
        if (log != null) {
          logs.add(log);
          u.logs.add(log.location);
        } else {
          // A hive given on its own brings the logs beside it, as hive check does.
          String name = u.location.substring(0, u.location.length() - fileName(u.location).length());
          u.logs.add(name + p.getFileName());
        }
        u.logPaths.add(p);
      }
    }
    for (Unit u : units) {
      if (u.kind == FileKind.TRANSACTION_LOG && !logs.contains(u)) {
        notes.add(u.location + ": a registry transaction log whose hive is not beside it; give the hive and its logs together");
      }
    }
    units.removeIf(u -> u.kind == FileKind.TRANSACTION_LOG || logs.contains(u));
  }

  // ---- 2. Reading each file

  private void read(Unit u) throws IOException {
    try {
      switch (u.kind) {
        case EVTX -> evtx(u);
        case REGISTRY_HIVE -> hive(u);
        case CBS_LOG -> CbsLog.read(text(u.path), u.location).forEach(o -> u.add("", o));
        case INSTALL_CHECKS -> InstallChecks.read(text(u.path), u.location).forEach(o -> u.add("", o));
        case CERTIFICATE -> CertificateFile.read(text(u.path), u.location).forEach(o -> u.add("", o));
        case REG_TEXT -> u.hives.addAll(RdpRegistry.sources(RegFile.parse(text(u.path)).root(), u.location));
        case MANIFEST -> manifest(u);
        case TRANSACTION_LOG, ZIP, UNKNOWN -> { }
      }
    } catch (DecodeException e) {
      // Readers name the file they opened; for a bundle entry that is the temporary copy.
      String why = String.valueOf(e.getMessage()).replace(u.path.toString(), u.location);
      notes.add(u.location + " (" + u.kind.label() + "): " + why + "; skipped");
      if (u.kind == FileKind.REGISTRY_HIVE) {
        String name = fileName(u.location);
        Observation.Builder b = Observation.of("registry.hive", new Provenance(Provenance.Source.REGISTRY_HIVE, u.location, null))
            .with("file", u.location).with("verdict", "refused").with("reason", why);
        HiveKind byName = kindByName(name);
        b.with("kind", HiveCheck.kindWord(byName));
        if (byName != HiveKind.OTHER) {
          b.with("kindFrom", "file name");
        }
        b.with("consequence", HiveCheck.consequence(HiveCheck.Verdict.REFUSED, byName));
        u.add("", b.summary(name + " cannot be read as a hive: " + why));
      }
    }
  }

  private static byte[] text(Path f) throws IOException {
    return EvidenceFiles.read(f, "file size", MAX_TEXT_BYTES);
  }

  private void evtx(Unit u) throws IOException {
    // Slack recovery is on: a reused chunk's old records are often the logons that matter.
    try (EvtxReader r = EvtxReader.open(u.path, true)) {
      Map<String, Integer> counts = new LinkedHashMap<>();
      // Chunk by chunk rather than readAll, so that a large log moves the progress line as it goes.
      String name = fileName(u.location);
      r.forEachChunk(chunk -> {
        for (EventRecord rec : chunk.records()) {
          Long id = rec.system().eventId();
          if (!RdpEvents.relevant(rec) && (id == null || !ruleEventIds.contains(id) || RdpEvents.excluded(rec))) {
            continue;
          }
          String computer = rec.system().computer();
          String key = computer == null || computer.isBlank() ? "" : Computer.keyOf(computer);
          if (!key.isEmpty()) {
            names.putIfAbsent(key, computer.strip());
            counts.merge(key, 1, Integer::sum);
            u.own.add(key);
          }
          u.add(key, RdpEvents.observation(rec, u.location));
        }
        records += chunk.records().size();
        progress.at(filesDone, units.size(), records, name);
      });
      counts.forEach((k, n) -> basis(k, "Computer field of " + n + " event(s) in " + u.location));
      EvtxReader.Report report = r.report();
      if (report.damaged() || report.recoveredAfterDamage() + report.recoveredFromSlack() > 0) {
        u.add("", RdpEvents.damage(report, u.location));
        notes.add(u.location + " (EVTX): " + report.summary().replace(u.path.toString(), u.location));
      }
    }
  }

  /**
   * A binary hive: the registry reader's integrity check with its transaction logs (replayed when
   * the hive is dirty), then the state Windows would load joins the case's other hives so that
   * Group Policy values override local ones across SYSTEM and SOFTWARE.
   */
  private void hive(Unit u) throws IOException {
    byte[] bytes = EvidenceFiles.read(u.path, "hive file size", Hive.MAX_FILE_SIZE);
    HiveCheck check = HiveFiles.check(bytes, u.logPaths);
    Observation o = check.observation(u.location, !u.logPaths.isEmpty());
    HiveKind byName = kindByName(fileName(u.location));
    if (check.kind() == HiveKind.OTHER && byName != HiveKind.OTHER) {
      // A hive too damaged to show its top-level keys is still named by Windows' file name for it,
      // so a corrupt SYSTEM is not taken for a user hive (or left without a kind).
      Map<String, Object> fields = new LinkedHashMap<>(o.fields());
      fields.put("kind", HiveCheck.kindWord(byName));
      fields.put("kindFrom", "file name");
      fields.put("consequence", HiveCheck.consequence(check.verdict(), byName, check.replay().outcome()));
      o = new Observation(o.type(), fields, o.summary(), o.at(), o.provenance());
    }
    u.add("", o);
    Hive hive;
    try {
      hive = Hive.of(check.replay().hive());
      u.hives.add(hiveSource(hive, check.kind(), u.location, fileName(u.location)));
    } catch (DecodeException e) {
      // The check above already reports the damage; only the settings are lost.
      notes.add(u.location + " (" + u.kind.label() + "): its keys cannot be read ("
          + String.valueOf(e.getMessage()).replace(u.path.toString(), u.location) + "); its settings are not used");
      return;
    }
    if (check.kind() == HiveKind.SYSTEM) {
      String name = computerName(hive.root());
      if (name != null) {
        String key = Computer.keyOf(name);
        netbiosName(key, name);
        basis(key, "ComputerName in the SYSTEM hive " + u.location);
        u.own.add(key);
      }
    }
  }

  /** SYSTEM\ControlSetNNN\Control\ComputerName\ComputerName, in the control set Windows boots with. */
  static @Nullable String computerName(RegistryKey system) {
    RegistryKey k = system.find(RdpRegistry.controlSet(system) + "\\Control\\ComputerName\\ComputerName");
    RegistryValue v = k == null ? null : k.value("ComputerName");
    String s = v == null ? null : v.asString();
    return s == null || s.isBlank() ? null : s.strip();
  }

  /**
   * A binary hive as a source for {@link RdpRegistry#extract}, mounted where Windows loads a hive
   * of its kind (a hive of another kind keeps its file name).
   */
  public static RdpRegistry.HiveSource hiveSource(Hive hive, HiveKind kind, String location, String fileName)
      throws DecodeException {
    String mount = switch (kind) {
      case SYSTEM -> "HKLM\\SYSTEM";
      case SOFTWARE -> "HKLM\\SOFTWARE";
      case NTUSER -> "HKCU";
      default -> fileName;
    };
    return new RdpRegistry.HiveSource(hive.root(), kind, Provenance.Source.REGISTRY_HIVE, location, mount);
  }

  /** The kind Windows' own file name for a hive says; OTHER for other names. */
  static HiveKind kindByName(String name) {
    return switch (name.toUpperCase(Locale.ROOT)) {
      case "SYSTEM" -> HiveKind.SYSTEM;
      case "SOFTWARE" -> HiveKind.SOFTWARE;
      case "SAM" -> HiveKind.SAM;
      case "SECURITY" -> HiveKind.SECURITY;
      case "NTUSER.DAT" -> HiveKind.NTUSER;
      case "USRCLASS.DAT" -> HiveKind.USRCLASS;
      default -> HiveKind.OTHER;
    };
  }

  /** collect's manifest.json ({@code "computer": "HOST01"}) names the computer of its whole bundle. */
  private void manifest(Unit u) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(EvidenceFiles.read(u.path, "manifest size", MAX_MANIFEST_BYTES));
    } catch (JacksonException e) {
      notes.add(u.location + ": not valid JSON (" + e.getOriginalMessage() + "); the bundle's computer is taken from its files");
      return;
    }
    String computer = root.path("computer").asString("");
    if (u.bundle == null || computer.isBlank()) {
      return;
    }
    String key = Computer.keyOf(computer);
    netbiosName(key, computer.strip());
    basis(key, "manifest.json of " + u.bundle);
    bundleComputer.put(u.bundle, key);
  }

  /**
   * Records the NetBIOS name a manifest or SYSTEM hive gives: it replaces a DNS name the events
   * gave first ("host01.corp.example" becomes "HOST01"), since that is the name Windows and its
   * {@code $env:COMPUTERNAME} use.
   */
  private void netbiosName(String key, String name) {
    names.merge(key, name, (old, given) -> old.contains(".") ? given : old);
  }

  private void basis(String key, String line) {
    basis.computeIfAbsent(key, k -> new ArrayList<>()).add(line);
  }

  // ---- 3. Grouping per computer

  private Cases group() throws DecodeException {
    // The computers files speak for: an event log inside a bundle names the bundle's computer
    // even when its events were logged under another name.
    Set<String> named = new LinkedHashSet<>();
    Map<String, Set<String>> byFolder = new LinkedHashMap<>();
    for (Unit u : units) {
      Set<String> keys = speaksFor(u);
      named.addAll(keys);
      for (String folder : u.folders) {
        if (!keys.isEmpty()) {
          byFolder.computeIfAbsent(folder, k -> new LinkedHashSet<>()).addAll(keys);
        }
      }
    }
    Map<String, Set<String>> byLocation = new LinkedHashMap<>();
    for (Unit u : units) {
      byLocation.put(layoutKey(u.location), speaksFor(u));
    }
    for (Unit u : units) {
      u.assigned = assign(u, named, byFolder, byLocation);
    }
    // Cases in the order computers were first named; the unknown one ("") last.
    Map<String, List<EvidenceFile>> files = new LinkedHashMap<>();
    Map<String, List<Observation>> observations = new LinkedHashMap<>();
    Map<String, List<RdpRegistry.HiveSource>> hives = new LinkedHashMap<>();
    for (String k : names.keySet()) {
      files.put(k, new ArrayList<>());
      observations.put(k, new ArrayList<>());
      hives.put(k, new ArrayList<>());
    }
    for (Unit u : units) {
      if (u.kind == FileKind.MANIFEST) {
        continue;
      }
      Map<String, Integer> given = new LinkedHashMap<>();
      for (Map.Entry<String, List<Observation>> e : u.observations.entrySet()) {
        // A bundle's manifest speaks for every file in it; otherwise each event goes with the
        // computer that logged it, and what names none goes where the file as a whole goes.
        String key = u.bundle != null && bundleComputer.containsKey(u.bundle) || e.getKey().isEmpty()
            ? u.assigned : e.getKey();
        observations.computeIfAbsent(key, k -> new ArrayList<>()).addAll(e.getValue());
        given.merge(key, e.getValue().size(), Integer::sum);
      }
      if (!u.hives.isEmpty()) {
        hives.computeIfAbsent(u.assigned, k -> new ArrayList<>()).addAll(u.hives);
        given.putIfAbsent(u.assigned, 0);
      }
      if (given.isEmpty()) {
        given.put(u.assigned, 0);
      }
      given.forEach((k, n) -> files.computeIfAbsent(k, x -> new ArrayList<>()).add(new EvidenceFile(u.location, u.kind, u.logs, n)));
    }
    List<Case> cases = new ArrayList<>();
    for (String k : files.keySet()) {
      List<Observation> obs = observations.computeIfAbsent(k, x -> new ArrayList<>());
      List<RdpRegistry.HiveSource> hs = hives.getOrDefault(k, List.of());
      List<EvidenceFile> fs = files.get(k);
      List<Observation> settings = List.of();
      if (!hs.isEmpty()) {
        // One extraction over the case's hives, so a policy value in SOFTWARE overrides SYSTEM's local one.
        settings = RdpRegistry.extract(hs);
        obs.addAll(settings);
        fs = counted(fs, settings);
      }
      List<Observation> logged = LoggedSettings.from(obs, settings);
      if (!logged.isEmpty()) {
        obs.addAll(logged);
        fs = counted(fs, logged);
      }
      if (fs.isEmpty() && obs.isEmpty()) {
        continue;
      }
      Computer c = k.isEmpty() ? null : new Computer(names.get(k), k, basis.getOrDefault(k, List.of()));
      cases.add(new Case(c, fs, obs));
    }
    return new Cases(cases, notes);
  }

  /** The files with the registry settings they gave added to their counts. */
  private static List<EvidenceFile> counted(List<EvidenceFile> files, List<Observation> settings) {
    Map<String, Integer> by = new LinkedHashMap<>();
    for (Observation o : settings) {
      by.merge(o.provenance().location(), 1, Integer::sum);
    }
    List<EvidenceFile> out = new ArrayList<>();
    for (EvidenceFile f : files) {
      out.add(new EvidenceFile(f.location(), f.kind(), f.logs(), f.observations() + by.getOrDefault(f.location(), 0)));
    }
    return out;
  }

  /** The computer keys a file names by itself: its bundle's manifest, else its own content. */
  private Set<String> speaksFor(Unit u) {
    return u.bundle != null && bundleComputer.containsKey(u.bundle) ? Set.of(bundleComputer.get(u.bundle)) : u.own;
  }

  /**
   * The computer key a file as a whole belongs to; "" for unknown. {@code byFolder} holds, per
   * enclosing folder, the computers the files below it name by themselves.
   */
  private String assign(Unit u, Set<String> named, Map<String, Set<String>> byFolder,
      Map<String, Set<String>> byLocation) {
    Set<String> own = speaksFor(u);
    if (own.size() == 1) {
      return own.iterator().next();
    }
    if (own.size() > 1) {
      return ""; // its events went to their own computers; nothing else is left to place
    }
    // A copy of a system drive: a profile's hive goes with the SYSTEM hive of the same drive,
    // even when the folder holds other computers' files too (logs forwarded or copied in).
    Matcher profile = PROFILE_HIVE.matcher(layoutKey(u.location));
    if (profile.matches()) {
      Set<String> drive = byLocation.getOrDefault(profile.group(1) + "windows/system32/config/system", Set.of());
      if (drive.size() == 1) {
        return drive.iterator().next();
      }
    }
    for (String folder : u.folders) {
      Set<String> here = byFolder.getOrDefault(folder, Set.of());
      if (here.size() == 1) {
        return here.iterator().next();
      }
      if (here.size() > 1) {
        break; // the folder mixes computers: a larger folder would only mix more
      }
    }
    return named.size() == 1 ? named.iterator().next() : "";
  }

  /**
   * A user's hive where Windows keeps it, below the drive root it captures as group 1:
   * {@code Users\NAME\NTUSER.DAT}, {@code ...\AppData\Local\Microsoft\Windows\UsrClass.dat},
   * or XP's {@code Documents and Settings}. Matched on {@link #layoutKey}.
   */
  private static final Pattern PROFILE_HIVE = Pattern.compile(
      "^(.*?)(?:users|documents and settings)/[^/]+/(?:ntuser\\.dat|appdata/local/microsoft/windows/usrclass\\.dat)$");

  /** A location with one separator ({@code /}; a bundle's {@code !/} kept as {@code !/}) in lower case, for layout matching. */
  private static String layoutKey(String location) {
    return location.replace('\\', '/').toLowerCase(Locale.ROOT);
  }

  private static String fileName(String location) {
    int i = Math.max(Math.max(location.lastIndexOf('/'), location.lastIndexOf('\\')), location.lastIndexOf('!'));
    return location.substring(i + 1);
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
