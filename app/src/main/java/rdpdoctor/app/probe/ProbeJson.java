package rdpdoctor.app.probe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rdpdoctor.evidence.x509.CertificateAnalysis;
import rdpdoctor.probe.NegotiationResult;
import rdpdoctor.probe.PhaseTiming;
import rdpdoctor.probe.ProbeFailure;
import rdpdoctor.probe.ProbeReport;
import rdpdoctor.probe.TlsReport;

/** The {@code --json} document of {@code rdpdoctor probe}; README "rdpdoctor probe" lists the fields. */
final class ProbeJson {
  private ProbeJson() {}

  static Map<String, Object> of(ProbeReport r, List<String> problems) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("target", r.target().toString());
    m.put("host", r.target().host());
    m.put("port", r.target().port());
    m.put("address", r.address() == null ? null : r.address().getHostAddress());
    m.put("startedAt", r.startedAt().toString());
    m.put("ms", round(r.millis()));
    m.put("connections", r.connections());
    m.put("problems", problems);
    m.put("failure", r.failure() == null ? null : failure(r.failure()));
    List<Object> phases = new ArrayList<>();
    for (PhaseTiming p : r.phases()) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("name", p.name());
      o.put("phase", p.phase().name());
      o.put("connection", p.connection());
      o.put("startMs", round(p.startMicros() / 1000.0));
      o.put("ms", round(p.millis()));
      o.put("ok", p.ok());
      o.put("error", p.error());
      o.put("errorKind", p.failure() == null ? null : p.failure().name());
      phases.add(o);
    }
    m.put("phases", phases);
    List<Object> neg = new ArrayList<>();
    for (NegotiationResult n : r.negotiation()) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("requested", n.requested());
      o.put("requestedProtocols", n.requestedProtocols());
      o.put("outcome", n.outcome().name());
      o.put("selected", n.selectedName());
      o.put("failure", n.failureName());
      o.put("flags", n.flags());
      o.put("flagNames", n.flagNames());
      o.put("selectedNotRequested", n.selectedWasNotOffered());
      o.put("error", n.error() == null ? null : failure(n.error()));
      neg.add(o);
    }
    m.put("negotiation", neg);
    if (r.verdict() != null) {
      m.put("nla", r.verdict().nla().json());
      m.put("tlsRequired", r.verdict().tlsRequired());
      m.put("rdpSecurityAccepted", r.verdict().rdpSecurityAccepted());
      m.put("rdpSecurityForTlsClient", r.verdict().rdpSecurityForTlsClient());
    }
    m.put("tls", r.tls() == null ? null : tls(r.tls()));
    Map<String, Object> stageFailures = new LinkedHashMap<>();
    r.stageFailures().forEach((k, v) -> stageFailures.put(k, failure(v)));
    m.put("stageFailures", stageFailures);
    m.putAll(r.sections()); // "ntlm", "rdpSecurity" ... from stages
    return m;
  }

  private static Map<String, Object> tls(TlsReport t) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("requested", t.requested());
    o.put("version", t.version());
    o.put("cipherSuite", t.cipherSuite());
    o.put("versions", t.versions());
    o.put("suites", t.suites());
    o.put("certificate", t.certificate() == null ? null : certificate(t.certificate()));
    List<Object> chain = new ArrayList<>();
    for (int i = 1; i < t.chain().size(); i++) {
      chain.add(certificate(t.chain().get(i)));
    }
    o.put("chain", chain);
    o.put("handshakeError", t.handshakeError());
    return o;
  }

  static Map<String, Object> certificate(CertificateAnalysis c) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("subject", c.subject());
    o.put("sans", c.sans());
    o.put("issuer", c.issuer());
    o.put("serial", c.serial());
    o.put("notBefore", c.notBefore().toString());
    o.put("notAfter", c.notAfter().toString());
    o.put("daysLeft", c.daysLeft());
    o.put("expired", c.expired());
    o.put("notYetValid", c.notYetValid());
    o.put("selfSigned", c.selfSigned());
    o.put("keyType", c.keyType());
    o.put("keyBits", c.keyBits());
    o.put("signature", c.signatureAlgorithm());
    o.put("weakSignature", c.weakSignature());
    o.put("ekus", c.ekus());
    o.put("sha1", c.sha1());
    o.put("sha256", c.sha256());
    o.put("expectedName", c.expectedName());
    o.put("nameMatches", c.nameMatches());
    o.put("problems", c.problems());
    return o;
  }

  static Map<String, Object> failure(ProbeFailure f) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("kind", f.kind().name());
    o.put("phase", f.phase().name());
    o.put("description", f.kind().description());
    o.put("detail", f.getMessage());
    o.put("clientCode", f.kind().clientCodeHex());
    o.put("clientCodeName", f.kind().clientCodeName());
    return o;
  }

  private static double round(double ms) {
    return Math.round(ms * 1000) / 1000.0;
  }
}
