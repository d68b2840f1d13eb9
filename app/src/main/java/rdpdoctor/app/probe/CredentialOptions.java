package rdpdoctor.app.probe;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.UserError;
import rdpdoctor.probe.nla.CredentialCheckStage;
import rdpdoctor.protocol.nlmp.NtlmCredentials;

/**
 * The options of `rdpdoctor probe --user` (a picocli mixin): which account to check and where its
 * password comes from. A password on the command line is refused, with the reason.
 */
public final class CredentialOptions {
  @Option(names = "--user", paramLabel = "DOMAIN\\name",
      description = "check this account's password with CredSSP/NTLM, stopping before the password"
          + " would be delegated (DOMAIN\\name, name@domain or name)")
  @Nullable String user;

  @Option(names = "--password-env", paramLabel = "NAME",
      description = "read the password from environment variable NAME (default: ask on the terminal)")
  @Nullable String passwordEnv;

  @Option(names = "--password-fd", paramLabel = "N",
      description = "read the password from file descriptor N up to the first line end, e.g. --password-fd 3 3<file")
  @Nullable Integer passwordFd;

  @Option(names = "--no-outdated-client-check",
      description = "after a successful check, do not log on a second time as a client without the"
          + " CVE-2018-0886 fix (CredSSP 4) to learn whether the server refuses such clients")
  boolean noOutdatedClientCheck;

  /** Present only to refuse it: its value is never printed or used. */
  @Option(names = {"--password", "--pass"}, hidden = true, arity = "0..1", fallbackValue = "")
  @Nullable String passwordOnCommandLine;

  /**
   * The credential-check stage, or null without --user. Refuses a command-line password; reads
   * the password from the chosen source, hashes it, and wipes the characters.
   */
  @Nullable CredentialCheckStage stage(PasswordSource source) {
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
      NtlmCredentials creds = NtlmCredentials.fromPassword(parts[0], parts[1], password);
      return new CredentialCheckStage(creds, user, !noOutdatedClientCheck);
    } finally {
      Arrays.fill(password, '\0');
    }
  }
}
