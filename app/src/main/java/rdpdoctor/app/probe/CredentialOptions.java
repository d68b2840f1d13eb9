package rdpdoctor.app.probe;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import rdpdoctor.app.account.AccountOptions;
import rdpdoctor.app.account.PasswordSource;
import rdpdoctor.probe.nla.CredentialCheckStage;
import rdpdoctor.protocol.nlmp.NtlmCredentials;

/**
 * The options of `rdpdoctor probe --user` (a picocli mixin): the account ({@link AccountOptions})
 * and whether to log on a second time as an outdated CredSSP client.
 */
public final class CredentialOptions {
  @Mixin AccountOptions account = new AccountOptions();

  @Option(names = "--no-outdated-client-check",
      description = "after a successful check, do not log on a second time as a client without the"
          + " CVE-2018-0886 fix (CredSSP 4) to learn whether the server refuses such clients")
  boolean noOutdatedClientCheck;

  /** The credential-check stage, or null without --user (see {@link AccountOptions#credentials}). */
  @Nullable CredentialCheckStage stage(PasswordSource source) {
    NtlmCredentials creds = account.credentials(source);
    return creds == null ? null : new CredentialCheckStage(creds, account.user(), !noOutdatedClientCheck);
  }
}
