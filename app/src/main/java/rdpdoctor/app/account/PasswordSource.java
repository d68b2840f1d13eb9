package rdpdoctor.app.account;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.UserError;

/**
 * Where `probe --user` gets the password from: an interactive prompt without echo, an environment
 * variable the user names, or an inherited file descriptor. Never the command line: argv is readable
 * by every local user ({@code ps}, {@code /proc/PID/cmdline}) and lands in shell history.
 *
 * <p>The password is returned as a {@code char[]} for the caller to hash and wipe. No error message
 * here ever contains it.
 */
public final class PasswordSource {
  /** The longest password accepted from a file descriptor (Windows allows 256 characters). */
  static final int MAX_BYTES = 1024;

  /** Reads a line without echo, or returns null when there is no terminal. */
  interface Prompt {
    char @Nullable [] readPassword(String prompt);
  }

  private final Map<String, String> environment;
  private final Function<Integer, Path> fdPath;
  private final Prompt prompt;

  PasswordSource(Map<String, String> environment, Function<Integer, Path> fdPath, Prompt prompt) {
    this.environment = environment;
    this.fdPath = fdPath;
    this.prompt = prompt;
  }

  /** The process's own environment, /dev/fd, and the console. */
  public static PasswordSource system() {
    return new PasswordSource(System.getenv(), fd -> Path.of("/dev/fd/" + fd), PasswordSource::consolePrompt);
  }

  private static char @Nullable [] consolePrompt(String text) {
    java.io.Console c = System.console();
    if (c == null || !isTerminal(c)) {
      return null;
    }
    return c.readPassword("%s", text);
  }

  /** On JDK 22+ a console exists without a terminal; {@code isTerminal()} tells (looked up by name for JDK 21). */
  private static boolean isTerminal(java.io.Console c) {
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  /**
   * Reads the password from the one source the options name.
   *
   * @param env the variable named by --password-env, or null
   * @param fd the descriptor given by --password-fd, or null
   * @param account shown in the prompt
   */
  char[] read(@Nullable String env, @Nullable Integer fd, String account) {
    if (env != null && fd != null) {
      throw new UserError(ExitCodes.USAGE, "give either --password-env or --password-fd, not both");
    }
    if (env != null) {
      String v = environment.get(env);
      if (v == null) {
        throw new UserError(ExitCodes.USAGE, "--password-env " + env + ": the variable is not set;"
            + " export it first (read -rs " + env + " && export " + env + ")");
      }
      return v.toCharArray();
    }
    if (fd != null) {
      return fromDescriptor(fd);
    }
    char[] typed = prompt.readPassword("Password for " + account + ": ");
    if (typed == null) {
      throw new UserError(ExitCodes.USAGE, "no terminal to ask for the password of " + account
          + "; use --password-env NAME or --password-fd N (for example: --password-fd 3 3<secret-file)");
    }
    return typed;
  }

  /** Reads up to the first line end (or EOF) from an inherited descriptor, as UTF-8. */
  private char[] fromDescriptor(int fd) {
    if (fd < 0) {
      throw new UserError(ExitCodes.USAGE, "--password-fd must be 0 or more: " + fd);
    }
    Path p = fdPath.apply(fd);
    byte[] buf = new byte[MAX_BYTES + 1];
    int n = 0;
    try (InputStream in = Files.newInputStream(p)) {
      int b;
      while (n < buf.length && (b = in.read()) >= 0 && b != '\n') {
        buf[n++] = (byte) b;
      }
    } catch (IOException e) {
      throw new UserError(ExitCodes.USAGE, "--password-fd " + fd + ": cannot read that descriptor ("
          + e.getClass().getSimpleName() + "); open it for the command, e.g. --password-fd 3 3<file");
    }
    try {
      if (n > MAX_BYTES) {
        throw new UserError(ExitCodes.USAGE, "--password-fd " + fd + ": more than " + MAX_BYTES + " bytes before the first line end");
      }
      if (n > 0 && buf[n - 1] == '\r') {
        n--;
      }
      CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(buf, 0, n));
      char[] out = new char[chars.remaining()];
      chars.get(out);
      Arrays.fill(chars.array(), '\0');
      return out;
    } catch (CharacterCodingException e) {
      throw new UserError(ExitCodes.USAGE, "--password-fd " + fd + ": the password is not UTF-8");
    } finally {
      Arrays.fill(buf, (byte) 0);
    }
  }
}
