package rdpdoctor.evidence.regf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import rdpdoctor.evidence.registry.RegistryKey;
import rdpdoctor.evidence.registry.RegistryValue;
import rdpdoctor.evidence.registry.RegistryWalker;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.Hex;

class HiveReaderTest {

  static HiveWriter.Key sample() {
    HiveWriter.Key root = new HiveWriter.Key("ROOT");
    HiveWriter.Key ts = root.key("ControlSet001\\Control\\Terminal Server");
    ts.dword("fDenyTSConnections", 0);
    ts.key("WinStations\\RDP-Tcp").dword("PortNumber", 3389).dword("SecurityLayer", 2)
        .value("SSLCertificateSHA1Hash", 3, new byte[20])
        .value("Big", 11, new byte[] {1, 0, 0, 0, 0, 0, 0, 0})
        .value("BE", 5, new byte[] {0, 0, 0x0d, 0x3d})
        .value("Multi", 7, "a\0bc\0\0".getBytes(StandardCharsets.UTF_16LE))
        .value("Link", 6, "\\REGISTRY\\MACHINE".getBytes(StandardCharsets.UTF_16LE))
        .value("None", 0, new byte[0])
        .value("Odd", 0xffff0011L, new byte[] {(byte) 0xff})
        .value("Huge", 3, new byte[40000]);
    root.key("Select").dword("Current", 1);
    root.key("caf\u00e9").sz("", "latin-1 name");
    root.key("\u0416\u0443\u043a").sz("\u0438\u043c\u044f", "UTF-16 names");
    return root;
  }

  @Test
  void readsWhatTheWriterWrote() {
    Hive hive = Hive.of(HiveWriter.write(sample()));
    HiveKey root = hive.root();
    assertThat(root.path()).isEmpty();
    RegistryKey tcp = root.find("controlset001\\CONTROL\\terminal server\\WinStations\\rdp-tcp");
    assertThat(tcp.path()).isEqualTo("ControlSet001\\Control\\Terminal Server\\WinStations\\RDP-Tcp");
    assertThat(tcp.value("portnumber").asNumber()).isEqualTo(3389L);
    assertThat(tcp.value("Big").asNumber()).isEqualTo(1L);
    assertThat(tcp.value("BE").asNumber()).isEqualTo(3389L);
    assertThat(tcp.value("Multi").asStrings()).containsExactly("a", "bc");
    assertThat(tcp.value("Link").asString()).isEqualTo("\\REGISTRY\\MACHINE");
    assertThat(tcp.value("None").data()).isEmpty();
    assertThat(tcp.value("Odd").typeName()).isEqualTo("0xffff0011");
    assertThat(tcp.value("Odd").data()).containsExactly(0xff);
    assertThat(tcp.value("Huge").data()).hasSize(40000); // db big data, 3 segments
    assertThat(root.subkey("CAF\u00c9").value("").asString()).isEqualTo("latin-1 name");
    assertThat(root.subkey("\u0436\u0443\u043a").value("\u0418\u041c\u042f").asString()).isEqualTo("UTF-16 names");
    assertThat(HiveCheck.run(HiveWriter.write(sample()), List.of()).verdict())
        .isEqualTo(HiveCheck.Verdict.LOADS_AS_IS);
  }

