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

  /**
   * Every event id the rules test ({@code eventId: 1053}, {@code eventId: [1057, 1058]}), in their
   * conditions and boosts. An evidence reader can keep exactly the events some rule can use, so the
   * rules, not a hand-kept list, decide which events are relevant.
   */
  public static java.util.Set<Long> eventIds(List<Rule> rules) {
    java.util.Set<Long> out = new java.util.TreeSet<>();
    for (Rule r : rules) {
      ids(r.when(), out);
      for (Rule.Boost b : r.boosts()) {
        ids(b.when(), out);
      }
    }
    return out;
  }

  private static void ids(Condition c, java.util.Set<Long> out) {
    switch (c) {
      case Condition.All a -> a.children().forEach(x -> ids(x, out));
      case Condition.Any a -> a.children().forEach(x -> ids(x, out));
      case Condition.Not n -> ids(n.child(), out);
      case Condition.Match m -> ids(m.where(), out);
      case Condition.Count k -> ids(k.where(), out);
    }
  }

  private static void ids(FieldTest t, java.util.Set<Long> out) {
    switch (t) {
      case FieldTest.AllOf a -> a.tests().forEach(x -> ids(x, out));
      case FieldTest.AnyOf a -> a.tests().forEach(x -> ids(x, out));
      case FieldTest.NotOf n -> {}
      case FieldTest.Compare cmp -> {
        if (cmp.field().equalsIgnoreCase("eventId") && cmp.op() == FieldTest.Op.EQ
            && cmp.operand() instanceof FieldTest.Operand.Literal l && Values.asLong(l.value()) != null) {
          out.add(Values.asLong(l.value()));
        }
      }
      case FieldTest.In in -> {
        if (in.field().equalsIgnoreCase("eventId") && !in.negated()) {
          for (FieldTest.Operand o : in.operands()) {
            if (o instanceof FieldTest.Operand.Literal l && Values.asLong(l.value()) != null) {
              out.add(Values.asLong(l.value()));
            }
          }
        }
      }
      default -> {}
    }
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
