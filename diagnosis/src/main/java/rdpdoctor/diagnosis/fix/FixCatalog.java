package rdpdoctor.diagnosis.fix;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.rules.RuleFileException;
import rdpdoctor.diagnosis.yaml.ResourceFiles;
import rdpdoctor.diagnosis.yaml.YamlNode;

/** The fix snippets shipped under {@code rdpdoctor/fixes/}, by id. */
public final class FixCatalog {
  public static final String FOLDER = "rdpdoctor/fixes/";
  private static final Set<String> KEYS =
      Set.of("id", "title", "runsOn", "admin", "parameters", "check", "backup", "change", "undo", "safety");

  private static volatile @Nullable FixCatalog builtIn;
  private final Map<String, FixSnippet> byId;

  private FixCatalog(Map<String, FixSnippet> byId) {
    this.byId = Map.copyOf(byId);
  }

  /** Every built-in snippet, parsed once. */
  public static FixCatalog builtIn() {
    FixCatalog c = builtIn;
    if (c == null) {
      Map<String, FixSnippet> m = new LinkedHashMap<>();
      for (String name : ResourceFiles.list(FOLDER, ".yaml")) {
        try (InputStream in = ResourceFiles.open(name)) {
          FixSnippet s = parse(name, YamlNode.parse(in));
          if (m.put(s.id(), s) != null) {
            throw new IllegalStateException(name + ": fix id '" + s.id() + "' is used twice");
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (RuleFileException e) {
          throw new IllegalStateException("built-in fix file is broken: " + e.getMessage(), e);
        } catch (YamlNode.YamlException e) {
          throw new IllegalStateException("built-in fix file is broken: " + name + ":" + e.line() + ": " + e.getMessage(), e);
        }
      }
      c = new FixCatalog(m);
      builtIn = c;
    }
    return c;
  }

  public @Nullable FixSnippet get(String id) {
    return byId.get(id);
  }

  public Map<String, FixSnippet> all() {
    return byId;
  }

  /** Parses one snippet file; every problem names the file and line. */
  public static FixSnippet parse(String file, YamlNode n) throws RuleFileException {
    if (!n.isMap()) {
      throw new RuleFileException(file, n.line(), "a fix file must be a map");
    }
    for (Map.Entry<String, YamlNode> e : n.map().entrySet()) {
      if (!KEYS.contains(e.getKey())) {
        throw new RuleFileException(file, e.getValue().line(), "unknown key '" + e.getKey() + "' in a fix (expected one of: "
            + String.join(", ", KEYS.stream().sorted().toList()) + ")");
      }
    }
    String id = text(file, n, "id");
    if (!file.endsWith("/" + id + ".yaml") && !file.equals(id + ".yaml")) {
      throw new RuleFileException(file, n.get("id").line(), "fix id '" + id + "' does not match the file name");
    }
    String runsOn = text(file, n, "runsOn");
    if (!Set.of("client", "host", "either").contains(runsOn)) {
      throw new RuleFileException(file, n.get("runsOn").line(), "runsOn must be client, host or either, not '" + runsOn + "'");
    }
    YamlNode admin = n.get("admin");
    if (admin == null || !(admin.scalar() instanceof Boolean isAdmin)) {
      throw new RuleFileException(file, admin == null ? n.line() : admin.line(), "admin must be true or false");
    }
    Map<String, Pattern> params = new LinkedHashMap<>();
    YamlNode p = n.get("parameters");
    if (p != null) {
      if (!p.isMap()) {
        throw new RuleFileException(file, p.line(), "parameters must be a map of name: regular expression");
      }
      for (Map.Entry<String, YamlNode> e : p.map().entrySet()) {
        if (!e.getKey().matches("[A-Z][A-Za-z0-9]{0,30}")) {
          throw new RuleFileException(file, e.getValue().line(), "parameter '" + e.getKey() + "' must be a PowerShell-style name (Sid, Thumbprint)");
        }
        try {
          String re = String.valueOf(e.getValue().scalar());
          if (!re.startsWith("^") || !re.endsWith("$")) {
            throw new RuleFileException(file, e.getValue().line(), "parameter pattern must be anchored with ^ and $");
          }
          params.put(e.getKey(), Pattern.compile(re));
        } catch (PatternSyntaxException ex) {
          throw new RuleFileException(file, e.getValue().line(), "regular expression does not compile: " + ex.getDescription());
        }
      }
    }
    return new FixSnippet(
        id, text(file, n, "title"), runsOn, isAdmin, params, text(file, n, "check"),
        text(file, n, "backup"), text(file, n, "change"), text(file, n, "undo"), text(file, n, "safety"));
  }

  private static String text(String file, YamlNode n, String key) throws RuleFileException {
    YamlNode v = n.get(key);
    if (v == null || !v.isScalar() || v.scalar() == null || v.scalar().toString().isBlank()) {
      throw new RuleFileException(file, v == null ? n.line() : v.line(), "missing or empty '" + key + "'");
    }
    return v.scalar().toString().strip();
  }
}