  /**
   * Golden bytes: the base block fields and checksum of a tiny hive, one field per line. The
   * checksum is the XOR of the 127 dwords before offset 508.
   */
  @Test
  void baseBlockGoldenBytes() {
    byte[] file = new byte[4096 + 4096];
    byte[] head = Hex.parse("""
        72 65 67 66  // Signature "regf"
        07 00 00 00  // Primary sequence number 7
        06 00 00 00  // Secondary sequence number 6 (dirty)
        00 00 00 00 00 00 00 00  // Last written timestamp
        01 00 00 00  // Major version 1
        05 00 00 00  // Minor version 5
        00 00 00 00  // File type: primary
        01 00 00 00  // File format: direct memory load
        20 00 00 00  // Root cell offset 0x20
        00 10 00 00  // Hive bins data size 4096
        01 00 00 00  // Clustering factor 1
        """);
    System.arraycopy(head, 0, file, 0, head.length);
    // 0x66676572 ^ 7 ^ 6 ^ 1 ^ 5 ^ 1 ^ 0x20 ^ 0x1000 ^ 1 = 0x66677557
    long expected = 0x66677557L;
    assertThat(BaseBlock.checksum(file, 0)).isEqualTo(expected);
    BaseBlock.writeChecksum(file, 0);
    assertThat(Hex.of(java.util.Arrays.copyOfRange(file, 508, 512))).isEqualTo("57756766");
    BaseBlock b = BaseBlock.read(file);
    assertThat(b.primarySequence()).isEqualTo(7);
    assertThat(b.secondarySequence()).isEqualTo(6);
    assertThat(b.dirty()).isTrue();
    assertThat(b.checksumValid()).isTrue();
    assertThat(b.rootCellOffset()).isEqualTo(0x20);
  }

  @Test
  void checksumNeverZeroOrAllOnes() {
    byte[] zero = new byte[512];
    assertThat(BaseBlock.checksum(zero, 0)).isEqualTo(1);
    byte[] ones = new byte[512];
    for (int i = 0; i < 4; i++) {
      ones[i] = (byte) 0xff;
    }
    assertThat(BaseBlock.checksum(ones, 0)).isEqualTo(0xFFFFFFFEL);
  }

  @Test
  void refusesAFileThatIsNotAHive() {
    assertThatThrownBy(() -> Hive.of(new byte[8192]))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("not a registry hive").hasMessageContaining("\"regf\"");
    assertThatThrownBy(() -> Hive.of(new byte[100]))
        .hasMessageContaining("not enough bytes for base block");
  }

  @Test
  void rootOffsetOutsideTheFileIsAnError() {
    byte[] f = HiveWriter.write(sample());
    HiveWriter.putI32(f, 36, 0x7ffffff8);
    HiveWriter.fixChecksum(f);
    assertThatThrownBy(() -> Hive.of(f).root())
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("cannot read root key").hasMessageContaining("outside the hive bins data");
    HiveCheck c = HiveCheck.run(f, List.of());
    assertThat(c.verdict()).isEqualTo(HiveCheck.Verdict.REFUSED);
    assertThat(c.reasons().get(0)).contains("root cell offset");
  }

  @Test
  void cyclicSubkeyListEndsAndIsReported() {
    HiveWriter.Key root = sample();
    byte[] f = HiveWriter.write(root);
    // Point the first element of Select's parent list (the root's lh) at the root key itself,
    // and ControlSet001's list at ControlSet001: two cycles.
    HiveWriter.Key cs = root.key("ControlSet001");
    HiveWriter.putI32(f, (int) (4096 + cs.subkeyListOffset + 4 + 4), (int) cs.offset);
    List<String> paths = new ArrayList<>();
    RegistryWalker.walk(Hive.of(f).root(), (k, d) -> paths.add(k.path()));
    assertThat(paths).contains("ControlSet001").doesNotContain("ControlSet001\\Control");
    HiveCheck c = HiveCheck.run(f, List.of());
    assertThat(c.problems()).anyMatch(p -> p.kind() == HiveCheck.Kind.CYCLE);
    assertThat(c.verdict()).isEqualTo(HiveCheck.Verdict.SELF_HEALED);
  }

  @Test
  void referenceIntoTheMiddleOfACellIsReported() {
    HiveWriter.Key root = sample();
    byte[] f = HiveWriter.write(root);
    HiveWriter.Key sel = root.key("Select");
    // Select's value list offset (nk offset 40) moved by 8 bytes: inside its own key node.
    HiveWriter.putI32(f, (int) (4096 + sel.offset + 4 + 40), (int) sel.offset + 8);
    HiveCheck c = HiveCheck.run(f, List.of());
    assertThat(c.problems()).anyMatch(p -> p.message().contains("not the start of a cell"));
  }

