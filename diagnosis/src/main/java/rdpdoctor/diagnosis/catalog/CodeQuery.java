package rdpdoctor.diagnosis.catalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Observation;

/**
 * Reads what users paste (a bare code, the Remote Desktop dialog's text, an event id with its
 * field, a FreeRDP log line, a symbolic name) and explains every code in it. No I/O: the input is
 * a string and the catalog is on the class path.
 *
 * <p>A number alone can belong to several families (7 is a disconnect reason, an extended reason,
 * an ERRINFO code and an xfreerdp exit code). Each candidate gets a score from the context: a
 * label typed before it ("Extended error code:", "Status", "alert"), the event it belongs to
 * (event 4625's numbers are NTSTATUS codes), its form (an 8-digit hex or a negative number is an
 * HRESULT or NTSTATUS), and its position in a pair (the first of "0x904 0x7" is the disconnect
 * reason). The best candidate is the reading; the rest are listed as alternatives.
 *
 * <p>Numbers that are not codes (the dialog's time stamp, FreeRDP's process id, addresses, ports,
 * versions) are recognised by {@link TextLayout} first, reported as skipped and never decoded; and
 * messages that carry no code at all are matched by their text ({@link MessageCatalog}).
 */
public final class CodeQuery {

  // A bare 8-digit hex word with a letter in it (C000006E), a symbolic name, or a number (0x hex,
  // decimal, negative decimal).
  private static final Pattern TOKEN =
      Pattern.compile(
          "(?<bare>\\b(?=[0-9]*[A-Fa-f])[0-9A-Fa-f]{8}\\b)"
              + "|(?<name>[A-Za-z][A-Za-z0-9_]*[A-Za-z0-9])"
              // not part of an address or a version ("10.0.0.1", "2.3")
              + "|(?<![\\w.])(?<num>-?0[xX][0-9A-Fa-f]+|-?\\d+)(?![A-Za-z0-9_]|\\.\\d)");

  // Words shaped like a symbolic code name; unknown ones are reported as unrecognised.
  private static final Pattern CODE_NAME =
      Pattern.compile(
          "(?i)(ERRINFO|ERRCONNECT|SEC_E|CRYPT_E|CERT_E|E_PROXY|STATUS|SSL_ERR|XF_EXIT|exDiscReason|disconnectReason)_?\\w*");

  /** How far before a number its label may be: "Extended error code:" and some spacing. */
  private static final int LABEL_REACH = 160;

  private static final Map<String, Integer> PRIOR = new HashMap<>();

  static {
    // How likely a bare number is to be from each family when nothing else is known: the dialog
    // codes and HRESULTs are what people paste most; flags and exit codes least.
    PRIOR.put("disconnectReason", 40);
    PRIOR.put("extendedReason", 30);
    PRIOR.put("errinfo", 25);
    PRIOR.put("hresult", 35);
    PRIOR.put("tsgu", 34);
    PRIOR.put("ntstatus", 35);
    PRIOR.put("negFailure", 8);
    PRIOR.put("tlsAlert", 8);
    PRIOR.put("lsmReason", 10);
    PRIOR.put("freerdpConnect", 6);
    PRIOR.put("xfreerdpExit", 5);
    PRIOR.put("negProtocol", 3);
    PRIOR.put("negRequestFlag", 2);
    PRIOR.put("negResponseFlag", 2);
  }

  private CodeQuery() {}

  /** The {@code code} observations for every code in {@code text}: the diagnosis engine's entry. */
  public static List<Observation> observations(String text) {
    return explain(text).observations();
  }

  /** Explains every code and event in {@code text}. Never throws for any input. */
  public static Explanation explain(String text) {
    return new Run(text).run();
  }

  /** What the text just before a number says it is. */
  enum Label {
    NONE,
    DISC,
    EXT,
    REASON,
    STATUS,
    ALERT,
    NEG,
    ERRINFO,
    EXIT,
    EVENT,
    HRESULT
  }

  /** One number found in the input, with its context. */
  private record Num(
      String token, long value, boolean hex, boolean negative, Label label, String labelText) {}

  private static final class Run {
    private final String text;
    private final List<Reading> codes = new ArrayList<>();
    private final List<Reading> alternatives = new ArrayList<>();
    private final List<PairReading> pairs = new ArrayList<>();
    private final List<EventEntry> events = new ArrayList<>();
    private final List<String> unrecognised = new ArrayList<>();
    private final List<MessageReading> messages;
    private final List<Skipped> skipped;
    /** The input with every non-code number blanked (same length): what codes are read from. */
    private final String masked;

