package rdpdoctor.diagnosis.catalog;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Phase;

/**
 * A dialog or log message that carries no code of its own ("This could be due to CredSSP
 * encryption oracle remediation", "Your credentials did not work"), recognised by its text.
 *
 * @param id stable id, such as {@code credssp-encryption-oracle}
 * @param title short name, such as "CredSSP encryption oracle remediation"
 * @param meaning what it means, in plain words
 * @param phase the connection phase it belongs to
 * @param patterns its text in each language a source gives it
 * @param codes the codes it corresponds to where a source says so, as {@code family:value}
 * @param causes likely causes, most likely first (empty: the causes of {@code codes} apply)
 * @param sources the sources that document the text and its meaning
 * @param note anything else a reader should know, or null
 */
public record MessageEntry(
    String id,
    String title,
    String meaning,
    Phase phase,
    List<MessagePattern> patterns,
    List<String> codes,
    List<Cause> causes,
    List<Citation> sources,
    @Nullable String note) {

  public MessageEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(meaning, "meaning");
    Objects.requireNonNull(phase, "phase");
    patterns = List.copyOf(patterns);
    codes = List.copyOf(codes);
    causes = List.copyOf(causes);
    sources = List.copyOf(sources);
  }
}
