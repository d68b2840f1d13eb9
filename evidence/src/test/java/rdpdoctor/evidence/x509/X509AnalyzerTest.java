package rdpdoctor.evidence.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.Hex;

class X509AnalyzerTest {
  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  @Test
  void goodCertificate() throws Exception {
    TestCertificates c = TestCertificates.make(TestCertificates.Spec.good("rdp.example.com", NOW));
    CertificateAnalysis a = X509Analyzer.analyze(c.der(), "RDP.example.com", NOW);
    assertThat(a.subject()).isEqualTo("CN=rdp.example.com");
    assertThat(a.sans()).containsExactly("rdp.example.com");
    assertThat(a.daysLeft()).isEqualTo(365);
    assertThat(a.selfSigned()).isTrue();
    assertThat(a.keyType()).isEqualTo("RSA");
    assertThat(a.keyBits()).isEqualTo(2048);
    assertThat(a.signatureAlgorithm()).isEqualTo("SHA256WITHRSA");
    assertThat(a.weakSignature()).isFalse();
    assertThat(a.ekus()).containsExactly("serverAuth");
    assertThat(a.nameMatches()).isTrue();
    assertThat(a.sha1()).isEqualTo(Hex.upper(MessageDigest.getInstance("SHA-1").digest(c.der())));
    assertThat(a.problems()).isEmpty();
  }

  @Test
  void expiredAndNotYetValid() {
    TestCertificates expired = TestCertificates.make(TestCertificates.Spec.good("h", NOW)
        .validity(NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(10))));
    CertificateAnalysis a = X509Analyzer.analyze(expired.der(), "h", NOW);
    assertThat(a.expired()).isTrue();
    assertThat(a.daysLeft()).isEqualTo(-10);
    assertThat(a.problems()).anyMatch(p -> p.startsWith("expired 10 days ago"));
    TestCertificates future = TestCertificates.make(TestCertificates.Spec.good("h", NOW)
        .validity(NOW.plus(Duration.ofDays(3)), NOW.plus(Duration.ofDays(30))));
    assertThat(X509Analyzer.analyze(future.der(), "h", NOW).notYetValid()).isTrue();
  }

  @Test
  void weakSignatureSmallKeyWrongNameAndRdpEku() {
    TestCertificates c = TestCertificates.make(TestCertificates.Spec.good("other.example.com", NOW)
        .signedWith("SHA1withRSA").bits(1024)
        .ekus(List.of(KeyPurposeId.getInstance(new org.bouncycastle.asn1.ASN1ObjectIdentifier(X509Analyzer.RDP_AUTH_EKU)))));
    CertificateAnalysis a = X509Analyzer.analyze(c.der(), "rdp.example.com", NOW);
    assertThat(a.signatureAlgorithm()).isEqualTo("SHA1WITHRSA");
    assertThat(a.weakSignature()).isTrue();
    assertThat(a.keyBits()).isEqualTo(1024);
    assertThat(a.nameMatches()).isFalse();
    assertThat(a.ekus()).containsExactly("Remote Desktop Authentication");
    assertThat(a.serverAuthUsable()).isTrue();
    assertThat(a.problems()).hasSize(3);
  }

  @Test
  void clientAuthOnlyIsNotUsableForAServer() {
    TestCertificates c = TestCertificates.make(TestCertificates.Spec.good("h", NOW)
        .ekus(List.of(KeyPurposeId.id_kp_clientAuth)));
    assertThat(X509Analyzer.analyze(c.der(), null, NOW).serverAuthUsable()).isFalse();
  }

  @Test
  void nameMatching() {
    assertThat(X509Analyzer.nameMatches("a.example.com", null, List.of("*.example.com"), List.of())).isTrue();
    assertThat(X509Analyzer.nameMatches("b.a.example.com", null, List.of("*.example.com"), List.of())).isFalse();
    assertThat(X509Analyzer.nameMatches("host", "host", List.of(), List.of())).isTrue();
    assertThat(X509Analyzer.nameMatches("host", "host", List.of("other"), List.of())).isFalse(); // SANs win over CN
    assertThat(X509Analyzer.nameMatches("127.0.0.1", null, List.of(), List.of("127.0.0.1"))).isTrue();
    assertThat(X509Analyzer.nameMatches("::1", null, List.of(), List.of("0:0:0:0:0:0:0:1"))).isTrue();
    assertThat(X509Analyzer.nameMatches("10.0.0.1", "host", List.of(), List.of())).isFalse();
  }

  @Test
  void readsPemAndDerFiles() {
    TestCertificates c = TestCertificates.make(TestCertificates.Spec.good("h", NOW));
    String pem = TestCertificates.pem("CERTIFICATE", c.der());
    assertThat(X509Analyzer.readCertificates((pem + pem).getBytes(StandardCharsets.US_ASCII))).hasSize(2);
    assertThat(X509Analyzer.readCertificates(c.der()).get(0)).isEqualTo(c.der());
  }

  @Test
  void garbageIsATypedError() {
    assertThatThrownBy(() -> X509Analyzer.analyze(new byte[] {0x30, 0x03, 1, 2}, null, NOW))
        .isInstanceOf(DecodeException.class)
        .hasMessageStartingWith("cannot read X.509 certificate: invalid field certificate");
    assertThatThrownBy(() -> X509Analyzer.readCertificates(
            "-----BEGIN CERTIFICATE-----\nAAAA".getBytes(StandardCharsets.US_ASCII)))
        .hasMessageContaining("BEGIN CERTIFICATE without END CERTIFICATE");
    assertThatThrownBy(() -> X509Analyzer.analyze(new byte[70_000], null, NOW))
        .hasMessage("invalid field certificate length: 70000 (expected: <= 65536)");
  }

  @FuzzTest(maxDuration = "30s")
  void analyzerFailsOnlyWithDecodeException(byte[] input) {
    try {
      X509Analyzer.analyze(input, "host.example.com", NOW);
    } catch (DecodeException expected) {
      // the only allowed failure
    }
    try {
      X509Analyzer.readCertificates(input);
    } catch (DecodeException expected) {
      // the only allowed failure
    }
  }
}
