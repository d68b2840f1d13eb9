package rdpdoctor.evidence.text;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.Provenance;
import rdpdoctor.evidence.x509.CertificateAnalysis;
import rdpdoctor.evidence.x509.X509Analyzer;
import rdpdoctor.protocol.DecodeException;

/**
 * Reads X.509 certificates from a PEM file (one or more {@code CERTIFICATE} blocks) or a DER file
 * (RFC 5280 4.1), such as the Remote Desktop certificate {@code collect} exports, and reports each
 * as a {@code certificate} observation. The analysis is the probe's ({@link X509Analyzer}), so a
 * certificate has the same fields, and the same SHA-1 form, whether it was served or exported.
 */
public final class CertificateFile {
  private static final int MAX_BYTES = 4 * 1024 * 1024;

  private CertificateFile() {}

  /** PEM text with a certificate block, or DER that starts as a SEQUENCE with a two-byte length. */
  public static boolean looksLike(byte[] head) {
    if (head.length >= 5 && (head[0] & 0xFF) == 0x30 && (head[1] & 0xFF) == 0x82 && (head[4] & 0xFF) == 0x30) {
      return true;
    }
    return new String(head, 0, Math.min(head.length, 8192), StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----");
  }

  /**
   * The certificates in {@code data}, analysed as of now.
   *
   * @throws DecodeException when the file holds no certificate or one cannot be parsed
   */
  public static List<Observation> read(byte[] data, String location) {
    DecodeException.checkBound("certificate file size", data.length, MAX_BYTES);
    List<byte[]> ders = X509Analyzer.readCertificates(data);
    Instant now = Instant.now();
    List<Observation> out = new ArrayList<>();
    for (int i = 0; i < ders.size(); i++) {
      CertificateAnalysis a;
      try {
        a = X509Analyzer.analyze(ders.get(i), null, now);
      } catch (DecodeException e) {
        throw e.in("certificate " + (i + 1) + " of " + location);
      }
      Provenance p = new Provenance(Provenance.Source.CERTIFICATE, location,
          ders.size() == 1 ? null : "certificate " + (i + 1));
      out.add(a.describe(Observation.of("certificate", p))
          .summary("certificate " + a.subject() + ", valid " + a.notBefore() + " to " + a.notAfter()
              + ", SHA-1 " + a.sha1()));
    }
    return out;
  }
}