  @Test
  void unsortedSubkeyListIsReported() {
    HiveWriter.Key root = new HiveWriter.Key("R");
    root.key("Alpha");
    root.key("Beta");
    byte[] f = HiveWriter.write(root);
    long list = root.subkeyListOffset;
    // Swap the two lh elements (offset + hash, 8 bytes each): Beta now comes before Alpha.
    int a = (int) (4096 + list + 4 + 4);
    byte[] first = java.util.Arrays.copyOfRange(f, a, a + 8);
    System.arraycopy(f, a + 8, f, a, 8);
    System.arraycopy(first, 0, f, a + 8, 8);
    HiveCheck c = HiveCheck.run(f, List.of());
    assertThat(c.problems()).anyMatch(p -> p.kind() == HiveCheck.Kind.ORDER
        && p.message().contains("\"Beta\" before \"Alpha\""));
    assertThat(c.verdict()).isEqualTo(HiveCheck.Verdict.SELF_HEALED);
  }

  @Test
  void brokenBinChainIsRefused() {
    byte[] f = HiveWriter.write(sample());
    byte[] bigger = java.util.Arrays.copyOf(f, f.length + 4096);
    HiveWriter.putI32(bigger, 40, f.length - 4096 + 4096); // header claims one more bin
    HiveWriter.fixChecksum(bigger);
    HiveCheck c = HiveCheck.run(bigger, List.of());
    assertThat(c.verdict()).isEqualTo(HiveCheck.Verdict.REFUSED);
    assertThat(c.reasons().get(0)).contains("hive bin chain broken");
  }

  @Test
  void truncatedFileIsRefused() {
    byte[] f = HiveWriter.write(sample());
    byte[] cut = java.util.Arrays.copyOf(f, f.length - 4096);
    HiveCheck c = HiveCheck.run(cut, List.of());
    assertThat(c.verdict()).isEqualTo(HiveCheck.Verdict.REFUSED);
    assertThat(c.problems()).anyMatch(p -> p.kind() == HiveCheck.Kind.TRUNCATED);
  }

  @Test
  void oversizedSubkeyCountIsBoundedByTheCell() {
    HiveWriter.Key root = sample();
    byte[] f = HiveWriter.write(root);
    HiveWriter.Key cs = root.key("ControlSet001");
    // lh Number of elements (list offset 2) set to 65535 in a cell holding one element.
    f[(int) (4096 + cs.subkeyListOffset + 4 + 2)] = (byte) 0xff;
    f[(int) (4096 + cs.subkeyListOffset + 4 + 3)] = (byte) 0xff;
    assertThatThrownBy(() -> Hive.of(f).root().subkey("ControlSet001").subkeys())
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("subkeys list elements: 65535 (expected: <= 1)");
  }

  @Test
  void residentDataLongerThanFourBytesIsAnError() {
    HiveWriter.Key root = new HiveWriter.Key("R");
    root.dword("V", 1);
    byte[] f = HiveWriter.write(root);
    Hive h = Hive.of(f);
    long vk = h.valueOffsets(h.root().valueListOffset(), 1)[0];
    HiveWriter.putI32(f, (int) (4096 + vk + 4 + 4), 0x80000009); // Data size: resident, 9 bytes
    assertThatThrownBy(() -> Hive.of(f).root().values())
        .hasMessageContaining("resident data size: 9 (expected: <= 4)");
  }

