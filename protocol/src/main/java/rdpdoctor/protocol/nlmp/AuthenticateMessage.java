package rdpdoctor.protocol.nlmp;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.DecodeException;

/**
 * [MS-NLMP] 2.2.1.3 AUTHENTICATE_MESSAGE, the client's proof. It carries responses derived from the
 * password (never the password or its hash), the user and domain names, and the session key
 * sealed with a key only the password holder can compute.
 *
 * <pre>
 *  0   8    12   20   28     36   44   52   60      64    72    88
 *  |Sig|Type| Lm | Nt |Domain|User| Ws |EncKey|Flags|Version| MIC | payload...
 * </pre>
 */
public record AuthenticateMessage(
    byte[] lmChallengeResponse,
    byte[] ntChallengeResponse,
    String domain,
    String user,
    String workstation,
    byte[] encryptedRandomSessionKey,
    long flags,
    @Nullable NtlmVersion version,
    byte @Nullable [] mic) {
  public static final long TYPE = 3;

  /** Offset of the MIC in the layout this class writes (with VERSION and MIC). */
  public static final int MIC_OFFSET = 72;

  private static final int HEADER_WITH_MIC = 88;

  /** Encodes with Version and a MIC field ({@code mic} or 16 zero bytes while the MIC is computed). */
  public byte[] encode() {
    NtlmFields.Layout l = new NtlmFields.Layout();
    l.header().bytes(NtlmFields.SIGNATURE).u32le(TYPE); //      Signature (8), MessageType (4)
    l.field(lmChallengeResponse); //                            LmChallengeResponseFields (8)
    l.field(ntChallengeResponse); //                            NtChallengeResponseFields (8)
    l.field(domain.getBytes(StandardCharsets.UTF_16LE)); //      DomainNameFields (8)
    l.field(user.getBytes(StandardCharsets.UTF_16LE)); //        UserNameFields (8)
    l.field(workstation.getBytes(StandardCharsets.UTF_16LE)); // WorkstationFields (8)
    l.field(encryptedRandomSessionKey); //                      EncryptedRandomSessionKeyFields (8)
    l.header().u32le(flags); //                                 NegotiateFlags (4)
    (version == null ? NtlmVersion.CLIENT : version).encode(l.header()); // Version (8)
    l.header().bytes(mic == null ? new byte[16] : mic); //      MIC (16)
    return l.build();
  }

  /** Decodes a message (the in-process fake servers read the client's AUTHENTICATE with this). */
  public static AuthenticateMessage decode(byte[] message) {
    try {
      ByteReader r = ByteReader.of(message);
      NtlmFields.header(r, TYPE, "AUTHENTICATE_MESSAGE");
      byte[] lm = NtlmFields.payload(r, message, "LmChallengeResponse");
      byte[] nt = NtlmFields.payload(r, message, "NtChallengeResponse");
      byte[] dom = NtlmFields.payload(r, message, "DomainName");
      byte[] usr = NtlmFields.payload(r, message, "UserName");
      byte[] ws = NtlmFields.payload(r, message, "Workstation");
      byte[] key = NtlmFields.payload(r, message, "EncryptedRandomSessionKey");
      long flags = r.u32le("NegotiateFlags");
      long lowest = NtlmFields.lowestOffset(ByteReader.of(message, 12, 48), 6);
      NtlmVersion version = null;
      byte[] mic = null;
      if (lowest >= HEADER_WITH_MIC) {
        version = NtlmVersion.decode(r);
        mic = r.bytes("MIC", 16);
      } else if (lowest >= MIC_OFFSET && (flags & NegotiateFlags.VERSION) != 0) {
        version = NtlmVersion.decode(r);
      }
      boolean unicode = (flags & NegotiateFlags.UNICODE) != 0;
      return new AuthenticateMessage(
          lm, nt, text(dom, unicode), text(usr, unicode), text(ws, unicode), key, flags, version, mic);
    } catch (DecodeException e) {
      throw e.in("cannot read NTLM AUTHENTICATE_MESSAGE");
    }
  }

  private static String text(byte[] b, boolean unicode) {
    return unicode
        ? new String(b, 0, b.length & ~1, StandardCharsets.UTF_16LE)
        : new String(b, StandardCharsets.ISO_8859_1);
  }

  /** NTProofStr, the first 16 bytes of an NTLMv2 response (empty for shorter responses). */
  public byte[] ntProofStr() {
    return ntChallengeResponse.length >= 16
        ? java.util.Arrays.copyOf(ntChallengeResponse, 16)
        : new byte[0];
  }

  /** Only sizes: the responses are password-derived and do not belong in logs. */
  @Override
  public String toString() {
    return "AuthenticateMessage[user=" + domain + "\\" + user + ", flags=0x" + Long.toHexString(flags)
        + ", ntResponse=" + ntChallengeResponse.length + " bytes]";
  }
}
