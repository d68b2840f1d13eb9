package rdpdoctor.probe.rdpsec;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The "rdpSecurity" section: what Standard RDP Security the server accepts when asked for it.
 *
 * @param via the X.224 request used ("legacy" or "RDP")
 * @param methods one entry per method offered alone, in the order offered
 * @param encryptionLevel the level the server announced (same for every method on one server)
 * @param serverVersion the RDP version word from SC_CORE, e.g. "RDP 10.7"
 * @param serverVersionRaw the raw word
 * @param certificateType "proprietary" or "x509", when a certificate came
 * @param keyBits the proprietary certificate's RSA key size, when known
 * @param selectsUnoffered the server answered with a method the client had not offered (xrdp does;
 *     a Windows client then fails the connection, a lenient one runs with the server's choice)
 */
public record RdpSecurityReport(
    String via,
    List<Method> methods,
    @Nullable String encryptionLevel,
    @Nullable String serverVersion,
    @Nullable Long serverVersionRaw,
    @Nullable String certificateType,
    @Nullable Integer keyBits,
    boolean selectsUnoffered) {

  /**
   * One method offered alone.
   *
   * @param method "40-bit", "56-bit", "128-bit", "FIPS" or "none"
   * @param accepted whether the server answered with this method selected
   * @param selected what the server selected instead (raw name), when it answered
   * @param error why there was no answer (the server dropped the connection, ...), if none came
   */
  public record Method(String method, boolean accepted, @Nullable String selected, @Nullable String error) {}

  public RdpSecurityReport {
    methods = List.copyOf(methods);
  }
}
