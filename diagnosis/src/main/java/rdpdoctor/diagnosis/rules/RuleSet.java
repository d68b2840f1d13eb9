package rdpdoctor.diagnosis.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import rdpdoctor.diagnosis.yaml.ResourceFiles;
import rdpdoctor.diagnosis.yaml.YamlNode;

/** The rule files shipped in this module, under {@code rdpdoctor/rules/}, one rule per file. */
public final class RuleSet {
  public static final String FOLDER = "rdpdoctor/rules/";

  private static volatile List<Rule> builtIn;

  private RuleSet() {}

  /** Every built-in rule, parsed once; a broken file is a build error, reported with file and line. */
  public static List<Rule> builtIn() {
    List<Rule> r = builtIn;
    if (r == null) {
      try {
        r = load(ResourceFiles.list(FOLDER, ".yaml"));
      } catch (RuleFileException e) {
        throw new IllegalStateException("built-in rule file is broken: " + e.getMessage(), e);
      }
      builtIn = r;
    }
    return r;
  }

  /** Parses the named resources; fails on the first bad file or a duplicate id. */
  public static List<Rule> load(List<String> resources) throws RuleFileException {
    List<Rule> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (String name : resources) {
      Rule rule;
      try (InputStream in = ResourceFiles.open(name)) {
        rule = parse(name, in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + name, e);
      }
      if (!ids.add(rule.id())) {
        throw new RuleFileException(name, 1, "rule id '" + rule.id() + "' is used by another file");
      }
      out.add(rule);
    }
    return List.copyOf(out);
  }

  /** Parses one rule file's content. */
  public static Rule parse(String name, InputStream in) throws RuleFileException, IOException {
    try {
      return RuleParser.parse(name, YamlNode.parse(in));
    } catch (YamlNode.YamlException e) {
      throw new RuleFileException(name, e.line(), e.getMessage());
    }
  }
}
