package rdpdoctor.protocol.nlmp;

import java.util.ArrayList;
import java.util.List;

/**
 * [MS-NLMP] 2.2.2.5 NEGOTIATE: the 32 flag bits every NTLM message carries. Unknown bits are kept
 * in the raw value and listed as hex by {@link #names(long)}.
 */
public final class NegotiateFlags {
  public static final long UNICODE = 0x00000001L;
  public static final long OEM = 0x00000002L;
  public static final long REQUEST_TARGET = 0x00000004L;
  public static final long SIGN = 0x00000010L;
  public static final long SEAL = 0x00000020L;
  public static final long DATAGRAM = 0x00000040L;
  public static final long LM_KEY = 0x00000080L;
  public static final long NTLM = 0x00000200L;
  public static final long ANONYMOUS = 0x00000800L;
  public static final long OEM_DOMAIN_SUPPLIED = 0x00001000L;
  public static final long OEM_WORKSTATION_SUPPLIED = 0x00002000L;
  public static final long ALWAYS_SIGN = 0x00008000L;
  public static final long TARGET_TYPE_DOMAIN = 0x00010000L;
  public static final long TARGET_TYPE_SERVER = 0x00020000L;
  public static final long EXTENDED_SESSIONSECURITY = 0x00080000L;
  public static final long IDENTIFY = 0x00100000L;
  public static final long REQUEST_NON_NT_SESSION_KEY = 0x00400000L;
  public static final long TARGET_INFO = 0x00800000L;
  public static final long VERSION = 0x02000000L;
  public static final long NEGOTIATE_128 = 0x20000000L;
  public static final long KEY_EXCH = 0x40000000L;
  public static final long NEGOTIATE_56 = 0x80000000L;

  /**
   * What rdpdoctor's NEGOTIATE asks for: the set a current Windows CredSSP client sends
   * (Unicode, NTLM, extended session security, sign + seal + key exchange for pubKeyAuth, 128/56-bit,
   * target info, version), so servers answer it the way they answer mstsc.
   */
  public static final long CLIENT_DEFAULT =
      UNICODE | REQUEST_TARGET | SIGN | SEAL | NTLM | ALWAYS_SIGN | EXTENDED_SESSIONSECURITY
          | TARGET_INFO | VERSION | NEGOTIATE_128 | KEY_EXCH | NEGOTIATE_56;

  private static final String[] NAMES = {
    "UNICODE", "OEM", "REQUEST_TARGET", "r10", "SIGN", "SEAL", "DATAGRAM", "LM_KEY",
    "r9", "NTLM", "r8", "ANONYMOUS", "OEM_DOMAIN_SUPPLIED", "OEM_WORKSTATION_SUPPLIED", "r7",
    "ALWAYS_SIGN", "TARGET_TYPE_DOMAIN", "TARGET_TYPE_SERVER", "r6", "EXTENDED_SESSIONSECURITY",
    "IDENTIFY", "r5", "REQUEST_NON_NT_SESSION_KEY", "TARGET_INFO", "r4", "VERSION", "r3", "r2",
    "r1", "128", "KEY_EXCH", "56"
  };

  private NegotiateFlags() {}

  /** The names of the set bits; reserved bits show as their hex value. */
  public static List<String> names(long flags) {
    List<String> out = new ArrayList<>();
    for (int bit = 0; bit < 32; bit++) {
      if ((flags & (1L << bit)) != 0) {
        String n = NAMES[bit];
        out.add(n.startsWith("r") ? "0x" + Long.toHexString(1L << bit) : n);
      }
    }
    return out;
  }
}
