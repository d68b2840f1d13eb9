/**
 * [MS-TSGU] Terminal Services Gateway Server Protocol, HTTP transport (2.2.10): the packets the RD
 * Gateway and its client exchange inside RDG_OUT_DATA / RDG_IN_DATA or an RFC 6455 WebSocket, the
 * HTTP request shapes, and the WebSocket framing. Codecs only: no sockets, no clocks.
 */
package rdpdoctor.protocol.tsgu;
