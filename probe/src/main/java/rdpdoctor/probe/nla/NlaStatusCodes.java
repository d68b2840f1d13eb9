package rdpdoctor.probe.nla;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the Windows client shows for a CredSSP failure status: the {@code SSL_ERR_*} disconnect
 * reasons of the 0x?07 family (../shared/reference/rdp-error-codes.md, section 1.1), keyed by the
 * NTSTATUS the server puts in TSRequest.errorCode. Until the code catalog in {@code diagnosis} is on
 * main this small table is kept here; the names match the catalog's.
 */
final class NlaStatusCodes {
  /** A client error code and its name. */
  record ClientCode(int code, String name) {
    String hex() {
      return "0x" + Integer.toHexString(code).toUpperCase(java.util.Locale.ROOT);
    }
  }

  private static final ClientCode LOGON_FAILURE = new ClientCode(0x807, "SSL_ERR_LOGON_FAILURE");

  private static final Map<Long, ClientCode> CODES = Map.ofEntries(
      Map.entry(0xC000006DL, LOGON_FAILURE), //                 STATUS_LOGON_FAILURE
      Map.entry(0xC000006AL, LOGON_FAILURE), //                 STATUS_WRONG_PASSWORD
      Map.entry(0x8009030CL, LOGON_FAILURE), //                 SEC_E_LOGON_DENIED
      Map.entry(0xC0000064L, new ClientCode(0xA07, "SSL_ERR_NO_SUCH_USER")),
      Map.entry(0xC0000072L, new ClientCode(0xB07, "SSL_ERR_ACCOUNT_DISABLED")),
      Map.entry(0xC000006EL, new ClientCode(0xC07, "SSL_ERR_ACCOUNT_RESTRICTION")),
      Map.entry(0xC000006FL, new ClientCode(0xC07, "SSL_ERR_ACCOUNT_RESTRICTION")), // logon hours
      Map.entry(0xC0000070L, new ClientCode(0xC07, "SSL_ERR_ACCOUNT_RESTRICTION")), // workstation
      Map.entry(0xC0000234L, new ClientCode(0xD07, "SSL_ERR_ACCOUNT_LOCKED_OUT")),
      Map.entry(0xC0000193L, new ClientCode(0xE07, "SSL_ERR_ACCOUNT_EXPIRED")),
      Map.entry(0xC0000071L, new ClientCode(0xF07, "SSL_ERR_PASSWORD_EXPIRED")),
      Map.entry(0xC0000224L, new ClientCode(0x1207, "SSL_ERR_PASSWORD_MUST_CHANGE")),
      Map.entry(0xC000005EL, new ClientCode(0x1807, "SSL_ERR_NO_AUTHENTICATING_AUTHORITY")),
      Map.entry(0x80090311L, new ClientCode(0x1807, "SSL_ERR_NO_AUTHENTICATING_AUTHORITY")));

  private NlaStatusCodes() {}

  static @Nullable ClientCode forStatus(long status) {
    return CODES.get(status & 0xFFFFFFFFL);
  }
}