  /**
   * The check's value validation (no name decoded, no data copied) accepts and refuses exactly
   * what reading the value does, with the same message, on every value of mutated hives.
   */
  @Test
  void checkValueAgreesWithReadValue() {
    java.util.Random rnd = new java.util.Random(7);
    byte[] good = HiveWriter.write(sample());
    Hive clean = Hive.of(good);
    List<Long> vks = new ArrayList<>();
    RegistryWalker.walk(clean.root(), (k, d) -> {
      HiveKey hk = (HiveKey) k;
      if (hk.valueCount() > 0) {
        for (long o : clean.valueOffsets(hk.valueListOffset(), hk.valueCount())) {
          vks.add(o);
        }
      }
    });
    int failures = 0;
    for (int round = 0; round < 3000; round++) {
      byte[] f = good.clone();
      long vk = vks.get(rnd.nextInt(vks.size()));
      // Damage the vk cell's header, name or size field, or the data cells it leads to.
      int at = (int) (4096 + vk + rnd.nextInt(28));
      f[at] = (byte) (rnd.nextBoolean() ? rnd.nextInt(256) : f[at] ^ 1 << rnd.nextInt(8));
      if (rnd.nextInt(4) == 0) {
        f[4096 + 32 + rnd.nextInt(f.length - 4096 - 32)] = (byte) rnd.nextInt(256);
      }
      Hive h = Hive.of(f);
      String read;
      String checked;
      try {
        read = "ok " + HiveKey.readValue(h, vk).data().length;
      } catch (DecodeException e) {
        read = e.getMessage();
        failures++;
      }
      try {
        checked = "ok " + HiveKey.checkValue(h, vk);
      } catch (DecodeException e) {
        checked = e.getMessage();
      }
      assertThat(checked).as("round %d, vk 0x%x", round, vk).isEqualTo(read);
    }
    assertThat(failures).isGreaterThan(300); // the damage did reach the checks
  }

  @Test
  void bigDataNeedsASegmentPerStartedSixteenK() {
    HiveWriter.Key root = new HiveWriter.Key("R");
    root.value("Huge", 3, new byte[40000]);
    byte[] f = HiveWriter.write(root);
    Hive h = Hive.of(f);
    long vk = h.valueOffsets(h.root().valueListOffset(), 1)[0];
    // Data size 0x7fff0000 bytes: 131,389 segments of 16344, more than a u16 count can say.
    HiveWriter.putI32(f, (int) (4096 + vk + 4 + 4), 0x7fff0000);
    assertThatThrownBy(() -> Hive.of(f).root().values())
        .hasMessageContaining("Number of segments: 3 (expected: >= 131389 for 2147418112 bytes)");
    assertThatThrownBy(() -> HiveKey.checkValue(Hive.of(f), vk))
        .hasMessageContaining("Number of segments: 3 (expected: >= 131389 for 2147418112 bytes)");
  }

  @Test
  void pathsAreBuiltFromTheParentChainOnDemand() {
    HiveKey root = Hive.of(HiveWriter.write(sample())).root();
    HiveKey tcp = (HiveKey) root.subkey("ControlSet001").subkey("Control").subkey("Terminal Server")
        .subkey("WinStations").subkey("RDP-Tcp");
    // The deepest key first: its ancestors get theirs on the way.
    assertThat(tcp.path()).isEqualTo("ControlSet001\\Control\\Terminal Server\\WinStations\\RDP-Tcp");
    assertThat(tcp.parent().path()).isEqualTo("ControlSet001\\Control\\Terminal Server\\WinStations");
    assertThat(tcp.toString()).isEqualTo("key ControlSet001\\Control\\Terminal Server\\WinStations\\RDP-Tcp");
    assertThat(root.toString()).isEqualTo("the root key");
    assertThat(root.subkey("Select").path()).isEqualTo("Select");
  }

