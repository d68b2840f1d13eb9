package rdpdoctor.evidence.even6;

import java.time.Instant;
import rdpdoctor.evidence.even6.EvtxWriter.Event;
import rdpdoctor.evidence.even6.EvtxWriter.Value;

/**
 * Events of the RDP channels no public sample covers, shaped like Windows writes them (names and
 * value types from the providers' manifests as shown by Event Viewer and EvtxECmd's maps).
 */
public final class RdpFixtures {
  public static final String RDP_CLIENT = "Microsoft-Windows-TerminalServices-RDPClient/Operational";
  public static final String RDP_CLIENT_PROVIDER = "Microsoft-Windows-TerminalServices-ClientActiveXCore";
  public static final String LSM = "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational";
  public static final String LSM_PROVIDER = "Microsoft-Windows-TerminalServices-LocalSessionManager";
  static final String LSM_NS = "Event_NS";
  public static final String GATEWAY = "Microsoft-Windows-TerminalServices-Gateway/Operational";
  public static final String GATEWAY_PROVIDER = "Microsoft-Windows-TerminalServices-Gateway";
  /** The gateway's UserData: {@code <EventInfo xmlns="aag">}, as in the corpus sample. */
  static final String GATEWAY_NS = "aag";

  private RdpFixtures() {}

  /** 1024: "RDP ClientActiveX is trying to connect to the server (host)". */
  public static Event clientConnecting(Instant t, String host) {
    return Event.of(RDP_CLIENT, RDP_CLIENT_PROVIDER, 1024).time(t).data("Name", "Server Name").data("Value", host);
  }

  /** 1026: "RDP ClientActiveX has been disconnected (Reason= N)". */
  public static Event clientDisconnected(Instant t, int reason) {
    return Event.of(RDP_CLIENT, RDP_CLIENT_PROVIDER, 1026).time(t)
        .data("Name", "Disconnect Reason").data("Value", Value.uint32(reason));
  }

  /** 1027: connected to domain with session id. */
  public static Event clientConnected(Instant t, String domain, int sessionId) {
    return Event.of(RDP_CLIENT, RDP_CLIENT_PROVIDER, 1027).time(t)
        .data("DomainName", domain).data("SessionID", Value.uint32(sessionId));
  }

  /** 1029: "Base64(SHA256(UserName)) is = ..." */
  public static Event clientUserHash(Instant t, String hash) {
    return Event.of(RDP_CLIENT, RDP_CLIENT_PROVIDER, 1029).time(t).data("TraceMessage", hash);
  }

  /** 1105: multi-transport connection (UDP) disconnected or established. */
  public static Event clientMultiTransport(Instant t, String text) {
    return Event.of(RDP_CLIENT, RDP_CLIENT_PROVIDER, 1105).time(t).data("CustomLevel", "Info").data("Name", text);
  }

  private static Event lsm(int id, Instant t, String user, int session, String address) {
    Event e = Event.of(LSM, LSM_PROVIDER, id).time(t).userData("EventXML", LSM_NS)
        .data("User", user).data("SessionID", Value.uint32(session));
    if (address != null) {
      e.data("Address", address);
    }
    return e;
  }

  /** 21: session logon succeeded. */
  public static Event sessionLogon(Instant t, String user, int session, String address) {
    return lsm(21, t, user, session, address);
  }

  /** 23: session logoff succeeded. */
  public static Event sessionLogoff(Instant t, String user, int session) {
    return lsm(23, t, user, session, null);
  }

  /** 24: session has been disconnected. */
  public static Event sessionDisconnected(Instant t, String user, int session, String address) {
    return lsm(24, t, user, session, address);
  }

  /** 25: session reconnection succeeded. */
  public static Event sessionReconnected(Instant t, String user, int session, String address) {
    return lsm(25, t, user, session, address);
  }

  /** 39: session N has been disconnected by session M. */
  public static Event sessionDisconnectedBy(Instant t, int target, int source) {
    return Event.of(LSM, LSM_PROVIDER, 39).time(t).userData("EventXML", LSM_NS)
        .data("TargetSession", Value.uint32(target)).data("Source", Value.uint32(source));
  }

  /** 40: session N has been disconnected, reason code R. */
  public static Event sessionDisconnectReason(Instant t, int session, int reason) {
    return Event.of(LSM, LSM_PROVIDER, 40).time(t).userData("EventXML", LSM_NS)
        .data("Session", Value.uint32(session)).data("Reason", Value.uint32(reason));
  }

