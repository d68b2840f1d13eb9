package rdpdoctor.protocol.cssp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.ByteWriter;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.Hex;
import rdpdoctor.protocol.der.Der;

/**
 * [MS-CSSP] 2.2.1 TSRequest, the one message CredSSP exchanges over TLS:
 *
 * <pre>
 * TSRequest ::= SEQUENCE {
 *   version     [0] INTEGER,
 *   negoTokens  [1] NegoData OPTIONAL,       -- SEQUENCE OF SEQUENCE { negoToken [0] OCTET STRING }
 *   authInfo    [2] OCTET STRING OPTIONAL,   -- sealed TSCredentials (rdpdoctor never sends it)
 *   pubKeyAuth  [3] OCTET STRING OPTIONAL,
 *   errorCode   [4] INTEGER OPTIONAL,        -- version 3 and later: an NTSTATUS
 *   clientNonce [5] OCTET STRING OPTIONAL }  -- version 5 and later: 32 bytes
 * </pre>
 *
 * <p>Decoding bounds the whole message to {@link #MAX_SIZE} before reading it; fields this
 * version of the spec does not define (higher context tags) are skipped, not rejected, as a
 * newer server may add them.
 */
public record TsRequest(
    long version,
    List<byte[]> negoTokens,
    byte @Nullable [] authInfo,
    byte @Nullable [] pubKeyAuth,
    @Nullable Long errorCode,
    byte @Nullable [] clientNonce) {

  /**
   * The largest TSRequest accepted. A Kerberos ticket with a large PAC is the biggest thing a real
   * server puts in one (tens of KiB); anything past this is a hostile or broken peer.
   */
  public static final int MAX_SIZE = 256 * 1024;

  /** The CredSSP version rdpdoctor announces: the current one, as an updated Windows client. */
  public static final long CLIENT_VERSION = 6;

  public TsRequest {
    negoTokens = negoTokens.stream().map(byte[]::clone).toList();
  }

  public static TsRequest negoToken(long version, byte[] token) {
    return new TsRequest(version, List.of(token), null, null, null, null);
  }

  /**
   * How many bytes the TSRequest starting at {@code prefix} occupies in total, or -1 when the
   * prefix is too short to tell. The driver reads exactly that much (TLS may split it across
   * records, as Windows Server 2008 R2 does).
   *
   * @throws DecodeException when the first byte is not a SEQUENCE or the length exceeds {@link #MAX_SIZE}
   */
  public static int frameLength(byte[] prefix, int available) {
    if (available < 2) {
      return -1;
    }
    if ((prefix[0] & 0xFF) != Der.SEQUENCE) {
      throw new DecodeException.UnexpectedValue(
          "TSRequest", "tag", prefix[0] & 0xFF, "0x30 (a DER SEQUENCE)");
    }
    // Der reads the length octets after the tag; running short of them means "read more".
    ByteReader length = ByteReader.of(prefix, 1, available - 1);
    try {
      int len = Der.lengthValue(length, "TSRequest", MAX_SIZE);
      return 1 + length.position() + len;
    } catch (DecodeException.NotEnoughBytes e) {
      return -1;
    }
  }

  public byte[] encode() {
    ByteWriter body = new ByteWriter();
    body.bytes(Der.tlv(0xA0, Der.integer(version)));
    if (!negoTokens.isEmpty()) {
      ByteWriter list = new ByteWriter();
      for (byte[] t : negoTokens) {
        list.bytes(Der.tlv(Der.SEQUENCE, Der.tlv(0xA0, Der.octetString(t))));
      }
      body.bytes(Der.tlv(0xA1, Der.tlv(Der.SEQUENCE, list.toByteArray())));
    }
    if (authInfo != null) {
      body.bytes(Der.tlv(0xA2, Der.octetString(authInfo)));
    }
    if (pubKeyAuth != null) {
      body.bytes(Der.tlv(0xA3, Der.octetString(pubKeyAuth)));
    }
    if (errorCode != null) {
      // NTSTATUS values are 32-bit and Windows writes them as a signed INTEGER.
      body.bytes(Der.tlv(0xA4, Der.integer((int) (long) errorCode)));
    }
    if (clientNonce != null) {
      body.bytes(Der.tlv(0xA5, Der.octetString(clientNonce)));
    }
    return Der.tlv(Der.SEQUENCE, body.toByteArray());
  }

  public static TsRequest decode(byte[] bytes) {
    try {
      if (bytes.length > MAX_SIZE + 6) {
        throw new DecodeException.InvalidField(
            "TSRequest", bytes.length + " bytes (expected: <= " + MAX_SIZE + ")");
      }
      ByteReader outer = ByteReader.of(bytes);
      ByteReader seq = Der.expect(outer, Der.SEQUENCE, "TSRequest", MAX_SIZE);
      Long version = null;
      List<byte[]> tokens = new ArrayList<>();
      byte[] authInfo = null;
      byte[] pubKeyAuth = null;
      Long errorCode = null;
      byte[] nonce = null;
      int lastTag = -1;
      while (seq.hasRemaining()) {
        Der.Element e = Der.read(seq, "TSRequest field", MAX_SIZE);
        if ((e.tag().classAndForm() & 0xC0) != Der.CONTEXT) {
          throw new DecodeException.UnexpectedValue(
              "TSRequest", "field tag", e.tag().classAndForm() | e.tag().number(), "a context tag [0]..[5]");
        }
        int n = (int) e.tag().number();
        if (n <= lastTag) {
          throw new DecodeException.InvalidField("TSRequest", "field [" + n + "] out of order after [" + lastTag + "]");
        }
        lastTag = n;
        ByteReader c = e.content();
        switch (n) {
          case 0 -> version = Der.readInteger(c, "version");
          case 1 -> tokens = negoData(c);
          case 2 -> authInfo = Der.readOctetString(c, "authInfo", MAX_SIZE);
          case 3 -> pubKeyAuth = Der.readOctetString(c, "pubKeyAuth", MAX_SIZE);
          case 4 -> errorCode = Der.readInteger(c, "errorCode") & 0xFFFFFFFFL;
          case 5 -> nonce = Der.readOctetString(c, "clientNonce", MAX_SIZE);
          default -> { } // a later spec's field: skipped
        }
      }
      if (version == null) {
        throw new DecodeException.InvalidField("version", "missing");
      }
      if (outer.hasRemaining()) {
        throw new DecodeException.InvalidField(
            "TSRequest", outer.remaining() + " bytes after the SEQUENCE");
      }
      return new TsRequest(version, tokens, authInfo, pubKeyAuth, errorCode, nonce);
    } catch (DecodeException e) {
      throw e.in("cannot read CredSSP TSRequest");
    }
  }

  private static List<byte[]> negoData(ByteReader c) {
    ByteReader list = Der.expect(c, Der.SEQUENCE, "negoTokens", MAX_SIZE);
    List<byte[]> out = new ArrayList<>();
    while (list.hasRemaining()) {
      ByteReader item = Der.expect(list, Der.SEQUENCE, "NegoData item", MAX_SIZE);
      ByteReader tagged = Der.expect(item, 0xA0, "negoToken", MAX_SIZE);
      out.add(Der.readOctetString(tagged, "negoToken", MAX_SIZE));
    }
    return out;
  }

  /** The first negoToken, or null. */
  public byte @Nullable [] firstToken() {
    return negoTokens.isEmpty() ? null : negoTokens.get(0).clone();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TsRequest t) || t.version != version || t.negoTokens.size() != negoTokens.size()) {
      return false;
    }
    for (int i = 0; i < negoTokens.size(); i++) {
      if (!Arrays.equals(t.negoTokens.get(i), negoTokens.get(i))) {
        return false;
      }
    }
    return Arrays.equals(t.authInfo, authInfo)
        && Arrays.equals(t.pubKeyAuth, pubKeyAuth)
        && java.util.Objects.equals(t.errorCode, errorCode)
        && Arrays.equals(t.clientNonce, clientNonce);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(version) * 31 + negoTokens.size();
  }

  /** Sizes only: authInfo would hold credentials, and tokens are opaque. */
  @Override
  public String toString() {
    return "TsRequest[version=" + version + ", negoTokens=" + negoTokens.size()
        + (authInfo != null ? ", authInfo=" + authInfo.length + " bytes" : "")
        + (pubKeyAuth != null ? ", pubKeyAuth=" + pubKeyAuth.length + " bytes" : "")
        + (errorCode != null ? ", errorCode=0x" + Long.toHexString(errorCode) : "")
        + (clientNonce != null ? ", clientNonce=" + Hex.of(clientNonce) : "") + "]";
  }
}
