package rdpdoctor.evidence.x509;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Observation;

/**
 * What an RDP client, or an administrator, needs to know about one X.509 certificate ([RFC 5280]).
 *
 * @param subject subject DN as text ("CN=host.example.com")
 * @param commonName the subject's CN, or null
 * @param sans subjectAltName entries: DNS names, and IP addresses as text
 * @param issuer issuer DN as text
 * @param serial serial number in hex
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param daysLeft whole days from {@code now} until {@code notAfter}; negative when expired
 * @param expired {@code now} is after notAfter
 * @param notYetValid {@code now} is before notBefore
 * @param selfSigned issuer equals subject and the signature verifies with the certificate's own key
 * @param keyType "RSA", "EC", "Ed25519", ... or the algorithm OID
 * @param keyBits key size in bits (RSA modulus, EC field size), or 0 when unknown
 * @param signatureAlgorithm e.g. "SHA256WITHRSA", or the OID
 * @param weakSignature the signature hash is SHA-1 or MD5 (Windows and browsers distrust it)
 * @param ekus extended key usages by name ("serverAuth", "Remote Desktop Authentication"), unknown as OID
 * @param serverAuthUsable no EKU extension, or one with serverAuth or Remote Desktop Authentication
 * @param sha1 SHA-1 thumbprint, upper-case hex without spaces: the value the registry's
 *     SSLCertificateSHA1Hash and the certificate MMC show
 * @param sha256 SHA-256 fingerprint, upper-case hex
 * @param expectedName the name it was checked against, or null
 * @param nameMatches whether {@code expectedName} matches a SAN (or the CN when there are no DNS SANs)
 */
public record CertificateAnalysis(
    String subject,
    @Nullable String commonName,
    List<String> sans,
    String issuer,
    String serial,
    Instant notBefore,
    Instant notAfter,
    long daysLeft,
    boolean expired,
    boolean notYetValid,
    boolean selfSigned,
    String keyType,
    int keyBits,
    String signatureAlgorithm,
    boolean weakSignature,
    List<String> ekus,
    boolean serverAuthUsable,
    String sha1,
    String sha256,
    @Nullable String expectedName,
    @Nullable Boolean nameMatches) {

  /** Smallest RSA modulus current Windows and TLS libraries accept by default. */
  public static final int MIN_RSA_BITS = 2048;

  /**
   * Adds this analysis to an observation as the fields the rules read (DEVELOPERS.md): the same
   * names for a certificate the probe was served and one read from a file, so one rule covers both.
   */
  public Observation.Builder describe(Observation.Builder b) {
    return b.with("subject", subject)
        .with("issuer", issuer)
        .with("sans", sans)
        .with("notBefore", notBefore)
        .with("notAfter", notAfter)
        .with("daysLeft", daysLeft)
        .with("expired", expired)
        .with("notYetValid", notYetValid)
        .with("selfSigned", selfSigned)
        .with("keyType", keyType)
        .with("keyBits", (long) keyBits)
        .with("signature", signatureAlgorithm)
        .with("weakSignature", weakSignature)
        .with("ekus", ekus)
        .with("serverAuthUsable", serverAuthUsable)
        .with("sha1", sha1)
        .with("expectedName", expectedName)
        .with("nameMatches", nameMatches)
        .with("problems", problems());
  }

  /** Problems in words, in the order a report lists them; empty when none. */
  public List<String> problems() {
    List<String> p = new java.util.ArrayList<>();
    if (expired) {
      p.add("expired " + (-daysLeft) + " days ago (" + notAfter + ")");
    }
    if (notYetValid) {
      p.add("not valid before " + notBefore);
    }
    if (Boolean.FALSE.equals(nameMatches)) {
      p.add("name mismatch: " + expectedName + " is not in " + (sans.isEmpty() ? "CN=" + commonName : sans));
    }
    if (weakSignature) {
      p.add("weak signature algorithm " + signatureAlgorithm);
    }
    if ("RSA".equals(keyType) && keyBits > 0 && keyBits < MIN_RSA_BITS) {
      p.add("RSA key of " + keyBits + " bits (expected: >= " + MIN_RSA_BITS + ")");
    }
    if (!serverAuthUsable) {
      p.add("extended key usage allows neither Server Authentication nor Remote Desktop Authentication");
    }
    return p;
  }
}
