package rdpdoctor.diagnosis.catalog;

import java.util.List;
import java.util.Objects;

/**
 * A catalog message found in the user's input.
 *
 * @param entry the catalog's message
 * @param pattern the wording that matched (its language says which translation the user has)
 * @param matched the matched text, normalised (lower case, one space for each run of spaces)
 * @param codes the catalog entries of the codes the message corresponds to
 */
public record MessageReading(MessageEntry entry, MessagePattern pattern, String matched, List<CodeEntry> codes) {
  public MessageReading {
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(matched, "matched");
    codes = List.copyOf(codes);
  }

  /** The causes that apply: the message's own, else those of the codes it corresponds to. */
  public List<Cause> causes() {
    if (!entry.causes().isEmpty()) {
      return entry.causes();
    }
    return codes.stream().flatMap(c -> c.causes().stream()).distinct().toList();
  }
}
