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
 * source, the volume and age of its event records, whether it explains the codes the user reported
 * or the pair they form, and whether a live fact contradicts it), then the number of independent
 * sources, then specificity (how many field tests the proof passed), then the id for a stable order.
 * An event record proves one finding only (see {@link #onePerRecord}). README "How ranking works"
 * gives the numbers.
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
    Instant newest = newestRecord(observations);
    List<Candidate> fired = new ArrayList<>();
    for (Rule r : rules) {
      Candidate c = candidate(r, index, now);
      if (c != null) {
        fired.add(c);
      }
    }
    List<Finding> found = new ArrayList<>();
    for (Candidate c : onePerRecord(fired)) {
      found.add(finding(c, index, now, codes, newest));
    }
    found.sort(RANKING);
    return new Diagnosis(alternatives(found), observations, rules.size(), now);
  }

  /** Whether {@code rule} fires on {@code observations} (the examples test uses this). */
  public static @Nullable Finding fire(Rule rule, List<Observation> observations, Instant now) {
    Index index = new Index(observations);
    Candidate c = candidate(rule, index, now);
    return c == null ? null : finding(c, index, now, index.of(Set.of("code")), newestRecord(observations));
  }

  /**
   * A rule whose condition held: the combinations that prove it (after its boosts), the confidence
   * so far and its reasons. Mutable only while {@link #onePerRecord} settles which records it keeps.
   */
  private static final class Candidate {
    final Rule rule;
    final Set<String> context;
    List<Env> envs;
    double confidence;
    final List<String> reasons = new ArrayList<>();

    Candidate(Rule rule, List<Env> envs) {
      this.rule = rule;
      this.envs = envs;
      this.context = contextNames(rule);
    }

    /**
     * The field tests of the leaves that actually bound the proof (its best combination), context
     * left out: "wrong password" fired by its Security 4625 leaf (event id, status, logon type) is
     * more specific than "many failed logons" (event id, logon type), although its {@code any}
     * also has a one-test branch for a typed code.
     */
    int specificity() {
      Map<String, Integer> leaves = new HashMap<>();
      leafTests(rule.when(), leaves);
      rule.boosts().forEach(b -> leafTests(b.when(), leaves));
      int best = 0;
      for (Env e : envs) {
        int n = 0;
        for (String k : e.bound().keySet()) {
          if (!context.contains(k)) {
            n += leaves.getOrDefault(k, 0);
          }
        }
        best = Math.max(best, n);
      }
      return best;
    }

    /** The event records this candidate rests on (not its context), each once. */
    Set<Observation> records() {
      Set<Observation> out = Collections.newSetFromMap(new IdentityHashMap<>());
      for (Env e : envs) {
        e.bound().forEach((k, v) -> {
          if (!context.contains(k)) {
            for (Observation o : v) {
              if (o.provenance().source() == Provenance.Source.EVTX) {
                out.add(o);
              }
            }
          }
        });
      }
      return out;
    }
  }

  private static void leafTests(Condition c, Map<String, Integer> out) {
    switch (c) {
      case Condition.All a -> a.children().forEach(x -> leafTests(x, out));
      case Condition.Any a -> a.children().forEach(x -> leafTests(x, out));
      case Condition.Not n -> {}
      case Condition.Match m -> out.put(m.name(), 1 + RuleParser.tests(m.where()));
      case Condition.Count k -> out.put(k.name(), 1 + RuleParser.tests(k.where()));
    }
  }

  private static @Nullable Candidate candidate(Rule r, Index index, Instant now) {
    List<Env> envs = evaluate(r.when(), List.of(Env.EMPTY), index, now);
    if (envs.isEmpty()) {
      return null;
    }
    Candidate c = new Candidate(r, envs);
    c.confidence = r.confidence();
    c.reasons.add("rule base " + Texts.fixed(r.confidence(), 2));
    // Boosts run on the environments the condition produced, so they can join with its names.
    for (Rule.Boost b : r.boosts()) {
      List<Env> more = evaluate(b.when(), envs, index, now);
      if (!more.isEmpty()) {
        c.confidence += b.by();
        c.reasons.add(Texts.signed(b.by(), 2) + ": " + b.because());
        c.envs = more;
      }
    }
    return c;
  }

  /** Names bound by {@code context: true} leaves of the rule's condition and boosts. */
  private static Set<String> contextNames(Rule r) {
    Set<String> out = new LinkedHashSet<>();
    contextNames(r.when(), out);
    for (Rule.Boost b : r.boosts()) {
      contextNames(b.when(), out);
    }
    return out;
  }

  private static void contextNames(Condition c, Set<String> out) {
    switch (c) {
      case Condition.All a -> a.children().forEach(x -> contextNames(x, out));
      case Condition.Any a -> a.children().forEach(x -> contextNames(x, out));
      case Condition.Not n -> {}
      case Condition.Match m -> {
        if (m.context()) {
          out.add(m.name());
        }
      }
      case Condition.Count k -> {
        if (k.context()) {
          out.add(k.name());
        }
      }
    }
  }

  /**
   * One record proves one finding. Two rules often match the same event (a 4625 with SubStatus
   * 0xC000006A is both "wrong password" and one of "many failed logons"); reporting both would count
   * one failure as two causes. The rule with more field tests (the more specific reading) keeps the
   * records it shares; the other loses them, and when nothing is left it is not reported. Each side
   * says so in its confidence reasons.
   */
  private static List<Candidate> onePerRecord(List<Candidate> fired) {
    List<Candidate> order = new ArrayList<>(fired);
    order.sort(Comparator.comparingInt((Candidate c) -> -c.specificity())
        .thenComparingDouble(c -> -c.confidence)
        .thenComparing(c -> c.rule.id()));
    Map<Observation, Candidate> owner = new IdentityHashMap<>();
    Set<Candidate> dropped = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Candidate c : order) {
      Set<Observation> records = c.records();
      Map<Candidate, Integer> taken = new LinkedHashMap<>();
      for (Observation o : records) {
        Candidate by = owner.get(o);
        if (by != null) {
          taken.merge(by, 1, Integer::sum);
        }
      }
      if (taken.isEmpty()) {
        records.forEach(o -> owner.put(o, c));
        continue;
      }
      List<Env> left = without(c, owner.keySet());
      for (Map.Entry<Candidate, Integer> t : taken.entrySet()) {
        if (left.isEmpty()) {
          t.getKey().reasons.add("reported once: " + c.rule.id() + " (fewer field tests) matched "
              + t.getValue() + " of the same record(s) and is not listed separately");
        } else {
          c.reasons.add(t.getValue() + " record(s) also matched are counted only for the more specific "
              + t.getKey().rule.id());
        }
      }
      if (left.isEmpty()) {
        dropped.add(c);
        continue;
      }
      c.envs = left;
      c.records().forEach(o -> owner.putIfAbsent(o, c));
    }
    return fired.stream().filter(c -> !dropped.contains(c)).toList();
  }

  /**
   * The candidate's combinations without the given records: a role that loses all its
   * observations loses its combination (its observation was what the combination rested on).
   */
  private static List<Env> without(Candidate c, Set<Observation> claimed) {
    List<Env> out = new ArrayList<>();
    for (Env e : c.envs) {
      Map<String, List<Observation>> m = new LinkedHashMap<>();
      boolean ok = true;
      for (Map.Entry<String, List<Observation>> b : e.bound().entrySet()) {
        List<Observation> keep = b.getValue();
        if (!c.context.contains(b.getKey())) {
          keep = keep.stream().filter(o -> !claimed.contains(o)).toList();
          if (keep.isEmpty()) {
            ok = false;
            break;
          }
        }
        m.put(b.getKey(), keep);
      }
      if (ok) {
        out.add(new Env(Collections.unmodifiableMap(m), new HashMap<>()));
      }
    }
    return out;
  }

  /** The time of the newest event record among the observations (the end of the logs), if any. */
  static @Nullable Instant newestRecord(List<Observation> observations) {
    Instant out = null;
    for (Observation o : observations) {
      if (o.provenance().source() == Provenance.Source.EVTX && o.at() != null && (out == null || o.at().isAfter(out))) {
        out = o.at();
      }
    }
    return out;
  }

  /**
   * Causes first, then weaknesses, then facts; by confidence within each. A weakness at 0.60 is
   * not a likelier answer to "why did it fail" than a cause at 0.40: it answers another question.
   */
  static final Comparator<Finding> RANKING =
      Comparator.comparing(Finding::kind)
          .thenComparingDouble((Finding f) -> -f.confidence().value())
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
        if (g.kind() != f.kind()) {
          continue; // "if not this cause, then that weakness" is no alternative
        }
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

  /**
   * Names bound so far; immutable, except {@code memo}: the text values of one field over every
   * observation of a binding ({@code in: [$clients.ipAddress]}), built once per environment so a
   * count over thousands of events does not rescan thousands of bound ones for each.
   */
  record Env(Map<String, List<Observation>> bound, Map<String, Set<String>> memo) {
    static final Env EMPTY = new Env(Map.of(), new HashMap<>());

    Env with(String name, List<Observation> obs) {
      Map<String, List<Observation>> m = new LinkedHashMap<>(bound);
      m.put(name, List.copyOf(obs));
      return new Env(Collections.unmodifiableMap(m), new HashMap<>());
    }

    /** Every value of {@code field} over the observations bound to {@code name}, as lowercase text. */
    Set<String> values(String name, String field) {
      return memo.computeIfAbsent(name + "." + field, k -> {
        Set<String> out = new java.util.HashSet<>();
        for (Observation o : bound.getOrDefault(name, List.of())) {
          Object v = field(o, field);
          if (v != null) {
            out.add(Values.text(v).toLowerCase(Locale.ROOT));
          }
        }
        return out;
      });
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
          // A reference to a binding of several observations (a count) is a set: any of its
          // values. Compared as text, which is how addresses and names are written.
          if (op instanceof Operand.Ref r && env.bound().getOrDefault(r.binding(), List.of()).size() > 1
              ? env.values(r.binding(), r.field()).contains(Values.text(v).toLowerCase(Locale.ROOT))
              : Values.same(v, resolve(op, env, now))) {
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

  /** Volume: at most this much for the number of records (reached at 2,154: 0.03 per power of ten). */
  static final double VOLUME_MAX = 0.10;

  /** Age: at most this much off for records that ended long before the newest event in the logs. */
  static final double AGE_MAX = 0.08;

  /** A contradicted finding keeps at most this confidence: it is listed to say why it is not the cause. */
  static final double CONTRADICTED_MAX = 0.20;

  private static Finding finding(Candidate cand, Index index, Instant now, List<Observation> userCodes,
      @Nullable Instant newest) {
    Rule r = cand.rule;
    List<String> reasons = new ArrayList<>(cand.reasons);
    double c = cand.confidence;
    List<Env> proofEnvs = cand.envs;

    // Proof: every observation any surviving combination bound, by role, capped per role; the
    // context roles last, so an observation that is both proof and context shows as proof.
    Map<String, LinkedHashSet<Observation>> roles = new LinkedHashMap<>();
    for (Env e : proofEnvs) {
      e.bound().forEach((k, v) -> roles.computeIfAbsent(k, x -> new LinkedHashSet<>()).addAll(v));
    }
    List<Map.Entry<String, LinkedHashSet<Observation>>> ordered = new ArrayList<>(roles.entrySet());
    ordered.sort(Comparator.comparing(e -> cand.context.contains(e.getKey())));
    List<Finding.Proof> proof = new ArrayList<>();
    Set<Observation> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Set<String> kinds = new LinkedHashSet<>();
    for (Map.Entry<String, LinkedHashSet<Observation>> e : ordered) {
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

    // Volume and recency, as an engineer reads a log: 3,558 wrong passwords say more than 2
    // disabled-account refusals, and a burst at the end of the log more than one weeks before it.
    // Logarithmic, so volume orders findings of one kind of evidence without drowning the rest.
    Set<Observation> records = cand.records();
    if (records.size() >= 2) {
      double by = Math.min(VOLUME_MAX, 0.03 * Math.log10(records.size()));
      c += by;
      reasons.add(Texts.signed(by, 2) + ": " + records.size() + " matching event records");
    }
    Instant last = null;
    for (Observation o : records) {
      if (o.at() != null && (last == null || o.at().isAfter(last))) {
        last = o.at();
      }
    }
    if (last != null && newest != null) {
      double days = Duration.between(last, newest).toMinutes() / 1440.0;
      if (days >= 1) {
        double by = Math.min(AGE_MAX, 0.02 * Math.log(1 + days) / Math.log(2));
        c -= by;
        reasons.add(Texts.signed(-by, 2) + ": its newest record is " + Texts.fixed(days, 0)
            + " day(s) older than the newest event in the logs");
      }
    }

    // Codes the user reported: a cause that explains them is more likely than one that does not.
    // A disconnect reason with a non-zero extended reason is one report (the server said why): a
    // cause explains it only if it produces both, so "0x904 with 7" is not explained by a cause
    // that only ever produces 0x904 without a server reason. What each cause produces is its
    // rule's explains: list, not code here.
    List<String> observed = new ArrayList<>();
    boolean discReported = false;
    boolean extReported = false;
    boolean extExplained = false;
    for (Observation code : userCodes) {
      String family = code.string("family");
      boolean ext = "extendedReason".equalsIgnoreCase(family) && !Values.same(code.get("value"), 0L);
      extReported |= ext;
      discReported |= "disconnectReason".equalsIgnoreCase(family);
      for (Rule.CodeRef ref : r.explains()) {
        if (codeMatches(ref, code)) {
          extExplained |= ext;
          if (!observed.contains(ref.toString())) {
            observed.add(ref.toString());
          }
        }
      }
    }
    List<String> notThePair = List.of();
    if (discReported && extReported && !extExplained) {
      notThePair = observed.stream().filter(x -> x.startsWith("disconnectReason:") || x.startsWith("*:")).toList();
      observed.removeAll(notThePair);
    }
    if (!userCodes.isEmpty()) {
      if (!observed.isEmpty()) {
        c += 0.05;
        reasons.add("+0.05: explains the reported code(s) " + String.join(", ", observed));
      } else if (!notThePair.isEmpty()) {
        c -= 0.1;
        reasons.add("-0.10: cannot produce the reported pair: it gives " + String.join(", ", notThePair)
            + " but not with the extended reason reported");
      } else {
        c -= 0.1;
        reasons.add("-0.10: does not explain the code(s) reported");
      }
    }

    // A live fact that rules the cause out outranks the code or file that points to it.
    Rule.Contradiction contradiction = null;
    List<Env> against = List.of();
    for (Rule.Contradiction ct : r.contradictedBy()) {
      against = evaluate(ct.when(), proofEnvs, index, now);
      if (!against.isEmpty()) {
        contradiction = ct;
        break;
      }
    }
    String title = r.title();
    Env first = proofEnvs.get(0);
    String explanation = render(r.explanation(), first);
    List<Finding.Remedy> remedies = new ArrayList<>();
    if (contradiction != null) {
      Env env = against.get(0);
      String because = render(contradiction.because(), env);
      double before = c;
      c = Math.min(c - 0.5, CONTRADICTED_MAX);
      reasons.add(Texts.signed(c - before, 2) + ": contradicted: " + because);
      title = "Contradicted: " + r.title();
      explanation = (observed.isEmpty() ? "This is the usual cause of what was reported"
          : "This is the usual cause of " + String.join(", ", observed))
          + ", but " + because + ". So it is not the cause here; what fits instead: " + contradiction.instead();
      for (Map.Entry<String, List<Observation>> e : env.bound().entrySet()) {
        if (!first.bound().containsKey(e.getKey())) {
          int n = 0;
          for (Observation o : e.getValue()) {
            if (n++ < MAX_PROOF_PER_ROLE && seen.add(o)) {
              proof.add(new Finding.Proof("contradicts: " + e.getKey(), o));
            }
          }
        }
      }
    } else {
      for (Rule.RemedyTemplate t : r.remediation()) {
        Map<String, String> params = new LinkedHashMap<>();
        t.with().forEach((k, v) -> params.put(k, render(v, first)));
        remedies.add(new Finding.Remedy(render(t.title(), first), render(t.detail(), first), t.fix(), params, t.safety()));
      }
    }
    c = Math.max(0.01, Math.min(0.99, c));
    return new Finding(
        r.id(), title, r.phase(), r.kind(), new Finding.Confidence(c, reasons), explanation,
        proof, r.explains().stream().map(Rule.CodeRef::toString).toList(), observed, r.ruledOutBy(),
        remedies, r.references(), List.of(), independent.size(), cand.specificity(), contradiction != null);
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
