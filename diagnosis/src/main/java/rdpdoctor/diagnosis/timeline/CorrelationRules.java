package rdpdoctor.diagnosis.timeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.Phase;
import rdpdoctor.diagnosis.catalog.Catalog;
import rdpdoctor.diagnosis.rules.RuleFileException;
import rdpdoctor.diagnosis.rules.RuleParser;
import rdpdoctor.diagnosis.rules.Values;
import rdpdoctor.diagnosis.yaml.ResourceFiles;
import rdpdoctor.diagnosis.yaml.YamlNode;

/**
 * The correlation rules ({@code rdpdoctor/timeline/correlation.yaml}): for each channel and event
 * id, what the event means for an attempt and a session, plus the time window and the examples
 * that the test-suite runs. A person who knows RDP but not Java changes the timeline here.
 *
 * @param window an attempt with no event for this long is over
 * @param events the event rules, in file order (the first that matches an event is used)
 * @param examples observations with the attempts and sessions they must give
 */
public record CorrelationRules(Duration window, List<EventRule> events, List<Example> examples) {
  public static final String RESOURCE = "rdpdoctor/timeline/correlation.yaml";

  /** The longest window a file may set: beyond a day, unrelated connections would merge. */
  static final Duration MAX_WINDOW = Duration.ofDays(1);

  private static final Set<String> TOP = Set.of("window", "logs", "examples");
  private static final Set<String> LOG = Set.of("channel", "side", "note", "events");
  private static final Set<String> EVENT =
      Set.of("id", "where", "opens", "phase", "outcome", "code", "session", "note");
  private static final Set<String> EXAMPLE = Set.of("name", "observations", "attempts", "sessions");
  /** The fields an example may expect of an attempt (the test compares them by these names). */
  public static final Set<String> ATTEMPT_KEYS = Set.of("side", "client", "server", "user", "phases",
      "stoppedAt", "end", "code", "authenticated", "proof", "start", "durationSeconds");
  /** The fields an example may expect of a session. */
  public static final Set<String> SESSION_KEYS = Set.of("sessionId", "name", "user", "events", "addresses", "proof");

  private static volatile @Nullable CorrelationRules builtIn;

  /**
   * One example: observations shaped like the EVTX reader's, and what must come of them.
   *
   * @param name what it shows
   * @param observations the events
   * @param attempts one map of expected values per attempt, in start order (keys {@link #ATTEMPT_KEYS})
   * @param sessions one map per session (keys {@link #SESSION_KEYS}), or null when the example
   *     does not check sessions
   * @param line where it starts in the file
   */
  public record Example(String name, List<Observation> observations, List<Map<String, Object>> attempts,
      @Nullable List<Map<String, Object>> sessions, int line) {}

  public CorrelationRules {
    events = List.copyOf(events);
    examples = List.copyOf(examples);
  }

