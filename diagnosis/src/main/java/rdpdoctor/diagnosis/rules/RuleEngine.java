package rdpdoctor.diagnosis.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Diagnosis;
import rdpdoctor.diagnosis.Finding;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.Provenance;
import rdpdoctor.diagnosis.Texts;
import rdpdoctor.diagnosis.rules.FieldTest.Operand;

/**
 * Runs rules over observations and ranks what fires.
 *
 * <p>A condition is evaluated over a list of <em>environments</em> (name → observations bound so
 * far): a leaf extends each environment with every observation that passes its tests, so a later
 * leaf can compare with an earlier one ({@code sid: $profile.sid}) and the search finds every
 * consistent combination. The number of environments is capped so a log with thousands of
 * matching events cannot make the search explode; the cap only limits how many alternative
 * combinations are kept, never whether a rule fires.
 *
 * <p>Ranking: confidence first (the rule's base, its boosts, corroboration by independent kinds of
 * source, and whether it explains the codes the user reported), then the number of independent
 * sources, then specificity (how many field tests the proof passed), then the id for a stable order.
 */
public final class RuleEngine {
  /** Environments kept per step; see the class comment. */
  static final int MAX_ENVIRONMENTS = 512;

  /** Observations of one role shown in a finding's proof. */
  static final int MAX_PROOF_PER_ROLE = 25;

  private static final Pattern PLACEHOLDER = RuleParser.PLACEHOLDER;

  private final List<Rule> rules;

