package rdpdoctor.probe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import rdpdoctor.evidence.x509.CertificateAnalysis;
import rdpdoctor.evidence.x509.X509Analyzer;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.rdpbcgr.x224.SecurityProtocols;
import rdpdoctor.protocol.tls.TlsNames;

/**
 * TLS after X.224, the way a client gets there: a request that the sweep showed leads to TLS, then
 * a full handshake for the certificate and the server's choice, then the version and suite
 * enumeration with hand-made ClientHellos.
 */
final class TlsStage implements Stage {
  private @Nullable TlsReport report;

  @Override
  public String name() {
    return "tls";
  }

  @Override
  public boolean appliesTo(ProbeContext ctx) {
    return tlsRequest(ctx) != null;
  }

  /** The request to reuse: the first whose answer selected SSL, HYBRID or HYBRID_EX. */
  static @Nullable NegotiationResult tlsRequest(ProbeContext ctx) {
    return ctx.firstSelecting(SecurityProtocols.SSL | SecurityProtocols.HYBRID | SecurityProtocols.HYBRID_EX);
  }

  @Nullable TlsReport report() {
    return report;
  }

  @Override
  public void run(ProbeContext ctx) throws ProbeFailure {
    NegotiationResult via = tlsRequest(ctx);
    if (via == null || via.requestedProtocols() == null) {
      return;
    }
    long requested = via.requestedProtocols();
    String host = ctx.target().host();
    TlsHandshake.Result hs = null;
    ProbeFailure failure = null;
    try (Connection c = ctx.connectAndNegotiate(requested)) {
      hs = TlsHandshake.run(c, host, ctx.stepDeadline());
    } catch (ProbeFailure f) {
      failure = f;
    }
    List<CertificateAnalysis> chain = new ArrayList<>();
    Instant now = Instant.now();
    if (hs != null) {
      for (int i = 0; i < hs.chain().size(); i++) {
        try {
          chain.add(X509Analyzer.analyze(hs.chain().get(i), i == 0 ? host : null, now));
        } catch (DecodeException e) {
          ctx.recorder().observe(ctx.recorder().observation("probe.tls.certificate", 0, "tls")
              .with("position", (long) i)
              .with("error", e.getMessage())
              .summary("certificate " + i + " of the chain cannot be read: " + e.getMessage()));
        }
      }
    }
    TlsEnumeration.Result en = TlsEnumeration.run(ctx, requested);
    report = new TlsReport(
        X224Step.label(rdpdoctor.protocol.rdpbcgr.x224.NegotiationRequest.of(requested)),
        hs == null ? null : TlsNames.version(hs.version()),
        hs == null ? null : TlsNames.suite(hs.cipherSuite()),
        en == null ? null : en.versions(),
        en == null ? null : en.suites(),
        List.copyOf(chain),
        failure == null ? null : failure.describe());
    Observations.tls(ctx.recorder(), report, hs);
    if (failure != null) {
      throw failure;
    }
  }
}
