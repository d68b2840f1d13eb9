package rdpdoctor.app.account;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.UserError;
import rdpdoctor.protocol.nlmp.NtlmCredentials;

/**
 * The account options every command with {@code --user} shares (a picocli mixin): the account,
 * where its password comes from, and the refusal of a password on the command line.
 */
public final class AccountOptions {
  @Option(names = "--user", paramLabel = "DOMAIN\\name",
      description = "check this account's password (DOMAIN\\name, name@domain or name); only an NTLMv2"
          + " proof of it is sent")
  @Nullable String user;

  @Option(names = "--password-env", paramLabel = "NAME",
      description = "read the password from environment variable NAME (default: ask on the terminal)")
  @Nullable String passwordEnv;

  @Option(names = "--password-fd", paramLabel = "N",
      description = "read the password from file descriptor N up to the first line end, e.g. --password-fd 3 3<file")
  @Nullable Integer passwordFd;

  /** Present only to refuse it: its value is never printed or used. */
  @Option(names = {"--password", "--pass"}, hidden = true, arity = "0..1", fallbackValue = "")
  @Nullable String passwordOnCommandLine;

  /** The account named by --user, or null without it. */
  public @Nullable String user() {
    return user;
  }

  /**
   * The hashed credentials of --user, or null without it. Refuses a command-line password; reads
   * the password from the chosen source, hashes it, and wipes the characters.
   */
  public @Nullable NtlmCredentials credentials(PasswordSource source) {
    if (passwordOnCommandLine != null) {
      passwordOnCommandLine = null;
      throw new UserError(ExitCodes.USAGE, "a password on the command line is refused: every local user"
          + " can read it (ps, /proc/PID/cmdline) and your shell history keeps it; type it at the prompt,"
          + " or use --password-env NAME or --password-fd N");
    }
    if (user == null) {
      if (passwordEnv != null || passwordFd != null) {
        throw new UserError(ExitCodes.USAGE, "--password-env and --password-fd need --user DOMAIN\\name");
      }
      return null;
    }
    if (user.isBlank()) {
      throw new UserError(ExitCodes.USAGE, "--user is empty; expected DOMAIN\\name, name@domain or name");
    }
    String[] parts = NtlmCredentials.splitAccount(user);
    char[] password = source.read(passwordEnv, passwordFd, user);
    try {
      return NtlmCredentials.fromPassword(parts[0], parts[1], password);
    } finally {
      Arrays.fill(password, '\0');
    }
  }
}
