package rdpdoctor.evidence.x509;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;
import org.jspecify.annotations.Nullable;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.Hex;

/**
 * Reads X.509 certificates ([RFC 5280]) from a TLS handshake or a file (DER or PEM) and analyses
 * them the way an RDP client judges a server certificate. Time is passed in, so the same
 * certificate gives the same answer in tests.
 */
public final class X509Analyzer {
  /** [MS-RDPBCGR]/Windows: the "Remote Desktop Authentication" EKU. */
  public static final String RDP_AUTH_EKU = "1.3.6.1.4.1.311.54.1.2";

  /** Certificates larger than this are not accepted (real ones are 1-3 KB). */
  static final int MAX_CERTIFICATE = 64 * 1024;

  /** More PEM blocks than this in one file is not a certificate file (a chain has 2-4). */
  static final int MAX_CERTIFICATES = 64;

  private static final DefaultAlgorithmNameFinder NAMES = new DefaultAlgorithmNameFinder();

  private X509Analyzer() {}

  /** Analyses one DER certificate; {@code expectedName} is the host the user typed, or null. */
  public static CertificateAnalysis analyze(byte[] der, @Nullable String expectedName, Instant now) {
    X509CertificateHolder cert = parse(der);
    try {
      return analyze(cert, der, expectedName, now);
    } catch (DecodeException e) {
      throw e;
    } catch (RuntimeException e) {
      // BouncyCastle parses some fields lazily (times, extensions) and fails with unchecked errors
      // such as "invalid date string"; they are the input's fault, so they become typed errors.
      throw new DecodeException.InvalidField("certificate", "unreadable field: " + e.getMessage())
          .in("cannot read X.509 certificate");
    }
  }

  private static CertificateAnalysis analyze(
      X509CertificateHolder cert, byte[] der, @Nullable String expectedName, Instant now) {
    X500Name subject = cert.getSubject();
    X500Name issuer = cert.getIssuer();
    String cn = commonName(subject);
    List<String> dnsSans = new ArrayList<>();
    List<String> ipSans = new ArrayList<>();
    List<String> sans = new ArrayList<>();
    Extension sanExt = cert.getExtension(Extension.subjectAlternativeName);
    if (sanExt != null) {
      try {
        for (GeneralName g : GeneralNames.getInstance(sanExt.getParsedValue()).getNames()) {
          if (g.getTagNo() == GeneralName.dNSName) {
            String name = ((ASN1String) g.getName()).getString();
            dnsSans.add(name);
            sans.add(name);
          } else if (g.getTagNo() == GeneralName.iPAddress) {
            String ip = ipText(ASN1OctetString.getInstance(g.getName()).getOctets());
            ipSans.add(ip);
            sans.add(ip);
          }
        }
      } catch (RuntimeException e) {
        throw new DecodeException.InvalidField("subjectAltName", "not a GeneralNames sequence: " + e.getMessage())
            .in("cannot read X.509 certificate");
      }
    }

    Instant notBefore = cert.getNotBefore().toInstant();
    Instant notAfter = cert.getNotAfter().toInstant();
    long daysLeft = Math.floorDiv(Duration.between(now, notAfter).getSeconds(), 86_400L);

    SubjectPublicKeyInfo spki = cert.getSubjectPublicKeyInfo();
    String keyType = keyType(spki.getAlgorithm());
    int keyBits = keyBits(spki);

    AlgorithmIdentifier sigAlg = cert.getSignatureAlgorithm();
    String sigName = NAMES.hasAlgorithmName(sigAlg.getAlgorithm())
        ? NAMES.getAlgorithmName(sigAlg).toUpperCase(Locale.ROOT)
        : sigAlg.getAlgorithm().getId();
    boolean weak = sigName.startsWith("SHA1") || sigName.startsWith("MD5") || sigName.startsWith("MD2");

    List<String> ekus = new ArrayList<>();
    boolean serverAuth = true;
    Extension ekuExt = cert.getExtension(Extension.extendedKeyUsage);
    if (ekuExt != null) {
      serverAuth = false;
      try {
        for (KeyPurposeId k : ExtendedKeyUsage.getInstance(ekuExt.getParsedValue()).getUsages()) {
          String oid = k.toOID().getId();
          String name = ekuName(oid);
          ekus.add(name);
          if (oid.equals(KeyPurposeId.id_kp_serverAuth.getId()) || oid.equals(RDP_AUTH_EKU)
              || oid.equals(KeyPurposeId.anyExtendedKeyUsage.getId())) {
            serverAuth = true;
          }
        }
      } catch (RuntimeException e) {
        throw new DecodeException.InvalidField("extendedKeyUsage", "not a sequence of OIDs: " + e.getMessage())
            .in("cannot read X.509 certificate");
      }
    }

    Boolean matches = expectedName == null ? null : nameMatches(expectedName, cn, dnsSans, ipSans);
    return new CertificateAnalysis(
        subject.toString(), cn, List.copyOf(sans), issuer.toString(),
        cert.getSerialNumber().toString(16).toUpperCase(Locale.ROOT),
        notBefore, notAfter, daysLeft, now.isAfter(notAfter), now.isBefore(notBefore),
        selfSigned(cert, der), keyType, keyBits, sigName, weak, List.copyOf(ekus), serverAuth,
        Hex.upper(digest("SHA-1", der)), Hex.upper(digest("SHA-256", der)), expectedName, matches);
  }

