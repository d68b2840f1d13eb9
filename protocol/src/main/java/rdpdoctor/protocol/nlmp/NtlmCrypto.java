package rdpdoctor.protocol.nlmp;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.bouncycastle.crypto.digests.MD4Digest;
import org.bouncycastle.crypto.digests.MD5Digest;
import org.bouncycastle.crypto.engines.RC4Engine;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * [MS-NLMP] 3.3.2 NTLM v2 Authentication and 3.4.5 KXKEY, SIGNKEY and SEALKEY: the one-way
 * functions, each a small static method so the spec's test vectors (4.2.4) can check them one by one.
 */
public final class NtlmCrypto {
  private NtlmCrypto() {}

  /** NTOWFv1's core, MD4(UNICODE(Passwd)): the "NT hash" Windows stores. */
  public static byte[] ntHash(char[] password) {
    byte[] utf16 = new byte[password.length * 2];
    for (int i = 0; i < password.length; i++) {
      utf16[2 * i] = (byte) password[i];
      utf16[2 * i + 1] = (byte) (password[i] >>> 8);
    }
    MD4Digest md4 = new MD4Digest();
    md4.update(utf16, 0, utf16.length);
    java.util.Arrays.fill(utf16, (byte) 0); // the password's bytes do not outlive this call
    byte[] out = new byte[16];
    md4.doFinal(out, 0);
    return out;
  }

  /** NTOWFv2 = HMAC_MD5(MD4(UNICODE(Passwd)), UNICODE(ConcatenationOf(Uppercase(User), UserDom))). */
  public static byte[] ntowfv2(byte[] ntHash, String user, String domain) {
    return hmacMd5(
        ntHash, (user.toUpperCase(Locale.ROOT) + domain).getBytes(StandardCharsets.UTF_16LE));
  }

  public static byte[] hmacMd5(byte[] key, byte[]... parts) {
    HMac mac = new HMac(new MD5Digest());
    mac.init(new KeyParameter(key));
    for (byte[] p : parts) {
      mac.update(p, 0, p.length);
    }
    byte[] out = new byte[16];
    mac.doFinal(out, 0);
    return out;
  }

  public static byte[] md5(byte[]... parts) {
    MD5Digest md5 = new MD5Digest();
    for (byte[] p : parts) {
      md5.update(p, 0, p.length);
    }
    byte[] out = new byte[16];
    md5.doFinal(out, 0);
    return out;
  }

  /** One-shot RC4(K, D), as used for EncryptedRandomSessionKey. */
  public static byte[] rc4(byte[] key, byte[] data) {
    RC4Engine rc4 = rc4Handle(key);
    byte[] out = new byte[data.length];
    rc4.processBytes(data, 0, data.length, out, 0);
    return out;
  }

  static RC4Engine rc4Handle(byte[] key) {
    RC4Engine rc4 = new RC4Engine();
    rc4.init(true, new KeyParameter(key));
    return rc4;
  }

  /**
   * The NTLMv2 "temp" blob ([MS-NLMP] 3.3.2): Responserversion 1, HiResponserversion 1, Z(6),
   * Time, ClientChallenge, Z(4), ServerName (the AV pairs), Z(4).
   */
  public static byte[] ntlmv2Temp(long fileTime, byte[] clientChallenge, byte[] avPairs) {
    return new rdpdoctor.protocol.ByteWriter(28 + avPairs.length + 4)
        .u8(1).u8(1).zeros(6)
        .u64le(fileTime)
        .bytes(clientChallenge)
        .zeros(4)
        .bytes(avPairs)
        .zeros(4)
        .toByteArray();
  }

  /** NTProofStr = HMAC_MD5(ResponseKeyNT, ConcatenationOf(CHALLENGE_MESSAGE.ServerChallenge, temp)). */
  public static byte[] ntProofStr(byte[] responseKeyNt, byte[] serverChallenge, byte[] temp) {
    return hmacMd5(responseKeyNt, serverChallenge, temp);
  }

  /** LMv2 = HMAC_MD5(ResponseKeyLM, ServerChallenge ‖ ClientChallenge) ‖ ClientChallenge. */
  public static byte[] lmv2Response(byte[] responseKeyLm, byte[] serverChallenge, byte[] clientChallenge) {
    byte[] h = hmacMd5(responseKeyLm, serverChallenge, clientChallenge);
    byte[] out = new byte[24];
    System.arraycopy(h, 0, out, 0, 16);
    System.arraycopy(clientChallenge, 0, out, 16, 8);
    return out;
  }

  /** SessionBaseKey = HMAC_MD5(ResponseKeyNT, NTProofStr); for NTLMv2 it is also the KeyExchangeKey. */
  public static byte[] sessionBaseKey(byte[] responseKeyNt, byte[] ntProofStr) {
    return hmacMd5(responseKeyNt, ntProofStr);
  }

  private static final byte[] CLIENT_SIGN =
      "session key to client-to-server signing key magic constant\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SERVER_SIGN =
      "session key to server-to-client signing key magic constant\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CLIENT_SEAL =
      "session key to client-to-server sealing key magic constant\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SERVER_SEAL =
      "session key to server-to-client sealing key magic constant\0".getBytes(StandardCharsets.US_ASCII);

  /** SIGNKEY with extended session security: MD5(ExportedSessionKey ‖ magic). */
  public static byte[] signKey(byte[] exportedSessionKey, boolean clientToServer) {
    return md5(exportedSessionKey, clientToServer ? CLIENT_SIGN : SERVER_SIGN);
  }

  /**
   * SEALKEY with extended session security: the first 16, 7 or 5 bytes of the session key
   * (128-bit, 56-bit, else 40-bit) hashed with the direction's magic constant.
   */
  public static byte[] sealKey(byte[] exportedSessionKey, long flags, boolean clientToServer) {
    int n = (flags & NegotiateFlags.NEGOTIATE_128) != 0 ? 16
        : (flags & NegotiateFlags.NEGOTIATE_56) != 0 ? 7 : 5;
    byte[] key = java.util.Arrays.copyOf(exportedSessionKey, n);
    return md5(key, clientToServer ? CLIENT_SEAL : SERVER_SEAL);
  }
}