  /** The rules shipped with rdpdoctor, parsed once; a broken file is a build error. */
  public static CorrelationRules builtIn() {
    CorrelationRules r = builtIn;
    if (r == null) {
      try (InputStream in = ResourceFiles.open(RESOURCE)) {
        r = parse(RESOURCE, YamlNode.parse(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + RESOURCE, e);
      } catch (YamlNode.YamlException e) {
        throw new IllegalStateException(RESOURCE + ":" + e.line() + ": " + e.getMessage(), e);
      } catch (RuleFileException e) {
        throw new IllegalStateException("built-in correlation file is broken: " + e.getMessage(), e);
      }
      builtIn = r;
    }
    return r;
  }

  /** The first rule about {@code o}, or null when the timeline does not use the event. */
  public @Nullable EventRule find(Observation o) {
    for (EventRule r : events) {
      if (r.matches(o)) {
        return r;
      }
    }
    return null;
  }

  /** Parses a correlation file; every problem names the file and the line. */
  public static CorrelationRules parse(String file, YamlNode root) throws RuleFileException {
    keys(file, root, TOP, "the file");
    YamlNode w = root.get("window");
    Duration window = w == null ? null : Values.asDuration(w.scalar());
    if (window == null || window.isZero() || window.isNegative() || window.compareTo(MAX_WINDOW) > 0) {
      throw new RuleFileException(file, w == null ? root.line() : w.line(),
          "'window' must be a duration such as 2m, at most 1d (got: " + (w == null ? "nothing" : w.describe()) + ")");
    }
    List<EventRule> events = new ArrayList<>();
    for (YamlNode log : list(file, root, "logs")) {
      keys(file, log, LOG, "a log");
      String channel = text(file, log, "channel");
      String side = text(file, log, "side");
      if (!side.equals("client") && !side.equals("host")) {
        throw new RuleFileException(file, log.get("side").line(), "'side' must be client or host (got: '" + side + "')");
      }
      for (YamlNode e : list(file, log, "events")) {
        events.add(event(file, channel, side, e));
      }
    }
    List<Example> examples = new ArrayList<>();
    for (YamlNode e : list(file, root, "examples")) {
      examples.add(example(file, e));
    }
    return new CorrelationRules(window, events, examples);
  }

  private static EventRule event(String file, String channel, String side, YamlNode e) throws RuleFileException {
    keys(file, e, EVENT, "an event");
    Long id = e.get("id") == null ? null : Values.asLong(e.get("id").scalar());
    if (id == null || id < 0 || id > 0xFFFF) {
      throw new RuleFileException(file, e.line(), "'id' must be an event id from 0 to 65535 (got: "
          + (e.get("id") == null ? "nothing" : e.get("id").describe()) + ")");
    }
    Map<String, List<Object>> where = new LinkedHashMap<>();
    YamlNode wn = e.get("where");
    if (wn != null) {
      if (!wn.isMap()) {
        throw new RuleFileException(file, wn.line(), "'where' must map field names to a value or a list of values");
      }
      for (Map.Entry<String, YamlNode> f : wn.map().entrySet()) {
        List<Object> values = new ArrayList<>();
        for (YamlNode v : f.getValue().isList() ? f.getValue().list() : List.of(f.getValue())) {
          if (!v.isScalar() || v.scalar() == null) {
            throw new RuleFileException(file, v.line(), "'where' value of " + f.getKey() + " must be a value (got: " + v.describe() + ")");
          }
          values.add(v.scalar());
        }
        where.put(f.getKey(), values);
      }
    }
    EventRule.Opens opens = word(file, e, "opens", EventRule.Opens.class, EventRule.Opens.ALONE);
    Phase phase = word(file, e, "phase", Phase.class, null);
    EventRule.Outcome outcome = word(file, e, "outcome", EventRule.Outcome.class, null);
    Session.Kind session = word(file, e, "session", Session.Kind.class, null);
    String codeField = null;
    String codeFamily = null;
    YamlNode c = e.get("code");
    if (c != null) {
      String s = c.isScalar() && c.scalar() instanceof String t ? t : "";
      int colon = s.indexOf(':');
      if (colon <= 0 || colon == s.length() - 1) {
        throw new RuleFileException(file, c.line(), "'code' must be FIELD:FAMILY such as reason:disconnectReason (got: " + c.describe() + ")");
      }
      codeField = s.substring(0, colon);
      codeFamily = s.substring(colon + 1);
      if (!Catalog.FAMILIES.contains(codeFamily)) {
        throw new RuleFileException(file, c.line(), "unknown code family '" + codeFamily + "' (expected one of: "
            + String.join(", ", Catalog.FAMILIES) + ")");
      }
    }
    return new EventRule(channel, id, where, side, opens, phase, outcome, codeField, codeFamily, session, e.line());
  }

  private static Example example(String file, YamlNode e) throws RuleFileException {
    keys(file, e, EXAMPLE, "an example");
    String name = text(file, e, "name");
    List<Observation> obs = new ArrayList<>();
    YamlNode list = e.get("observations");
    for (YamlNode o : list(file, e, "observations")) {
      obs.add(RuleParser.exampleObservation(file, o, list));
    }
    List<Map<String, Object>> attempts = expectations(file, e, "attempts", ATTEMPT_KEYS);
    if (attempts == null) {
      throw new RuleFileException(file, e.line(), "an example needs 'attempts': the attempts it must give ([] for none)");
    }
    return new Example(name, obs, attempts, expectations(file, e, "sessions", SESSION_KEYS), e.line());
  }

  private static @Nullable List<Map<String, Object>> expectations(String file, YamlNode e, String key, Set<String> allowed)
      throws RuleFileException {
    if (e.get(key) == null) {
      return null;
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (YamlNode x : list(file, e, key)) {
      keys(file, x, allowed, "an expected " + key.substring(0, key.length() - 1));
      Map<String, Object> m = new LinkedHashMap<>();
      for (Map.Entry<String, YamlNode> f : x.map().entrySet()) {
        YamlNode v = f.getValue();
        if (v.isList()) {
          List<Object> items = new ArrayList<>();
          for (YamlNode i : v.list()) {
            items.add(i.scalar() == null ? "null" : i.scalar());
          }
          m.put(f.getKey(), items);
        } else {
          m.put(f.getKey(), v.scalar() == null ? "null" : v.scalar());
        }
      }
      out.add(m);
    }
    return out;
  }

  private static <E extends Enum<E>> @Nullable E word(String file, YamlNode e, String key, Class<E> type, @Nullable E dflt)
      throws RuleFileException {
    YamlNode n = e.get(key);
    if (n == null) {
      return dflt;
    }
    String s = n.scalar() instanceof String t ? t : "";
    String wanted = s.replace('-', '_').replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    for (E v : type.getEnumConstants()) {
      if (v.name().equals(wanted)) {
        return v;
      }
    }
    List<String> names = new ArrayList<>();
    for (E v : type.getEnumConstants()) {
      names.add(v.name());
    }
    throw new RuleFileException(file, n.line(), "unknown " + key + " " + n.describe() + " (expected one of: "
        + String.join(", ", names) + ")");
  }

  private static List<YamlNode> list(String file, YamlNode parent, String key) throws RuleFileException {
    YamlNode n = parent.get(key);
    if (n == null || !n.isList()) {
      throw new RuleFileException(file, n == null ? parent.line() : n.line(),
          "'" + key + "' must be a list (got: " + (n == null ? "nothing" : n.describe()) + ")");
    }
    return n.list();
  }

  private static String text(String file, YamlNode parent, String key) throws RuleFileException {
    YamlNode n = parent.get(key);
    if (n == null || !(n.scalar() instanceof String s) || s.isBlank()) {
      throw new RuleFileException(file, n == null ? parent.line() : n.line(),
          "'" + key + "' must be a text (got: " + (n == null ? "nothing" : n.describe()) + ")");
    }
    return s;
  }

  private static void keys(String file, YamlNode n, Set<String> allowed, String what) throws RuleFileException {
    if (!n.isMap()) {
      throw new RuleFileException(file, n.line(), what + " must be a map (got: " + n.describe() + ")");
    }
    for (String k : n.map().keySet()) {
      if (!allowed.contains(k)) {
        throw new RuleFileException(file, n.get(k).line(), "unknown key '" + k + "' in " + what
            + " (expected one of: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
      }
    }
  }
}
