package rdpdoctor.app.hive;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.Json;
import rdpdoctor.app.UserError;
import rdpdoctor.evidence.reg.RegNames;
import rdpdoctor.evidence.reg.RegWriter;
import rdpdoctor.evidence.regf.HiveCheck;
import rdpdoctor.evidence.regf.HiveKey;
import rdpdoctor.evidence.regf.LogReplay;
import rdpdoctor.evidence.registry.HiveKind;
import rdpdoctor.evidence.registry.RegistryKey;
import rdpdoctor.evidence.registry.RegistryValue;
import rdpdoctor.evidence.registry.RegistryWalker;
import rdpdoctor.protocol.DecodeException;

/** {@code rdpdoctor hive dump FILE [KEYPATH]}. */
@Command(
    name = "dump",
    mixinStandardHelpOptions = true,
    description = {
      "Prints a hive (or one key and everything below it) as a .reg file, the format regedit",
      "exports and imports (Windows Registry Editor Version 5.00), so it diffs cleanly; or as",
      "JSON lines, one key per line. A dirty hive is dumped as Windows would load it: its",
      "transaction logs found beside it are replayed first (--no-replay to dump the file as is)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  rdpdoctor hive dump SYSTEM 'ControlSet001\\Control\\Terminal Server' > ts.reg",
      "  rdpdoctor hive dump NTUSER.DAT -o user.reg       UTF-16LE file regedit can import",
      "  rdpdoctor hive dump SOFTWARE Microsoft --json | jq .path",
      "",
      "Exit codes: 0 done; 1 a key path that does not exist; 3 the file cannot be read."
    })
