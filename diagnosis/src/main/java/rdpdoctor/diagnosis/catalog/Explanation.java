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
 * @param causes likely causes across all codes, most likely first
 * @param contested popular explanations the authoritative tables do not support
 * @param unrecognised pieces of input that looked like codes but matched nothing
 */
public record Explanation(
    String input,
    List<Reading> codes,
    List<Reading> alternatives,
    List<PairReading> pairs,
    List<EventEntry> events,
    List<RankedCause> causes,
    List<Contested> contested,
    List<String> unrecognised) {

  public Explanation {
    Objects.requireNonNull(input, "input");
    codes = List.copyOf(codes);
    alternatives = List.copyOf(alternatives);
    pairs = List.copyOf(pairs);
    events = List.copyOf(events);
    causes = List.copyOf(causes);
    contested = List.copyOf(contested);
    unrecognised = List.copyOf(unrecognised);
  }

  /** True when at least one code or event was recognised. */
  public boolean understood() {
    return !codes.isEmpty() || !events.isEmpty();
  }

  /**
   * One {@code code} observation per recognised code (DEVELOPERS.md, "Observation types"), so the
   * diagnosis engine can reason over codes the user supplied.
   */
  public List<Observation> observations() {
    List<Observation> out = new ArrayList<>();
    for (Reading r : codes) {
      Provenance p = new Provenance(Provenance.Source.USER_INPUT, "user input", r.token());
      out.add(
          Observation.of("code", p)
              .with("family", r.family())
              .with("value", r.value())
              .with("hex", r.hex())
              .with("name", r.entry().name())
              .with("phase", r.entry().phase())
              .summary(r.family() + " " + r.hex() + " = " + r.entry().name() + ": " + r.entry().meaning()));
    }
    return out;
  }
}