    Run(String text) {
      this.text = text == null ? "" : text;
      this.skipped = TextLayout.skips(this.text);
      this.masked = TextLayout.mask(this.text, skipped);
      this.messages = Catalog.messages().find(this.text);
    }

    Explanation run() {
      List<Num> numbers = new ArrayList<>();
      Matcher m = TOKEN.matcher(masked);
      int lastEnd = 0;
      int consumedUntil = -1; // a number right after a symbolic name is that name's own value
      Reading lastNamed = null;
      while (m.find()) {
        if (m.group("name") != null) {
          Reading named = byName(m.group("name"));
          if (named != null) {
            // a log repeats its error line on every retry: one reading per name
            if (codes.stream().noneMatch(c -> c.entry().equals(named.entry()))) {
              codes.add(named);
            }
            lastNamed = named;
            consumedUntil = m.end() + 24;
          } else if (looksLikeCodeName(m.group("name"))) {
            unrecognised.add(m.group("name"));
          }
          // Words are context for the next number: keep them in "between" by not moving lastEnd.
          continue;
        }
        // A label sits just before its number; looking further back only finds stale labels (and
        // made a long paste quadratic).
        String between = masked.substring(Math.max(lastEnd, m.start() - LABEL_REACH), m.start());
        String tok = m.group("num") != null ? m.group("num") : m.group("bare");
        Num n = number(tok, between, m.group("bare") != null);
        lastEnd = m.end();
        if (n == null) {
          unrecognised.add(tok);
          continue;
        }
        if (lastNamed != null && m.start() <= consumedUntil && sameCode(lastNamed, n.value())) {
          continue; // "ERRINFO_SERVER_DENIED_CONNECTION (0x00000007)": the name's own number
        }
        numbers.add(n);
      }
      readNumbers(numbers);
      return new Explanation(
          text, codes, alternatives, pairs, events, messages, causes(), contested(), skipped, unrecognised);
    }

    /** Events first, then pairs, then every other number on its own. */
    private void readNumbers(List<Num> numbers) {
      // Event ids: labelled "event", or a known id of 1000 and above followed by more numbers.
      EventEntry event = null;
      int fieldIndex = 0;
      List<Num> rest = new ArrayList<>();
      for (int i = 0; i < numbers.size(); i++) {
        Num n = numbers.get(i);
        boolean labelled = n.label() == Label.EVENT;
        boolean implicit = !n.hex() && n.value() >= 1000 && i + 1 < numbers.size() && i == 0;
        if ((labelled || implicit) && n.value() <= 65535) {
          List<EventEntry> found = Catalog.events().withId((int) n.value());
          if (!found.isEmpty() && (labelled || !found.get(0).codeFields().isEmpty())) {
            events.addAll(found);
            event = found.get(0);
            fieldIndex = 0;
            continue;
          }
          if (labelled) {
            unrecognised.add("event " + n.token());
            continue;
          }
        }
        if (event != null && !event.codeFields().isEmpty()) {
          List<EventField> fields = event.codeFields();
          EventField f = fields.get(Math.min(fieldIndex, fields.size() - 1));
          fieldIndex++;
          Reading r = readAs(n, f.decodes(), "event " + event.id() + " field " + f.name());
          if (r != null) {
            choose(n, r);
            continue;
          }
        }
        rest.add(n);
      }
      readPairs(rest);
    }

    private void readPairs(List<Num> rest) {
      Num disc = null;
      Num ext = null;
      for (Num n : rest) {
        if (n.label() == Label.DISC && disc == null) {
          disc = n;
        } else if (n.label() == Label.EXT && ext == null) {
          ext = n;
        }
      }
      String how = "labelled";
      if (disc == null
          && ext == null
          && rest.size() == 2
          && rest.get(0).label() == Label.NONE
          && rest.get(1).label() == Label.NONE
          && Catalog.find("disconnectReason", rest.get(0).value()).isPresent()
          && Catalog.find("extendedReason", rest.get(1).value()).isPresent()) {
        disc = rest.get(0);
        ext = rest.get(1);
        how = "position";
      }
      Reading discReading = null;
      Reading extReading = null;
      if (disc != null) {
        discReading =
            readAs(disc, "disconnectReason", how.equals("labelled") ? "labelled 'Error code'" : "first of two codes: the disconnect reason");
      }
      if (ext != null) {
        extReading =
            readAs(ext, "extendedReason", how.equals("labelled") ? "labelled 'Extended error code'" : "second of two codes: the extended reason");
      }
      // The dialog's "Error code: 0x1608 / Extended error code: 0x0": with both labels the first is
      // certainly a disconnect reason, so one the tables lack is unknown, not some other family's.
      boolean unknownDialogCode = disc != null && discReading == null && ext != null && disc.value() <= 0xFFFF;
      for (Num n : rest) {
        if (n == disc && unknownDialogCode) {
          unrecognised.add(n.token());
        } else if (n == disc && discReading != null) {
          choose(n, discReading);
        } else if (n == ext && extReading != null) {
          choose(n, extReading);
        } else {
          choose(n, null);
        }
      }
      if (discReading != null && extReading != null) {
        Optional<Combination> c = Catalog.combination(discReading.value(), extReading.value());
        Reading d = discReading;
        Reading e = extReading;
        c.ifPresent(comb -> pairs.add(new PairReading(d, e, comb)));
      }
    }

