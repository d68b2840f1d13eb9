package rdpdoctor.probe;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import rdpdoctor.evidence.x509.CertificateAnalysis;

/**
 * The TLS profile of the listener, learnt after X.224 on the same connections.
 *
 * @param requested the X.224 request that led to TLS ("SSL|HYBRID")
 * @param version the version a full offer negotiated ("TLS 1.3"), or null when the handshake failed
 * @param cipherSuite the suite the server chose from a full offer, or null
 * @param versions each version SSL 3.0..TLS 1.3 → accepted, or null when not enumerated
 * @param suites accepted suites per accepted version, in the server's order of preference, or null
 * @param chain the certificate chain, leaf first, analysed against the typed host name
 * @param handshakeError why the full handshake failed, or null
 */
public record TlsReport(
    String requested,
    @Nullable String version,
    @Nullable String cipherSuite,
    @Nullable Map<String, Boolean> versions,
    @Nullable Map<String, List<String>> suites,
    List<CertificateAnalysis> chain,
    @Nullable String handshakeError) {

  /** The leaf certificate's analysis, or null. */
  public @Nullable CertificateAnalysis certificate() {
    return chain.isEmpty() ? null : chain.get(0);
  }
}
