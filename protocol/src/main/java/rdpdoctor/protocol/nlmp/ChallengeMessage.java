package rdpdoctor.protocol.nlmp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.Hex;

/**
 * [MS-NLMP] 2.2.1.2 CHALLENGE_MESSAGE, the server's NTLM token: its names, its clock
 * (MsvAvTimestamp) and its build number, given to anyone who sends a NEGOTIATE.
 *
 * <pre>
 *  0      8      12         20     24         32      40          48       56
 *  | Sig  | Type | TargetNm | Flgs | Challenge| Rsvd  | TargetInfo| Version | payload...
 * </pre>
 *
 * @param flags NegotiateFlags the server chose
 * @param targetName TargetName (Unicode when the UNICODE flag is set, else OEM)
 * @param serverChallenge ServerChallenge (8 bytes)
 * @param targetInfo the AV pairs (empty when the server sent none)
 * @param version VERSION, when the server sent one
 */
public record ChallengeMessage(
    long flags,
    String targetName,
    byte[] serverChallenge,
    TargetInfo targetInfo,
    @Nullable NtlmVersion version) {
  public static final long TYPE = 2;

  /** The fixed part before the payload when VERSION is absent. */
  private static final int HEADER_WITHOUT_VERSION = 48;

  public ChallengeMessage {
    if (serverChallenge.length != 8) {
      throw new IllegalArgumentException("server challenge must be 8 bytes");
    }
    serverChallenge = serverChallenge.clone();
  }

  @Override
  public byte[] serverChallenge() {
    return serverChallenge.clone();
  }

  public static ChallengeMessage decode(byte[] message) {
    try {
      ByteReader r = ByteReader.of(message);
      NtlmFields.header(r, TYPE, "CHALLENGE_MESSAGE"); //         Signature (8), MessageType (4)
      ByteReader nameFields = r.slice("TargetNameFields", 8); //  TargetNameFields (8)
      long flags = r.u32le("NegotiateFlags"); //                  NegotiateFlags (4)
      byte[] challenge = r.bytes("ServerChallenge", 8); //        ServerChallenge (8)
      r.skip("Reserved", 8); //                                   Reserved (8)
      ByteReader infoFields = r.slice("TargetInfoFields", 8); //  TargetInfoFields (8)
      // Version (8) sits here only when negotiated *and* the payload does not start at 48: old
      // servers set the flag but still put the payload right after TargetInfoFields.
      long lowest =
          Math.min(
              NtlmFields.lowestOffset(ByteReader.of(message, 12, 8), 1),
              NtlmFields.lowestOffset(ByteReader.of(message, 40, 8), 1));
      NtlmVersion version = null;
      if ((flags & NegotiateFlags.VERSION) != 0 && lowest >= HEADER_WITHOUT_VERSION + NtlmVersion.SIZE) {
        version = NtlmVersion.decode(r);
      }
      byte[] nameBytes = NtlmFields.payload(nameFields, message, "TargetName");
      String name =
          (flags & NegotiateFlags.UNICODE) != 0
              ? new String(nameBytes, 0, nameBytes.length & ~1, StandardCharsets.UTF_16LE)
              : new String(nameBytes, StandardCharsets.ISO_8859_1);
      byte[] info = NtlmFields.payload(infoFields, message, "TargetInfo");
      TargetInfo targetInfo;
      try {
        targetInfo = TargetInfo.decode(info);
      } catch (DecodeException e) {
        throw e.in("cannot read TargetInfo AV pairs");
      }
      return new ChallengeMessage(flags, name, challenge, targetInfo, version);
    } catch (DecodeException e) {
      throw e.in("cannot read NTLM CHALLENGE_MESSAGE");
    }
  }

  /** Encodes the message; the fake servers in tests and the MS-NLMP example use it. */
  public byte[] encode() {
    NtlmFields.Layout l = new NtlmFields.Layout();
    l.header().bytes(NtlmFields.SIGNATURE).u32le(TYPE);
    l.field(
        (flags & NegotiateFlags.UNICODE) != 0
            ? targetName.getBytes(StandardCharsets.UTF_16LE)
            : targetName.getBytes(StandardCharsets.ISO_8859_1));
    l.header().u32le(flags).bytes(serverChallenge).zeros(8);
    l.field(targetInfo.pairs().isEmpty() ? new byte[0] : targetInfo.encode());
    if (version != null) {
      version.encode(l.header());
    }
    return l.build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChallengeMessage c
        && c.flags == flags
        && c.targetName.equals(targetName)
        && Arrays.equals(c.serverChallenge, serverChallenge)
        && c.targetInfo.equals(targetInfo)
        && java.util.Objects.equals(c.version, version);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(flags) * 31 + Arrays.hashCode(serverChallenge);
  }

  @Override
  public String toString() {
    return "ChallengeMessage[flags=0x" + Long.toHexString(flags) + ", targetName=" + targetName
        + ", serverChallenge=" + Hex.of(serverChallenge) + ", targetInfo=" + targetInfo.pairs().size()
        + " pairs, version=" + version + "]";
  }
}