    /** Records the reading of {@code n}: {@code forced} if given, else the best candidate. */
    private void choose(Num n, @Nullable Reading forced) {
      List<Reading> candidates = candidates(n);
      if (forced != null) {
        candidates.removeIf(r -> r.entry().equals(forced.entry()));
        candidates.add(0, forced);
      }
      if (candidates.isEmpty()) {
        unrecognised.add(n.token());
        return;
      }
      Reading best = candidates.get(0);
      if (candidates.size() == 1 && best.why().startsWith("no context")) {
        best =
            new Reading(best.token(), best.value(), best.entry(), best.score(),
                "the only family that has this number", best.related());
      }
      codes.add(best);
      for (Reading alt : candidates.subList(1, candidates.size())) {
        alternatives.add(alt);
      }
    }

    /** Every family {@code n} could be, best first. */
    private List<Reading> candidates(Num n) {
      List<Reading> out = new ArrayList<>();
      for (String family : Catalog.FAMILIES) {
        Reading r = readAs(n, family, null);
        if (r != null) {
          out.add(r);
        }
      }
      // FreeRDP's own error numbers: class 1 is ERRINFO, class 2 is ERRCONNECT.
      long cls = n.value() >>> 16;
      long low = n.value() & 0xFFFF;
      if (cls == 1 || cls == 2) {
        String family = cls == 1 ? "errinfo" : "freerdpConnect";
        Optional<CodeEntry> e = Catalog.find(family, low);
        if (e.isPresent() && !e.get().isRange()) {
          out.add(
              reading(n.token(), low, e.get(), 45 + (n.hex() ? 20 : 0), "FreeRDP error code class " + cls + " = " + family));
        }
      }
      // RD Gateway codes are often logged as the low word only (0x59DD for 0x800759DD); the
      // gateway's own events write it in decimal ("error 23002"). A named gateway code read that
      // way outranks a range entry (extended reasons 4096-32767 hold every such number) but not
      // an exact code of a family people paste more.
      if (n.value() <= 0xFFFF && n.value() >= 0x4CA) {
        Catalog.find("tsgu", 0x8007_0000L | n.value())
            .filter(e -> !e.isRange())
            .ifPresent(
                e ->
                    out.add(
                        reading(n.token(), e.value(), e, (n.hex() ? 35 : 28) + (n.label() == Label.HRESULT ? 100 : 0),
                            "RD Gateway code written as its low word (HRESULT_CODE)")));
      }
      out.sort(Comparator.comparingInt(Reading::score).reversed());
      return out;
    }

    /** {@code n} read as a code of {@code family}, or null when the family has no such code. */
    private @Nullable Reading readAs(Num n, String family, @Nullable String forcedWhy) {
      Optional<CodeEntry> found = Catalog.find(family, n.value());
      if (found.isEmpty() && family.equals("tsgu") && forcedWhy != null && n.value() <= 0xFFFF) {
        // a gateway event's ErrorCode is the low word in decimal: 23002 is 0x800759DA
        Optional<CodeEntry> low = Catalog.find(family, 0x8007_0000L | n.value()).filter(e -> !e.isRange());
        if (low.isPresent()) {
          return reading(n.token(), low.get().value(), low.get(), PRIOR.getOrDefault(family, 0) + 200,
              forcedWhy + " (the low word of the HRESULT, HRESULT_CODE)");
        }
      }
      if (found.isEmpty()) {
        return null;
      }
      CodeEntry e = found.get();
      int score = PRIOR.getOrDefault(family, 0);
      List<String> why = new ArrayList<>();
      if (forcedWhy != null) {
        score += 200;
        why.add(forcedWhy);
      }
      int labelBonus = labelBonus(n.label(), family);
      if (labelBonus > 0) {
        score += labelBonus;
        if (forcedWhy == null) {
          why.add("labelled '" + n.labelText() + "'");
        }
      }
      boolean signedFamily = Catalog.family(family).signedForm();
      if (signedFamily && (n.negative() || (n.hex() && n.value() >= 0x8000_0000L))) {
        score += 20;
        why.add(n.negative() ? "negative number: a signed HRESULT/NTSTATUS" : "severity bit set: an HRESULT/NTSTATUS");
      }
      if (e.isRange()) {
        score -= 5;
      }
      if (why.isEmpty()) {
        why.add("no context; " + family + " is a family this number exists in");
      }
      return reading(n.token(), n.value(), e, score, String.join("; ", why));
    }

