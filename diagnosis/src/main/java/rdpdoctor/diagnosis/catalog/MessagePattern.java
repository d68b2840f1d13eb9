package rdpdoctor.diagnosis.catalog;

import java.util.Objects;

/**
 * One wording of a message.
 *
 * @param language the language tag of the wording ({@code en}, {@code de})
 * @param text the wording in lower case; {@code *} stands for a variable part (a computer name),
 *     and white space matches any run of white space
 */
public record MessagePattern(String language, String text) {
  public MessagePattern {
    Objects.requireNonNull(language, "language");
    Objects.requireNonNull(text, "text");
  }
}
