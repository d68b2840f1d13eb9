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

  /** The request a real client sends first, and the one this stage starts with. */
  static final long FIRST_REQUEST = SecurityProtocols.SSL | SecurityProtocols.HYBRID;

  private long triedRequest = -1;
  private boolean notSelected;

  @Override
  public boolean appliesTo(ProbeContext ctx) {
    return true;
  }

  /**
   * True when the first try found that SSL|HYBRID does not lead to TLS while the sweep shows
   * another request that does: then the stage runs again with that one.
   */
  boolean needsRetry(ProbeContext ctx) {
    Long other = tlsRequest(ctx);
    return notSelected && other != null && other != triedRequest;
  }

  /** The request to use: SSL|HYBRID before the sweep ends, then the first whose answer selected TLS. */
  static @Nullable Long tlsRequest(ProbeContext ctx) {
    if (ctx.verdict() == null) {
      return FIRST_REQUEST;
    }
    NegotiationResult r = ctx.firstSelecting(SecurityProtocols.SSL | SecurityProtocols.HYBRID | SecurityProtocols.HYBRID_EX);
    return r == null ? null : r.requestedProtocols();
  }

  @Nullable TlsReport report() {
    return report;
  }

  @Override
  public void run(ProbeContext ctx) throws ProbeFailure {
    Long via = tlsRequest(ctx);
    if (via == null) {
      return;
    }
    long requested = via;
    triedRequest = requested;
    notSelected = false;
    String host = ctx.target().host();
    // The full handshake (certificate, the server's choice) and the enumeration run side by side.
    java.util.concurrent.CompletableFuture<TlsEnumeration.Result> enumeration =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> TlsEnumeration.run(ctx, requested), ProbeThreads.EACH);
    TlsHandshake.Result hs = null;
    ProbeFailure failure = null;
    try (Connection c = ctx.connectAndNegotiate(requested)) {
      hs = TlsHandshake.run(c, host, ctx.stepDeadline());
    } catch (ProbeFailure f) {
      failure = f;
    }
    TlsEnumeration.Result en = enumeration.join();
    if (failure != null && failure.phase() == rdpdoctor.diagnosis.Phase.X224 && en == null) {
      // This request does not lead to TLS (the sweep tells the story); nothing to report here.
      notSelected = true;
      report = null;
      return;
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