  /** Security 4625 with logon type 10 (failed RDP logon). */
  public static Event logonFailed(Instant t, String user, String ip, long status, long subStatus) {
    return Event.of("Security", "Microsoft-Windows-Security-Auditing", 4625).time(t).level(0).task(12544)
        .keywords(0x8010000000000000L)
        .data("TargetUserSid", Value.sid("S-1-0-0"))
        .data("TargetUserName", user)
        .data("Status", Value.hex32(status))
        .data("FailureReason", "%%2313")
        .data("SubStatus", Value.hex32(subStatus))
        .data("LogonType", Value.uint32(10))
        .data("IpAddress", ip)
        .data("IpPort", "0");
  }

  public static final String RCM = "Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational";
  public static final String RCM_PROVIDER = "Microsoft-Windows-TerminalServices-RemoteConnectionManager";

  /** RCM 261: "Listener RDP-Tcp received a connection" (names no client). */
  public static Event listenerConnection(Instant t) {
    return Event.of(RCM, RCM_PROVIDER, 261).time(t).userData("EventXML", LSM_NS).data("listenerName", "RDP-Tcp");
  }

  /** RCM 1149: "Remote Desktop Services: User authentication succeeded" (Param1 user, Param2 domain, Param3 address). */
  public static Event userAuthenticated(Instant t, String user, String domain, String address) {
    return Event.of(RCM, RCM_PROVIDER, 1149).time(t).userData("EventXML", LSM_NS)
        .data("Param1", user).data("Param2", domain).data("Param3", address);
  }

  /** Security 4624: an account was logged on (type 10 RemoteInteractive, 7 Unlock). */
  public static Event logonSucceeded(Instant t, String user, String ip, int logonType) {
    return Event.of("Security", "Microsoft-Windows-Security-Auditing", 4624).time(t).level(0).task(12544)
        .keywords(0x8020000000000000L)
        .data("TargetUserSid", Value.sid("S-1-5-21-1-2-3-1001"))
        .data("TargetUserName", user)
        .data("TargetDomainName", "CORP")
        .data("LogonType", Value.uint32(logonType))
        .data("IpAddress", ip)
        .data("IpPort", "0");
  }

  /**
   * A TerminalServices-Gateway/Operational event with the EventInfo elements of the corpus sample
   * (hayabusa_302_rd_gateway_logon_logoff.evtx: Username, IpAddress, AuthType, Resource,
   * ConnectionProtocol, ErrorCode in that order). {@code errorCode} is the decimal the gateway
   * writes (23002 for E_PROXY_RAP_ACCESSDENIED); a null field is left out, as 200 and 300 leave
   * out ErrorCode.
   */
  public static Event gateway(int id, Instant t, String user, String client, String authType, String resource,
      String protocol, Long errorCode) {
    Event e = Event.of(GATEWAY, GATEWAY_PROVIDER, id).time(t).level(errorCode == null || errorCode == 0 ? 4 : 2)
        .userData("EventInfo", GATEWAY_NS)
        .data("Username", user)
        .data("IpAddress", client);
    if (authType != null) {
      e.data("AuthType", authType);
    }
    if (resource != null) {
      e.data("Resource", resource);
    }
    if (protocol != null) {
      e.data("ConnectionProtocol", protocol);
    }
    if (errorCode != null) {
      e.data("ErrorCode", Value.uint32(errorCode));
    }
    return e;
  }

  /** 201: the user did not meet the CAP (error 23003, E_PROXY_NAP_ACCESSDENIED). */
  public static Event gatewayCapDenied(Instant t, String user, String client) {
    return gateway(201, t, user, client, "NTLM", null, "HTTP", 23003L);
  }

  /** 301: the user did not meet the RAP for {@code resource} (error 23002, E_PROXY_RAP_ACCESSDENIED). */
  public static Event gatewayRapDenied(Instant t, String user, String client, String resource) {
    return gateway(301, t, user, client, "NTLM", resource, "HTTP", 23002L);
  }

  /** 304: CAP and RAP met, the resource unreachable (error 23005, E_PROXY_TS_CONNECTFAILED). */
  public static Event gatewayConnectFailed(Instant t, String user, String client, String resource) {
    return gateway(304, t, user, client, "NTLM", resource, "HTTP", 23005L);
  }

  /** 203: the gateway's connection limit is reached (error 23014, E_PROXY_MAXCONNECTIONSREACHED). */
  public static Event gatewayMaxConnections(Instant t, String user, String client) {
    return gateway(203, t, user, client, "NTLM", null, "HTTP", 23014L);
  }
}
