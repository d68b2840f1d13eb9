package rdpdoctor.protocol.rdpbcgr.gcc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.ByteWriter;
import rdpdoctor.protocol.DecodeException;

/**
 * [MS-RDPBCGR] 2.2.1.3.1 / 2.2.1.4.1 User Data Header: the settings blocks inside the GCC userData,
 * each {@code type (2 bytes) | length (2 bytes, header included) | data}. Blocks of unknown type are
 * kept with their raw bytes.
 */
public record UserDataBlocks(List<Block> blocks) {
  public static final int CS_CORE = 0xC001;
  public static final int CS_SECURITY = 0xC002;
  public static final int CS_NET = 0xC003;
  public static final int CS_CLUSTER = 0xC004;
  public static final int SC_CORE = 0x0C01;
  public static final int SC_SECURITY = 0x0C02;
  public static final int SC_NET = 0x0C03;

  /** The most blocks accepted; a real exchange has fewer than ten. */
  private static final int MAX_BLOCKS = 64;

  /** One block's type and its data (header removed). */
  public record Block(int type, byte[] data) {
    public Block {
      data = data.clone();
    }

    @Override
    public byte[] data() {
      return data.clone();
    }

    ByteReader reader() {
      return ByteReader.of(data);
    }
  }

  public UserDataBlocks {
    blocks = List.copyOf(blocks);
  }

  public static UserDataBlocks decode(byte[] bytes) {
    try {
      ByteReader r = ByteReader.of(bytes);
      List<Block> out = new ArrayList<>();
      while (r.hasRemaining()) {
        if (out.size() == MAX_BLOCKS) {
          throw new DecodeException.InvalidField("user data blocks", "more than " + MAX_BLOCKS);
        }
        int type = r.u16le("TS_UD_HEADER.type"); //     (2 bytes)
        int length = r.u16le("TS_UD_HEADER.length"); // (2 bytes)
        // The length counts the header too; below 4 would loop forever (nmap #1737).
        if (length < 4) {
          throw new DecodeException.InvalidField(
              "TS_UD_HEADER.length", length + " for block 0x" + Integer.toHexString(type) + " (expected: >= 4)");
        }
        out.add(new Block(type, r.bytes("block 0x" + Integer.toHexString(type), length - 4)));
      }
      return new UserDataBlocks(out);
    } catch (DecodeException e) {
      throw e.in("cannot read GCC user data blocks");
    }
  }

  public byte[] encode() {
    ByteWriter w = new ByteWriter();
    for (Block b : blocks) {
      w.u16le(b.type()).u16le(b.data.length + 4).bytes(b.data);
    }
    return w.toByteArray();
  }

  public Optional<Block> find(int type) {
    return blocks.stream().filter(b -> b.type() == type).findFirst();
  }

  public Optional<ServerCoreData> serverCore() {
    return find(SC_CORE).map(b -> ServerCoreData.decode(b.reader()));
  }

  public Optional<ServerSecurityData> serverSecurity() {
    return find(SC_SECURITY).map(b -> ServerSecurityData.decode(b.reader()));
  }

  public Optional<ServerNetworkData> serverNetwork() {
    return find(SC_NET).map(b -> ServerNetworkData.decode(b.reader()));
  }

  public Optional<ClientCoreData> clientCore() {
    return find(CS_CORE).map(b -> ClientCoreData.decode(b.reader()));
  }

  public Optional<ClientSecurityData> clientSecurity() {
    return find(CS_SECURITY).map(b -> ClientSecurityData.decode(b.reader()));
  }
}
