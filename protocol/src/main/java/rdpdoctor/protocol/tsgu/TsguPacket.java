package rdpdoctor.protocol.tsgu;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.ByteWriter;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.Hex;

/**
 * [MS-TSGU] 2.2.10 the HTTP transport's packets: an 8-byte HTTP_PACKET_HEADER (2.2.10.9) and a body
 * whose layout its {@code packetType} names. All integers are little-endian.
 *
 * <pre>
 *  0           2           4                       8
 *  | packetType | reserved  | packetLength (header included) | body ...
 * </pre>
 *
 * <p>Strings (HTTP_UNICODE_STRING 2.2.10.20) are a 2-byte byte count and UTF-16LE; real clients
 * (mstsc, FreeRDP) count a terminating NUL, so {@link #unicode} writes one and decoding drops one.
 * A packet type this code does not know is kept as {@link Unknown} with its body.
 */
public sealed interface TsguPacket {
  /** 2.2.5.3.3 HTTP_PACKET_TYPE_ENUM. */
  int PKT_TYPE_HANDSHAKE_REQUEST = 0x1;
  int PKT_TYPE_HANDSHAKE_RESPONSE = 0x2;
  int PKT_TYPE_EXTENDED_AUTH_MSG = 0x3;
  int PKT_TYPE_TUNNEL_CREATE = 0x4;
  int PKT_TYPE_TUNNEL_RESPONSE = 0x5;
  int PKT_TYPE_TUNNEL_AUTH = 0x6;
  int PKT_TYPE_TUNNEL_AUTH_RESPONSE = 0x7;
  int PKT_TYPE_CHANNEL_CREATE = 0x8;
  int PKT_TYPE_CHANNEL_RESPONSE = 0x9;
  int PKT_TYPE_DATA = 0xA;
  int PKT_TYPE_SERVICE_MESSAGE = 0xB;
  int PKT_TYPE_REAUTH_MESSAGE = 0xC;
  int PKT_TYPE_KEEPALIVE = 0xD;
  int PKT_TYPE_CLOSE_CHANNEL = 0x10;
  int PKT_TYPE_CLOSE_CHANNEL_RESPONSE = 0x11;

  /** 2.2.10.9 HTTP_PACKET_HEADER size. */
  int HEADER_LENGTH = 2 /* packetType */ + 2 /* reserved */ + 4 /* packetLength */;

  /**
   * The largest packet this code accepts. The biggest legal one is a TUNNEL_RESPONSE with a nonce and
   * two 64 KiB strings (about 128 KiB); DATA carries at most 0xFFFF bytes.
   */
  int MAX_PACKET_LENGTH = 256 * 1024;

  /** 2.2.5.3.2 HTTP_EXTENDED_AUTH flags of the handshake. */
  int HTTP_EXTENDED_AUTH_NONE = 0x0;
  int HTTP_EXTENDED_AUTH_SC = 0x1;
  int HTTP_EXTENDED_AUTH_PAA = 0x2;
  int HTTP_EXTENDED_AUTH_SSPI_NTLM = 0x4;

  /** 2.2.5.3.1 HTTP_CAPABILITY_TYPE flags of TUNNEL_CREATE / TUNNEL_RESPONSE. */
  long HTTP_CAPABILITY_TYPE_QUAR_SOH = 0x1;
  long HTTP_CAPABILITY_IDLE_TIMEOUT = 0x2;
  long HTTP_CAPABILITY_MESSAGING_CONSENT_SIGN = 0x4;
  long HTTP_CAPABILITY_MESSAGING_SERVICE_MSG = 0x8;
  long HTTP_CAPABILITY_REAUTH = 0x10;
  long HTTP_CAPABILITY_UDP_TRANSPORT = 0x20;

  /** 2.2.5.3.5 HTTP_TUNNEL_PACKET_FIELDS_PRESENT_FLAGS. */
  int HTTP_TUNNEL_PACKET_FIELD_PAA_COOKIE = 0x1;
  int HTTP_TUNNEL_PACKET_FIELD_REAUTH = 0x2;

  /** 2.2.5.3.6 HTTP_TUNNEL_RESPONSE_FIELDS_PRESENT_FLAGS. */
  int HTTP_TUNNEL_RESPONSE_FIELD_TUNNEL_ID = 0x1;
  int HTTP_TUNNEL_RESPONSE_FIELD_CAPS = 0x2;
  int HTTP_TUNNEL_RESPONSE_FIELD_SOH_REQ = 0x4;
  int HTTP_TUNNEL_RESPONSE_FIELD_CONSENT_MSG = 0x10;

  /** 2.2.5.3.4 HTTP_TUNNEL_AUTH_FIELDS_PRESENT_FLAGS. */
  int HTTP_TUNNEL_AUTH_FIELD_SOH = 0x1;

