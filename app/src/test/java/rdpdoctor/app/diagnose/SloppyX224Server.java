package rdpdoctor.app.diagnose;

import java.io.IOException;
import rdpdoctor.probe.FakeServer;
import rdpdoctor.probe.Target;
import rdpdoctor.protocol.rdpbcgr.x224.ConnectionConfirm;
import rdpdoctor.protocol.rdpbcgr.x224.ConnectionRequest;
import rdpdoctor.protocol.rdpbcgr.x224.NegotiationData;
import rdpdoctor.protocol.rdpbcgr.x224.SecurityProtocols;

/**
 * A listener that answers every X.224 Connection Request by selecting TLS, requested or not (as
 * some proxies do), then closes: the one probe verdict no bench peer produces, "a protocol was
 * selected that was not requested". Loopback only, through the probe's test FakeServer.
 */
final class SloppyX224Server implements AutoCloseable {
  private final FakeServer server;

  SloppyX224Server() throws IOException {
    server = new FakeServer(s -> {
      ConnectionRequest cr = ConnectionRequest.decode(FakeServer.readTpkt(s.getInputStream()));
      NegotiationData answer = cr.negotiation() == null ? null : new NegotiationData.Response(0, SecurityProtocols.SSL);
      s.getOutputStream().write(new ConnectionConfirm(0x1234, answer).encode());
      s.getOutputStream().flush();
      s.getInputStream().readNBytes(1); // wait for the client to close
    });
  }

  Target target() {
    return server.target();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
