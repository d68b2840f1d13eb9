package rdpdoctor.evidence.text;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.Provenance;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.Hex;

/**
 * Reads X.509 certificates from a PEM file (one or more {@code CERTIFICATE} blocks) or a DER file
 * (RFC 5280 4.1), such as the Remote Desktop certificate {@code collect} exports, and reports each
 * as a {@code certificate} observation with the fields the probe reports for a served certificate.
 */
public final class CertificateFile {
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]{1,1048576}?)-----END CERTIFICATE-----");
  private static final int MAX_BYTES = 4 * 1024 * 1024;
  private static final int MAX_CERTS = 64;

  /** Server Authentication and Remote Desktop Authentication; either lets TLS use the certificate. */
  private static final List<String> SERVER_EKUS = List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.4.1.311.54.1.2");

  private CertificateFile() {}

  /** PEM text with a certificate block, or DER that starts as a SEQUENCE with a two-byte length. */
  public static boolean looksLike(byte[] head) {
    if (head.length >= 5 && (head[0] & 0xFF) == 0x30 && (head[1] & 0xFF) == 0x82 && (head[4] & 0xFF) == 0x30) {
      return true;
    }
    return new String(head, 0, Math.min(head.length, 8192), StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----");
  }

  /**
   * The certificates in {@code data}.
   *
   * @throws DecodeException when the file holds no certificate or one cannot be parsed
   */
  public static List<Observation> read(byte[] data, String location) {
    DecodeException.checkBound("certificate file size", data.length, MAX_BYTES);
    List<byte[]> ders = new ArrayList<>();
    String text = new String(data, StandardCharsets.US_ASCII);
    Matcher m = PEM.matcher(text);
    while (m.find()) {
      DecodeException.checkBound("certificates in file", ders.size() + 1L, MAX_CERTS);
      try {
        ders.add(Base64.getMimeDecoder().decode(m.group(1)));
      } catch (IllegalArgumentException e) {
        throw new DecodeException.InvalidField("PEM certificate " + (ders.size() + 1), "not base64: " + e.getMessage());
      }
    }
    if (ders.isEmpty()) {
      if (data.length < 2 || (data[0] & 0xFF) != 0x30) {
        throw new DecodeException.InvalidField("certificate", "neither a PEM CERTIFICATE block nor DER (first byte: 0x"
            + (data.length == 0 ? "none" : Integer.toHexString(data[0] & 0xFF)) + ", expected: 0x30)");
      }
      ders.add(data);
    }
    List<Observation> out = new ArrayList<>();
    for (int i = 0; i < ders.size(); i++) {
      out.add(observation(parse(ders.get(i), i + 1), location, ders.size() == 1 ? null : "certificate " + (i + 1)));
    }
    return out;
  }

  private static X509Certificate parse(byte[] der, int n) {
    try {
      CertificateFactory f = CertificateFactory.getInstance("X.509");
      return (X509Certificate) f.generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new DecodeException.InvalidField("certificate " + n, String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT));
    } catch (RuntimeException e) {
      // The JDK's parser signals some malformed DER with unchecked exceptions; to the caller it is
      // the same: this certificate cannot be read.
      throw new DecodeException.InvalidField("certificate " + n, "malformed DER (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static Observation observation(X509Certificate c, String location, @Nullable String detail) {
    String sha1;
    try {
      sha1 = Hex.of(MessageDigest.getInstance("SHA-1").digest(c.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateException e) {
      throw new DecodeException.InvalidField("certificate", "cannot hash: " + e.getMessage());
    }
    String subject = c.getSubjectX500Principal().getName();
    String issuer = c.getIssuerX500Principal().getName();
    Provenance p = new Provenance(Provenance.Source.CERTIFICATE, location, detail);
    return Observation.of("certificate", p)
        .with("subject", subject).with("issuer", issuer).with("sans", sans(c))
        .with("notBefore", c.getNotBefore().toInstant()).with("notAfter", c.getNotAfter().toInstant())
        .with("selfSigned", selfSigned(c)).with("sha1", sha1).with("keyBits", keyBits(c.getPublicKey()))
        .with("signature", c.getSigAlgName()).with("serverAuthEku", serverAuth(c))
        .summary("certificate " + subject + ", valid " + c.getNotBefore().toInstant() + " to "
            + c.getNotAfter().toInstant() + ", SHA-1 " + sha1);
  }

  private static List<String> sans(X509Certificate c) {
    List<String> out = new ArrayList<>();
    try {
      var all = c.getSubjectAlternativeNames();
      if (all != null) {
        for (List<?> san : all) {
          // 2 = dNSName, 7 = iPAddress (RFC 5280 4.2.1.6)
          if (san.size() >= 2 && (Integer.valueOf(2).equals(san.get(0)) || Integer.valueOf(7).equals(san.get(0)))) {
            out.add(String.valueOf(san.get(1)));
          }
        }
      }
    } catch (CertificateParsingException e) {
      // An unreadable SAN extension leaves the list empty; the name check then uses the subject.
    }
    return out;
  }

  private static boolean selfSigned(X509Certificate c) {
    if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
      return false;
    }
    try {
      c.verify(c.getPublicKey());
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static @Nullable Long keyBits(PublicKey k) {
    if (k instanceof RSAPublicKey r) {
      return (long) r.getModulus().bitLength();
    }
    if (k instanceof ECPublicKey e) {
      return (long) e.getParams().getCurve().getField().getFieldSize();
    }
    return null;
  }

  private static boolean serverAuth(X509Certificate c) {
    try {
      List<String> eku = c.getExtendedKeyUsage();
      // No EKU extension means no restriction (RFC 5280 4.2.1.12).
      return eku == null || eku.stream().anyMatch(SERVER_EKUS::contains);
    } catch (CertificateParsingException e) {
      return false;
    }
  }
}