  /** 2.2.5.3.7 HTTP_TUNNEL_AUTH_RESPONSE_FIELDS_PRESENT_FLAGS. */
  int HTTP_TUNNEL_AUTH_RESPONSE_FIELD_REDIR_FLAGS = 0x1;
  int HTTP_TUNNEL_AUTH_RESPONSE_FIELD_IDLE_TIMEOUT = 0x2;
  int HTTP_TUNNEL_AUTH_RESPONSE_FIELD_SOH_RESPONSE = 0x4;

  /** 2.2.5.3.8 HTTP_CHANNEL_RESPONSE_FIELDS_PRESENT_FLAGS. */
  int HTTP_CHANNEL_RESPONSE_FIELD_CHANNELID = 0x1;
  int HTTP_CHANNEL_RESPONSE_FIELD_AUTHNCOOKIE = 0x2;
  int HTTP_CHANNEL_RESPONSE_FIELD_UDPPORT = 0x4;

  /** 2.2.5.3.9 HTTP_TUNNEL_REDIR_FLAGS. */
  long HTTP_TUNNEL_REDIR_ENABLE_ALL = 0x80000000L;
  long HTTP_TUNNEL_REDIR_DISABLE_ALL = 0x40000000L;
  long HTTP_TUNNEL_REDIR_DISABLE_DRIVE = 0x1;
  long HTTP_TUNNEL_REDIR_DISABLE_PRINTER = 0x2;
  long HTTP_TUNNEL_REDIR_DISABLE_PORT = 0x4;
  long HTTP_TUNNEL_REDIR_DISABLE_CLIPBOARD = 0x8;
  long HTTP_TUNNEL_REDIR_DISABLE_PNP = 0x10;

  /** The packetType this record is encoded with. */
  int type();

  /** The body after the header. */
  void encodeBody(ByteWriter w);

  /** Header and body, with packetLength filled in. */
  default byte[] encode() {
    ByteWriter w = new ByteWriter(64);
    w.u16le(type()).u16le(0).u32le(0);
    encodeBody(w);
    w.putU32le(4, w.size());
    return w.toByteArray();
  }

  /**
   * Reads the packet length from a header; {@code header} must hold at least 8 bytes.
   *
   * @throws DecodeException when the length is below the header or above {@link #MAX_PACKET_LENGTH}
   */
  static int packetLength(byte[] header) {
    ByteReader r = ByteReader.of(header, 0, Math.min(header.length, HEADER_LENGTH));
    r.u16le("packetType");
    r.u16le("reserved");
    long length = r.u32le("packetLength");
    if (length < HEADER_LENGTH) {
      throw new DecodeException.InvalidField("packetLength", length + " (expected: >= " + HEADER_LENGTH + ")");
    }
    return (int) DecodeException.checkBound("packetLength", length, MAX_PACKET_LENGTH);
  }

  /** Decodes one whole packet (header included); its packetLength must equal the array's length. */
  static TsguPacket decode(byte[] packet) {
    try {
      ByteReader r = ByteReader.of(packet);
      int type = r.u16le("packetType"); //    packetType (2)
      r.u16le("reserved"); //                 reserved (2)
      long length = r.u32le("packetLength"); // packetLength (4)
      if (length != packet.length) {
        throw new DecodeException.InvalidField(
            "packetLength", length + " (expected: " + packet.length + ", the bytes framed)");
      }
      // bytes after the fields a type defines are ignored, as FreeRDP and Windows ignore them
      ByteReader b = r.slice("body", r.remaining());
      TsguPacket p = switch (type) {
        case PKT_TYPE_HANDSHAKE_REQUEST -> HandshakeRequest.decode(b);
        case PKT_TYPE_HANDSHAKE_RESPONSE -> HandshakeResponse.decode(b);
        case PKT_TYPE_EXTENDED_AUTH_MSG -> ExtendedAuth.decode(b);
        case PKT_TYPE_TUNNEL_CREATE -> TunnelCreate.decode(b);
        case PKT_TYPE_TUNNEL_RESPONSE -> TunnelResponse.decode(b);
        case PKT_TYPE_TUNNEL_AUTH -> TunnelAuth.decode(b);
        case PKT_TYPE_TUNNEL_AUTH_RESPONSE -> TunnelAuthResponse.decode(b);
        case PKT_TYPE_CHANNEL_CREATE -> ChannelCreate.decode(b);
        case PKT_TYPE_CHANNEL_RESPONSE -> ChannelResponse.decode(b);
        case PKT_TYPE_DATA -> Data.decode(b);
        case PKT_TYPE_SERVICE_MESSAGE -> new ServiceMessage(string(b, "message"));
        case PKT_TYPE_REAUTH_MESSAGE -> new Reauth(b.u64le("reauthTunnelContext"));
        case PKT_TYPE_KEEPALIVE -> new Keepalive();
        case PKT_TYPE_CLOSE_CHANNEL -> new CloseChannel(b.u32le("statusCode"));
        case PKT_TYPE_CLOSE_CHANNEL_RESPONSE -> new CloseChannelResponse(b.u32le("statusCode"));
        default -> new Unknown(type, b.bytes("body", b.remaining()));
      };
      return p;
    } catch (DecodeException e) {
      throw e.in("cannot read MS-TSGU packet");
    }
  }