    private static int labelBonus(Label label, String family) {
      return switch (label) {
        case DISC -> family.equals("disconnectReason") ? 100 : 0;
        case EXT -> switch (family) {
          case "extendedReason" -> 100;
          case "errinfo" -> 80;
          default -> 0;
        };
        case REASON -> switch (family) {
          case "disconnectReason", "extendedReason", "lsmReason" -> 40;
          case "errinfo" -> 30;
          default -> 0;
        };
        case STATUS -> family.equals("ntstatus") ? 100 : family.equals("hresult") ? 30 : 0;
        case ALERT -> family.equals("tlsAlert") ? 100 : 0;
        case NEG -> family.equals("negFailure") ? 100 : family.startsWith("neg") ? 50 : 0;
        case ERRINFO -> family.equals("errinfo") ? 100 : family.equals("extendedReason") ? 60 : 0;
        case EXIT -> family.equals("xfreerdpExit") ? 100 : 0;
        case HRESULT -> family.equals("hresult") || family.equals("tsgu") ? 100 : 0;
        case NONE, EVENT -> 0;
      };
    }

    private static Reading reading(String token, long value, CodeEntry e, int score, String why) {
      List<CodeEntry> related = new ArrayList<>();
      for (String rel : e.related()) {
        String[] parts = rel.split(":", 2);
        Long v = parts.length == 2 ? CodeEntry.parseNumber(parts[1]) : null;
        if (v != null && Catalog.FAMILIES.contains(parts[0])) {
          Catalog.find(parts[0], v).ifPresent(related::add);
        }
      }
      // Protocol-range extended reasons are the ERRINFO code with the same number.
      if (e.isRange() && e.family().equals("extendedReason")) {
        Catalog.find("errinfo", value).filter(x -> !x.isRange()).ifPresent(related::add);
      }
      return new Reading(token, value, e, score, why, related);
    }

    private @Nullable Reading byName(String word) {
      if (word.length() <= 3) {
        return null;
      }
      return Catalog.byName(word)
          .map(e -> reading(word, e.value(), e, 300, "symbolic name"))
          .orElse(null);
    }

    private static boolean sameCode(Reading named, long v) {
      long value = named.value();
      return v == value
          || v == ((1L << 16) | value) && named.family().equals("errinfo")
          || v == ((2L << 16) | value) && named.family().equals("freerdpConnect");
    }

    private static boolean looksLikeCodeName(String word) {
      return CODE_NAME.matcher(word).matches() && word.length() > 6;
    }

    private @Nullable Num number(String tok, String before, boolean bare) {
      String t = tok;
      boolean negative = t.startsWith("-");
      if (negative) {
        t = t.substring(1);
      }
      boolean hex = bare || t.startsWith("0x") || t.startsWith("0X");
      String digits = bare ? t : hex ? t.substring(2) : t;
      if (digits.isEmpty() || digits.length() > (hex ? 8 : 10)) {
        return null;
      }
      long v;
      try {
        v = Long.parseLong(digits, hex ? 16 : 10);
      } catch (NumberFormatException e) {
        return null;
      }
      if (negative) {
        if (hex || v > 0x8000_0000L) {
          return null;
        }
        v = (-v) & 0xFFFF_FFFFL; // -2146893022 is 0x80090322
      }
      if (v > 0xFFFF_FFFFL) {
        return null;
      }
      return new Num(tok, v, hex, negative, label(before), labelText(before));
    }

    private static final Pattern EXIT_STATUS = Pattern.compile("\\bexit (?:status|code)[\\s:=]*$");

