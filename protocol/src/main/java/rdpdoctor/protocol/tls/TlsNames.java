package rdpdoctor.protocol.tls;

import java.util.HashMap;
import java.util.Map;

/**
 * Names for TLS numbers in reports: protocol versions, cipher suites (IANA "TLS Cipher Suites"
 * registry names, as [RFC 5246] appendix A.5, [RFC 4492], [RFC 5289], [RFC 8446] B.4 spell them)
 * and alert descriptions ([RFC 8446] 6, [RFC 5246] 7.2). An unknown number comes back as hex.
 */
public final class TlsNames {
  private static final Map<Integer, String> SUITES = new HashMap<>();

  static {
    // RSA key exchange ([RFC 5246] A.5) - the suites old Windows RDP listeners fall back to.
    suite(0x0001, "TLS_RSA_WITH_NULL_MD5");
    suite(0x0002, "TLS_RSA_WITH_NULL_SHA");
    suite(0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5");
    suite(0x0004, "TLS_RSA_WITH_RC4_128_MD5");
    suite(0x0005, "TLS_RSA_WITH_RC4_128_SHA");
    suite(0x0006, "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5");
    suite(0x0008, "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA");
    suite(0x0009, "TLS_RSA_WITH_DES_CBC_SHA");
    suite(0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA");
    suite(0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA");
    suite(0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA");
    suite(0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA");
    suite(0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA");
    suite(0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA");
    suite(0x003B, "TLS_RSA_WITH_NULL_SHA256");
    suite(0x003C, "TLS_RSA_WITH_AES_128_CBC_SHA256");
    suite(0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256");
    suite(0x0041, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA");
    suite(0x0045, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA");
    suite(0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256");
    suite(0x006B, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256");
    suite(0x0084, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA");
    suite(0x0088, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA");
    suite(0x0096, "TLS_RSA_WITH_SEED_CBC_SHA");
    suite(0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256");
    suite(0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384");
    suite(0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256");
    suite(0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384");
    suite(0x00BA, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256");
    suite(0x00BE, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256");
    suite(0x00C0, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256");
    suite(0x00C4, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256");
    // signalling values ([RFC 5746] 3.3, [RFC 7507] 6)
    suite(0x00FF, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV");
    suite(0x5600, "TLS_FALLBACK_SCSV");
    // TLS 1.3 ([RFC 8446] B.4)
    suite(0x1301, "TLS_AES_128_GCM_SHA256");
    suite(0x1302, "TLS_AES_256_GCM_SHA384");
    suite(0x1303, "TLS_CHACHA20_POLY1305_SHA256");
    suite(0x1304, "TLS_AES_128_CCM_SHA256");
    suite(0x1305, "TLS_AES_128_CCM_8_SHA256");
    // ECC ([RFC 4492], [RFC 5289], [RFC 7905])
    suite(0xC007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA");
    suite(0xC008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA");
    suite(0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA");
    suite(0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA");
    suite(0xC011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA");
    suite(0xC012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA");
    suite(0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
    suite(0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA");
    suite(0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256");
    suite(0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384");
    suite(0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256");
    suite(0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384");
    suite(0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    suite(0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
    suite(0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    suite(0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
    suite(0xC09C, "TLS_RSA_WITH_AES_128_CCM");
    suite(0xC09D, "TLS_RSA_WITH_AES_256_CCM");
    suite(0xC09E, "TLS_DHE_RSA_WITH_AES_128_CCM");
    suite(0xC09F, "TLS_DHE_RSA_WITH_AES_256_CCM");
    suite(0xC0AC, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM");
    suite(0xC0AD, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM");
    suite(0xC050, "TLS_RSA_WITH_ARIA_128_GCM_SHA256");
    suite(0xC051, "TLS_RSA_WITH_ARIA_256_GCM_SHA384");
    suite(0xC052, "TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256");
    suite(0xC053, "TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384");
    suite(0xC05C, "TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256");
    suite(0xC05D, "TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384");
    suite(0xC060, "TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256");
    suite(0xC061, "TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384");
    suite(0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    suite(0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
    suite(0xCCAA, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
  }

  private TlsNames() {}

  private static void suite(int code, String name) {
    SUITES.put(code, name);
  }

  /**
   * Every suite this class names, in the order a modern client prefers them (forward secrecy
   * first, AEAD before CBC, SHA-2 before SHA-1, legacy ciphers last), so that a server which
   * follows the client's order still shows the suite a current client would get.
   */
  public static int[] knownSuites() {
    return SUITES.keySet().stream()
        .filter(s -> s != 0x00FF && s != 0x5600)
        .sorted(java.util.Comparator.comparingInt(TlsNames::rank).thenComparingInt(s -> s))
        .mapToInt(Integer::intValue)
        .toArray();
  }

  /** Lower is stronger: key exchange, then bulk cipher and MAC, read off the IANA name. */
  static int rank(int code) {
    String n = suite(code);
    int kx = n.contains("ECDHE") ? 0 : n.contains("DHE") ? 1 : isTls13Suite(code) ? 0 : 2;
    int cipher;
    if (n.contains("NULL")) {
      cipher = 9;
    } else if (n.contains("EXPORT") || n.contains("_DES_CBC")) {
      cipher = 8;
    } else if (n.contains("RC4")) {
      cipher = 7;
    } else if (n.contains("3DES")) {
      cipher = 6;
    } else if (n.contains("CAMELLIA") || n.contains("ARIA") || n.contains("SEED")) {
      cipher = 4;
    } else if (n.contains("GCM") || n.contains("CHACHA20") || n.contains("CCM")) {
      cipher = n.contains("CCM_8") ? 2 : 0;
    } else if (n.endsWith("SHA256") || n.endsWith("SHA384")) {
      cipher = 1;
    } else {
      cipher = 3;
    }
    return cipher * 10 + kx;
  }

  /** The IANA name of a cipher suite, or "0xC0FF" style hex when unknown. */
  public static String suite(int code) {
    String name = SUITES.get(code);
    return name != null ? name : String.format("0x%04X", code);
  }

  /** True for TLS 1.3 suites (0x13xx), which only TLS 1.3 can select. */
  public static boolean isTls13Suite(int code) {
    return (code & 0xFF00) == 0x1300;
  }

  /** "TLS 1.2", "SSL 3.0"...; unknown values as hex. */
  public static String version(int version) {
    return switch (version) {
      case 0x0002 -> "SSL 2.0";
      case 0x0300 -> "SSL 3.0";
      case 0x0301 -> "TLS 1.0";
      case 0x0302 -> "TLS 1.1";
      case 0x0303 -> "TLS 1.2";
      case 0x0304 -> "TLS 1.3";
      default -> String.format("0x%04X", version);
    };
  }

  /** The alert description's name ([RFC 8446] 6 and earlier RFCs), or its number. */
  public static String alert(int description) {
    return switch (description) {
      case 0 -> "close_notify";
      case 10 -> "unexpected_message";
      case 20 -> "bad_record_mac";
      case 21 -> "decryption_failed";
      case 22 -> "record_overflow";
      case 30 -> "decompression_failure";
      case 40 -> "handshake_failure";
      case 41 -> "no_certificate";
      case 42 -> "bad_certificate";
      case 43 -> "unsupported_certificate";
      case 44 -> "certificate_revoked";
      case 45 -> "certificate_expired";
      case 46 -> "certificate_unknown";
      case 47 -> "illegal_parameter";
      case 48 -> "unknown_ca";
      case 49 -> "access_denied";
      case 50 -> "decode_error";
      case 51 -> "decrypt_error";
      case 60 -> "export_restriction";
      case 70 -> "protocol_version";
      case 71 -> "insufficient_security";
      case 80 -> "internal_error";
      case 86 -> "inappropriate_fallback";
      case 90 -> "user_canceled";
      case 100 -> "no_renegotiation";
      case 109 -> "missing_extension";
      case 110 -> "unsupported_extension";
      case 112 -> "unrecognized_name";
      case 116 -> "certificate_required";
      case 120 -> "no_application_protocol";
      default -> "alert " + description;
    };
  }
}