  /** "PKT_TYPE_TUNNEL_RESPONSE" or "0x2a". */
  static String typeName(int type) {
    return switch (type) {
      case PKT_TYPE_HANDSHAKE_REQUEST -> "PKT_TYPE_HANDSHAKE_REQUEST";
      case PKT_TYPE_HANDSHAKE_RESPONSE -> "PKT_TYPE_HANDSHAKE_RESPONSE";
      case PKT_TYPE_EXTENDED_AUTH_MSG -> "PKT_TYPE_EXTENDED_AUTH_MSG";
      case PKT_TYPE_TUNNEL_CREATE -> "PKT_TYPE_TUNNEL_CREATE";
      case PKT_TYPE_TUNNEL_RESPONSE -> "PKT_TYPE_TUNNEL_RESPONSE";
      case PKT_TYPE_TUNNEL_AUTH -> "PKT_TYPE_TUNNEL_AUTH";
      case PKT_TYPE_TUNNEL_AUTH_RESPONSE -> "PKT_TYPE_TUNNEL_AUTH_RESPONSE";
      case PKT_TYPE_CHANNEL_CREATE -> "PKT_TYPE_CHANNEL_CREATE";
      case PKT_TYPE_CHANNEL_RESPONSE -> "PKT_TYPE_CHANNEL_RESPONSE";
      case PKT_TYPE_DATA -> "PKT_TYPE_DATA";
      case PKT_TYPE_SERVICE_MESSAGE -> "PKT_TYPE_SERVICE_MESSAGE";
      case PKT_TYPE_REAUTH_MESSAGE -> "PKT_TYPE_REAUTH_MESSAGE";
      case PKT_TYPE_KEEPALIVE -> "PKT_TYPE_KEEPALIVE";
      case PKT_TYPE_CLOSE_CHANNEL -> "PKT_TYPE_CLOSE_CHANNEL";
      case PKT_TYPE_CLOSE_CHANNEL_RESPONSE -> "PKT_TYPE_CLOSE_CHANNEL_RESPONSE";
      default -> "0x" + Integer.toHexString(type);
    };
  }

  /**
   * Writes an HTTP_UNICODE_STRING with a terminating NUL, as real clients do, when the NUL still
   * fits the 16-bit byte count (so whatever {@link #string} decoded encodes again).
   */
  static void unicode(ByteWriter w, String s) {
    byte[] b = (s + "\0").getBytes(StandardCharsets.UTF_16LE);
    if (b.length > 0xFFFF) {
      b = s.getBytes(StandardCharsets.UTF_16LE);
    }
    if (b.length > 0xFFFF) {
      throw new IllegalArgumentException("string too long for a 16-bit byte count: " + b.length + " bytes");
    }
    w.u16le(b.length).bytes(b);
  }

  /** Reads an HTTP_UNICODE_STRING (2-byte byte count, UTF-16LE), dropping one terminating NUL. */
  static String string(ByteReader r, String field) {
    int cb = r.u16le(field + " length");
    byte[] b = r.bytes(field, cb); // at most 0xFFFF, and checked against what is left
    String s = new String(b, 0, b.length & ~1, StandardCharsets.UTF_16LE);
    return s.endsWith("\0") ? s.substring(0, s.length() - 1) : s;
  }

  /** Writes an HTTP_BYTE_BLOB (2.2.10.1): a 2-byte count and the bytes. */
  static void blob(ByteWriter w, byte[] b) {
    if (b.length > 0xFFFF) {
      throw new IllegalArgumentException("blob too long for a 16-bit byte count: " + b.length + " bytes");
    }
    w.u16le(b.length).bytes(b);
  }

  static byte[] blob(ByteReader r, String field) {
    int cb = r.u16le(field + " length");
    return r.bytes(field, cb);
  }

