package rdpdoctor.diagnosis.catalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every code-less message the catalog knows ({@code messages.yaml}), with each wording compiled
 * once into a pattern over normalised text ({@link TextLayout#normalise}).
 */
public final class MessageCatalog {
  private final List<MessageEntry> messages;
  private final List<Compiled> compiled = new ArrayList<>();

  private record Compiled(MessageEntry entry, MessagePattern pattern, Pattern regex) {}

  MessageCatalog(List<MessageEntry> messages) {
    this.messages = List.copyOf(messages);
    for (MessageEntry e : this.messages) {
      for (MessagePattern p : e.patterns()) {
        compiled.add(new Compiled(e, p, compile(p.text())));
      }
    }
  }

  public List<MessageEntry> messages() {
    return messages;
  }

  /** Equal when the entries are (the patterns are derived from them). */
  @Override
  public boolean equals(Object o) {
    return o instanceof MessageCatalog other && other.messages.equals(messages);
  }

  @Override
  public int hashCode() {
    return messages.hashCode();
  }

  /**
   * The messages in {@code text}, in the order they appear; each message once, by the wording
   * that appears first.
   */
  List<MessageReading> find(String text) {
    String n = TextLayout.normalise(text);
    record Hit(int at, MessageReading reading) {}
    List<Hit> hits = new ArrayList<>();
    for (Compiled c : compiled) {
      Matcher m = c.regex().matcher(n);
      if (!m.find()) {
        continue;
      }
      int at = m.start();
      boolean earlier = hits.stream().anyMatch(h -> h.reading().entry().equals(c.entry()) && h.at() <= at);
      if (earlier) {
        continue;
      }
      hits.removeIf(h -> h.reading().entry().equals(c.entry()));
      hits.add(new Hit(at, new MessageReading(c.entry(), c.pattern(), m.group(), codes(c.entry()))));
    }
    hits.sort(Comparator.comparingInt(Hit::at));
    return hits.stream().map(Hit::reading).toList();
  }

  /** "credssp ... {@code *} ..." as a pattern: literal words, {@code *} a short variable part. */
  static Pattern compile(String wording) {
    List<String> parts = new ArrayList<>();
    for (String part : TextLayout.normalise(wording).split("\\*", -1)) {
      // the input is normalised the same way, so one space between words matches
      parts.add(part.isBlank() ? "" : Pattern.quote(part.strip()));
    }
    // a computer or account name: bounded, so a missing second half cannot scan the whole text
    return Pattern.compile(String.join(".{0,120}?", parts));
  }

  private static List<CodeEntry> codes(MessageEntry e) {
    List<CodeEntry> out = new ArrayList<>();
    for (String ref : e.codes()) {
      String[] parts = ref.split(":", 2);
      Long v = CodeEntry.parseNumber(parts[1]);
      Catalog.find(parts[0], v).ifPresent(out::add);
    }
    return out;
  }
}
