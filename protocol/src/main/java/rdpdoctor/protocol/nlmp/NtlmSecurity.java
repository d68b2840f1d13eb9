package rdpdoctor.protocol.nlmp;

import java.util.Arrays;
import org.bouncycastle.crypto.engines.RC4Engine;
import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.ByteWriter;
import rdpdoctor.protocol.DecodeException;

/**
 * [MS-NLMP] 3.4 Session Security with extended session security: message signatures
 * (3.4.4.2, HMAC-MD5 over the sequence number and message, RC4-sealed when KEY_EXCH) and
 * confidentiality (3.4.3, one RC4 stream per direction that runs for the whole session).
 *
 * <p>Holds the two directions' keys and sequence numbers; CredSSP seals its pubKeyAuth with
 * {@link #seal} and opens the server's echo with {@link #unseal}. Not thread-safe: the RC4 streams
 * and sequence numbers advance with every call, exactly as both peers' do.
 */
public final class NtlmSecurity {
  /** NTLMSSP_MESSAGE_SIGNATURE: Version (4) + Checksum (8) + SeqNum (4). */
  public static final int SIGNATURE_SIZE = 16;

  private final long flags;
  private final byte[] signOut;
  private final byte[] signIn;
  private final byte[] sealOutKey;
  private final byte[] sealInKey;
  private RC4Engine sealOut;
  private RC4Engine sealIn;
  private long seqOut;
  private long seqIn;

  /**
   * @param exportedSessionKey the session key both sides hold after AUTHENTICATE
   * @param flags the negotiated flags (KEY_EXCH, 128/56 decide the key and checksum handling)
   * @param client true on the client side (it sends with client-to-server keys)
   */
  public NtlmSecurity(byte[] exportedSessionKey, long flags, boolean client) {
    this.flags = flags;
    this.signOut = NtlmCrypto.signKey(exportedSessionKey, client);
    this.signIn = NtlmCrypto.signKey(exportedSessionKey, !client);
    this.sealOutKey = NtlmCrypto.sealKey(exportedSessionKey, flags, client);
    this.sealInKey = NtlmCrypto.sealKey(exportedSessionKey, flags, !client);
    this.sealOut = NtlmCrypto.rc4Handle(sealOutKey);
    this.sealIn = NtlmCrypto.rc4Handle(sealInKey);
  }

  /**
   * [MS-SPNG] 3.3.5.1 NTLM RC4 Key State for MechListMIC and First Signed Message: after the
   * mechListMIC both RC4 streams and sequence numbers start again, as Windows and Samba do.
   */
  public void resetAfterMechListMic() {
    sealOut = NtlmCrypto.rc4Handle(sealOutKey);
    sealIn = NtlmCrypto.rc4Handle(sealInKey);
    seqOut = 0;
    seqIn = 0;
  }

  /** GSS_WrapEx: returns Signature (16 bytes) followed by the sealed message, as CredSSP carries it. */
  public byte[] seal(byte[] message) {
    byte[] sealed = new byte[message.length];
    sealOut.processBytes(message, 0, message.length, sealed, 0);
    byte[] sig = signature(signOut, sealOut, seqOut++, message);
    return new ByteWriter(SIGNATURE_SIZE + sealed.length).bytes(sig).bytes(sealed).toByteArray();
  }

  /** GSS_GetMICEx: the signature alone (SPNEGO's mechListMIC), advancing the outgoing sequence. */
  public byte[] sign(byte[] message) {
    return signature(signOut, sealOut, seqOut++, message);
  }

  /**
   * GSS_UnwrapEx: opens Signature ‖ sealed message from the peer and checks the signature.
   *
   * @throws DecodeException when the input is too short or the signature does not verify
   */
  public byte[] unseal(byte[] signatureAndMessage) {
    ByteReader r = ByteReader.of(signatureAndMessage);
    byte[] sig = r.bytes("NTLMSSP_MESSAGE_SIGNATURE", SIGNATURE_SIZE);
    byte[] sealed = r.bytes("sealed message", r.remaining());
    byte[] plain = new byte[sealed.length];
    sealIn.processBytes(sealed, 0, sealed.length, plain, 0);
    byte[] expected = signature(signIn, sealIn, seqIn++, plain);
    if (!java.security.MessageDigest.isEqual(sig, expected)) {
      throw new DecodeException.InvalidField(
          "NTLMSSP_MESSAGE_SIGNATURE", "does not verify with the session key (sequence " + (seqIn - 1) + ")");
    }
    return plain;
  }

  /** Verifies a peer's GSS_GetMICEx signature over {@code message}. */
  public boolean verify(byte[] message, byte[] signature) {
    byte[] expected = signature(signIn, sealIn, seqIn++, message);
    return java.security.MessageDigest.isEqual(signature, expected);
  }

  private byte[] signature(byte[] signKey, RC4Engine handle, long seq, byte[] message) {
    byte[] seqBytes = new ByteWriter(4).u32le(seq).toByteArray();
    byte[] checksum = Arrays.copyOf(NtlmCrypto.hmacMd5(signKey, seqBytes, message), 8);
    if ((flags & NegotiateFlags.KEY_EXCH) != 0) {
      byte[] enc = new byte[8];
      handle.processBytes(checksum, 0, 8, enc, 0);
      checksum = enc;
    }
    return new ByteWriter(SIGNATURE_SIZE).u32le(1).bytes(checksum).u32le(seq).toByteArray();
  }
}