  /**
   * 2.2.10.10 HTTP_HANDSHAKE_REQUEST_PACKET.
   *
   * @param versionMajor 1 for the HTTP transport
   * @param versionMinor 0
   * @param clientVersion must be 0
   * @param extendedAuth HTTP_EXTENDED_AUTH flags the client can do
   */
  record HandshakeRequest(int versionMajor, int versionMinor, int clientVersion, int extendedAuth)
      implements TsguPacket {
    /** What mstsc and FreeRDP send without smart card or PAA: version 1.0, no extended auth. */
    public static HandshakeRequest standard() {
      return new HandshakeRequest(1, 0, 0, HTTP_EXTENDED_AUTH_NONE);
    }

    @Override
    public int type() {
      return PKT_TYPE_HANDSHAKE_REQUEST;
    }

    @Override
    public void encodeBody(ByteWriter w) {
      w.u8(versionMajor).u8(versionMinor).u16le(clientVersion).u16le(extendedAuth);
    }

    static HandshakeRequest decode(ByteReader r) {
      return new HandshakeRequest(
          r.u8("verMajor"), //       verMajor (1)
          r.u8("verMinor"), //       verMinor (1)
          r.u16le("clientVersion"), // clientVersion (2)
          r.u16le("extendedAuth")); // extendedAuth (2)
    }
  }

  /**
   * 2.2.10.11 HTTP_HANDSHAKE_RESPONSE_PACKET.
   *
   * @param errorCode HRESULT, 0 on success (E_PROXY_* on failure)
   * @param serverVersion the gateway's version word
   * @param extendedAuth the extended authentication the server chose
   */
  record HandshakeResponse(long errorCode, int versionMajor, int versionMinor, int serverVersion, int extendedAuth)
      implements TsguPacket {
    @Override
    public int type() {
      return PKT_TYPE_HANDSHAKE_RESPONSE;
    }

    @Override
    public void encodeBody(ByteWriter w) {
      w.u32le(errorCode).u8(versionMajor).u8(versionMinor).u16le(serverVersion).u16le(extendedAuth);
    }

    static HandshakeResponse decode(ByteReader r) {
      return new HandshakeResponse(
          r.u32le("errorCode"), //     errorCode (4)
          r.u8("verMajor"), //         verMajor (1)
          r.u8("verMinor"), //         verMinor (1)
          r.u16le("serverVersion"), // serverVersion (2)
          r.u16le("extendedAuth")); // extendedAuth (2)
    }
  }

  /** 2.2.10.8 HTTP_EXTENDED_AUTH_PACKET: an SSPI NTLM token inside the tunnel. */
  record ExtendedAuth(long errorCode, byte[] blob) implements TsguPacket {
    public ExtendedAuth {
      blob = blob.clone();
    }

    @Override
    public byte[] blob() {
      return blob.clone();
    }

    @Override
    public int type() {
      return PKT_TYPE_EXTENDED_AUTH_MSG;
    }

    @Override
    public void encodeBody(ByteWriter w) {
      w.u32le(errorCode);
      TsguPacket.blob(w, blob);
    }

    static ExtendedAuth decode(ByteReader r) {
      long error = r.u32le("errorCode");
      return new ExtendedAuth(error, TsguPacket.blob(r, "extendedAuthBlob"));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ExtendedAuth e && e.errorCode == errorCode && Arrays.equals(e.blob, blob);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(blob);
    }

    @Override
    public String toString() {
      return "ExtendedAuth[errorCode=0x" + Long.toHexString(errorCode) + ", blob=" + Hex.of(blob) + "]";
    }
  }

  /**
   * 2.2.10.17 HTTP_TUNNEL_PACKET (PKT_TYPE_TUNNEL_CREATE) with its optional part (2.2.10.18).
   *
   * @param capabilities HTTP_CAPABILITY_TYPE flags the client supports
   * @param reauthTunnelContext present for a reauthentication tunnel
   * @param paaCookie the pluggable-authentication cookie (UTF-16LE string as sent), when PAA is used
   */
  record TunnelCreate(long capabilities, @Nullable Long reauthTunnelContext, @Nullable String paaCookie)
      implements TsguPacket {
    /** FreeRDP 2.11's capabilities: QUAR_SOH | MESSAGING_CONSENT_SIGN | MESSAGING_SERVICE_MSG. */
    public static final long FREERDP_CAPABILITIES =
        HTTP_CAPABILITY_TYPE_QUAR_SOH | HTTP_CAPABILITY_MESSAGING_CONSENT_SIGN | HTTP_CAPABILITY_MESSAGING_SERVICE_MSG;

    @Override
    public int type() {
      return PKT_TYPE_TUNNEL_CREATE;
    }

    int fieldsPresent() {
      return (paaCookie != null ? HTTP_TUNNEL_PACKET_FIELD_PAA_COOKIE : 0)
          | (reauthTunnelContext != null ? HTTP_TUNNEL_PACKET_FIELD_REAUTH : 0);
    }

    @Override
    public void encodeBody(ByteWriter w) {
      w.u32le(capabilities).u16le(fieldsPresent()).u16le(0);
      if (reauthTunnelContext != null) {
        w.u64le(reauthTunnelContext);
      }
      if (paaCookie != null) {
        unicode(w, paaCookie);
      }
    }

    static TunnelCreate decode(ByteReader r) {
      long caps = r.u32le("capsFlags"); //         capsFlags (4)
      int present = r.u16le("fieldsPresent"); //  fieldsPresent (2)
      r.u16le("reserved"); //                     reserved (2)
      Long reauth = (present & HTTP_TUNNEL_PACKET_FIELD_REAUTH) != 0 ? r.u64le("reauthTunnelContext") : null;
      String cookie = (present & HTTP_TUNNEL_PACKET_FIELD_PAA_COOKIE) != 0 ? string(r, "PAACookie") : null;
      return new TunnelCreate(caps, reauth, cookie);
    }
  }

