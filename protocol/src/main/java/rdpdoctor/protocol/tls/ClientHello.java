package rdpdoctor.protocol.tls;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import rdpdoctor.protocol.ByteWriter;

/**
 * A TLS ClientHello for version and cipher-suite enumeration ([RFC 5246] 7.4.1.2, [RFC 8446]
 * 4.1.2, [RFC 6101] 5.6.1.2 for SSL 3.0), wrapped in one handshake record. It offers exactly one
 * protocol version, so the answer says whether that version is accepted: the scanner technique
 * (sslscan, sslyze) that needs no full handshake.
 *
 * @param version the version offered: 0x0300 (SSL 3.0) .. 0x0304 (TLS 1.3)
 * @param random the 32-byte client random (the caller supplies it: no randomness in here)
 * @param cipherSuites suites in preference order
 * @param serverName host name for SNI ([RFC 6066] 3), or null
 * @param groups supported_groups ([RFC 8446] 4.2.7)
 * @param signatureAlgorithms signature_algorithms ([RFC 8446] 4.2.3)
 * @param x25519KeyShare 32-byte X25519 public value for the TLS 1.3 key_share, or null
 */
public record ClientHello(
    int version,
    byte[] random,
    int[] cipherSuites,
    @Nullable String serverName,
    int[] groups,
    int[] signatureAlgorithms,
    byte @Nullable [] x25519KeyShare) {

  public static final int SSL3 = 0x0300;
  public static final int TLS10 = 0x0301;
  public static final int TLS11 = 0x0302;
  public static final int TLS12 = 0x0303;
  public static final int TLS13 = 0x0304;

  /** Record content type handshake ([RFC 8446] 5.1). */
  public static final int CONTENT_HANDSHAKE = 22;
  /** Handshake type client_hello. */
  public static final int HANDSHAKE_CLIENT_HELLO = 1;

  static final int EXT_SERVER_NAME = 0;
  static final int EXT_SUPPORTED_GROUPS = 10;
  static final int EXT_EC_POINT_FORMATS = 11;
  static final int EXT_SIGNATURE_ALGORITHMS = 13;
  static final int EXT_EXTENDED_MASTER_SECRET = 23;
  static final int EXT_SUPPORTED_VERSIONS = 43;
  static final int EXT_KEY_SHARE = 51;
  static final int EXT_RENEGOTIATION_INFO = 0xFF01;

  /** Groups a modern client offers: x25519, secp256r1, secp384r1, secp521r1, ffdhe2048. */
  public static final int[] DEFAULT_GROUPS = {0x001D, 0x0017, 0x0018, 0x0019, 0x0100};

  /** Signature schemes from ECDSA/RSA-PSS/PKCS#1 with SHA-2 down to SHA-1, and Ed25519. */
  public static final int[] DEFAULT_SIGNATURE_ALGORITHMS = {
    0x0403, 0x0503, 0x0603, 0x0807, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0201, 0x0203
  };

  public ClientHello {
    if (version < SSL3 || version > TLS13) {
      throw new IllegalArgumentException("version out of range: 0x" + Integer.toHexString(version));
    }
    if (random.length != 32) {
      throw new IllegalArgumentException("client random must be 32 bytes: " + random.length);
    }
    if (x25519KeyShare != null && x25519KeyShare.length != 32) {
      throw new IllegalArgumentException("x25519 key share must be 32 bytes: " + x25519KeyShare.length);
    }
  }

  /** The record: header, handshake header, body. */
  public byte[] encode() {
    ByteWriter body = new ByteWriter(512);
    // TLS 1.3 keeps legacy_version at TLS 1.2 and says 1.3 in supported_versions ([RFC 8446] 4.1.2).
    body.u16be(version == TLS13 ? TLS12 : version); //   client_version / legacy_version (2)
    body.bytes(random); //                               random (32)
    body.u8(0); //                                       session_id length (1): none
    body.u16be(cipherSuites.length * 2); //              cipher_suites length (2)
    for (int s : cipherSuites) {
      body.u16be(s); //                                  cipher_suite (2 each)
    }
    body.u8(1).u8(0); //                                 compression_methods: one, null
    if (version > SSL3) {
      byte[] ext = extensions();
      body.u16be(ext.length).bytes(ext); //              extensions length (2) + extensions
    }
    byte[] hello = body.toByteArray();
    ByteWriter rec = new ByteWriter(hello.length + 9);
    rec.u8(CONTENT_HANDSHAKE) //                          record: content type (1)
        .u16be(version == SSL3 ? SSL3 : TLS10) //         record: version (2); TLS 1.0 is the safe value
        .u16be(hello.length + 4) //                       record: length (2)
        .u8(HANDSHAKE_CLIENT_HELLO) //                    handshake: msg_type (1)
        .u8(hello.length >>> 16).u16be(hello.length & 0xFFFF) // handshake: length (3)
        .bytes(hello);
    return rec.toByteArray();
  }

  private byte[] extensions() {
    ByteWriter w = new ByteWriter(256);
    if (serverName != null) {
      byte[] name = serverName.getBytes(StandardCharsets.US_ASCII);
      w.u16be(EXT_SERVER_NAME).u16be(name.length + 5) //  type (2), length (2)
          .u16be(name.length + 3) //                      server_name_list length (2)
          .u8(0) //                                       name_type host_name (1)
          .u16be(name.length).bytes(name); //             host_name (2 + n)
    }
    w.u16be(EXT_SUPPORTED_GROUPS).u16be(groups.length * 2 + 2).u16be(groups.length * 2);
    for (int g : groups) {
      w.u16be(g);
    }
    w.u16be(EXT_EC_POINT_FORMATS).u16be(2).u8(1).u8(0); // uncompressed only
    if (version >= TLS12) {
      w.u16be(EXT_SIGNATURE_ALGORITHMS).u16be(signatureAlgorithms.length * 2 + 2)
          .u16be(signatureAlgorithms.length * 2);
      for (int a : signatureAlgorithms) {
        w.u16be(a);
      }
    }
    w.u16be(EXT_EXTENDED_MASTER_SECRET).u16be(0);
    w.u16be(EXT_RENEGOTIATION_INFO).u16be(1).u8(0); //    empty renegotiated_connection
    if (version == TLS13) {
      w.u16be(EXT_SUPPORTED_VERSIONS).u16be(3).u8(2).u16be(TLS13);
      if (x25519KeyShare != null) {
        w.u16be(EXT_KEY_SHARE).u16be(2 + 2 + 2 + 32) //  type, length
            .u16be(2 + 2 + 32) //                         client_shares length
            .u16be(0x001D).u16be(32).bytes(x25519KeyShare); // x25519 share
      }
    }
    return w.toByteArray();
  }
}
