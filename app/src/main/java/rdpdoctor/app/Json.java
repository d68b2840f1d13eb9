package rdpdoctor.app;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The one JSON mapper every {@code --json} output uses, so formatting is the same everywhere. */
public final class Json {
  public static final JsonMapper MAPPER =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  /** One object per line, for JSON-lines streams. */
  public static final JsonMapper LINES = JsonMapper.builder().build();

  private Json() {}
}
