package rdpdoctor.evidence.x509;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Self-signed certificates made with BouncyCastle for tests and the bench: expired, not yet valid,
 * wrong host name, SHA-1 signed, 1024-bit key, or good. Public so the probe's bench can use it
 * through this module's test-jar.
 *
 * @param der the certificate
 * @param keyPair its key pair
 */
public record TestCertificates(byte[] der, KeyPair keyPair) {

  /** What to make. */
  public record Spec(
      String commonName, List<String> dnsSans, List<String> ipSans, Instant notBefore, Instant notAfter,
      String signature, int rsaBits, List<KeyPurposeId> ekus) {

    /** Valid for a year from a day ago, CN and SAN = name, SHA-256, 2048 bits, serverAuth. */
    public static Spec good(String name, Instant now) {
      return new Spec(name, List.of(name), List.of(), now.minus(Duration.ofDays(1)),
          now.plus(Duration.ofDays(365)), "SHA256withRSA", 2048, List.of(KeyPurposeId.id_kp_serverAuth));
    }

    public Spec validity(Instant from, Instant to) {
      return new Spec(commonName, dnsSans, ipSans, from, to, signature, rsaBits, ekus);
    }

    public Spec names(String cn, List<String> dns, List<String> ips) {
      return new Spec(cn, dns, ips, notBefore, notAfter, signature, rsaBits, ekus);
    }

    public Spec signedWith(String alg) {
      return new Spec(commonName, dnsSans, ipSans, notBefore, notAfter, alg, rsaBits, ekus);
    }

    public Spec bits(int bits) {
      return new Spec(commonName, dnsSans, ipSans, notBefore, notAfter, signature, bits, ekus);
    }

    public Spec ekus(List<KeyPurposeId> e) {
      return new Spec(commonName, dnsSans, ipSans, notBefore, notAfter, signature, rsaBits, e);
    }
  }

  public static TestCertificates make(Spec spec) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(spec.rsaBits());
      KeyPair kp = g.generateKeyPair();
      X500Name name = new X500Name("CN=" + spec.commonName());
      JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
          name, BigInteger.valueOf(System.nanoTime() & Long.MAX_VALUE), Date.from(spec.notBefore()),
          Date.from(spec.notAfter()), name, kp.getPublic());
      List<GeneralName> sans = new ArrayList<>();
      spec.dnsSans().forEach(d -> sans.add(new GeneralName(GeneralName.dNSName, d)));
      spec.ipSans().forEach(i -> sans.add(new GeneralName(GeneralName.iPAddress, i)));
      if (!sans.isEmpty()) {
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
      }
      if (!spec.ekus().isEmpty()) {
        b.addExtension(Extension.extendedKeyUsage, false,
            new ExtendedKeyUsage(spec.ekus().toArray(KeyPurposeId[]::new)));
      }
      X509CertificateHolder h = b.build(new JcaContentSignerBuilder(spec.signature()).build(kp.getPrivate()));
      return new TestCertificates(h.getEncoded(), kp);
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot make a test certificate: " + e, e);
    }
  }

  /** Writes cert.pem and key.pem (PKCS#8) into {@code dir}; returns {cert, key}. */
  public Path[] writePem(Path dir, String prefix) throws IOException {
    Path cert = dir.resolve(prefix + ".crt.pem");
    Path key = dir.resolve(prefix + ".key.pem");
    Files.writeString(cert, pem("CERTIFICATE", der), StandardCharsets.US_ASCII);
    Files.writeString(key, pem("PRIVATE KEY", keyPair.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
    return new Path[] {cert, key};
  }

  static String pem(String type, byte[] der) {
    StringWriter w = new StringWriter();
    w.write("-----BEGIN " + type + "-----\n");
    w.write(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der));
    w.write("\n-----END " + type + "-----\n");
    return w.toString();
  }
}
