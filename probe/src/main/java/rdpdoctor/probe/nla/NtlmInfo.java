package rdpdoctor.probe.nla;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import rdpdoctor.protocol.nlmp.ChallengeMessage;
import rdpdoctor.protocol.nlmp.NegotiateFlags;
import rdpdoctor.protocol.nlmp.NtlmVersion;
import rdpdoctor.protocol.nlmp.TargetInfo;

/**
 * What a CredSSP server tells anyone who sends an NTLM NEGOTIATE: the "ntlm" section of the probe
 * report and JSON.
 *
 * @param credsspVersion the version field of the server's TSRequest
 * @param targetName TargetName of the CHALLENGE
 * @param netbiosComputer MsvAvNbComputerName
 * @param netbiosDomain MsvAvNbDomainName
 * @param dnsComputer MsvAvDnsComputerName
 * @param dnsDomain MsvAvDnsDomainName
 * @param dnsTree MsvAvDnsTreeName (the forest)
 * @param osVersion "10.0.17763" from the VERSION field, a hint only
 * @param osProduct the product that build belongs to, when known
 * @param serverTime MsvAvTimestamp
 * @param clockSkewSeconds server time minus local time when the CHALLENGE arrived (positive: the
 *     server is ahead)
 * @param skewUncertaintyMillis half the round trip: how far off the skew may be
 * @param kerberosSkewProblem |skew| above Kerberos' default 5-minute tolerance
 * @param spnego whether the server answered in SPNEGO rather than raw NTLM
 * @param flags the server's NegotiateFlags by name
 */
public record NtlmInfo(
    long credsspVersion,
    String targetName,
    @Nullable String netbiosComputer,
    @Nullable String netbiosDomain,
    @Nullable String dnsComputer,
    @Nullable String dnsDomain,
    @Nullable String dnsTree,
    @Nullable String osVersion,
    @Nullable String osProduct,
    @Nullable Instant serverTime,
    @Nullable Long clockSkewSeconds,
    long skewUncertaintyMillis,
    boolean kerberosSkewProblem,
    boolean spnego,
    List<String> flags) {

  /** Kerberos' default maximum tolerance for computer clock synchronization. */
  public static final Duration KERBEROS_TOLERANCE = Duration.ofMinutes(5);

  /**
   * @param receivedAt the local clock when the CHALLENGE arrived (the driver's clock, injected)
   * @param roundTripMillis the time from sending the NEGOTIATE to that arrival
   */
  public static NtlmInfo of(
      long credsspVersion, ChallengeMessage c, boolean spnego, Instant receivedAt, long roundTripMillis) {
    TargetInfo t = c.targetInfo();
    NtlmVersion v = c.version();
    // The VERSION field counts only with the W2K3 revision byte, as nmap and zgrab2 also check.
    boolean versionValid = v != null && v.revision() == NtlmVersion.REVISION_W2K3;
    Instant serverTime = t.timestamp()
        .map(ft -> Instant.ofEpochMilli(TargetInfo.fileTimeToEpochMillis(ft)))
        .orElse(null);
    // The server stamped its time somewhere within the round trip; its midpoint is the best guess.
    Long skew = null;
    boolean problem = false;
    if (serverTime != null) {
      Instant localAtStamp = receivedAt.minusMillis(roundTripMillis / 2);
      long skewMillis = Duration.between(localAtStamp, serverTime).toMillis();
      skew = Math.round(skewMillis / 1000.0);
      problem = Math.abs(skewMillis) > KERBEROS_TOLERANCE.toMillis();
    }
    return new NtlmInfo(
        credsspVersion,
        c.targetName(),
        t.name(TargetInfo.MSV_AV_NB_COMPUTER_NAME).orElse(null),
        t.name(TargetInfo.MSV_AV_NB_DOMAIN_NAME).orElse(null),
        t.name(TargetInfo.MSV_AV_DNS_COMPUTER_NAME).orElse(null),
        t.name(TargetInfo.MSV_AV_DNS_DOMAIN_NAME).orElse(null),
        t.name(TargetInfo.MSV_AV_DNS_TREE_NAME).orElse(null),
        versionValid ? v.toString() : null,
        versionValid ? WindowsBuilds.product(v.major(), v.minor(), v.build()) : null,
        serverTime,
        skew,
        roundTripMillis / 2,
        problem,
        spnego,
        NegotiateFlags.names(c.flags()));
  }

  /**
   * [MS-CSSP] version 5 added the client nonce that fixes CVE-2018-0886: a server below it has not
   * been updated, and updated clients under the default "Mitigated" policy refuse it.
   */
  public boolean updatedClientsRefuse() {
    return credsspVersion < rdpdoctor.protocol.cssp.PubKeyAuth.NONCE_VERSION;
  }
}