    /** The label the words before a number give it; the nearest label wins. */
    private static Label label(String before) {
      String b = before.toLowerCase(Locale.ROOT);
      Map<Label, Integer> at = new LinkedHashMap<>();
      find(at, b, Label.EXT, "extended");
      find(at, b, Label.DISC, "error code");
      find(at, b, Label.REASON, "reason");
      find(at, b, Label.STATUS, "status");
      find(at, b, Label.ALERT, "alert");
      find(at, b, Label.NEG, "failurecode", "failure code", "rdp_neg", "negotiation");
      find(at, b, Label.ERRINFO, "errinfo", "error info", "protocol error");
      find(at, b, Label.EXIT, "exit");
      find(at, b, Label.EVENT, "event", "eventid", "id ");
      find(at, b, Label.HRESULT, "hresult", "hr=", "0x8007");
      // "exit status 1" (xfreerdp's "Freerdp connect error exit status 1") labels the exit code,
      // not an NTSTATUS: the nearer "status" must not win over the "exit" that qualifies it.
      if (EXIT_STATUS.matcher(b).find()) {
        return Label.EXIT;
      }
      // "Extended error code" contains "error code": the extended label outranks it.
      if (at.containsKey(Label.EXT) && at.containsKey(Label.DISC)) {
        at.remove(Label.DISC);
      }
      return at.entrySet().stream()
          .max(Map.Entry.comparingByValue())
          .map(Map.Entry::getKey)
          .orElse(Label.NONE);
    }

    /** The words just before a number, for "labelled '...'" explanations. */
    private static String labelText(String before) {
      String t = before.replaceAll("[\\s:=,(\\[]+$", "").strip();
      int cut = Math.max(0, t.length() - 40);
      String tail = t.substring(cut);
      int sentence = Math.max(tail.lastIndexOf(". "), tail.lastIndexOf(", "));
      return (sentence >= 0 ? tail.substring(sentence + 2) : tail).strip();
    }

    private static void find(Map<Label, Integer> at, String b, Label label, String... words) {
      for (String w : words) {
        int i = b.lastIndexOf(w);
        // "id " must be a word of its own: "did not meet" (the gateway's event texts) is no label
        while (i > 0 && w.equals("id ") && Character.isLetter(b.charAt(i - 1))) {
          i = b.lastIndexOf(w, i - 1);
        }
        if (i >= 0) {
          at.merge(label, i, Math::max);
        }
      }
    }

    /**
     * Pair causes first; then each message's (a dialog's own words are more specific than a code
     * seen beside them); then every code's causes, surest first; each title once.
     */
    private List<RankedCause> causes() {
      List<RankedCause> out = new ArrayList<>();
      Set<String> titles = new LinkedHashSet<>();
      Set<Reading> covered = new java.util.HashSet<>();
      for (PairReading p : pairs) {
        for (Cause c : p.combination().causes()) {
          if (titles.add(c.title())) {
            out.add(new RankedCause(c, p.label()));
          }
        }
        if (!p.combination().causes().isEmpty()) {
          covered.add(p.disconnect());
          covered.add(p.extended());
        }
      }
      for (MessageReading mr : messages) {
        for (Cause c : mr.causes()) {
          if (titles.add(c.title())) {
            out.add(new RankedCause(c, "message: " + mr.entry().title()));
          }
        }
      }
      // When a pair has no specific reading the server's reason outranks the client's view.
      List<Reading> order = new ArrayList<>(codes);
      for (PairReading p : pairs) {
        if (order.remove(p.extended())) {
          order.add(0, p.extended());
        }
      }
      List<RankedCause> rest = new ArrayList<>();
      for (Reading r : order) {
        if (covered.contains(r)) {
          continue;
        }
        for (Cause c : r.entry().causes()) {
          if (titles.add(c.title())) {
            rest.add(new RankedCause(c, r.family() + " " + r.hex()));
          }
        }
      }
      rest.sort(Comparator.comparing(rc -> rc.cause().confidence())); // stable: HIGH first
      out.addAll(rest);
      return out;
    }

    private List<Contested> contested() {
      List<Contested> out = new ArrayList<>();
      Set<String> claims = new LinkedHashSet<>();
      for (PairReading p : pairs) {
        for (Dispute d : p.combination().disputed()) {
          if (!d.trusted() && claims.add(d.claim())) {
            out.add(new Contested(p.label(), d));
          }
        }
      }
      Set<Reading> pairMembers = new java.util.HashSet<>();
      for (PairReading p : pairs) {
        if (!p.combination().disputed().isEmpty()) {
          pairMembers.add(p.extended());
        }
      }
      for (Reading r : codes) {
        if (pairMembers.contains(r)) {
          continue; // the pair's own disputes already answer the claims about the server's reason
        }
        for (Dispute d : r.entry().disputed()) {
          if (!d.trusted() && claims.add(d.claim())) {
            out.add(new Contested(r.family() + " " + r.hex(), d));
          }
        }
      }
      return out;
    }
  }
}
