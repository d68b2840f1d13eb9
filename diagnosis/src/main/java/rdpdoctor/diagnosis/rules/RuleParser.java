package rdpdoctor.diagnosis.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.Finding;
import rdpdoctor.diagnosis.Phase;
import rdpdoctor.diagnosis.Provenance;
import rdpdoctor.diagnosis.rules.Condition.All;
import rdpdoctor.diagnosis.rules.Condition.Any;
import rdpdoctor.diagnosis.rules.Condition.Count;
import rdpdoctor.diagnosis.rules.Condition.Match;
import rdpdoctor.diagnosis.rules.Condition.Not;
import rdpdoctor.diagnosis.rules.FieldTest.Operand;
import rdpdoctor.diagnosis.yaml.YamlNode;

/**
 * Turns one rule file into a {@link Rule}, refusing anything it does not understand: an unknown
 * key, a bad operator, a regular expression that does not compile, a placeholder that names no
 * binding, a rule without a positive and a negative example. Every refusal names the line.
 */
public final class RuleParser {
  /** When an example does not say {@code now:}, this is the present it runs in. */
  public static final Instant DEFAULT_EXAMPLE_NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static final Set<String> TOP_KEYS =
      Set.of(
          "id", "title", "phase", "kind", "confidence", "explains", "when", "boost", "explanation",
          "remediation", "ruledOutBy", "references", "examples", "notes", "contradictedBy");
  private static final Set<String> REMEDY_KEYS = Set.of("title", "detail", "fix", "with", "safety");
  private static final Set<String> MATCH_KEYS = Set.of("observation", "type", "where", "context");
  private static final Set<String> COUNT_KEYS =
      Set.of("count", "type", "where", "groupBy", "within", "atLeast", "context");
  private static final Set<String> BOOST_KEYS = Set.of("when", "by", "because");
  private static final Set<String> CONTRADICTION_KEYS = Set.of("when", "because", "instead");
  private static final Set<String> EXAMPLE_KEYS = Set.of("name", "now", "observations", "expect");
  private static final Set<String> EXAMPLE_OBS_KEYS =
      Set.of("type", "at", "source", "location", "detail", "summary", "fields");
  private static final Pattern ID = Pattern.compile("^[a-z0-9][a-z0-9-]{1,63}$");
  private static final Pattern NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]{0,40}$");
  /** {@code {name.field}} or alternatives {@code {a.x|b.y}}: the first one observed is used. */
  static final Pattern PLACEHOLDER =
      Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z0-9_.]+(?:\\|[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z0-9_.]+)*)}");
  private static final Pattern REF = Pattern.compile("^\\$([A-Za-z_][A-Za-z0-9_]*)\\.([A-Za-z0-9_.]+)$");
  private static final Pattern CODE = Pattern.compile("^([A-Za-z*][A-Za-z0-9]*):(.+)$");

  private final String file;

  private RuleParser(String file) {
    this.file = file;
  }

  /** Parses {@code root}, the document read from {@code file}. */
  public static Rule parse(String file, YamlNode root) throws RuleFileException {
    return new RuleParser(file).rule(root);
  }

  private RuleFileException error(YamlNode at, String problem) {
    return new RuleFileException(file, at.line(), problem);
  }

  private RuleFileException error(int line, String problem) {
    return new RuleFileException(file, line, problem);
  }

  private void keys(YamlNode n, Set<String> allowed, String what) throws RuleFileException {
    for (Map.Entry<String, YamlNode> e : n.map().entrySet()) {
      if (!allowed.contains(e.getKey())) {
        throw error(
            e.getValue(),
            "unknown key '" + e.getKey() + "' in " + what + " (expected one of: "
                + String.join(", ", allowed.stream().sorted().toList()) + ")");
      }
    }
  }

  private YamlNode map(@Nullable YamlNode n, YamlNode parent, String what) throws RuleFileException {
    if (n == null) {
      throw error(parent, "missing '" + what + "'");
    }
    if (!n.isMap()) {
      throw error(n, "'" + what + "' must be a map, not " + n.describe());
    }
    return n;
  }

  private String text(@Nullable YamlNode n, YamlNode parent, String what) throws RuleFileException {
    if (n == null) {
      throw error(parent, "missing '" + what + "'");
    }
    if (!n.isScalar() || n.scalar() == null || n.scalar().toString().isBlank()) {
      throw error(n, "'" + what + "' must be text, not " + n.describe());
    }
    return n.scalar().toString().strip();
  }

  private @Nullable String optText(@Nullable YamlNode n, String what) throws RuleFileException {
    if (n == null) {
      return null;
    }
    if (!n.isScalar() || n.scalar() == null) {
      throw error(n, "'" + what + "' must be text, not " + n.describe());
    }
    return n.scalar().toString().strip();
  }

  private List<String> texts(@Nullable YamlNode n, String what) throws RuleFileException {
    if (n == null) {
      return List.of();
    }
    if (!n.isList()) {
      throw error(n, "'" + what + "' must be a list");
    }
    List<String> out = new ArrayList<>();
    for (YamlNode x : n.list()) {
      out.add(text(x, n, what + " item"));
    }
    return out;
  }

  private Rule rule(YamlNode root) throws RuleFileException {
    if (!root.isMap()) {
      throw error(root, "a rule file must be a map of keys (id, title, when, ...), not " + root.describe());
    }
    keys(root, TOP_KEYS, "the rule");
    String id = text(root.get("id"), root, "id");
    if (!ID.matcher(id).matches()) {
      throw error(root.get("id"), "id '" + id + "' must be lowercase letters, digits and dashes");
    }
    String expectedFile = id + ".yaml";
    if (!file.endsWith("/" + expectedFile) && !file.equals(expectedFile)) {
      throw error(root.get("id"), "id '" + id + "' does not match the file name (expected: " + expectedFile + ")");
    }
    String title = text(root.get("title"), root, "title");
    Phase phase = phase(root.get("phase"), root);
    Finding.Kind kind = kind(root.get("kind"), root);
    double confidence = confidence(root.get("confidence"), root);
    List<Rule.CodeRef> explains = codes(root.get("explains"));
    Condition when = condition(map(root.get("when"), root, "when"), 0);
    if (!needsEvidence(when)) {
      throw error(root.get("when"), "'when' can hold without any observation (a 'not' alone, or an 'any' with a 'not' branch);"
          + " put the 'not' beside a positive condition under 'all'");
    }
    Set<String> bound = new LinkedHashSet<>();
    collectBindings(when, bound, true);
    checkRefs(when, bound);
    List<Rule.Boost> boosts = boosts(root.get("boost"), bound);
    // Placeholders may also name what a boost binds: when the boost fires its observations are
    // in the proof; when it does not, a {a.x|b.y} alternative supplies the text.
    Set<String> named = new LinkedHashSet<>(bound);
    for (Rule.Boost b : boosts) {
      collectBindings(b.when(), named, true);
    }
    String explanation = text(root.get("explanation"), root, "explanation");
    checkPlaceholders(explanation, named, root.get("explanation"));
    List<Rule.Contradiction> contradictions = contradictions(root.get("contradictedBy"), bound);
    List<Rule.RemedyTemplate> remediation = remedies(root.get("remediation"), root, named);
    List<String> ruledOutBy = texts(root.get("ruledOutBy"), "ruledOutBy");
    if (ruledOutBy.isEmpty()) {
      throw error(root, "missing 'ruledOutBy': say what evidence would show this is not the cause");
    }
    List<String> references = texts(root.get("references"), "references");
    if (references.isEmpty()) {
      throw error(root, "missing 'references': say where the facts come from");
    }
    List<Rule.Example> examples = examples(map(root.get("examples"), root, "examples"));
    return new Rule(
        id, file, title, phase, kind, confidence, explains, when, boosts, contradictions, explanation, remediation,
        ruledOutBy, references, examples, specificity(when));
  }

  private Phase phase(@Nullable YamlNode n, YamlNode root) throws RuleFileException {
    String p = text(n, root, "phase");
    for (Phase ph : Phase.values()) {
      if (ph.name().equalsIgnoreCase(p.replace('-', '_').replace(' ', '_'))) {
        return ph;
      }
    }
    throw error(n, "unknown phase '" + p + "' (expected one of: "
        + String.join(", ", java.util.Arrays.stream(Phase.values()).map(x -> x.name().toLowerCase(Locale.ROOT)).toList()) + ")");
  }

  /** {@code kind:}, absent for a cause: {@code cause}, {@code weakness} or {@code fact}. */
  private Finding.Kind kind(@Nullable YamlNode n, YamlNode root) throws RuleFileException {
    if (n == null) {
      return Finding.Kind.CAUSE;
    }
    String k = text(n, root, "kind");
    for (Finding.Kind x : Finding.Kind.values()) {
      if (x.word().equals(k)) {
        return x;
      }
    }
    throw error(n, "unknown kind '" + k + "' (expected one of: cause, weakness, fact)");
  }

  /** Words people use for confidence map to fixed numbers so rules rank consistently. */
  static double confidenceWord(String w) {
    return switch (w.toLowerCase(Locale.ROOT)) {
      case "certain" -> 0.95;
      case "high" -> 0.85;
      case "medium" -> 0.6;
      case "low" -> 0.35;
      default -> -1;
    };
  }

  private double confidence(@Nullable YamlNode n, YamlNode root) throws RuleFileException {
    if (n == null) {
      throw error(root, "missing 'confidence' (certain, high, medium, low, or a number between 0 and 1)");
    }
    Object v = n.scalar();
    double d = v instanceof Number num ? num.doubleValue() : v instanceof String s ? confidenceWord(s) : -1;
    if (!(d > 0 && d < 1)) {
      throw error(n, "confidence " + n.describe() + " is not certain, high, medium, low, or a number between 0 and 1");
    }
    return d;
  }

  private List<Rule.CodeRef> codes(@Nullable YamlNode n) throws RuleFileException {
    List<Rule.CodeRef> out = new ArrayList<>();
    for (String s : texts(n, "explains")) {
      Matcher m = CODE.matcher(s);
      Long v = m.matches() ? Values.asLong(m.group(2)) : null;
      if (v == null) {
        throw error(n, "code '" + s + "' is not family:value (for example disconnectReason:0x904)");
      }
      out.add(new Rule.CodeRef(m.group(1), v));
    }
    return out;
  }

  // ---- conditions

  private Condition condition(YamlNode n, int depth) throws RuleFileException {
    if (depth > 32) {
      throw error(n, "condition nested deeper than 32 levels");
    }
    if (!n.isMap()) {
      throw error(n, "a condition must be a map (all, any, not, observation or count), not " + n.describe());
    }
    if (n.get("all") != null || n.get("any") != null) {
      boolean all = n.get("all") != null;
      String key = all ? "all" : "any";
      keys(n, Set.of(key), "'" + key + "'");
      YamlNode list = n.get(key);
      if (!list.isList() || list.list().isEmpty()) {
        throw error(list, "'" + key + "' must be a non-empty list of conditions");
      }
      List<Condition> children = new ArrayList<>();
      for (YamlNode c : list.list()) {
        children.add(condition(c, depth + 1));
      }
      return all ? new All(children) : new Any(children);
    }
    if (n.get("not") != null) {
      keys(n, Set.of("not"), "'not'");
      return new Not(condition(n.get("not"), depth + 1));
    }
    if (n.get("observation") != null) {
      keys(n, MATCH_KEYS, "an observation condition");
      String name = name(n.get("observation"), n);
      return new Match(name, types(n), where(n.get("where"), 0), flag(n, "context"), n.line());
    }
    if (n.get("count") != null) {
      keys(n, COUNT_KEYS, "a count condition");
      String name = name(n.get("count"), n);
      YamlNode least = n.get("atLeast");
      Long atLeast = least == null ? null : Values.asLong(least.scalar());
      if (atLeast == null || atLeast < 1) {
        throw error(least == null ? n : least, "a count needs 'atLeast' with a whole number >= 1");
      }
      Duration within = null;
      YamlNode w = n.get("within");
      if (w != null) {
        within = Values.asDuration(w.scalar());
        if (within == null) {
          throw error(w, "'within' " + w.describe() + " is not a duration such as 30s, 5m, 2h or 1d");
        }
      }
      String groupBy = optText(n.get("groupBy"), "groupBy");
      return new Count(name, types(n), where(n.get("where"), 0), groupBy, within, atLeast, flag(n, "context"), n.line());
    }
    throw error(n, "a condition needs one of: all, any, not, observation, count (found: "
        + String.join(", ", n.map().keySet()) + ")");
  }

  private boolean flag(YamlNode n, String key) throws RuleFileException {
    YamlNode v = n.get(key);
    if (v == null) {
      return false;
    }
    if (!(v.scalar() instanceof Boolean b)) {
      throw error(v, "'" + key + "' must be true or false, not " + v.describe());
    }
    return b;
  }

  private String name(YamlNode n, YamlNode parent) throws RuleFileException {
    String s = text(n, parent, "observation name");
    if (!NAME.matcher(s).matches()) {
      throw error(n, "name '" + s + "' must be letters, digits and _ (it is used as {" + s + ".field})");
    }
    return s;
  }

  private Set<String> types(YamlNode n) throws RuleFileException {
    YamlNode t = n.get("type");
    if (t == null) {
      throw error(n, "missing 'type' (an observation type such as event or probe.tls.certificate)");
    }
    Set<String> out = new LinkedHashSet<>();
    if (t.isList()) {
      for (YamlNode x : t.list()) {
        out.add(text(x, t, "type"));
      }
    } else {
      out.add(text(t, n, "type"));
    }
    if (out.isEmpty()) {
      throw error(t, "'type' is an empty list");
    }
    return out;
  }

  private FieldTest where(@Nullable YamlNode n, int depth) throws RuleFileException {
    if (n == null) {
      return new FieldTest.Always();
    }
    if (depth > 32) {
      throw error(n, "'where' nested deeper than 32 levels");
    }
    if (!n.isMap() || n.map().isEmpty()) {
      throw error(n, "'where' must be a map of field: test, not " + n.describe());
    }
    List<FieldTest> tests = new ArrayList<>();
    for (Map.Entry<String, YamlNode> e : n.map().entrySet()) {
      String key = e.getKey();
      YamlNode v = e.getValue();
      switch (key) {
        case "all", "any" -> {
          if (!v.isList() || v.list().isEmpty()) {
            throw error(v, "'" + key + "' in 'where' must be a non-empty list of field tests");
          }
          List<FieldTest> children = new ArrayList<>();
          for (YamlNode c : v.list()) {
            children.add(where(c, depth + 1));
          }
          tests.add(key.equals("all") ? new FieldTest.AllOf(children) : new FieldTest.AnyOf(children));
        }
        case "not" -> tests.add(new FieldTest.NotOf(where(v, depth + 1)));
        default -> tests.addAll(fieldTests(key, v));
      }
    }
    return tests.size() == 1 ? tests.get(0) : new FieldTest.AllOf(tests);
  }

  private List<FieldTest> fieldTests(String field, YamlNode v) throws RuleFileException {
    if (v.isScalar()) {
      return List.of(new FieldTest.Compare(field, FieldTest.Op.EQ, operand(v)));
    }
    if (v.isList()) {
      return List.of(new FieldTest.In(field, operands(v), false));
    }
    List<FieldTest> out = new ArrayList<>();
    for (Map.Entry<String, YamlNode> e : v.map().entrySet()) {
      String op = e.getKey();
      YamlNode arg = e.getValue();
      switch (op) {
        case "in", "notIn" -> {
          if (!arg.isList()) {
            throw error(arg, "'" + op + "' needs a list of values");
          }
          out.add(new FieldTest.In(field, operands(arg), op.equals("notIn")));
        }
        case "matches" -> {
          String re = text(arg, v, "matches");
          try {
            out.add(new FieldTest.Matches(field, Pattern.compile(re)));
          } catch (PatternSyntaxException ex) {
            throw error(arg, "regular expression does not compile: " + ex.getDescription() + " near index " + ex.getIndex());
          }
        }
        case "present", "absent" -> {
          if (!(arg.scalar() instanceof Boolean b)) {
            throw error(arg, "'" + op + "' takes true or false, not " + arg.describe());
          }
          out.add(new FieldTest.Present(field, op.equals("present") == b));
        }
        default -> {
          FieldTest.Op o = op(op);
          if (o == null) {
            throw error(arg, "unknown operator '" + op + "' for field '" + field
                + "' (expected one of: eq ==, ne !=, lt <, le <=, gt >, ge >=, in, notIn, matches,"
                + " contains, startsWith, endsWith, hasBits, present, absent)");
          }
          if (!arg.isScalar()) {
            throw error(arg, "operator '" + op + "' needs a single value, not " + arg.describe());
          }
          out.add(new FieldTest.Compare(field, o, operand(arg)));
        }
      }
    }
    if (out.isEmpty()) {
      throw error(v, "no test given for field '" + field + "'");
    }
    return out;
  }

  private static FieldTest.@Nullable Op op(String s) {
    for (FieldTest.Op o : FieldTest.Op.values()) {
      if (o.word.equals(s) || o.symbol.equals(s)) {
        return o;
      }
    }
    return null;
  }

  private List<Operand> operands(YamlNode list) throws RuleFileException {
    List<Operand> out = new ArrayList<>();
    for (YamlNode x : list.list()) {
      if (!x.isScalar()) {
        throw error(x, "a list of values may hold only single values, not " + x.describe());
      }
      out.add(operand(x));
    }
    return out;
  }

  private Operand operand(YamlNode n) throws RuleFileException {
    Object v = n.scalar();
    if (v == null) {
      throw error(n, "a test needs a value (use present: false to test that a field is missing)");
    }
    if (v instanceof String s && s.startsWith("$")) {
      if (s.startsWith("$$")) {
        return new Operand.Literal(s.substring(1));
      }
      if (s.equals("$now")) {
        return new Operand.Now();
      }
      Matcher m = REF.matcher(s);
      if (!m.matches()) {
        throw error(n, "'" + s + "' is neither $now nor $name.field (write $$ for a literal $)");
      }
      return new Operand.Ref(m.group(1), m.group(2));
    }
    return new Operand.Literal(v);
  }

  // ---- validation across the condition

  private void collectBindings(Condition c, Set<String> out, boolean kept) throws RuleFileException {
    switch (c) {
      case All a -> {
        for (Condition x : a.children()) {
          collectBindings(x, out, kept);
        }
      }
      case Any a -> {
        for (Condition x : a.children()) {
          collectBindings(x, out, kept);
        }
      }
      case Not n -> collectBindings(n.child(), new LinkedHashSet<>(), false);
      case Match m -> bind(m.name(), m.line(), out, kept);
      case Count k -> bind(k.name(), k.line(), out, kept);
    }
  }

  private void bind(String name, int line, Set<String> out, boolean kept) throws RuleFileException {
    if (kept && !out.add(name)) {
      throw error(line, "name '" + name + "' is bound twice; give each observation its own name");
    }
  }

  private void checkRefs(Condition c, Set<String> bound) throws RuleFileException {
    Set<String> all = new LinkedHashSet<>(bound);
    allNames(c, all);
    checkRefsIn(c, all);
  }

  private static void allNames(Condition c, Set<String> out) {
    switch (c) {
      case All a -> a.children().forEach(x -> allNames(x, out));
      case Any a -> a.children().forEach(x -> allNames(x, out));
      case Not n -> allNames(n.child(), out);
      case Match m -> out.add(m.name());
      case Count k -> out.add(k.name());
    }
  }

  private void checkRefsIn(Condition c, Set<String> names) throws RuleFileException {
    switch (c) {
      case All a -> {
        for (Condition x : a.children()) {
          checkRefsIn(x, names);
        }
      }
      case Any a -> {
        for (Condition x : a.children()) {
          checkRefsIn(x, names);
        }
      }
      case Not n -> checkRefsIn(n.child(), names);
      case Match m -> checkTest(m.where(), names, m.line());
      case Count k -> checkTest(k.where(), names, k.line());
    }
  }

  private void checkTest(FieldTest t, Set<String> names, int line) throws RuleFileException {
    switch (t) {
      case FieldTest.AllOf a -> {
        for (FieldTest x : a.tests()) {
          checkTest(x, names, line);
        }
      }
      case FieldTest.AnyOf a -> {
        for (FieldTest x : a.tests()) {
          checkTest(x, names, line);
        }
      }
      case FieldTest.NotOf n -> checkTest(n.test(), names, line);
      case FieldTest.Compare cmp -> checkOperand(cmp.operand(), names, line);
      case FieldTest.In in -> {
        for (Operand o : in.operands()) {
          checkOperand(o, names, line);
        }
      }
      default -> {}
    }
  }

  private void checkOperand(Operand o, Set<String> names, int line) throws RuleFileException {
    if (o instanceof Operand.Ref r && !names.contains(r.binding())) {
      throw error(line, "'$" + r.binding() + "." + r.field() + "' refers to no observation named '" + r.binding() + "'");
    }
  }

  private void checkPlaceholders(String template, Set<String> bound, @Nullable YamlNode at) throws RuleFileException {
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      for (String alt : m.group(1).split("\\|")) {
        String name = alt.substring(0, alt.indexOf('.'));
        if (!bound.contains(name)) {
          throw error(at == null ? 0 : at.line(), "placeholder {" + m.group(1)
              + "} names no observation '" + name + "' bound in 'when' (bound: " + String.join(", ", bound) + ")");
        }
      }
    }
    if (template.replaceAll(PLACEHOLDER.pattern(), "").matches("(?s).*\\{[A-Za-z_][A-Za-z0-9_]*\\.[^}]*}.*")) {
      throw error(at == null ? 0 : at.line(), "a placeholder is malformed (write {name.field} or {a.field|b.field})");
    }
  }

  /** Whether every way the condition can hold binds at least one observation. */
  static boolean needsEvidence(Condition c) {
    return switch (c) {
      case All a -> a.children().stream().anyMatch(RuleParser::needsEvidence);
      case Any a -> a.children().stream().allMatch(RuleParser::needsEvidence);
      case Not n -> false;
      case Match m -> true;
      case Count k -> true;
    };
  }

  private static int specificity(Condition c) {
    return switch (c) {
      case All a -> a.children().stream().mapToInt(RuleParser::specificity).sum();
      case Any a -> a.children().stream().mapToInt(RuleParser::specificity).min().orElse(0);
      case Not n -> specificity(n.child());
      case Match m -> 1 + tests(m.where());
      case Count k -> 1 + tests(k.where());
    };
  }

  static int tests(FieldTest t) {
    return switch (t) {
      case FieldTest.Always a -> 0;
      case FieldTest.AllOf a -> a.tests().stream().mapToInt(RuleParser::tests).sum();
      case FieldTest.AnyOf a -> a.tests().stream().mapToInt(RuleParser::tests).min().orElse(0);
      case FieldTest.NotOf n -> tests(n.test());
      default -> 1;
    };
  }

  // ---- boosts, remedies, examples

  private List<Rule.Boost> boosts(@Nullable YamlNode n, Set<String> bound) throws RuleFileException {
    if (n == null) {
      return List.of();
    }
    if (!n.isList()) {
      throw error(n, "'boost' must be a list of {when, by, because}");
    }
    List<Rule.Boost> out = new ArrayList<>();
    for (YamlNode b : n.list()) {
      map(b, n, "boost item");
      keys(b, BOOST_KEYS, "a boost");
      Condition when = condition(map(b.get("when"), b, "when"), 0);
      Set<String> names = new LinkedHashSet<>(bound);
      allNames(when, names);
      checkRefsIn(when, names);
      YamlNode by = b.get("by");
      if (by == null || !(by.scalar() instanceof Number num) || Math.abs(num.doubleValue()) >= 0.5 || num.doubleValue() == 0) {
        throw error(by == null ? b : by, "a boost needs 'by': a number between -0.5 and 0.5, not zero");
      }
      out.add(new Rule.Boost(when, num.doubleValue(), text(b.get("because"), b, "because")));
    }
    return out;
  }

  /**
   * {@code contradictedBy:} a list of {when, because, instead}. The condition runs after the rule's
   * own, so it may join with its names; {@code because} may name what it binds.
   */
  private List<Rule.Contradiction> contradictions(@Nullable YamlNode n, Set<String> bound) throws RuleFileException {
    if (n == null) {
      return List.of();
    }
    if (!n.isList() || n.list().isEmpty()) {
      throw error(n, "'contradictedBy' must be a non-empty list of {when, because, instead}");
    }
    List<Rule.Contradiction> out = new ArrayList<>();
    for (YamlNode c : n.list()) {
      map(c, n, "contradictedBy item");
      keys(c, CONTRADICTION_KEYS, "a contradiction");
      Condition when = condition(map(c.get("when"), c, "when"), 0);
      if (!needsEvidence(when)) {
        throw error(c.get("when"), "a contradiction must name the observation that contradicts (not a 'not' alone)");
      }
      Set<String> names = new LinkedHashSet<>(bound);
      allNames(when, names);
      checkRefsIn(when, names);
      String because = text(c.get("because"), c, "because");
      checkPlaceholders(because, names, c.get("because"));
      String instead = text(c.get("instead"), c, "instead");
      out.add(new Rule.Contradiction(when, because, instead));
    }
    return out;
  }

  private List<Rule.RemedyTemplate> remedies(@Nullable YamlNode n, YamlNode root, Set<String> bound) throws RuleFileException {
    if (n == null || !n.isList() || n.list().isEmpty()) {
      throw error(n == null ? root : n, "'remediation' must be a non-empty list of steps");
    }
    List<Rule.RemedyTemplate> out = new ArrayList<>();
    for (YamlNode s : n.list()) {
      map(s, n, "remediation step");
      keys(s, REMEDY_KEYS, "a remediation step");
      String title = text(s.get("title"), s, "title");
      String detail = text(s.get("detail"), s, "detail");
      checkPlaceholders(title, bound, s.get("title"));
      checkPlaceholders(detail, bound, s.get("detail"));
      String fix = optText(s.get("fix"), "fix");
      if (fix != null && !ID.matcher(fix).matches()) {
        throw error(s.get("fix"), "fix id '" + fix + "' must be lowercase letters, digits and dashes");
      }
      Map<String, String> with = new LinkedHashMap<>();
      YamlNode w = s.get("with");
      if (w != null) {
        if (fix == null) {
          throw error(w, "'with' gives parameters to a fix snippet, but this step has no 'fix'");
        }
        map(w, s, "with");
        for (Map.Entry<String, YamlNode> e : w.map().entrySet()) {
          String v = text(e.getValue(), w, e.getKey());
          checkPlaceholders(v, bound, e.getValue());
          with.put(e.getKey(), v);
        }
      }
      String safety = optText(s.get("safety"), "safety");
      if (fix != null && safety == null) {
        throw error(s, "a step with a fix needs 'safety': what can go wrong and how to undo it");
      }
      out.add(new Rule.RemedyTemplate(title, detail, fix, with, safety));
    }
    return out;
  }

  private List<Rule.Example> examples(YamlNode n) throws RuleFileException {
    keys(n, Set.of("positive", "negative"), "'examples'");
    List<Rule.Example> out = new ArrayList<>();
    for (String kind : List.of("positive", "negative")) {
      YamlNode list = n.get(kind);
      if (list == null || !list.isList() || list.list().isEmpty()) {
        throw error(list == null ? n : list, "'examples' needs at least one " + kind
            + " example (observations on which the rule must " + (kind.equals("positive") ? "" : "not ") + "fire)");
      }
      for (YamlNode e : list.list()) {
        out.add(example(e, list, kind.equals("positive")));
      }
    }
    return out;
  }

  private Rule.Example example(YamlNode e, YamlNode parent, boolean positive) throws RuleFileException {
    map(e, parent, "example");
    keys(e, EXAMPLE_KEYS, "an example");
    String name = text(e.get("name"), e, "name");
    Instant now = DEFAULT_EXAMPLE_NOW;
    if (e.get("now") != null) {
      now = Values.asInstant(e.get("now").scalar());
      if (now == null) {
        throw error(e.get("now"), "'now' must be an ISO-8601 time such as 2026-10-03T09:00:00Z");
      }
    }
    String expect = optText(e.get("expect"), "expect");
    if (expect != null && !positive) {
      throw error(e.get("expect"), "'expect' checks the explanation, so only positive examples have it");
    }
    YamlNode obs = e.get("observations");
    if (obs == null || !obs.isList()) {
      throw error(obs == null ? e : obs, "an example needs 'observations': a list (it may be empty for a negative example)");
    }
    List<Observation> out = new ArrayList<>();
    for (YamlNode o : obs.list()) {
      out.add(observation(o, obs));
    }
    return new Rule.Example(name, positive, out, now, expect, e.line());
  }

  /**
   * An example observation of another data file (the timeline's correlation rules), in the same
   * shape and with the same checks as a rule's examples; errors name {@code file} and the line.
   */
  public static Observation exampleObservation(String file, YamlNode o, YamlNode parent) throws RuleFileException {
    return new RuleParser(file).observation(o, parent);
  }

  /**
   * An observation written in YAML: the same shape sources produce. A text value that is an
   * ISO-8601 time becomes an instant, as a source would give it.
   */
  Observation observation(YamlNode o, YamlNode parent) throws RuleFileException {
    map(o, parent, "observation");
    keys(o, EXAMPLE_OBS_KEYS, "an example observation");
    String type = text(o.get("type"), o, "type");
    Provenance.Source source = defaultSource(type);
    String s = optText(o.get("source"), "source");
    if (s != null) {
      try {
        source = Provenance.Source.valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException ex) {
        throw error(o.get("source"), "unknown source '" + s + "' (expected one of: "
            + String.join(", ", java.util.Arrays.stream(Provenance.Source.values()).map(x -> x.name().toLowerCase(Locale.ROOT)).toList()) + ")");
      }
    }
    String location = optText(o.get("location"), "location");
    Provenance prov = new Provenance(source, location == null ? "example in " + file : location,
        optText(o.get("detail"), "detail"));
    Observation.Builder b = Observation.of(type, prov);
    if (o.get("at") != null) {
      Instant at = Values.asInstant(o.get("at").scalar());
      if (at == null) {
        throw error(o.get("at"), "'at' must be an ISO-8601 time such as 2026-10-03T09:00:00Z");
      }
      b.at(at);
    }
    YamlNode fields = o.get("fields");
    if (fields != null) {
      map(fields, o, "fields");
      for (Map.Entry<String, YamlNode> f : fields.map().entrySet()) {
        b.with(f.getKey(), fieldValue(f.getValue()));
      }
    }
    String summary = optText(o.get("summary"), "summary");
    return b.summary(summary == null ? type + " " + fields(fields) : summary);
  }

  private static String fields(@Nullable YamlNode f) {
    if (f == null) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    f.map().forEach((k, v) -> parts.add(k + "=" + (v.isScalar() ? v.scalar() : v.describe())));
    return String.join(" ", parts);
  }

  private Object fieldValue(YamlNode v) throws RuleFileException {
    if (v.isMap()) {
      throw error(v, "an observation field holds a value or a list of values, not a map");
    }
    if (v.isList()) {
      List<Object> out = new ArrayList<>();
      for (YamlNode x : v.list()) {
        out.add(fieldValue(x));
      }
      return out;
    }
    Object s = v.scalar();
    if (s == null) {
      throw error(v, "an observation field cannot be null; leave it out instead");
    }
    Instant t = Values.asInstant(s);
    return t != null ? t : s;
  }

  /** The source an observation type comes from unless an example says otherwise. */
  static Provenance.Source defaultSource(String type) {
    if (type.startsWith("probe.")) {
      return Provenance.Source.PROBE;
    }
    if (type.equals("event")) {
      return Provenance.Source.EVTX;
    }
    if (type.startsWith("registry.")) {
      return Provenance.Source.REGISTRY_HIVE;
    }
    if (type.equals("code")) {
      return Provenance.Source.USER_INPUT;
    }
    if (type.equals("certificate")) {
      return Provenance.Source.CERTIFICATE;
    }
    return Provenance.Source.TEXT;
  }
}
