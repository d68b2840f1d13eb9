package rdpdoctor.probe.nla;

import org.jspecify.annotations.Nullable;

/**
 * The "credentials" section: what `rdpdoctor probe --user` found out about one account, without
 * ever sending the password. No field holds the password, its hash, or anything derived from it.
 *
 * @param account DOMAIN\\user as typed
 * @param via the X.224 request the check ran on ("HYBRID_EX", "SSL|HYBRID")
 * @param verdict see {@link Verdict}
 * @param authenticated true only when the server proved it accepted the password
 * @param ntstatus the status name from TSRequest.errorCode, when the server sent one
 * @param ntstatusHex the same as hex
 * @param clientCode the error code mstsc shows for it ("0x807"), when known
 * @param clientCodeName its name ("SSL_ERR_LOGON_FAILURE")
 * @param detail one sentence for people
 * @param clientCredsspVersion the version rdpdoctor announced
 * @param serverCredsspVersion the version the server announced (-1 if it never answered)
 * @param effectiveCredsspVersion min of the two: the pubKeyAuth rules that applied
 * @param updatedClientsRefused true when the server predates the CVE-2018-0886 fix (version < 5),
 *     so clients updated for it refuse this server under the default policy
 * @param outdatedClientsRefused whether a client without the fix (CredSSP version 4) is refused by
 *     this server ("Force Updated Clients"), tested with a second logon after a successful one;
 *     null when not tested
 * @param tlsKeyBound true when the server's pubKeyAuth echo is over the certificate we saw (no TLS
 *     interception), false when it is over another key, null when the exchange did not get there
 * @param earlyUserAuthorization for HYBRID_EX: the Early User Authorization Result, when the server
 *     sent one before credentials were delegated
 * @param earlyUserAuthorizationNote why it is or is not known
 * @param tsCredentialsSent always false: rdpdoctor never delegates the password
 */
public record CredentialReport(
    String account,
    String via,
    Verdict verdict,
    boolean authenticated,
    @Nullable String ntstatus,
    @Nullable String ntstatusHex,
    @Nullable String clientCode,
    @Nullable String clientCodeName,
    String detail,
    long clientCredsspVersion,
    long serverCredsspVersion,
    long effectiveCredsspVersion,
    @Nullable Boolean updatedClientsRefused,
    @Nullable Boolean outdatedClientsRefused,
    @Nullable Boolean tlsKeyBound,
    @Nullable String earlyUserAuthorization,
    @Nullable String earlyUserAuthorizationNote,
    boolean tsCredentialsSent) {

  /** The answer to "does this password work for this account on this server?". */
  public enum Verdict {
    /** The server proved it accepted the credentials (pubKeyAuth echo verified). */
    AUTHENTICATED,
    /** The server refused them: with an NTSTATUS, or by closing the connection after AUTHENTICATE. */
    REJECTED,
    /** The server never answered the AUTHENTICATE within the deadline: no verdict. */
    NO_ANSWER,
    /** The echo is over a different public key: a TLS-intercepting device sits in the path. */
    INTERCEPTED,
    /** The server does not offer CredSSP (NLA), so nothing can be checked before the logon screen. */
    NLA_UNAVAILABLE,
    /** The server's answers broke the protocol. */
    PROTOCOL_ERROR
  }
}
