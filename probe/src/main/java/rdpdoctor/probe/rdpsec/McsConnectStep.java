package rdpdoctor.probe.rdpsec;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Phase;
import rdpdoctor.probe.Step;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.rdpbcgr.gcc.BasicSettings;
import rdpdoctor.protocol.rdpbcgr.x224.TpktFramer;
import rdpdoctor.protocol.rdpbcgr.x224.X224;

/**
 * [MS-RDPBCGR] 1.3.1.1 Basic Settings Exchange for one encryption method: sends an MCS
 * Connect-Initial offering that method and reads the one TPKT frame that answers. The frame is
 * bounded by its TPKT length (nmap's parser read until a fixed offset and hung on longer answers).
 */
public final class McsConnectStep implements Step<BasicSettings.ServerSettings> {
  /** One TPKT frame holds at most 65535 bytes; a Connect-Response with an X.509 chain fits. */
  static final int MAX_RESPONSE = 65535;

  private final long method;
  private final long selectedProtocol;
  private final TpktFramer framer = new TpktFramer(MAX_RESPONSE);
  private BasicSettings.@Nullable ServerSettings settings;

  public McsConnectStep(long method, long selectedProtocol) {
    this.method = method;
    this.selectedProtocol = selectedProtocol;
  }

  @Override
  public Phase phase() {
    return Phase.MCS;
  }

  @Override
  public String name() {
    return "mcs connect " + rdpdoctor.protocol.rdpbcgr.gcc.ClientSecurityData.methodName(method);
  }

  @Override
  public byte[] start() {
    return X224.encodeData(BasicSettings.connectInitial(method, selectedProtocol));
  }

  @Override
  public int bytesNeeded() {
    return settings != null ? 0 : framer.bytesNeeded();
  }

  @Override
  public byte[] receive(byte[] data, Instant receivedAt) {
    framer.offer(data, 0, data.length);
    if (framer.complete()) {
      try {
        settings = BasicSettings.decodeResponse(X224.decodeData(framer.frame()));
      } catch (DecodeException e) {
        throw e.in("cannot read the answer to the MCS Connect-Initial");
      }
    }
    return new byte[0];
  }

  @Override
  public BasicSettings.ServerSettings result() {
    if (settings == null) {
      throw new IllegalStateException("no answer yet");
    }
    return settings;
  }
}