  /**
   * 2.2.10.20 HTTP_TUNNEL_RESPONSE with its optional part (2.2.10.21).
   *
   * @param serverVersion the gateway's version word
   * @param statusCode HRESULT (E_PROXY_* when the tunnel is refused)
   * @param tunnelId present with HTTP_TUNNEL_RESPONSE_FIELD_TUNNEL_ID
   * @param capabilities the capabilities the server agrees to, with HTTP_TUNNEL_RESPONSE_FIELD_CAPS
   * @param nonce 20 bytes, with a statement-of-health request (SOH_REQ)
   * @param serverCertificate the certificate string of the SOH request
   * @param consentMessage the logon message the user must accept (CONSENT_MSG)
   */
  record TunnelResponse(
      int serverVersion,
      long statusCode,
      @Nullable Long tunnelId,
      @Nullable Long capabilities,
      byte @Nullable [] nonce,
      @Nullable String serverCertificate,
      @Nullable String consentMessage)
      implements TsguPacket {
    public static final int NONCE_LENGTH = 20;

    public TunnelResponse {
      if ((nonce == null) != (serverCertificate == null)) {
        throw new IllegalArgumentException("nonce and serverCertificate come together (SOH_REQ)");
      }
      if (nonce != null && nonce.length != NONCE_LENGTH) {
        throw new IllegalArgumentException("nonce must be " + NONCE_LENGTH + " bytes: " + nonce.length);
      }
      nonce = nonce == null ? null : nonce.clone();
    }

    @Override
    public byte @Nullable [] nonce() {
      return nonce == null ? null : nonce.clone();
    }

    int fieldsPresent() {
      return (tunnelId != null ? HTTP_TUNNEL_RESPONSE_FIELD_TUNNEL_ID : 0)
          | (capabilities != null ? HTTP_TUNNEL_RESPONSE_FIELD_CAPS : 0)
          | (nonce != null ? HTTP_TUNNEL_RESPONSE_FIELD_SOH_REQ : 0)
          | (consentMessage != null ? HTTP_TUNNEL_RESPONSE_FIELD_CONSENT_MSG : 0);
    }

    @Override
    public int type() {
      return PKT_TYPE_TUNNEL_RESPONSE;
    }

    @Override
    public void encodeBody(ByteWriter w) {
      w.u16le(serverVersion).u32le(statusCode).u16le(fieldsPresent()).u16le(0);
      if (tunnelId != null) {
        w.u32le(tunnelId);
      }
      if (capabilities != null) {
        w.u32le(capabilities);
      }
      if (nonce != null && serverCertificate != null) {
        w.bytes(nonce);
        unicode(w, serverCertificate);
      }
      if (consentMessage != null) {
        unicode(w, consentMessage);
      }
    }

    static TunnelResponse decode(ByteReader r) {
      int version = r.u16le("serverVersion"); // serverVersion (2)
      long status = r.u32le("statusCode"); //    statusCode (4)
      int present = r.u16le("fieldsPresent"); // fieldsPresent (2)
      r.u16le("reserved"); //                    reserved (2)
      Long id = (present & HTTP_TUNNEL_RESPONSE_FIELD_TUNNEL_ID) != 0 ? r.u32le("tunnelId") : null;
      Long caps = (present & HTTP_TUNNEL_RESPONSE_FIELD_CAPS) != 0 ? r.u32le("capsFlags") : null;
      byte[] nonce = null;
      String cert = null;
      if ((present & HTTP_TUNNEL_RESPONSE_FIELD_SOH_REQ) != 0) {
        nonce = r.bytes("nonce", NONCE_LENGTH);
        cert = string(r, "serverCert");
      }
      String consent = (present & HTTP_TUNNEL_RESPONSE_FIELD_CONSENT_MSG) != 0 ? string(r, "consentMsg") : null;
      return new TunnelResponse(version, status, id, caps, nonce, cert, consent);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof TunnelResponse t && t.serverVersion == serverVersion && t.statusCode == statusCode
          && java.util.Objects.equals(t.tunnelId, tunnelId) && java.util.Objects.equals(t.capabilities, capabilities)
          && Arrays.equals(t.nonce, nonce) && java.util.Objects.equals(t.serverCertificate, serverCertificate)
          && java.util.Objects.equals(t.consentMessage, consentMessage);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(statusCode) * 31 + serverVersion;
    }

    @Override
    public String toString() {
      return "TunnelResponse[serverVersion=" + serverVersion + ", statusCode=0x" + Long.toHexString(statusCode)
          + ", tunnelId=" + tunnelId + ", capabilities=" + capabilities
          + ", nonce=" + (nonce == null ? null : Hex.of(nonce)) + ", serverCertificate=" + serverCertificate
          + ", consentMessage=" + consentMessage + "]";
    }
  }

