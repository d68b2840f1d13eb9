package rdpdoctor.probe;

import java.util.List;
import org.jspecify.annotations.Nullable;
import rdpdoctor.protocol.rdpbcgr.x224.NegotiationData;
import rdpdoctor.protocol.rdpbcgr.x224.SecurityProtocols;

/**
 * What the negotiation sweep proves about the listener, from what the server *selected* (not
 * from whether it answered, which is where nmap's rdp-enum-encryption goes wrong against xrdp).
 *
 * @param nla whether CredSSP (NLA) is required, offered but optional, or not offered at all
 * @param tlsRequired the server refuses Standard RDP Security (a plain RDP or legacy request fails)
 * @param rdpSecurityAccepted the server runs Standard RDP Security for some request: the RDP
 *     security layer is open to man-in-the-middle attacks
 * @param rdpSecurityForTlsClient the server chose Standard RDP Security although TLS was offered
 * @param tlsOffered the server selected TLS or CredSSP for some request
 * @param notOffered requests whose answer selected a protocol that was not requested
 */
public record NegotiationVerdict(
    Nla nla,
    @Nullable Boolean tlsRequired,
    @Nullable Boolean rdpSecurityAccepted,
    boolean rdpSecurityForTlsClient,
    boolean tlsOffered,
    List<String> notOffered) {

  /** NLA verdicts. */
  public enum Nla {
    REQUIRED("required"),
    OPTIONAL("optional"),
    UNAVAILABLE("unavailable"),
    UNKNOWN("unknown");

    private final String json;

    Nla(String json) {
      this.json = json;
    }

    /** The JSON spelling. */
    public String json() {
      return json;
    }
  }

  public static NegotiationVerdict of(List<NegotiationResult> results) {
    NegotiationResult rdp = find(results, "RDP");
    NegotiationResult ssl = find(results, "SSL");
    NegotiationResult legacy = find(results, "legacy");
    boolean hybridSelected = false;
    boolean hybridAsked = false;
    boolean hybridRefusedOrDowngraded = false;
    for (NegotiationResult r : results) {
      Long asked = r.requestedProtocols();
      if (asked == null || (asked & (SecurityProtocols.HYBRID | SecurityProtocols.HYBRID_EX)) == 0) {
        continue;
      }
      if (r.outcome() == NegotiationResult.Outcome.ERROR) {
        continue;
      }
      hybridAsked = true;
      Long sel = r.selected();
      if (sel != null && (sel & asked & (SecurityProtocols.HYBRID | SecurityProtocols.HYBRID_EX)) != 0) {
        hybridSelected = true;
      } else {
        hybridRefusedOrDowngraded = true;
      }
    }
    // The explicit RDP and SSL requests decide; the legacy request only when neither got an answer,
    // because servers treat a client without RDP_NEG_REQ as a pre-NLA client in their own ways.
    boolean explicitKnown = known(rdp) || known(ssl);
    boolean nonHybridWorks = explicitKnown ? works(rdp) || works(ssl) : works(legacy);
    boolean nonHybridKnown = explicitKnown || known(legacy);
    Nla nla;
    if (hybridSelected) {
      nla = nonHybridWorks ? Nla.OPTIONAL : nonHybridKnown ? Nla.REQUIRED : Nla.UNKNOWN;
    } else if (hybridAsked && hybridRefusedOrDowngraded) {
      nla = Nla.UNAVAILABLE;
    } else {
      nla = Nla.UNKNOWN;
    }

    boolean rdpSecurity = false;
    boolean rdpSecurityKnown = false;
    boolean rdpForTls = false;
    boolean tlsOffered = false;
    List<String> notOffered = new java.util.ArrayList<>();
    // A confirm to the legacy request while the explicit RDP request is refused is not Standard RDP
    // Security being accepted: such servers (xrdp with security_layer=tls) drop the legacy client
    // later, at MCS. The explicit request is what the server's policy says.
    boolean rdpRefused = rdp != null && rdp.outcome() == NegotiationResult.Outcome.FAILURE;
    for (NegotiationResult r : results) {
      if (r.outcome() == NegotiationResult.Outcome.ERROR || r == legacy && rdpRefused) {
        continue;
      }
      rdpSecurityKnown = true;
      Long eff = r.effectiveProtocol();
      if (eff != null && eff == SecurityProtocols.RDP) {
        rdpSecurity = true;
        if (r.requestedProtocols() != null && r.requestedProtocols() != 0) {
          rdpForTls = true;
        }
      }
      if (eff != null && (eff & (SecurityProtocols.SSL | SecurityProtocols.HYBRID | SecurityProtocols.HYBRID_EX)) != 0) {
        tlsOffered = true;
      }
      if (r.selectedWasNotOffered()) {
        notOffered.add(r.requested());
      }
    }
    Boolean tlsRequired = null;
    if (known(rdp)) {
      tlsRequired = !works(rdp) && refusedForTls(rdp, null);
    } else if (known(legacy)) {
      tlsRequired = !works(legacy) && refusedForTls(null, legacy);
    }
    return new NegotiationVerdict(
        nla, tlsRequired, rdpSecurityKnown ? rdpSecurity : null, rdpForTls, tlsOffered,
        List.copyOf(notOffered));
  }

  /** A plain-RDP request counts as refused for TLS only with a failure code, or a closed socket. */
  private static boolean refusedForTls(@Nullable NegotiationResult rdp, @Nullable NegotiationResult legacy) {
    for (NegotiationResult r : new NegotiationResult[] {rdp, legacy}) {
      if (r == null) {
        continue;
      }
      if (r.outcome() == NegotiationResult.Outcome.FAILURE) {
        long code = r.failureCode() == null ? -1 : r.failureCode();
        if (code == NegotiationData.Failure.SSL_REQUIRED_BY_SERVER
            || code == NegotiationData.Failure.HYBRID_REQUIRED_BY_SERVER
            || code == NegotiationData.Failure.SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER) {
          return true;
        }
      }
      if (r.outcome() == NegotiationResult.Outcome.DISCONNECT
          || r.outcome() == NegotiationResult.Outcome.ERROR
              && r.error() != null
              && (r.error().kind() == FailureKind.CONNECTION_CLOSED || r.error().kind() == FailureKind.CONNECTION_RESET)) {
        return true;
      }
    }
    return false;
  }

  private static boolean works(@Nullable NegotiationResult r) {
    return r != null && r.effectiveProtocol() != null;
  }

  private static boolean known(@Nullable NegotiationResult r) {
    return r != null && r.outcome() != NegotiationResult.Outcome.ERROR;
  }

  private static @Nullable NegotiationResult find(List<NegotiationResult> results, String label) {
    return results.stream().filter(r -> r.requested().equals(label)).findFirst().orElse(null);
  }
}