  /** Parses DER with the size bounded first; BouncyCastle's errors become a {@link DecodeException}. */
  static X509CertificateHolder parse(byte[] der) {
    DecodeException.checkBound("certificate length", der.length, MAX_CERTIFICATE);
    try {
      ASN1Primitive p = ASN1Primitive.fromByteArray(der);
      return new X509CertificateHolder(Certificate.getInstance(p));
    } catch (IOException | RuntimeException e) {
      throw new DecodeException.InvalidField("certificate", "not a DER X.509 certificate: " + e.getMessage())
          .in("cannot read X.509 certificate");
    }
  }

  /**
   * The DER certificates in a file: PEM ("-----BEGIN CERTIFICATE-----" blocks) or one DER
   * certificate.
   */
  public static List<byte[]> readCertificates(byte[] file) {
    String text = new String(file, StandardCharsets.ISO_8859_1);
    List<byte[]> out = new ArrayList<>();
    String begin = "-----BEGIN CERTIFICATE-----";
    String end = "-----END CERTIFICATE-----";
    int at = text.indexOf(begin);
    if (at < 0) {
      if (file.length < 2 || (file[0] & 0xFF) != 0x30) {
        throw new DecodeException.InvalidField("certificate", "neither a PEM CERTIFICATE block nor DER"
            + " (first byte: " + (file.length == 0 ? "none" : String.format("0x%02x", file[0] & 0xFF))
            + ", expected: 0x30)").in("cannot read certificate file");
      }
      parse(file); // one DER certificate, or a typed error saying it is not
      out.add(file);
      return out;
    }
    while (at >= 0) {
      int stop = text.indexOf(end, at + begin.length()); // after BEGIN: their dashes can overlap
      if (stop < 0) {
        throw new DecodeException.InvalidField("PEM", "BEGIN CERTIFICATE without END CERTIFICATE")
            .in("cannot read certificate file");
      }
      String body = text.substring(at + begin.length(), stop).replaceAll("\\s", "");
      byte[] der;
      try {
        der = Base64.getDecoder().decode(body);
      } catch (IllegalArgumentException e) {
        throw new DecodeException.InvalidField("PEM", "bad base64: " + e.getMessage())
            .in("cannot read certificate file");
      }
      DecodeException.checkBound("certificates in the file", out.size() + 1L, MAX_CERTIFICATES);
      parse(der);
      out.add(der);
      at = text.indexOf(begin, stop);
    }
    return out;
  }

  private static @Nullable String commonName(X500Name name) {
    RDN[] rdns = name.getRDNs(BCStyle.CN);
    if (rdns.length == 0 || rdns[0].getFirst() == null) {
      return null;
    }
    return rdns[0].getFirst().getValue() instanceof ASN1String s ? s.getString() : rdns[0].getFirst().getValue().toString();
  }

  private static boolean selfSigned(X509CertificateHolder cert, byte[] der) {
    if (!cert.getSubject().equals(cert.getIssuer())) {
      return false;
    }
    try {
      java.security.cert.X509Certificate x = new JcaX509CertificateConverter().getCertificate(cert);
      x.verify(x.getPublicKey());
      return true;
    } catch (Exception e) {
      // The names match but the signature does not verify with the own key (or cannot be checked):
      // issued by a CA that shares the name, or corrupt. Not self-signed in the sense that matters.
      return false;
    }
  }