  /**
   * 2.2.10.14 HTTP_TUNNEL_AUTH_PACKET with its optional part (2.2.10.15).
   *
   * @param clientName the client machine's name
   * @param statementOfHealth the SoH blob, when the client sends one
   */
  record TunnelAuth(String clientName, byte @Nullable [] statementOfHealth) implements TsguPacket {
    public TunnelAuth {
      statementOfHealth = statementOfHealth == null ? null : statementOfHealth.clone();
    }

    @Override
    public byte @Nullable [] statementOfHealth() {
      return statementOfHealth == null ? null : statementOfHealth.clone();
    }

    @Override
    public int type() {
      return PKT_TYPE_TUNNEL_AUTH;
    }

    @Override
    public void encodeBody(ByteWriter w) {
      w.u16le(statementOfHealth != null ? HTTP_TUNNEL_AUTH_FIELD_SOH : 0);
      unicode(w, clientName);
      if (statementOfHealth != null) {
        blob(w, statementOfHealth);
      }
    }

    static TunnelAuth decode(ByteReader r) {
      int present = r.u16le("fieldsPresent"); // fieldsPresent (2)
      String name = string(r, "clientName"); //  cbClientName (2), clientName
      byte[] soh = (present & HTTP_TUNNEL_AUTH_FIELD_SOH) != 0 ? TsguPacket.blob(r, "statementOfHealth") : null;
      return new TunnelAuth(name, soh);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof TunnelAuth t && t.clientName.equals(clientName)
          && Arrays.equals(t.statementOfHealth, statementOfHealth);
    }

    @Override
    public int hashCode() {
      return clientName.hashCode();
    }
  }

  /**
   * 2.2.10.16 HTTP_TUNNEL_AUTH_RESPONSE with its optional part (2.2.10.17).
   *
   * @param errorCode HRESULT: E_PROXY_NAP_ACCESSDENIED, a CAP denial...
   * @param redirectFlags HTTP_TUNNEL_REDIR flags (device redirection the gateway allows)
   * @param idleTimeoutMinutes the idle timeout in minutes, 0 for none
   * @param sohResponse the statement-of-health response blob
   */
  record TunnelAuthResponse(
      long errorCode, @Nullable Long redirectFlags, @Nullable Long idleTimeoutMinutes, byte @Nullable [] sohResponse)
      implements TsguPacket {
    public TunnelAuthResponse {
      sohResponse = sohResponse == null ? null : sohResponse.clone();
    }

    @Override
    public byte @Nullable [] sohResponse() {
      return sohResponse == null ? null : sohResponse.clone();
    }

    @Override
    public int type() {
      return PKT_TYPE_TUNNEL_AUTH_RESPONSE;
    }

    @Override
    public void encodeBody(ByteWriter w) {
      int present = (redirectFlags != null ? HTTP_TUNNEL_AUTH_RESPONSE_FIELD_REDIR_FLAGS : 0)
          | (idleTimeoutMinutes != null ? HTTP_TUNNEL_AUTH_RESPONSE_FIELD_IDLE_TIMEOUT : 0)
          | (sohResponse != null ? HTTP_TUNNEL_AUTH_RESPONSE_FIELD_SOH_RESPONSE : 0);
      w.u32le(errorCode).u16le(present).u16le(0);
      if (redirectFlags != null) {
        w.u32le(redirectFlags);
      }
      if (idleTimeoutMinutes != null) {
        w.u32le(idleTimeoutMinutes);
      }
      if (sohResponse != null) {
        blob(w, sohResponse);
      }
    }

    static TunnelAuthResponse decode(ByteReader r) {
      long error = r.u32le("errorCode"); //      errorCode (4)
      int present = r.u16le("fieldsPresent"); // fieldsPresent (2)
      r.u16le("reserved"); //                    reserved (2)
      Long redir = (present & HTTP_TUNNEL_AUTH_RESPONSE_FIELD_REDIR_FLAGS) != 0 ? r.u32le("redirFlags") : null;
      Long idle = (present & HTTP_TUNNEL_AUTH_RESPONSE_FIELD_IDLE_TIMEOUT) != 0 ? r.u32le("idleTimeout") : null;
      byte[] soh = (present & HTTP_TUNNEL_AUTH_RESPONSE_FIELD_SOH_RESPONSE) != 0
          ? TsguPacket.blob(r, "SoHResponse") : null;
      return new TunnelAuthResponse(error, redir, idle, soh);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof TunnelAuthResponse t && t.errorCode == errorCode
          && java.util.Objects.equals(t.redirectFlags, redirectFlags)
          && java.util.Objects.equals(t.idleTimeoutMinutes, idleTimeoutMinutes)
          && Arrays.equals(t.sohResponse, sohResponse);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(errorCode);
    }
  }

