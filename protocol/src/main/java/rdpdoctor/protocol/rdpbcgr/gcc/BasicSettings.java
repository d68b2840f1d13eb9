package rdpdoctor.protocol.rdpbcgr.gcc;

import java.util.List;
import org.jspecify.annotations.Nullable;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.rdpbcgr.mcs.ConnectInitial;
import rdpdoctor.protocol.rdpbcgr.mcs.ConnectResponse;

/**
 * [MS-RDPBCGR] 1.3.1.1 Basic Settings Exchange: the client's MCS Connect-Initial (BER) wrapping a GCC
 * Conference Create Request (PER) wrapping the settings blocks, and the server's answer decoded the
 * same three layers down. No fixed offsets: each layer's lengths frame the next.
 */
public final class BasicSettings {
  private BasicSettings() {}

  /** The server's answer, every layer kept. */
  public record ServerSettings(
      ConnectResponse mcs,
      ConferenceCreate.Response gcc,
      UserDataBlocks blocks,
      @Nullable ServerCoreData core,
      @Nullable ServerSecurityData security,
      @Nullable ServerNetworkData network) {}

  /**
   * A Connect-Initial offering exactly {@code encryptionMethods} (one bit per probe, as nmap and
   * rdp-sec-check do), after an X.224 exchange that selected {@code selectedProtocol}.
   */
  public static byte[] connectInitial(long encryptionMethods, long selectedProtocol) {
    UserDataBlocks blocks =
        new UserDataBlocks(
            List.of(
                new UserDataBlocks.Block(UserDataBlocks.CS_CORE, ClientCoreData.probe(selectedProtocol).encode()),
                new UserDataBlocks.Block(UserDataBlocks.CS_CLUSTER, ClientClusterData.DEFAULT.encode()),
                new UserDataBlocks.Block(
                    UserDataBlocks.CS_SECURITY, new ClientSecurityData(encryptionMethods, 0).encode()),
                new UserDataBlocks.Block(UserDataBlocks.CS_NET, new ClientNetworkData(List.of()).encode())));
    return ConnectInitial.of(ConferenceCreate.request(blocks.encode())).encode();
  }

  /** Decodes a Connect-Response down to the settings blocks. */
  public static ServerSettings decodeResponse(byte[] connectResponse) {
    ConnectResponse mcs = ConnectResponse.decode(connectResponse);
    ConferenceCreate.Response gcc = ConferenceCreate.decodeResponse(mcs.userData());
    UserDataBlocks blocks = UserDataBlocks.decode(gcc.userData());
    try {
      return new ServerSettings(
          mcs, gcc, blocks,
          blocks.serverCore().orElse(null),
          blocks.serverSecurity().orElse(null),
          blocks.serverNetwork().orElse(null));
    } catch (DecodeException e) {
      throw e.in("cannot read MCS Connect-Response settings");
    }
  }
}
