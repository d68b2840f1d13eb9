package rdpdoctor.probe.rdpsec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import rdpdoctor.probe.FakeServer;
import rdpdoctor.probe.Probe;
import rdpdoctor.probe.ProbeOptions;
import rdpdoctor.probe.ProbeReport;
import rdpdoctor.protocol.ByteWriter;
import rdpdoctor.protocol.rdpbcgr.gcc.ConferenceCreate;
import rdpdoctor.protocol.rdpbcgr.gcc.UserDataBlocks;
import rdpdoctor.protocol.rdpbcgr.mcs.ConnectInitial;
import rdpdoctor.protocol.rdpbcgr.mcs.ConnectResponse;
import rdpdoctor.protocol.rdpbcgr.mcs.DomainParameters;
import rdpdoctor.protocol.rdpbcgr.x224.ConnectionConfirm;
import rdpdoctor.protocol.rdpbcgr.x224.ConnectionRequest;
import rdpdoctor.protocol.rdpbcgr.x224.NegotiationData;
import rdpdoctor.protocol.rdpbcgr.x224.X224;

/**
 * Standard RDP Security against an in-process server that allows only 40- and 128-bit RC4 at level
 * "client compatible" with a 512-bit proprietary certificate, and drops the connection otherwise
 * (what Windows does with an unacceptable method).
 */
class RdpSecurityStageTest {
  static final Set<Long> ACCEPTED = Set.of(0x01L, 0x02L);

  static void handle(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    OutputStream out = s.getOutputStream();
    ConnectionRequest cr = ConnectionRequest.decode(FakeServer.readTpkt(in));
    if (cr.negotiation() == null) {
      out.write(new ConnectionConfirm(0x1234, null).encode()); // legacy: no negotiation data
    } else if (cr.negotiation().requestedProtocols() == 0) {
      out.write(new ConnectionConfirm(0x1234, new NegotiationData.Response(0, 0)).encode());
    } else {
      out.write(new ConnectionConfirm(0x1234,
          new NegotiationData.Failure(0, NegotiationData.Failure.SSL_NOT_ALLOWED_BY_SERVER)).encode());
      out.flush();
      return;
    }
    out.flush();
    ConnectInitial ci = ConnectInitial.decode(X224.decodeData(FakeServer.readTpkt(in)));
    UserDataBlocks client = UserDataBlocks.decode(ConferenceCreate.decodeRequest(ci.userData()));
    long offered = client.clientSecurity().orElseThrow().encryptionMethods();
    if (!ACCEPTED.contains(offered)) {
      return; // drop the connection, as Windows does
    }
    byte[] cert = new ByteWriter()
        .u32le(1).u32le(1).u32le(1).u16le(6).u16le(92)
        .u32le(0x31415352L).u32le(72).u32le(512).u32le(63).u32le(0x10001).zeros(72)
        .u16le(8).u16le(72).zeros(72).toByteArray();
    byte[] security = new ByteWriter().u32le(offered).u32le(2).u32le(32).u32le(cert.length)
        .zeros(32).bytes(cert).toByteArray();
    UserDataBlocks server = new UserDataBlocks(List.of(
        new UserDataBlocks.Block(UserDataBlocks.SC_CORE, new ByteWriter().u32le(0x00080004L).u32le(0).toByteArray()),
        new UserDataBlocks.Block(UserDataBlocks.SC_NET, new ByteWriter().u16le(1003).u16le(0).toByteArray()),
        new UserDataBlocks.Block(UserDataBlocks.SC_SECURITY, security)));
    byte[] gcc = ConferenceCreate.response(31219, 1, 0, server.encode());
    byte[] mcs = new ConnectResponse(0, 0, new DomainParameters(34, 3, 0, 1, 0, 1, 0xfff8, 2), gcc).encode();
    out.write(X224.encodeData(mcs));
    out.flush();
    in.read(); // until the client closes
  }

  @Test
  void reportsAcceptedMethodsLevelVersionAndKeySize() throws Exception {
    try (FakeServer s = new FakeServer(RdpSecurityStageTest::handle)) {
      ProbeOptions o = ProbeOptions.defaults().withTimeout(Duration.ofSeconds(20))
          .withStepTimeout(Duration.ofSeconds(3)).withStages(List.of(new RdpSecurityStage()));
      ProbeReport r = new Probe(o).run(s.target());
      RdpSecurityReport rep = (RdpSecurityReport) r.sections().get("rdpSecurity");
      assertThat(rep).isNotNull();
      assertThat(rep.via()).isEqualTo("legacy");
      assertThat(rep.methods()).extracting(RdpSecurityReport.Method::method)
          .containsExactly("none", "40-bit", "56-bit", "128-bit", "FIPS");
      assertThat(rep.methods()).filteredOn(RdpSecurityReport.Method::accepted)
          .extracting(RdpSecurityReport.Method::method).containsExactly("40-bit", "128-bit");
      assertThat(rep.methods().get(2).error()).isNotNull(); // 56-bit: dropped, with the reason
      assertThat(rep.encryptionLevel()).isEqualTo("client compatible");
      assertThat(rep.serverVersion()).isEqualTo("RDP 5.0 to 8.1");
      assertThat(rep.certificateType()).isEqualTo("proprietary");
      assertThat(rep.keyBits()).isEqualTo(512);
      assertThat(rep.selectsUnoffered()).isFalse(); // it drops what it does not accept
      assertThat(r.observations()).anySatisfy(ob -> {
        assertThat(ob.type()).isEqualTo("probe.rdpsecurity");
        assertThat(ob.get("weakMethods")).isEqualTo(List.of("40-bit"));
      });
    }
  }
}
