package rdpdoctor.probe.nla;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.catalog.Catalog;
import rdpdoctor.diagnosis.catalog.CodeEntry;

/**
 * What the Windows client shows for a CredSSP failure status: the {@code SSL_ERR_*} disconnect
 * reason (0x?07 family) for the NTSTATUS the server put in TSRequest.errorCode
 * (../shared/reference/rdp-error-codes.md, section 1.1). The names and meanings come from the code
 * catalog ({@code disconnectReason} and {@code ntstatus} families); this class only pairs the numbers.
 */
final class NlaStatusCodes {
  /** A client error code with the catalog's name for it. */
  record ClientCode(int code, String name) {
    String hex() {
      return "0x" + Integer.toHexString(code).toUpperCase(java.util.Locale.ROOT);
    }
  }

  private static final int LOGON_FAILURE = 0x807;

  private static final Map<Long, Integer> CODES = Map.ofEntries(
      Map.entry(0xC000006DL, LOGON_FAILURE), // STATUS_LOGON_FAILURE
      Map.entry(0xC000006AL, LOGON_FAILURE), // STATUS_WRONG_PASSWORD
      Map.entry(0x8009030CL, LOGON_FAILURE), // SEC_E_LOGON_DENIED
      Map.entry(0xC0000064L, 0xA07), //         STATUS_NO_SUCH_USER -> SSL_ERR_NO_SUCH_USER
      Map.entry(0xC0000072L, 0xB07), //         STATUS_ACCOUNT_DISABLED
      Map.entry(0xC000006EL, 0xC07), //         STATUS_ACCOUNT_RESTRICTION
      Map.entry(0xC000006FL, 0xC07), //         STATUS_INVALID_LOGON_HOURS (an account restriction)
      Map.entry(0xC0000070L, 0xC07), //         STATUS_INVALID_WORKSTATION (an account restriction)
      Map.entry(0xC0000234L, 0xD07), //         STATUS_ACCOUNT_LOCKED_OUT
      Map.entry(0xC0000193L, 0xE07), //         STATUS_ACCOUNT_EXPIRED
      Map.entry(0xC0000071L, 0xF07), //         STATUS_PASSWORD_EXPIRED
      Map.entry(0xC0000224L, 0x1207), //        STATUS_PASSWORD_MUST_CHANGE
      Map.entry(0xC000005EL, 0x1807), //        STATUS_NO_LOGON_SERVERS -> NO_AUTHENTICATING_AUTHORITY
      Map.entry(0x80090311L, 0x1807)); //       SEC_E_NO_AUTHENTICATING_AUTHORITY

  private NlaStatusCodes() {}

  static @Nullable ClientCode forStatus(long status) {
    Integer code = CODES.get(status & 0xFFFFFFFFL);
    if (code == null) {
      return null;
    }
    String name = Catalog.find("disconnectReason", code).map(CodeEntry::name).orElse("0x" + Integer.toHexString(code));
    return new ClientCode(code, name);
  }

  /** The catalog's name for an NTSTATUS, else the protocol table's. */
  static @Nullable String statusName(long status) {
    return Catalog.find("ntstatus", status & 0xFFFFFFFFL).map(CodeEntry::name)
        .or(() -> rdpdoctor.protocol.cssp.NtStatus.name(status))
        .orElse(null);
  }
}
