package rdpdoctor.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Texts must print what Formatter prints, character for character, or the reports would change. */
class TextsTest {

  private static String formatter(double v, int places) {
    return String.format(Locale.ROOT, "%." + places + "f", v);
  }

  /** Halves that binary doubles cannot hold exactly, carries through nines, signs, the range ends. */
  @ParameterizedTest
  @ValueSource(doubles = {0, -0.0, 0.125, 0.285, 0.725, 0.005, 0.015, 9.995, 99.95, 0.95, 0.9999, 1.0,
      0.001, 0.0015, 0.00099, 1e-4, 9999999.95, 1e7, 1.5e7, -0.004, -0.5, -1.25, -2.675, 123.456,
      0.1 + 0.2, 2.0 / 3, Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY})
  void matchesFormatterOnEdgeValues(double v) {
    for (int places = 0; places <= 4; places++) {
      assertThat(Texts.fixed(v, places)).as("%s with %d places", v, places).isEqualTo(formatter(v, places));
      assertThat(Texts.signed(v, places)).as("%s signed, %d places", v, places)
          .isEqualTo(String.format(Locale.ROOT, "%+." + places + "f", v));
    }
  }

  @Test
  void matchesFormatterOnRandomValuesOfEveryMagnitude() {
    SplittableRandom r = new SplittableRandom(20261124);
    for (int i = 0; i < 200_000; i++) {
      double v = switch (i % 4) {
        case 0 -> r.nextDouble();                              // confidences
        case 1 -> r.nextLong(0, 10_000_000) / 1000.0;          // milliseconds from micros
        case 2 -> Math.round(r.nextDouble() * 1000) / 1000.0;  // three decimals: many exact halves
        default -> Double.longBitsToDouble(r.nextLong());      // anything at all
      };
      int places = r.nextInt(0, 4);
      assertThat(Texts.fixed(v, places)).as("%s with %d places", v, places).isEqualTo(formatter(v, places));
    }
  }

  @Test
  void refusesPlacesOutsideZeroToNine() {
    assertThatThrownBy(() -> Texts.fixed(1, 10)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("places 10");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a", "TLS 1.2", "exactly-eight", "longer than the column is wide"})
  void padsAsFormatterDoes(String s) {
    for (int width = 1; width <= 24; width++) {
      assertThat(Texts.padRight(s, width)).isEqualTo(String.format("%-" + width + "s", s));
      assertThat(Texts.padLeft(s, width)).isEqualTo(String.format("%" + width + "s", s));
    }
  }
}
