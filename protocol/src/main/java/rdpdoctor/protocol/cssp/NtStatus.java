package rdpdoctor.protocol.cssp;

import java.util.Map;
import java.util.Optional;

/**
 * [MS-ERREF] 2.3 NTSTATUS values a CredSSP server puts in TSRequest.errorCode ([MS-CSSP] 2.2.1,
 * version 3 and later), plus the SSPI SEC_E_* HRESULTs some servers send there instead. Unknown
 * values are reported as their hex number.
 */
public final class NtStatus {
  private static final Map<Long, String> NAMES =
      Map.ofEntries(
          Map.entry(0x00000000L, "STATUS_SUCCESS"),
          Map.entry(0xC0000022L, "STATUS_ACCESS_DENIED"),
          Map.entry(0xC000005EL, "STATUS_NO_LOGON_SERVERS"),
          Map.entry(0xC0000064L, "STATUS_NO_SUCH_USER"),
          Map.entry(0xC000006AL, "STATUS_WRONG_PASSWORD"),
          Map.entry(0xC000006DL, "STATUS_LOGON_FAILURE"),
          Map.entry(0xC000006EL, "STATUS_ACCOUNT_RESTRICTION"),
          Map.entry(0xC000006FL, "STATUS_INVALID_LOGON_HOURS"),
          Map.entry(0xC0000070L, "STATUS_INVALID_WORKSTATION"),
          Map.entry(0xC0000071L, "STATUS_PASSWORD_EXPIRED"),
          Map.entry(0xC0000072L, "STATUS_ACCOUNT_DISABLED"),
          Map.entry(0xC00000BBL, "STATUS_NOT_SUPPORTED"),
          Map.entry(0xC0000133L, "STATUS_TIME_DIFFERENCE_AT_DC"),
          Map.entry(0xC000015BL, "STATUS_LOGON_TYPE_NOT_GRANTED"),
          Map.entry(0xC000018CL, "STATUS_TRUSTED_DOMAIN_FAILURE"),
          Map.entry(0xC0000192L, "STATUS_NETLOGON_NOT_STARTED"),
          Map.entry(0xC0000193L, "STATUS_ACCOUNT_EXPIRED"),
          Map.entry(0xC0000224L, "STATUS_PASSWORD_MUST_CHANGE"),
          Map.entry(0xC0000234L, "STATUS_ACCOUNT_LOCKED_OUT"),
          Map.entry(0xC0000413L, "STATUS_AUTHENTICATION_FIREWALL_FAILED"),
          Map.entry(0x80090302L, "SEC_E_UNSUPPORTED_FUNCTION"),
          Map.entry(0x80090304L, "SEC_E_INTERNAL_ERROR"),
          Map.entry(0x80090308L, "SEC_E_INVALID_TOKEN"),
          Map.entry(0x8009030CL, "SEC_E_LOGON_DENIED"),
          Map.entry(0x8009030EL, "SEC_E_NO_CREDENTIALS"),
          Map.entry(0x80090311L, "SEC_E_NO_AUTHENTICATING_AUTHORITY"),
          Map.entry(0x80090322L, "SEC_E_WRONG_PRINCIPAL"),
          Map.entry(0x80090324L, "SEC_E_TIME_SKEW"),
          Map.entry(0x80090346L, "SEC_E_BAD_BINDINGS"));

  private NtStatus() {}

  /** Every named value; a probe test checks them against the code catalog's ntstatus/hresult names. */
  public static Map<Long, String> names() {
    return NAMES;
  }

  public static Optional<String> name(long status) {
    return Optional.ofNullable(NAMES.get(status & 0xFFFFFFFFL));
  }

  /** "STATUS_LOGON_FAILURE (0xC000006D)" or "0x12345678" when unnamed. */
  public static String describe(long status) {
    String hex = String.format("0x%08X", status & 0xFFFFFFFFL);
    return name(status).map(n -> n + " (" + hex + ")").orElse(hex);
  }
}