  /**
   * The check compares sibling names in place; that must be the comparison of the decoded names,
   * also for UTF-16 names with lone surrogates (decoded as U+FFFD) and non-ASCII upcasing.
   */
  @Test
  void namesCompareInPlaceAsDecoded() {
    java.util.Random rnd = new java.util.Random(3);
    char[] units = {'a', 'B', 'z', '_', '\u00b5', '\u00e9', '\u00ff', '\u0416', '\u0436', '\uD83D',
        '\uDE00', '\uFFFD', '\u1E9E'};
    HiveWriter.Key root = new HiveWriter.Key("R");
    List<char[]> names = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      char[] name = new char[1 + rnd.nextInt(4)];
      for (int j = 0; j < name.length; j++) {
        name[j] = units[rnd.nextInt(i % 2 == 0 ? 4 : units.length)]; // half Latin-1 only
      }
      names.add(name);
      // A unique placeholder of the same length, UTF-16 unless the name is Latin-1; patched below.
      boolean latin1 = new String(name).chars().allMatch(c -> c < 256);
      root.key(String.valueOf(latin1 ? CASELESS.charAt(i) : (char) (0x4E00 + i)).repeat(name.length));
    }
    byte[] f = HiveWriter.write(root);
    for (HiveWriter.Key k : root.subkeys) {
      char[] name = names.get(root.subkeys.indexOf(k));
      int at = (int) (4096 + k.offset + 4 + 76);
      boolean latin1 = new String(name).chars().allMatch(c -> c < 256);
      for (int j = 0; j < name.length; j++) {
        if (latin1) {
          f[at + j] = (byte) name[j];
        } else {
          f[at + 2 * j] = (byte) name[j];
          f[at + 2 * j + 1] = (byte) (name[j] >>> 8);
        }
      }
    }
    List<HiveKey> keys = Hive.of(f).root().subkeys();
    assertThat(keys).hasSize(60);
    for (HiveKey a : keys) {
      for (HiveKey b : keys) {
        assertThat(a.compareNameUpcase(b)).as("%s vs %s", a.name(), b.name())
            .isEqualTo(HiveKey.compareUpcase(a.name(), b.name()));
        assertThat(Integer.signum(HiveKey.compareUpcase(a.name(), b.name())))
            .isEqualTo(Integer.signum(referenceCompare(a.name(), b.name())));
      }
    }
  }

  /** Latin-1 chars without case (and no backslash), for names that differ however compared. */
  static final String CASELESS = "!#$%&'()*+,-./0123456789:;<=>?@[]^_`{|}~\u00a1\u00a2\u00a3\u00a4\u00a5"
      + "\u00a6\u00a7\u00a8\u00a9\u00ab\u00ac\u00ae\u00af\u00b0\u00b1\u00b2\u00b3\u00b4\u00b6\u00b7";

  /** The comparison as first written: Character.toUpperCase on every code unit. */
  static int referenceCompare(String a, String b) {
    for (int i = 0; i < Math.min(a.length(), b.length()); i++) {
      char x = Character.toUpperCase(a.charAt(i));
      char y = Character.toUpperCase(b.charAt(i));
      if (x != y) {
        return x - y;
      }
    }
    return a.length() - b.length();
  }

  /** Any bytes: opening, walking every key and value, and the check fail only with DecodeException. */
  @FuzzTest(maxDuration = "60s")
  void anyBytesReadOrFailCleanly(byte[] input) {
    byte[] f = input;
    if (input.length > 0 && (input[0] & 1) == 1) {
      // Half the runs mutate a valid hive, so the fuzzer gets deep into the structures.
      f = HiveWriter.write(sample());
      for (int i = 1; i + 2 < input.length; i += 3) {
        int at = ((input[i] & 0xFF) << 8 | (input[i + 1] & 0xFF)) % f.length;
        f[at] = input[i + 2];
      }
      if ((input[0] & 2) == 2) {
        HiveWriter.fixChecksum(f);
      }
    }
    HiveCheck.run(f, List.of());
    try {
      Hive h = Hive.of(f);
      RegistryWalker.walk(h.root(), (k, d) -> {
        for (RegistryValue v : k.values()) {
          v.display();
        }
      });
    } catch (DecodeException expected) {
      // the documented failure
    }
  }
}
