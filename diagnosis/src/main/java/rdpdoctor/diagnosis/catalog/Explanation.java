package rdpdoctor.diagnosis.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.Provenance;

/**
 * What {@link CodeQuery#explain(String)} made of the user's input.
 *
 * @param input the text as given
 * @param codes the best reading of each code found, in input order
 * @param alternatives other families the same numbers could belong to, best first
 * @param pairs disconnect-reason pairs and their combined reading
 * @param events events named in the input
 * @param messages code-less messages recognised by their text (the CredSSP dialog, ...)
 * @param causes likely causes across all codes and messages, most likely first
 * @param contested popular explanations the authoritative tables do not support
 * @param skipped numbers that are not codes (time stamps, process ids, addresses), left unread
 * @param unrecognised pieces of input that looked like codes but matched nothing
 */
public record Explanation(
    String input,
    List<Reading> codes,
    List<Reading> alternatives,
    List<PairReading> pairs,
    List<EventEntry> events,
    List<MessageReading> messages,
    List<RankedCause> causes,
    List<Contested> contested,
    List<Skipped> skipped,
    List<String> unrecognised) {

  public Explanation {
    Objects.requireNonNull(input, "input");
    codes = List.copyOf(codes);
    alternatives = List.copyOf(alternatives);
    pairs = List.copyOf(pairs);
    events = List.copyOf(events);
    messages = List.copyOf(messages);
    skipped = List.copyOf(skipped);
    causes = List.copyOf(causes);
    contested = List.copyOf(contested);
    unrecognised = List.copyOf(unrecognised);
  }

  /** True when at least one code, event or message was recognised. */
  public boolean understood() {
    return !codes.isEmpty() || !events.isEmpty() || !messages.isEmpty();
  }

  /**
   * The observations the diagnosis engine reasons over (DEVELOPERS.md, "Observation types"): one
   * {@code code} per recognised code; per recognised message one {@code message}, and one
   * {@code code} for each code the message corresponds to that the text does not also give,
   * marked with the message's id in {@code message} so a rule about that code fires on the dialog
   * text too.
   */
  public List<Observation> observations() {
    List<Observation> out = new ArrayList<>();
    for (Reading r : codes) {
      Provenance p = new Provenance(Provenance.Source.USER_INPUT, "user input", r.token());
      out.add(code(p, r.entry(), r.value()).summary(summary(r.entry(), r.value())));
    }
    java.util.Set<CodeEntry> typed = new java.util.HashSet<>();
    codes.forEach(r -> typed.add(r.entry()));
    for (MessageReading m : messages) {
      Provenance p = new Provenance(Provenance.Source.USER_INPUT, "user input", m.matched());
      MessageEntry e = m.entry();
      out.add(
          Observation.of("message", p)
              .with("message", e.id())
              .with("title", e.title())
              .with("phase", e.phase())
              .with("language", m.pattern().language())
              .with("codes", m.codes().stream().map(c -> c.family() + ":" + c.hex()).toList())
              .summary("message '" + e.title() + "': " + e.meaning()));
      for (CodeEntry c : m.codes()) {
        if (typed.contains(c)) {
          continue; // the user's text has the code itself: one observation of it
        }
        out.add(
            code(p, c, c.value())
                .with("message", e.id())
                .summary(summary(c, c.value()) + " (from the message '" + e.title() + "')"));
      }
    }
    return out;
  }

  private static Observation.Builder code(Provenance p, CodeEntry e, long value) {
    return Observation.of("code", p)
        .with("family", e.family())
        .with("value", value)
        .with("hex", CodeEntry.hex(value))
        .with("name", e.name())
        .with("phase", e.phase());
  }

  private static String summary(CodeEntry e, long value) {
    return e.family() + " " + CodeEntry.hex(value) + " = " + e.name() + ": " + e.meaning();
  }
}
