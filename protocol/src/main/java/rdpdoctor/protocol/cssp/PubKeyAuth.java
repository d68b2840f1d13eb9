package rdpdoctor.protocol.cssp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.ByteWriter;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.der.Der;

/**
 * [MS-CSSP] 3.1.5 the pubKeyAuth binding: the client proves it saw the server's TLS public key, and
 * the server proves it by echoing a transformed value. Versions 2 to 4 seal the key itself (the
 * server adds one to its first byte); version 5 and later seal a SHA-256 over a magic string, the
 * client's 32-byte nonce and the key — the CVE-2018-0886 fix.
 */
public final class PubKeyAuth {
  static final byte[] CLIENT_MAGIC =
      "CredSSP Client-To-Server Binding Hash\0".getBytes(StandardCharsets.US_ASCII);
  static final byte[] SERVER_MAGIC =
      "CredSSP Server-To-Client Binding Hash\0".getBytes(StandardCharsets.US_ASCII);

  /** The first CredSSP version that binds with the nonce and SHA-256. */
  public static final long NONCE_VERSION = 5;

  /** Longest certificate accepted, far above any real listener certificate. */
  private static final int MAX_CERTIFICATE = 64 * 1024;

  private PubKeyAuth() {}

  /** The value the client seals, for the version both sides use. */
  public static byte[] clientValue(long version, byte[] nonce, byte[] subjectPublicKey) {
    return version >= NONCE_VERSION ? sha256(CLIENT_MAGIC, nonce, subjectPublicKey) : subjectPublicKey.clone();
  }

  /** The value the server must echo (after unsealing) for the version both sides use. */
  public static byte[] serverValue(long version, byte[] nonce, byte[] subjectPublicKey) {
    if (version >= NONCE_VERSION) {
      return sha256(SERVER_MAGIC, nonce, subjectPublicKey);
    }
    byte[] v = subjectPublicKey.clone();
    if (v.length > 0) {
      v[0]++;
    }
    return v;
  }

  /**
   * The SubjectPublicKey of an X.509 certificate: the contents of the BIT STRING in
   * SubjectPublicKeyInfo without its unused-bits octet ([MS-CSSP] 3.1.5 says exactly this, so
   * the SPKI is parsed rather than cut at a fixed offset as some clients do).
   */
  public static byte[] subjectPublicKey(byte[] certificateDer) {
    try {
      ByteReader cert = Der.expect(ByteReader.of(certificateDer), Der.SEQUENCE, "Certificate", MAX_CERTIFICATE);
      ByteReader tbs = Der.expect(cert, Der.SEQUENCE, "tbsCertificate", MAX_CERTIFICATE);
      if (Der.next(tbs, 0xA0)) {
        Der.read(tbs, "version", MAX_CERTIFICATE);
      }
      Der.expect(tbs, Der.INTEGER, "serialNumber", 64);
      Der.expect(tbs, Der.SEQUENCE, "signature", MAX_CERTIFICATE);
      Der.expect(tbs, Der.SEQUENCE, "issuer", MAX_CERTIFICATE);
      Der.expect(tbs, Der.SEQUENCE, "validity", MAX_CERTIFICATE);
      Der.expect(tbs, Der.SEQUENCE, "subject", MAX_CERTIFICATE);
      ByteReader spki = Der.expect(tbs, Der.SEQUENCE, "subjectPublicKeyInfo", MAX_CERTIFICATE);
      Der.expect(spki, Der.SEQUENCE, "algorithm", MAX_CERTIFICATE);
      ByteReader bits = Der.expect(spki, Der.BIT_STRING, "subjectPublicKey", MAX_CERTIFICATE);
      int unused = bits.u8("unused bits");
      if (unused != 0) {
        throw new DecodeException.InvalidField("subjectPublicKey", unused + " unused bits (expected: 0)");
      }
      return bits.bytes("subjectPublicKey", bits.remaining());
    } catch (DecodeException e) {
      throw e.in("cannot read the server certificate's public key");
    }
  }

  /** Constant-time comparison of an unsealed echo against the expected value. */
  public static boolean matches(byte[] expected, byte[] actual) {
    return MessageDigest.isEqual(expected, actual);
  }

  static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) {
        md.update(p);
      }
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    return new ByteWriter(a.length + b.length).bytes(a).bytes(b).toByteArray();
  }

  static boolean same(byte[] a, byte[] b) {
    return Arrays.equals(a, b);
  }
}
