package rdpdoctor.diagnosis.rules;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code where:} part of a leaf: tests on one observation's fields. Besides the observation's
 * own fields, a test can name {@code obs.type}, {@code obs.at}, {@code obs.summary},
 * {@code obs.source} (probe, evtx, registry_hive, ...) and {@code obs.location}.
 */
public sealed interface FieldTest {

  /** A test that always holds: a leaf with no {@code where:}. */
  record Always() implements FieldTest {}

  record AllOf(List<FieldTest> tests) implements FieldTest {}

  record AnyOf(List<FieldTest> tests) implements FieldTest {}

  record NotOf(FieldTest test) implements FieldTest {}

  /** {@code field OP operand}, for eq, ne, lt, le, gt, ge, contains, startsWith, endsWith, hasBits. */
  record Compare(String field, Op op, Operand operand) implements FieldTest {}

  /** The field equals one of the operands ({@code negated}: none of them). */
  record In(String field, List<Operand> operands, boolean negated) implements FieldTest {}

  /** The field's text (any item of a list) matches the regular expression somewhere. */
  record Matches(String field, Pattern pattern) implements FieldTest {}

  /** The field is present ({@code present: true}) or absent. */
  record Present(String field, boolean present) implements FieldTest {}

  /** Comparison operators, with the words and symbols a rule may use. */
  enum Op {
    EQ("eq", "=="),
    NE("ne", "!="),
    LT("lt", "<"),
    LE("le", "<="),
    GT("gt", ">"),
    GE("ge", ">="),
    CONTAINS("contains", "contains"),
    STARTS_WITH("startsWith", "startsWith"),
    ENDS_WITH("endsWith", "endsWith"),
    /** Every bit of the operand is set in the field (flag words such as ProfileList State). */
    HAS_BITS("hasBits", "hasBits");

    final String word;
    final String symbol;

    Op(String word, String symbol) {
      this.word = word;
      this.symbol = symbol;
    }
  }

  /** The right-hand side of a test: a value written in the rule, a field of a bound observation, or now. */
  sealed interface Operand {
    record Literal(Object value) implements Operand {}

    /** {@code $name.field}: the field of the observation bound to {@code name}. */
    record Ref(String binding, String field) implements Operand {}

    /** {@code $now}: the time the diagnosis treats as the present. */
    record Now() implements Operand {}
  }
}
