package rdpdoctor.protocol.rdpbcgr.gcc;

import java.util.ArrayList;
import java.util.List;
import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.DecodeException;

/**
 * [MS-RDPBCGR] 2.2.1.4.3.1 Server Certificate (SERVER_CERTIFICATE): a proprietary certificate
 * (an RSA1 key blob signed with Microsoft's well-known key, 2.2.1.4.3.1.1) or an X.509 chain from
 * licensing ([MS-RDPELE] 2.2.1.4.2). dwVersion's top bit marks a temporary certificate.
 */
public sealed interface ServerCertificate {
  int CERT_CHAIN_VERSION_1 = 1;
  int CERT_CHAIN_VERSION_2 = 2;

  /** The t bit of dwVersion. */
  boolean temporary();

  /** Key size in bits, as the RSA1 blob or the leaf certificate states it; 0 when unknown. */
  int keyBits();

  /**
   * [MS-RDPBCGR] 2.2.1.4.3.1.1 PROPRIETARYSERVERCERTIFICATE with its 2.2.1.4.3.1.1.1 RSA_PUBLIC_KEY.
   *
   * @param bitLen the key's bit length (bitlen field)
   * @param publicExponent pubExp
   * @param modulus the modulus, little-endian as on the wire, padding included
   */
  record Proprietary(boolean temporary, long sigAlgId, long keyAlgId, int bitLen, long publicExponent, byte[] modulus, byte[] signature)
      implements ServerCertificate {
    @Override
    public int keyBits() {
      return bitLen;
    }
  }

  /** An X.509 chain, leaf last as the server sends it. */
  record X509Chain(boolean temporary, List<byte[]> certificates) implements ServerCertificate {
    public X509Chain {
      certificates = List.copyOf(certificates);
    }

    /** The leaf's key size is found by the caller's X.509 parser; here unknown. */
    @Override
    public int keyBits() {
      return 0;
    }
  }

  /** RSA1 magic: "RSA1" little-endian. */
  long RSA1 = 0x31415352L;

  int MAX_CERTS = 16;
  int MAX_KEY_BYTES = 2048; // a 16384-bit modulus; real proprietary keys are 512 or 2048 bits

  static ServerCertificate decode(ByteReader r) {
    try {
      long dwVersion = r.u32le("dwVersion"); // (4)
      boolean temporary = (dwVersion & 0x80000000L) != 0;
      int chain = (int) (dwVersion & 0x7FFFFFFFL);
      if (chain == CERT_CHAIN_VERSION_1) {
        long sigAlg = r.u32le("dwSigAlgId"); //           (4) SIGNATURE_ALG_RSA = 1
        long keyAlg = r.u32le("dwKeyAlgId"); //           (4) KEY_EXCHANGE_ALG_RSA = 1
        int blobType = r.u16le("wPublicKeyBlobType"); //  (2) BB_RSA_KEY_BLOB = 6
        if (blobType != 0x0006) {
          throw new DecodeException.UnexpectedValue("PROPRIETARYSERVERCERTIFICATE", "wPublicKeyBlobType", blobType, "0x6");
        }
        int blobLen = r.u16le("wPublicKeyBlobLen"); //    (2)
        ByteReader key = r.slice("PublicKeyBlob", blobLen);
        long magic = key.u32le("magic"); //                (4) "RSA1"
        if (magic != RSA1) {
          throw new DecodeException.UnexpectedValue("RSA_PUBLIC_KEY", "magic", magic, "0x31415352 (RSA1)");
        }
        long keylen = key.u32le("keylen"); //              (4) modulus bytes + 8 padding
        long bitlen = key.u32le("bitlen"); //              (4)
        key.u32le("datalen"); //                           (4) bitlen / 8 - 1
        long pubExp = key.u32le("pubExp"); //              (4)
        DecodeException.checkBound("keylen", keylen, MAX_KEY_BYTES);
        DecodeException.checkBound("bitlen", bitlen, MAX_KEY_BYTES * 8L);
        byte[] modulus = key.bytes("modulus", keylen);
        int sigType = r.u16le("wSignatureBlobType"); //   (2) BB_RSA_SIGNATURE_BLOB = 8
        if (sigType != 0x0008) {
          throw new DecodeException.UnexpectedValue("PROPRIETARYSERVERCERTIFICATE", "wSignatureBlobType", sigType, "0x8");
        }
        int sigLen = r.u16le("wSignatureBlobLen"); //     (2)
        byte[] sig = r.bytes("SignatureBlob", sigLen);
        return new Proprietary(temporary, sigAlg, keyAlg, (int) bitlen, pubExp, modulus, sig);
      }
      if (chain == CERT_CHAIN_VERSION_2) {
        long n = r.u32le("NumCertBlobs"); // (4)
        DecodeException.checkBound("NumCertBlobs", n, MAX_CERTS);
        List<byte[]> certs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          long len = r.u32le("cbCert"); // (4)
          DecodeException.checkBound("cbCert", len, r.remaining());
          certs.add(r.bytes("abCert", len));
        }
        return new X509Chain(temporary, certs); // Padding (8 + 4 * NumCertBlobs) is ignored
      }
      throw new DecodeException.UnexpectedValue("SERVER_CERTIFICATE", "dwVersion", chain, "1 or 2");
    } catch (DecodeException e) {
      throw e.in("cannot read server certificate");
    }
  }
}
