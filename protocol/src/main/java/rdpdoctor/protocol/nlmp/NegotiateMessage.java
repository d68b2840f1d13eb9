package rdpdoctor.protocol.nlmp;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.DecodeException;

/**
 * [MS-NLMP] 2.2.1.1 NEGOTIATE_MESSAGE, the client's first NTLM token.
 *
 * @param flags NegotiateFlags
 * @param domain DomainName (OEM), empty when not supplied
 * @param workstation Workstation (OEM), empty when not supplied
 * @param version VERSION, present when the VERSION flag is set
 */
public record NegotiateMessage(
    long flags, String domain, String workstation, @Nullable NtlmVersion version) {
  public static final long TYPE = 1;

  /** What rdpdoctor sends: the default flags, no names (they would only leak the probing host). */
  public static NegotiateMessage client() {
    return new NegotiateMessage(NegotiateFlags.CLIENT_DEFAULT, "", "", NtlmVersion.CLIENT);
  }

  public byte[] encode() {
    NtlmFields.Layout l = new NtlmFields.Layout();
    l.header().bytes(NtlmFields.SIGNATURE).u32le(TYPE); // Signature (8), MessageType (4)
    l.header().u32le(flags); //                             NegotiateFlags (4)
    l.field(domain.getBytes(StandardCharsets.ISO_8859_1)); // DomainNameFields (8)
    l.field(workstation.getBytes(StandardCharsets.ISO_8859_1)); // WorkstationFields (8)
    if (version != null) {
      version.encode(l.header()); //                        Version (8)
    } else {
      l.header().zeros(NtlmVersion.SIZE);
    }
    return l.build();
  }

  public static NegotiateMessage decode(byte[] message) {
    try {
      ByteReader r = ByteReader.of(message);
      NtlmFields.header(r, TYPE, "NEGOTIATE_MESSAGE");
      long flags = r.u32le("NegotiateFlags");
      String domain =
          new String(NtlmFields.payload(r, message, "DomainName"), StandardCharsets.ISO_8859_1);
      String ws =
          new String(NtlmFields.payload(r, message, "Workstation"), StandardCharsets.ISO_8859_1);
      NtlmVersion v =
          (flags & NegotiateFlags.VERSION) != 0 && r.remaining() >= NtlmVersion.SIZE
              ? NtlmVersion.decode(r)
              : null;
      return new NegotiateMessage(flags, domain, ws, v);
    } catch (DecodeException e) {
      throw e.in("cannot read NTLM NEGOTIATE_MESSAGE");
    }
  }
}