  public RuleEngine(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  public List<Rule> rules() {
    return rules;
  }

  /** Runs every rule over {@code observations} with {@code now} as the present; best finding first. */
  public Diagnosis diagnose(List<Observation> observations, Instant now) {
    Index index = new Index(observations);
    List<Observation> codes = index.of(Set.of("code"));
    List<Finding> found = new ArrayList<>();
    for (Rule r : rules) {
      Finding f = fire(r, index, now, codes);
      if (f != null) {
        found.add(f);
      }
    }
    found.sort(RANKING);
    return new Diagnosis(alternatives(found), observations, rules.size(), now);
  }

  /** Whether {@code rule} fires on {@code observations} (the examples test uses this). */
  public static @Nullable Finding fire(Rule rule, List<Observation> observations, Instant now) {
    Index index = new Index(observations);
    return fire(rule, index, now, index.of(Set.of("code")));
  }

  private static @Nullable Finding fire(Rule rule, Index index, Instant now, List<Observation> codes) {
    List<Env> envs = evaluate(rule.when(), List.of(Env.EMPTY), index, now);
    return envs.isEmpty() ? null : finding(rule, envs, index, now, codes);
  }

  static final Comparator<Finding> RANKING =
      Comparator.comparingDouble((Finding f) -> -f.confidence().value())
          .thenComparingInt(f -> -f.independentSources())
          .thenComparingInt(f -> -f.specificity())
          .thenComparing(Finding::id);

  /**
   * Findings compete when they belong to the same phase or explain the same reported code; each
   * lists the lower-ranked ones it competes with, so a report can say "if not this, then that".
   */
  private static List<Finding> alternatives(List<Finding> ranked) {
    List<Finding> out = new ArrayList<>();
    for (int i = 0; i < ranked.size(); i++) {
      Finding f = ranked.get(i);
      List<String> alt = new ArrayList<>();
      for (int j = i + 1; j < ranked.size(); j++) {
        Finding g = ranked.get(j);
        boolean samePhase = g.phase() == f.phase();
        boolean sameCode = !Collections.disjoint(f.explainsObserved(), g.explainsObserved());
        if (samePhase || sameCode) {
          alt.add(g.id());
        }
      }
      out.add(f.withAlternatives(alt));
    }
    return out;
  }

  // ---- environments

  /** Names bound so far; immutable. */
  record Env(Map<String, List<Observation>> bound) {
    static final Env EMPTY = new Env(Map.of());

    Env with(String name, List<Observation> obs) {
      Map<String, List<Observation>> m = new LinkedHashMap<>(bound);
      m.put(name, List.copyOf(obs));
      return new Env(Collections.unmodifiableMap(m));
    }

    @Nullable Observation first(String name) {
      List<Observation> l = bound.get(name);
      return l == null || l.isEmpty() ? null : l.get(0);
    }
  }

  /** Observations by type, in input order. */
  static final class Index {
    private final Map<String, List<Observation>> byType = new HashMap<>();

    Index(List<Observation> all) {
      for (Observation o : all) {
        byType.computeIfAbsent(o.type(), k -> new ArrayList<>()).add(o);
      }
    }

    List<Observation> of(Set<String> types) {
      if (types.size() == 1) {
        return byType.getOrDefault(types.iterator().next(), List.of());
      }
      List<Observation> out = new ArrayList<>();
      for (String t : types) {
        out.addAll(byType.getOrDefault(t, List.of()));
      }
      return out;
    }
  }

  static List<Env> evaluate(Condition c, List<Env> in, Index index, Instant now) {
    if (in.isEmpty()) {
      return in;
    }
    return switch (c) {
      case Condition.All a -> {
        List<Env> cur = in;
        for (Condition x : a.children()) {
          cur = evaluate(x, cur, index, now);
          if (cur.isEmpty()) {
            break;
          }
        }
        yield cur;
      }
      case Condition.Any a -> {
        List<Env> out = new ArrayList<>();
        for (Condition x : a.children()) {
          for (Env e : evaluate(x, in, index, now)) {
            if (out.size() < MAX_ENVIRONMENTS) {
              out.add(e);
            }
          }
        }
        yield out;
      }
      case Condition.Not n -> {
        List<Env> out = new ArrayList<>();
        for (Env e : in) {
          if (evaluate(n.child(), List.of(e), index, now).isEmpty()) {
            out.add(e);
          }
        }
        yield out;
      }
      case Condition.Match m -> {
        List<Env> out = new ArrayList<>();
        List<Observation> candidates = index.of(m.types());
        outer:
        for (Env e : in) {
          for (Observation o : candidates) {
            if (test(m.where(), o, e, now)) {
              out.add(e.with(m.name(), List.of(o)));
              if (out.size() >= MAX_ENVIRONMENTS) {
                break outer;
              }
            }
          }
        }
        yield out;
      }
      case Condition.Count k -> {
        List<Env> out = new ArrayList<>();
        List<Observation> candidates = index.of(k.types());
        for (Env e : in) {
          List<Observation> hits = new ArrayList<>();
          for (Observation o : candidates) {
            if (test(k.where(), o, e, now)) {
              hits.add(o);
            }
          }
          List<Observation> best = best(hits, k.groupBy(), k.within());
          if (best.size() >= k.atLeast()) {
            out.add(e.with(k.name(), best));
          }
        }
        yield out;
      }
    };
  }

  /** The largest set of hits that share a group value and fit in one window. */
  private static List<Observation> best(List<Observation> hits, @Nullable String groupBy, @Nullable Duration within) {
    Map<String, List<Observation>> groups = new LinkedHashMap<>();
    for (Observation o : hits) {
      String key = "";
      if (groupBy != null) {
        Object v = field(o, groupBy);
        if (v == null) {
          continue;
        }
        key = Values.text(v).toLowerCase(Locale.ROOT);
      }
      groups.computeIfAbsent(key, x -> new ArrayList<>()).add(o);
    }
    List<Observation> best = List.of();
    for (List<Observation> g : groups.values()) {
      List<Observation> cand = within == null ? g : window(g, within);
      if (cand.size() > best.size()) {
        best = cand;
      }
    }
    return best;
  }

  /** Sliding window over the observations' times; those without a time cannot be in a window. */
  private static List<Observation> window(List<Observation> g, Duration within) {
    List<Observation> timed = new ArrayList<>(g.stream().filter(o -> o.at() != null).toList());
    timed.sort(Comparator.comparing(o -> Objects.requireNonNull(o.at())));
    int bestFrom = 0;
    int bestLen = 0;
    int from = 0;
    for (int to = 0; to < timed.size(); to++) {
      Instant end = Objects.requireNonNull(timed.get(to).at());
      while (Duration.between(Objects.requireNonNull(timed.get(from).at()), end).compareTo(within) > 0) {
        from++;
      }
      if (to - from + 1 > bestLen) {
        bestLen = to - from + 1;
        bestFrom = from;
      }
    }
    return timed.subList(bestFrom, bestFrom + bestLen);
  }

  // ---- field tests

  /** A field of an observation, including the {@code obs.*} pseudo-fields; names match without case as a fallback. */
  static @Nullable Object field(Observation o, String name) {
    switch (name) {
      case "obs.type" -> {
        return o.type();
      }
      case "obs.at" -> {
        return o.at();
      }
      case "obs.summary" -> {
        return o.summary();
      }
      case "obs.source" -> {
        return o.provenance().source().name().toLowerCase(Locale.ROOT);
      }
      case "obs.location" -> {
        return o.provenance().location();
      }
      default -> {}
    }
    Object v = o.get(name);
    if (v != null) {
      return v;
    }
    for (Map.Entry<String, Object> e : o.fields().entrySet()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  private static @Nullable Object resolve(Operand op, Env env, Instant now) {
    return switch (op) {
      case Operand.Literal l -> l.value();
      case Operand.Now n -> now;
      case Operand.Ref r -> {
        Observation o = env.first(r.binding());
        yield o == null ? null : field(o, r.field());
      }
    };
  }

  static boolean test(FieldTest t, Observation o, Env env, Instant now) {
    return switch (t) {
      case FieldTest.Always a -> true;
      case FieldTest.AllOf a -> {
        for (FieldTest x : a.tests()) {
          if (!test(x, o, env, now)) {
            yield false;
          }
        }
        yield true;
      }
      case FieldTest.AnyOf a -> {
        for (FieldTest x : a.tests()) {
          if (test(x, o, env, now)) {
            yield true;
          }
        }
        yield false;
      }
      case FieldTest.NotOf n -> !test(n.test(), o, env, now);
      case FieldTest.Present p -> (field(o, p.field()) != null) == p.present();
      case FieldTest.Matches m -> {
        Object v = field(o, m.field());
        if (v instanceof List<?> l) {
          yield l.stream().anyMatch(x -> m.pattern().matcher(Values.text(x)).find());
        }
        yield v != null && m.pattern().matcher(Values.text(v)).find();
      }
      case FieldTest.In in -> {
        Object v = field(o, in.field());
        if (v == null) {
          yield false;
        }
        boolean any = false;
        for (Operand op : in.operands()) {
          if (Values.same(v, resolve(op, env, now))) {
            any = true;
            break;
          }
        }
        yield any != in.negated();
      }
      case FieldTest.Compare c -> compare(c, field(o, c.field()), resolve(c.operand(), env, now));
    };
  }

  private static boolean compare(FieldTest.Compare c, @Nullable Object actual, @Nullable Object expected) {
    if (actual == null || expected == null) {
      // A missing field fails every test, "ne" included: a rule never fires on absent evidence.
      return false;
    }
    return switch (c.op()) {
      case EQ -> Values.same(actual, expected);
      case NE -> !Values.same(actual, expected);
      case CONTAINS -> textTest(actual, expected, (a, b) -> a.contains(b));
      case STARTS_WITH -> textTest(actual, expected, (a, b) -> a.startsWith(b));
      case ENDS_WITH -> textTest(actual, expected, (a, b) -> a.endsWith(b));
      case HAS_BITS -> {
        Long a = Values.asLong(actual);
        Long mask = Values.asLong(expected);
        yield a != null && mask != null && (a & mask) == mask;
      }
      case LT, LE, GT, GE -> {
        OptionalInt cmp = Values.order(actual, expected);
        if (cmp.isEmpty()) {
          yield false;
        }
        int x = cmp.getAsInt();
        yield switch (c.op()) {
          case LT -> x < 0;
          case LE -> x <= 0;
          case GT -> x > 0;
          default -> x >= 0;
        };
      }
    };
  }

  private static boolean textTest(Object actual, Object expected, java.util.function.BiPredicate<String, String> p) {
    String b = Values.text(expected).toLowerCase(Locale.ROOT);
    if (actual instanceof List<?> l) {
      return l.stream().anyMatch(x -> p.test(Values.text(x).toLowerCase(Locale.ROOT), b));
    }
    return p.test(Values.text(actual).toLowerCase(Locale.ROOT), b);
  }

  // ---- findings

  /** Kinds of source that count as independent of each other for corroboration. */
  static String sourceKind(Provenance.Source s) {
    return switch (s) {
      case PROBE -> "probe";
      case EVTX -> "event log";
      case REGISTRY_HIVE, REG_FILE -> "registry";
      case CERTIFICATE -> "certificate file";
      case TEXT -> "command output";
      case USER_INPUT -> "user input";
    };
  }

  private static Finding finding(Rule r, List<Env> envs, Index index, Instant now, List<Observation> userCodes) {
    List<String> reasons = new ArrayList<>();
    double c = r.confidence();
    reasons.add("rule base " + Texts.fixed(c, 2));

    // Boosts run on the environments the condition produced, so they can join with its names.
    List<Env> proofEnvs = new ArrayList<>(envs);
    for (Rule.Boost b : r.boosts()) {
      List<Env> more = evaluate(b.when(), envs, index, now);
      if (!more.isEmpty()) {
        c += b.by();
        reasons.add(Texts.signed(b.by(), 2) + ": " + b.because());
        proofEnvs = more;
      }
    }

    // Proof: every observation any surviving combination bound, by role, capped per role.
    Map<String, LinkedHashSet<Observation>> roles = new LinkedHashMap<>();
    for (Env e : proofEnvs) {
      e.bound().forEach((k, v) -> roles.computeIfAbsent(k, x -> new LinkedHashSet<>()).addAll(v));
    }
    List<Finding.Proof> proof = new ArrayList<>();
    Set<Observation> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Set<String> kinds = new LinkedHashSet<>();
    for (Map.Entry<String, LinkedHashSet<Observation>> e : roles.entrySet()) {
      int n = 0;
      for (Observation o : e.getValue()) {
        kinds.add(sourceKind(o.provenance().source()));
        if (n++ < MAX_PROOF_PER_ROLE && seen.add(o)) {
          proof.add(new Finding.Proof(e.getKey(), o));
        }
      }
    }
    Set<String> independent = new LinkedHashSet<>(kinds);
    independent.remove("user input");
    if (independent.size() >= 2) {
      double by = Math.min(0.1, 0.05 * (independent.size() - 1));
      c += by;
      reasons.add(Texts.signed(by, 2) + ": corroborated by independent sources (" + String.join(" + ", independent) + ")");
    }

    // Codes the user reported: a cause that explains them is more likely than one that does not.
    List<String> observed = new ArrayList<>();
    for (Observation code : userCodes) {
      for (Rule.CodeRef ref : r.explains()) {
        if (codeMatches(ref, code) && !observed.contains(ref.toString())) {
          observed.add(ref.toString());
        }
      }
    }
    if (!userCodes.isEmpty()) {
      if (!observed.isEmpty()) {
        c += 0.05;
        reasons.add("+0.05: explains the reported code(s) " + String.join(", ", observed));
      } else {
        c -= 0.1;
        reasons.add("-0.10: does not explain the code(s) reported");
      }
    }
    c = Math.max(0.01, Math.min(0.99, c));

    Env first = proofEnvs.get(0);
    List<Finding.Remedy> remedies = new ArrayList<>();
    for (Rule.RemedyTemplate t : r.remediation()) {
      Map<String, String> params = new LinkedHashMap<>();
      t.with().forEach((k, v) -> params.put(k, render(v, first)));
      remedies.add(new Finding.Remedy(render(t.title(), first), render(t.detail(), first), t.fix(), params, t.safety()));
    }
    return new Finding(
        r.id(), r.title(), r.phase(), new Finding.Confidence(c, reasons), render(r.explanation(), first),
        proof, r.explains().stream().map(Rule.CodeRef::toString).toList(), observed, r.ruledOutBy(),
        remedies, r.references(), List.of(), independent.size(), r.specificity());
  }

  /** A {@code code} observation matches a rule's code when family (or *) and value agree. */
  static boolean codeMatches(Rule.CodeRef ref, Observation code) {
    String family = code.string("family");
    Object value = code.get("value");
    boolean familyOk = ref.family().equals("*") || (family != null && family.equalsIgnoreCase(ref.family()));
    return familyOk && Values.same(value, ref.value());
  }

  /** Fills each {@code {name.field}} (or the first observed of {@code {a.x|b.y}}) from the bound observations. */
  static String render(String template, Env env) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = null;
      for (String alt : m.group(1).split("\\|")) {
        v = value(alt.substring(0, alt.indexOf('.')), alt.substring(alt.indexOf('.') + 1), env);
        if (v != null) {
          break;
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v == null ? "(not observed)" : v));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static @Nullable String value(String name, String f, Env env) {
    List<Observation> l = env.bound().get(name);
    if (l == null || l.isEmpty()) {
      return null;
    }
    if (f.equals("count")) {
      return Integer.toString(l.size());
    }
    if (f.equals("provenance")) {
      return l.get(0).provenance().toString();
    }
    Observation o = l.get(0);
    Object x = field(o, f);
    if (x == null && f.equals("summary")) {
      return o.summary();
    }
    if (x == null && f.equals("at") && o.at() != null) {
      return o.at().toString();
    }
    return x == null ? null : Values.text(x);
  }

}