  /**
   * 2.2.10.2 HTTP_CHANNEL_PACKET: which host and port the gateway should connect to.
   *
   * @param resources the target names (the first is tried first)
   * @param alternateResources alternative names
   * @param port the target's TCP port
   * @param protocol 3 (RDP), the only value the spec defines
   */
  record ChannelCreate(List<String> resources, List<String> alternateResources, int port, int protocol)
      implements TsguPacket {
    public static final int PROTOCOL_RDP = 3;

    public ChannelCreate {
      resources = List.copyOf(resources);
      alternateResources = List.copyOf(alternateResources);
      if (resources.size() > 0xFF || alternateResources.size() > 0xFF) {
        throw new IllegalArgumentException("at most 255 resources of each kind");
      }
    }

    /** One target, as FreeRDP and mstsc send it. */
    public static ChannelCreate to(String host, int port) {
      return new ChannelCreate(List.of(host), List.of(), port, PROTOCOL_RDP);
    }

    @Override
    public int type() {
      return PKT_TYPE_CHANNEL_CREATE;
    }

    @Override
    public void encodeBody(ByteWriter w) {
      w.u8(resources.size()).u8(alternateResources.size()).u16le(port).u16le(protocol);
      resources.forEach(s -> unicode(w, s));
      alternateResources.forEach(s -> unicode(w, s));
    }

    static ChannelCreate decode(ByteReader r) {
      int n = r.u8("numResources"); //        numResources (1)
      int alt = r.u8("numAltResources"); //   numAltResources (1)
      int port = r.u16le("port"); //          port (2)
      int protocol = r.u16le("protocol"); //  protocol (2)
      // each name takes at least its 2-byte count, so a count above what is left fails before the lists grow
      r.require("resource names", 2L * (n + alt));
      List<String> names = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        names.add(string(r, "resourceName[" + i + "]"));
      }
      List<String> alts = new ArrayList<>(alt);
      for (int i = 0; i < alt; i++) {
        alts.add(string(r, "altResourceName[" + i + "]"));
      }
      return new ChannelCreate(names, alts, port, protocol);
    }
  }

  /**
   * 2.2.10.4 HTTP_CHANNEL_RESPONSE with its optional part (2.2.10.5).
   *
   * @param errorCode HRESULT: E_PROXY_RAP_ACCESSDENIED, E_PROXY_TS_CONNECTFAILED...
   * @param channelId with HTTP_CHANNEL_RESPONSE_FIELD_CHANNELID
   * @param udpPort with HTTP_CHANNEL_RESPONSE_FIELD_UDPPORT
   * @param authnCookie with HTTP_CHANNEL_RESPONSE_FIELD_AUTHNCOOKIE (UDP authentication)
   */
  record ChannelResponse(long errorCode, @Nullable Long channelId, @Nullable Integer udpPort, byte @Nullable [] authnCookie)
      implements TsguPacket {
    public ChannelResponse {
      authnCookie = authnCookie == null ? null : authnCookie.clone();
    }

    @Override
    public byte @Nullable [] authnCookie() {
      return authnCookie == null ? null : authnCookie.clone();
    }

    @Override
    public int type() {
      return PKT_TYPE_CHANNEL_RESPONSE;
    }

    @Override
    public void encodeBody(ByteWriter w) {
      int present = (channelId != null ? HTTP_CHANNEL_RESPONSE_FIELD_CHANNELID : 0)
          | (authnCookie != null ? HTTP_CHANNEL_RESPONSE_FIELD_AUTHNCOOKIE : 0)
          | (udpPort != null ? HTTP_CHANNEL_RESPONSE_FIELD_UDPPORT : 0);
      w.u32le(errorCode).u16le(present).u16le(0);
      if (channelId != null) {
        w.u32le(channelId);
      }
      if (udpPort != null) {
        w.u16le(udpPort);
      }
      if (authnCookie != null) {
        blob(w, authnCookie);
      }
    }

    static ChannelResponse decode(ByteReader r) {
      long error = r.u32le("errorCode"); //      errorCode (4)
      int present = r.u16le("fieldsPresent"); // fieldsPresent (2)
      r.u16le("reserved"); //                    reserved (2)
      // the optional fields come in this order, not in the order of their flag bits
      Long id = (present & HTTP_CHANNEL_RESPONSE_FIELD_CHANNELID) != 0 ? r.u32le("channelId") : null;
      Integer udp = (present & HTTP_CHANNEL_RESPONSE_FIELD_UDPPORT) != 0 ? r.u16le("udpPort") : null;
      byte[] cookie = (present & HTTP_CHANNEL_RESPONSE_FIELD_AUTHNCOOKIE) != 0
          ? TsguPacket.blob(r, "authnCookie") : null;
      return new ChannelResponse(error, id, udp, cookie);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ChannelResponse c && c.errorCode == errorCode
          && java.util.Objects.equals(c.channelId, channelId) && java.util.Objects.equals(c.udpPort, udpPort)
          && Arrays.equals(c.authnCookie, authnCookie);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(errorCode);
    }
  }

  /** 2.2.10.6 HTTP_DATA_PACKET: RDP bytes to or from the target. */
  record Data(byte[] data) implements TsguPacket {
    public static final int MAX_DATA = 0xFFFF;

    public Data {
      if (data.length > MAX_DATA) {
        throw new IllegalArgumentException("data packet holds at most " + MAX_DATA + " bytes: " + data.length);
      }
      data = data.clone();
    }

    @Override
    public byte[] data() {
      return data.clone();
    }

    @Override
    public int type() {
      return PKT_TYPE_DATA;
    }

    @Override
    public void encodeBody(ByteWriter w) {
      w.u16le(data.length).bytes(data);
    }

    static Data decode(ByteReader r) {
      int cb = r.u16le("cbDataLen"); // cbDataLen (2)
      return new Data(r.bytes("data", cb));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Data d && Arrays.equals(d.data, data);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "Data[" + data.length + " bytes]";
    }
  }

  /** 2.2.10.19 HTTP_SERVICE_MESSAGE: an administrative message for the user. */
  record ServiceMessage(String message) implements TsguPacket {
    @Override
    public int type() {
      return PKT_TYPE_SERVICE_MESSAGE;
    }

    @Override
    public void encodeBody(ByteWriter w) {
      unicode(w, message);
    }
  }

  /** 2.2.10.13 HTTP_REAUTH_MESSAGE: the gateway asks the client to authenticate again. */
  record Reauth(long reauthTunnelContext) implements TsguPacket {
    @Override
    public int type() {
      return PKT_TYPE_REAUTH_MESSAGE;
    }

    @Override
    public void encodeBody(ByteWriter w) {
      w.u64le(reauthTunnelContext);
    }
  }

  /** PKT_TYPE_KEEPALIVE: a header without a body. */
  record Keepalive() implements TsguPacket {
    @Override
    public int type() {
      return PKT_TYPE_KEEPALIVE;
    }

    @Override
    public void encodeBody(ByteWriter w) {}
  }

  /** 2.2.10.3 HTTP_CLOSE_PACKET (PKT_TYPE_CLOSE_CHANNEL): the channel ends, with why. */
  record CloseChannel(long statusCode) implements TsguPacket {
    @Override
    public int type() {
      return PKT_TYPE_CLOSE_CHANNEL;
    }

    @Override
    public void encodeBody(ByteWriter w) {
      w.u32le(statusCode);
    }
  }

  /** 2.2.10.3 HTTP_CLOSE_PACKET (PKT_TYPE_CLOSE_CHANNEL_RESPONSE). */
  record CloseChannelResponse(long statusCode) implements TsguPacket {
    @Override
    public int type() {
      return PKT_TYPE_CLOSE_CHANNEL_RESPONSE;
    }

    @Override
    public void encodeBody(ByteWriter w) {
      w.u32le(statusCode);
    }
  }

  /** A packet type this code does not know, kept with its body (STYLE.md 4). */
  record Unknown(int type, byte[] body) implements TsguPacket {
    public Unknown {
      body = body.clone();
    }

    @Override
    public byte[] body() {
      return body.clone();
    }

    @Override
    public void encodeBody(ByteWriter w) {
      w.bytes(body);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Unknown u && u.type == type && Arrays.equals(u.body, body);
    }

    @Override
    public int hashCode() {
      return type * 31 + Arrays.hashCode(body);
    }
  }
}
