package rdpdoctor.protocol.nlmp;

import java.util.Arrays;
import java.util.Objects;

/**
 * A user name, a domain and the NT hash of a password, for computing NTLMv2 responses.
 *
 * <p>The password itself is not kept: {@link #fromPassword} hashes it and the caller wipes its
 * {@code char[]}. The hash is secret too (it is as good as the password for NTLM), so it has no
 * accessor outside this package, {@link #toString()} names only the account, and {@link #destroy()}
 * overwrites it when the check is done.
 */
public final class NtlmCredentials {
  private final String user;
  private final String domain;
  private final byte[] ntHash;
  private boolean destroyed;

  private NtlmCredentials(String user, String domain, byte[] ntHash) {
    this.user = Objects.requireNonNull(user, "user");
    this.domain = Objects.requireNonNull(domain, "domain");
    this.ntHash = ntHash;
  }

  /** Hashes {@code password}; the array is not kept (the caller should wipe it afterwards). */
  public static NtlmCredentials fromPassword(String domain, String user, char[] password) {
    return new NtlmCredentials(user, domain, NtlmCrypto.ntHash(password));
  }

  /**
   * Splits "DOMAIN\\user" or "user@domain"; a name without either has an empty domain, which
   * means "the server's own accounts" to NTLM.
   */
  public static String[] splitAccount(String account) {
    int slash = account.indexOf('\\');
    if (slash >= 0) {
      return new String[] {account.substring(0, slash), account.substring(slash + 1)};
    }
    int at = account.lastIndexOf('@');
    if (at > 0) {
      // NTLM takes a UPN as the user name with an empty domain ([MS-NLMP] 3.1.5.1.2).
      return new String[] {"", account};
    }
    return new String[] {"", account};
  }

  public String user() {
    return user;
  }

  public String domain() {
    return domain;
  }

  /** NTOWFv2 for this account (the response key); package-private so only NTLM code sees it. */
  byte[] responseKeyNt() {
    if (destroyed) {
      throw new IllegalStateException("credentials were destroyed");
    }
    return NtlmCrypto.ntowfv2(ntHash, user, domain);
  }

  /** Overwrites the hash; the object is unusable afterwards. */
  public void destroy() {
    Arrays.fill(ntHash, (byte) 0);
    destroyed = true;
  }

  @Override
  public String toString() {
    return "NtlmCredentials[" + (domain.isEmpty() ? "" : domain + "\\") + user + "]";
  }
}
