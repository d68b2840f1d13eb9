package rdpdoctor.app.gateway;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Finding;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.catalog.Catalog;
import rdpdoctor.diagnosis.catalog.CodeEntry;

/**
 * One cause the rules named about the gateway, with the codes a person compares against: the
 * gateway's E_PROXY_* HRESULT, the Gateway/Operational event that logs it (with the error in
 * decimal), and the code the client shows (mstsc's 0x0300xxxx; FreeRDP logs the E_PROXY_* name).
 *
 * @param eProxy the E_PROXY_* code, from the proof (a tunnel's or an event's hresult) or else from
 *     the rule's codes; null when the cause is not one the gateway names (a certificate, a proxy)
 * @param gatewayEvent the event id that logs it on the gateway, or null
 * @param clientCode the mstsc dialog's code for it, or null
 */
record GatewayVerdict(
    String id,
    String title,
    String confidence,
    @Nullable Code eProxy,
    @Nullable Integer gatewayEvent,
    @Nullable Code clientCode,
    String explanation,
    List<String> fixes,
    List<String> proof) {

  /** A catalog code by value, hex and name. */
  record Code(long value, String hex, String name) {
    static Code of(CodeEntry e) {
      return new Code(e.value(), e.hex(), e.name());
    }
  }

  /**
   * Which Gateway/Operational event logs each E_PROXY_* refusal (TechNet "RD Gateway Server
   * Connections": 201 CAP, 203 the connection limit, 301 RAP, 304 the host unreachable, 305 the
   * authentication method).
   */
  static final Map<Long, Integer> EVENT = Map.of(
      0x800759DBL, 201,
      0x800759E6L, 203,
      0x800759DAL, 301,
      0x800759DDL, 304,
      0x800759F9L, 305);

  static GatewayVerdict of(Finding f) {
    Code eProxy = null;
    for (Finding.Proof p : f.proof()) {
      Long hr = p.observation().number("hresult");
      if (hr != null) {
        eProxy = Catalog.find("tsgu", hr).map(Code::of).orElse(new Code(hr, CodeEntry.hex(hr), "?"));
        break;
      }
    }
    Code client = null;
    for (String code : f.explains()) {
      String[] parts = code.split(":", 2);
      Long v = parts.length == 2 ? CodeEntry.parseNumber(parts[1]) : null;
      if (v == null) {
        continue;
      }
      if (eProxy == null && parts[0].equals("tsgu")) {
        eProxy = Catalog.find("tsgu", v).map(Code::of).orElse(null);
      } else if (client == null && parts[0].equals("disconnectReason")) {
        client = Catalog.find("disconnectReason", v).map(Code::of).orElse(null);
      }
    }
    if (client == null && eProxy != null) {
      // the catalog pairs each E_PROXY_* with the mstsc code of the same meaning
      for (String rel : Catalog.find("tsgu", eProxy.value()).map(CodeEntry::related).orElse(List.of())) {
        String[] parts = rel.split(":", 2);
        Long v = parts.length == 2 ? CodeEntry.parseNumber(parts[1]) : null;
        if (v != null && parts[0].equals("disconnectReason")) {
          client = Catalog.find("disconnectReason", v).map(Code::of).orElse(null);
          break;
        }
      }
    }
    List<String> fixes = new ArrayList<>();
    f.remediation().forEach(r -> fixes.add(r.title() + ": " + r.detail()));
    List<String> proof = new ArrayList<>();
    f.proof().forEach(p -> proof.add(p.observation().summary()));
    return new GatewayVerdict(f.id(), f.title(), f.confidence().level(), eProxy,
        eProxy == null ? null : EVENT.get(eProxy.value()), client, f.explanation(), fixes, proof);
  }

  Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("title", title);
    m.put("confidence", confidence);
    m.put("eProxy", eProxy);
    m.put("gatewayEvent", gatewayEvent);
    m.put("clientCode", clientCode);
    m.put("explanation", explanation);
    m.put("fixes", fixes);
    m.put("proof", proof);
    return m;
  }

  /** The observations' fields, for the JSON document. */
  static Map<String, Object> fields(Observation o) {
    return new LinkedHashMap<>(o.fields());
  }
}
