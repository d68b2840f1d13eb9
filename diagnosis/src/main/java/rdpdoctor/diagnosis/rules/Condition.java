package rdpdoctor.diagnosis.rules;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@code when:} part of a rule: a tree over observations. Leaves find observations and bind
 * them to a name (the name the explanation, the proof and later leaves refer to); inner nodes
 * combine them. A leaf may compare a field with a field of an observation bound earlier
 * ({@code $profile.sid}), which is how a rule joins two observations on the same SID or IP.
 */
public sealed interface Condition {

  /** Every child holds, evaluated left to right so later children can refer to earlier names. */
  record All(List<Condition> children) implements Condition {}

  /** At least one child holds; each child that holds contributes its bindings. */
  record Any(List<Condition> children) implements Condition {}

  /** The child does not hold (its bindings are not kept). */
  record Not(Condition child) implements Condition {}

  /**
   * An observation of one of {@code types} whose fields pass {@code where}; bound to {@code name}.
   *
   * @param context the observations set the scene (which addresses are RDP clients) rather than
   *     prove the cause: they are shown in the proof but neither counted for volume nor claimed
   *     as the one finding a record proves
   * @param line where the leaf is written, for error messages
   */
  record Match(String name, Set<String> types, FieldTest where, boolean context, int line) implements Condition {}

  /**
   * At least {@code atLeast} observations that pass {@code where}, optionally all with the same
   * {@code groupBy} value and all inside one window of length {@code within}; the observations
   * of the best group and window are bound to {@code name}. {@code context} as for {@link Match}.
   */
  record Count(
      String name,
      Set<String> types,
      FieldTest where,
      @Nullable String groupBy,
      @Nullable Duration within,
      long atLeast,
      boolean context,
      int line)
      implements Condition {}
}