  private static String keyType(AlgorithmIdentifier alg) {
    ASN1ObjectIdentifier oid = alg.getAlgorithm();
    if (oid.equals(PKCSObjectIdentifiers.rsaEncryption)) {
      return "RSA";
    }
    if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      return "EC";
    }
    if (oid.getId().equals("1.3.101.112")) {
      return "Ed25519";
    }
    if (oid.getId().equals("1.3.101.113")) {
      return "Ed448";
    }
    if (oid.equals(X9ObjectIdentifiers.id_dsa)) {
      return "DSA";
    }
    return oid.getId();
  }

  private static int keyBits(SubjectPublicKeyInfo spki) {
    try {
      if (spki.getAlgorithm().getAlgorithm().equals(PKCSObjectIdentifiers.rsaEncryption)) {
        BigInteger n = RSAPublicKey.getInstance(spki.parsePublicKey()).getModulus();
        return n.bitLength();
      }
      AsymmetricKeyParameter k = PublicKeyFactory.createKey(spki);
      if (k instanceof RSAKeyParameters r) {
        return r.getModulus().bitLength();
      }
      if (k instanceof ECPublicKeyParameters ec) {
        return ec.getParameters().getCurve().getFieldSize();
      }
      return 0;
    } catch (IOException | RuntimeException e) {
      return 0; // an odd key is reported as of unknown size, not as a broken certificate
    }
  }

  private static String ekuName(String oid) {
    return switch (oid) {
      case "1.3.6.1.5.5.7.3.1" -> "serverAuth";
      case "1.3.6.1.5.5.7.3.2" -> "clientAuth";
      case "1.3.6.1.5.5.7.3.3" -> "codeSigning";
      case "1.3.6.1.5.5.7.3.4" -> "emailProtection";
      case "2.5.29.37.0" -> "anyExtendedKeyUsage";
      case RDP_AUTH_EKU -> "Remote Desktop Authentication";
      default -> oid;
    };
  }

  /** An IP SAN as text (dotted IPv4, or IPv6 groups); no java.net here (evidence does no network). */
  static String ipText(byte[] octets) {
    if (octets.length == 4) {
      return (octets[0] & 0xFF) + "." + (octets[1] & 0xFF) + "." + (octets[2] & 0xFF) + "." + (octets[3] & 0xFF);
    }
    if (octets.length == 16) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < 16; i += 2) {
        if (i > 0) {
          b.append(':');
        }
        b.append(Integer.toHexString((octets[i] & 0xFF) << 8 | (octets[i + 1] & 0xFF)));
      }
      return b.toString();
    }
    return Hex.of(octets); // wrong length for an address: show the bytes
  }

  /** Parses an IPv4 or IPv6 literal to its bytes, or null when it is not one. */
  static byte @Nullable [] ipBytes(String s) {
    if (s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      byte[] b = new byte[4];
      String[] parts = s.split("\\.");
      for (int i = 0; i < 4; i++) {
        int v = Integer.parseInt(parts[i]);
        if (v > 255) {
          return null;
        }
        b[i] = (byte) v;
      }
      return b;
    }
    if (!s.contains(":") || !s.matches("[0-9a-fA-F:]+")) {
      return null;
    }
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    String[] head = gap >= 0 ? split(s.substring(0, gap)) : split(s);
    String[] tail = gap >= 0 ? split(s.substring(gap + 2)) : new String[0];
    if (head.length + tail.length > 8 || gap < 0 && head.length != 8) {
      return null;
    }
    byte[] b = new byte[16];
    for (int i = 0; i < head.length; i++) {
      if (!group(head[i], b, i)) {
        return null;
      }
    }
    for (int i = 0; i < tail.length; i++) {
      if (!group(tail[i], b, 8 - tail.length + i)) {
        return null;
      }
    }
    return b;
  }

  private static String[] split(String s) {
    return s.isEmpty() ? new String[0] : s.split(":", -1);
  }

  private static boolean group(String hex, byte[] b, int index) {
    if (hex.isEmpty() || hex.length() > 4) {
      return false;
    }
    int v = Integer.parseInt(hex, 16);
    b[index * 2] = (byte) (v >>> 8);
    b[index * 2 + 1] = (byte) v;
    return true;
  }

  /**
   * [RFC 6125] 6.4 matching, as Windows does it: DNS SANs when there are any (a leftmost
   * wildcard covers one label), the CN only when there are none; IP addresses against IP SANs.
   */
  static boolean nameMatches(String expected, @Nullable String cn, List<String> dns, List<String> ips) {
    String want = expected.toLowerCase(Locale.ROOT);
    if (want.endsWith(".")) {
      want = want.substring(0, want.length() - 1);
    }
    if (isIpLiteral(want)) {
      for (String ip : ips) {
        if (sameAddress(want, ip)) {
          return true;
        }
      }
      // Windows also accepts an IP typed into the CN or a DNS SAN of a self-made certificate.
      for (String n : dns) {
        if (n.equalsIgnoreCase(want)) {
          return true;
        }
      }
      return cn != null && cn.equalsIgnoreCase(want);
    }
    List<String> names = dns.isEmpty() && cn != null ? List.of(cn) : dns;
    for (String n : names) {
      if (dnsMatch(want, n.toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  private static boolean dnsMatch(String host, String pattern) {
    if (pattern.startsWith("*.")) {
      int dot = host.indexOf('.');
      return dot > 0 && host.substring(dot + 1).equals(pattern.substring(2));
    }
    return host.equals(pattern);
  }

  private static boolean isIpLiteral(String s) {
    return ipBytes(s) != null;
  }

  private static boolean sameAddress(String a, String b) {
    byte[] x = ipBytes(a);
    byte[] y = ipBytes(b);
    return x != null && y != null && java.util.Arrays.equals(x, y);
  }

  private static byte[] digest(String alg, byte[] data) {
    try {
      return MessageDigest.getInstance(alg).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + alg, e);
    }
  }
}
