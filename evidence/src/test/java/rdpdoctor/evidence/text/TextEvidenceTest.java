package rdpdoctor.evidence.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.protocol.DecodeException;

class TextEvidenceTest {

  // A CBS.log excerpt in the layout sfc /scannow writes (project-made fixture).
  private static final String CBS = String.join("\r\n",
      "2026-10-02 10:00:00, Info                  CBS    TI: --- Initializing Trusted Installer ---",
      "2026-10-02 10:00:05, Info                  CSI    00000008 [SR] Verifying 100 components",
      "2026-10-02 10:00:06, Info                  CSI    00000009 [SR] Cannot repair member file [l:11]\"mstscax.dll\" of Microsoft-Windows-TerminalServices-ActiveXClient, version 10.0.19041.1, arch amd64, nonSxS, pkt {l:8 b:31bf3856ad364e35} in the store, hash mismatch",
      "2026-10-02 10:00:07, Info                  CSI    0000000a [SR] Repairing corrupted file \\??\\C:\\Windows\\System32\\drivers\\tdtcp.sys from store",
      "2026-10-02 10:00:08, Info                  CSI    0000000b [SR] Could not reproject corrupted file \\??\\C:\\Windows\\System32\\mstscax.dll; source file in store is also corrupted",
      "2026-10-02 10:05:00, Info                  CSI    0000000c [SR] Verify complete",
      "");

  @Test
  void cbsLogReportsUnrepairedAndRepairedFiles() {
    byte[] data = CBS.getBytes(StandardCharsets.UTF_8);
    assertThat(CbsLog.looksLike(data)).isTrue();
    List<Observation> obs = CbsLog.read(data, "CBS.log");
    assertThat(obs).extracting(Observation::type).containsExactly("cbs.file", "cbs.file", "cbs.summary");
    Observation mstscax = obs.get(0);
    assertThat(mstscax.get("file")).isEqualTo("C:\\Windows\\System32\\mstscax.dll");
    assertThat(mstscax.get("repaired")).isEqualTo(false);
    assertThat(mstscax.get("component")).isEqualTo("Microsoft-Windows-TerminalServices-ActiveXClient");
    assertThat(mstscax.provenance().detail()).isEqualTo("line 5");
    assertThat(obs.get(1).get("repaired")).isEqualTo(true);
    assertThat(obs.get(2).fields()).containsEntry("verified", true).containsEntry("repaired", 1L).containsEntry("unrepaired", 1L);
  }

  @Test
  void cbsLogInUtf16WithBom() {
    byte[] body = CBS.getBytes(StandardCharsets.UTF_16LE);
    byte[] data = new byte[body.length + 2];
    data[0] = (byte) 0xFF;
    data[1] = (byte) 0xFE;
    System.arraycopy(body, 0, data, 2, body.length);
    assertThat(CbsLog.read(data, "CBS.log")).hasSize(3);
  }

  @Test
  void otherTextIsNotCbsLog() {
    assertThat(CbsLog.looksLike("hello\nworld".getBytes(StandardCharsets.UTF_8))).isFalse();
  }

  @Test
  void installChecks() {
    String text = InstallChecks.HEADER + "\r\n# comment\r\n"
        + "mstsc-not-readonly\tfail\tC:\\Windows\\System32\\mstsc.exe\tattributes: ReadOnly, Archive\r\n"
        + "temp-writable\tpass\tC:\\Users\\a\\AppData\\Local\\Temp\t\r\n";
    byte[] data = text.getBytes(StandardCharsets.UTF_8);
    assertThat(InstallChecks.looksLike(data)).isTrue();
    List<Observation> obs = InstallChecks.read(data, "install-checks.txt");
    assertThat(obs).hasSize(2);
    assertThat(obs.get(0).fields()).containsEntry("check", "mstsc-not-readonly").containsEntry("status", "fail")
        .containsEntry("detail", "attributes: ReadOnly, Archive");
    assertThat(obs.get(0).provenance().detail()).isEqualTo("line 3");
  }

  @Test
  void installChecksWithoutHeaderIsRefused() {
    assertThatThrownBy(() -> InstallChecks.read("x\tpass\ty\tz\n".getBytes(StandardCharsets.UTF_8), "f"))
        .isInstanceOf(DecodeException.InvalidField.class).hasMessageContaining("install-checks header");
  }

  @Test
  void installChecksWithThreeFieldsIsRefused() {
    assertThatThrownBy(() -> InstallChecks.read((InstallChecks.HEADER + "\nx\tpass\ty\n").getBytes(StandardCharsets.UTF_8), "f"))
        .isInstanceOf(DecodeException.InvalidField.class).hasMessageContaining("line 2: 3 tab-separated fields (expected: 4");
  }

  @Test
  void installChecksWithUnknownStatusIsRefused() {
    assertThatThrownBy(() -> InstallChecks.read((InstallChecks.HEADER + "\nx\tmaybe\ty\tz\n").getBytes(StandardCharsets.UTF_8), "f"))
        .isInstanceOf(DecodeException.InvalidField.class).hasMessageContaining("status 'maybe' (expected: pass, fail or error)");
  }

  static byte[] selfSigned(String cn, Instant from, Instant to) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair kp = g.generateKeyPair();
    X500Name name = new X500Name("CN=" + cn);
    var b = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(from), Date.from(to), name, kp.getPublic());
    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, cn)));
    return b.build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())).getEncoded();
  }

  @Test
  void certificateFromDerAndPem() throws Exception {
    byte[] der = selfSigned("host01.corp.example", Instant.parse("2025-10-02T00:00:00Z"), Instant.parse("2026-10-02T00:00:00Z"));
    assertThat(CertificateFile.looksLike(der)).isTrue();
    Observation c = CertificateFile.read(der, "rdp.cer").get(0);
    assertThat(c.fields()).containsEntry("subject", "CN=host01.corp.example").containsEntry("selfSigned", true)
        .containsEntry("notAfter", Instant.parse("2026-10-02T00:00:00Z")).containsEntry("keyBits", 2048L)
        .containsEntry("sans", List.of("host01.corp.example")).containsEntry("serverAuthUsable", true);
    // the probe's form: the thumbprint as SSLCertificateSHA1Hash and the certificate MMC show it
    assertThat(c.string("sha1")).matches("[0-9A-F]{40}");
    String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END CERTIFICATE-----\n";
    byte[] two = (pem + pem).getBytes(StandardCharsets.US_ASCII);
    assertThat(CertificateFile.looksLike(two)).isTrue();
    assertThat(CertificateFile.read(two, "rdp.pem")).hasSize(2);
  }

  @Test
  void garbageIsNotACertificate() {
    assertThatThrownBy(() -> CertificateFile.read("hello".getBytes(StandardCharsets.US_ASCII), "x"))
        .isInstanceOf(DecodeException.class).hasMessageContaining("expected: 0x30");
    assertThatThrownBy(() -> CertificateFile.read(new byte[] {0x30, (byte) 0x82, 0, 5, 0x30, 1, 2}, "x"))
        .isInstanceOf(DecodeException.class);
  }
}
