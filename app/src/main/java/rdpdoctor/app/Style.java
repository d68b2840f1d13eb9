package rdpdoctor.app;

import java.util.Map;

/**
 * Terminal colour, decided once: on only when standard output is a terminal, {@code NO_COLOR} is
 * unset (https://no-color.org) and {@code TERM} is not "dumb".
 */
public record Style(boolean colour) {

  /** The style for this process's standard output. */
  public static Style detect() {
    return detect(System.getenv(), stdoutIsTerminal());
  }

  /**
   * On JDK 21 {@code System.console()} is null unless both streams are a terminal; from JDK 22 it
   * is always there and {@code Console.isTerminal()} tells, so that method is looked up by name.
   */
  public static boolean stdoutIsTerminal() {
    java.io.Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
    } catch (ReflectiveOperationException e) {
      return true; // JDK 21: a non-null console is a terminal
    }
  }

  static Style detect(Map<String, String> env, boolean terminal) {
    boolean noColour = env.containsKey("NO_COLOR") || "dumb".equals(env.get("TERM"));
    return new Style(terminal && !noColour);
  }

  public static Style plain() {
    return new Style(false);
  }

  public String bold(String s) {
    return wrap("1", s);
  }

  public String red(String s) {
    return wrap("31", s);
  }

  public String green(String s) {
    return wrap("32", s);
  }

  public String yellow(String s) {
    return wrap("33", s);
  }

  public String dim(String s) {
    return wrap("2", s);
  }

  private String wrap(String sgr, String s) {
    return colour ? "\u001b[" + sgr + "m" + s + "\u001b[0m" : s;
  }
}
