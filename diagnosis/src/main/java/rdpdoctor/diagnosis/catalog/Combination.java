package rdpdoctor.diagnosis.catalog;

import java.util.List;
import java.util.Objects;
import rdpdoctor.diagnosis.Phase;

/**
 * What a disconnect reason and an extended reason mean together, from
 * {@code rdpdoctor/catalog/combinations.yaml}. The client's disconnect reason says how the
 * connection ended from its own side (the socket closed: 0x904); the extended reason says what
 * the server said before it closed (server denied the connection: 7). Together they are a
 * different problem from either alone: 0x904 with 7 is an explicit refusal, 0x904 with 0 a
 * connection that died without an explanation.
 *
 * @param discFrom first disconnect reason this reading applies to
 * @param discTo last disconnect reason (equal to {@code discFrom} for one code)
 * @param extFrom first extended reason
 * @param extTo last extended reason
 * @param title the reading in a few words
 * @param reading the reading in full
 * @param phase where the connection broke
 * @param causes likely causes, most likely first
 * @param disputed popular explanations of this pair and whether the catalog trusts them
 * @param sources the sources the reading rests on
 */
public record Combination(
    long discFrom,
    long discTo,
    long extFrom,
    long extTo,
    String title,
    String reading,
    Phase phase,
    List<Cause> causes,
    List<Dispute> disputed,
    List<Citation> sources) {

  public Combination {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(reading, "reading");
    Objects.requireNonNull(phase, "phase");
    causes = List.copyOf(causes);
    disputed = List.copyOf(disputed);
    sources = List.copyOf(sources);
  }

  /** True when this reading applies to the pair. */
  public boolean matches(long disc, long ext) {
    return disc >= discFrom && disc <= discTo && ext >= extFrom && ext <= extTo;
  }

  /**
   * Narrower readings win over broad ones: the number of pairs this reading covers, as a double
   * because the catch-all readings cover 2^64 pairs.
   */
  public double breadth() {
    return (double) (discTo - discFrom + 1) * (double) (extTo - extFrom + 1);
  }
}