public final class HiveDumpCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "the hive")
  Path file;

  @Parameters(index = "1", arity = "0..1", paramLabel = "KEYPATH",
      description = "a key below the root, backslash-separated, any case (default: the whole hive)")
  @Nullable String keyPath;

  @Option(names = "--json", description = "JSON lines: {path, lastWritten, values:[{name, type, typeName, value}]}")
  boolean json;

  @Option(names = "--root", paramLabel = "NAME",
      description = "how the hive is named in [key] lines (default from its content, e.g. HKEY_LOCAL_MACHINE\\SYSTEM)")
  @Nullable String root;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "write the .reg to FILE in UTF-16LE with a byte order mark, as regedit does")
  @Nullable Path output;

  @Option(names = "--no-replay", description = "dump the primary file as is, without its logs")
  boolean noReplay;

  @Override
  public Integer call() throws IOException {
    HiveInput in = HiveInput.load(file, List.of(), !noReplay);
    if (in.check().replay().outcome() == LogReplay.Outcome.RECOVERED) {
      spec.commandLine().getErr().println("rdpdoctor hive dump: " + file + " is dirty; dumping it after"
          + " replaying " + in.logPaths().size() + " transaction log(s) (--no-replay for the file as is)");
    }
    HiveCheck.Verdict v = in.check().verdict();
    if (v == HiveCheck.Verdict.REFUSED || v == HiveCheck.Verdict.SELF_HEALED || v == HiveCheck.Verdict.LOGS_NEEDED) {
      spec.commandLine().getErr().println("rdpdoctor hive dump: warning: " + file + ": " + v.words()
          + "; unreadable parts are written as ; comments (details: rdpdoctor hive check " + file + ")");
    }
    HiveKey hiveRoot = in.root();
    RegistryKey top = hiveRoot;
    if (keyPath != null && !keyPath.isBlank()) {
      top = find(top, keyPath);
    }
    // The check detected the kind from the same bytes when its walk reached the root.
    HiveKind kind = in.check().kind() != HiveKind.OTHER ? in.check().kind() : HiveKind.detect(hiveRoot);
    String prefix = root != null ? root : defaultRoot(kind, file);
    if (top.path().length() > 0) {
      prefix = prefix + "\\" + RegNames.escape(top.path());
    }
    if (json) {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      // JSON lines hold keys only; what the walk could not write goes to stderr, never silently.
      java.util.Set<RegistryKey> recovered = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      RegistryWalker.walk(top, new RegistryWalker.Visitor() {
        @Override
        public void key(RegistryKey k, int d) {
          Map<String, Object> j = keyJson(k);
          if (recovered.remove(k)) {
            j.put("recovered", "parent field"); // found in the hive bins, not in its parent's subkeys list
          }
          out.println(Json.LINES.writeValueAsString(j));
        }

        @Override
        public void recovered(RegistryKey k, java.util.List<? extends RegistryKey> found) {
          recovered.addAll(found);
          err.println("rdpdoctor hive dump: " + found.size() + " subkey(s) of " + RegNames.escape(k.path())
              + " recovered from key nodes that name it as their parent (marked \"recovered\")");
        }

        @Override
        public void error(RegistryKey k, DecodeException e) {
          err.println("rdpdoctor hive dump: subkeys of " + RegNames.escape(k.path()) + " not readable: " + e.getMessage());
        }

        @Override
        public void repeated(RegistryKey k, int d) {
          err.println("rdpdoctor hive dump: " + RegNames.escape(k.path()) + " not written: it is key node 0x"
              + Long.toHexString(k.cellOffset()) + ", already written under another key (the hive lists it twice)");
        }
      });
      out.flush();
      err.flush();
      return ExitCodes.OK;
    }
    if (output != null) {
      try (Writer w = Files.newBufferedWriter(output, StandardCharsets.UTF_16LE)) {
        w.write('\uFEFF');
        RegWriter.write(top, prefix, w);
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      return ExitCodes.OK;
    }
    // UTF-8 bytes straight into stdout: the same bytes as through an OutputStreamWriter, without
    // a second pass turning 13 million chars of a SYSTEM hive into bytes.
    RegWriter.writeUtf8(top, prefix, System.out);
    System.out.flush();
    return ExitCodes.OK;
  }

  static RegistryKey find(RegistryKey root, String path) {
    // A name copied from the output comes back to its raw code units.
    String p = RegNames.unescape(path.replace('/', '\\'));
    try {
      RegistryKey k = root.find(p);
      if (k == null) {
        throw new UserError(ExitCodes.FOUND, "no key " + path + " in this hive (paths start below the"
            + " root, e.g. ControlSet001\\Control; list the top keys with: rdpdoctor hive dump FILE --json | head)");
      }
      return k;
    } catch (DecodeException e) {
      throw new UserError(ExitCodes.IO, "cannot read the way to " + path + ": " + e.getMessage());
    }
  }

  static String defaultRoot(HiveKind kind, Path file) {
    return switch (kind) {
      case SYSTEM -> "HKEY_LOCAL_MACHINE\\SYSTEM";
      case SOFTWARE -> "HKEY_LOCAL_MACHINE\\SOFTWARE";
      case SAM -> "HKEY_LOCAL_MACHINE\\SAM";
      case SECURITY -> "HKEY_LOCAL_MACHINE\\SECURITY";
      case NTUSER -> "HKEY_CURRENT_USER";
      case USRCLASS -> "HKEY_CURRENT_USER\\Software\\Classes";
      case OTHER -> "HKEY_LOCAL_MACHINE\\" + file.getFileName().toString().toUpperCase(Locale.ROOT);
    };
  }

  static Map<String, Object> keyJson(RegistryKey k) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", RegNames.escape(k.path())); // as in the .reg text: distinct keys stay distinct
    if (k.lastWritten() != null) {
      m.put("lastWritten", k.lastWritten().toString());
    }
    List<Map<String, Object>> values = new ArrayList<>();
    try {
      for (RegistryValue v : k.values()) {
        values.add(valueJson(v));
      }
    } catch (DecodeException e) {
      m.put("error", e.getMessage());
    }
    m.put("values", values);
    return m;
  }

  static Map<String, Object> valueJson(RegistryValue v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", RegNames.escape(v.name()));
    m.put("type", v.type());
    m.put("typeName", v.typeName());
    Object value = v.asNumber() != null ? v.asNumber()
        : v.asString() != null ? v.asString()
        : v.asStrings() != null ? v.asStrings() : null;
    if (value != null) {
      m.put("value", value);
    }
    m.put("hex", HexFormat.of().formatHex(v.data()));
    return m;
  }

}
