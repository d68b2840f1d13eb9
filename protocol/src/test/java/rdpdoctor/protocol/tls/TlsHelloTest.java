package rdpdoctor.protocol.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import rdpdoctor.protocol.DecodeException;
import rdpdoctor.protocol.Hex;

class TlsHelloTest {
  static final byte[] RANDOM = Hex.parse(
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

  /** A TLS 1.2 offer of one suite, laid out by hand from [RFC 5246] 7.4.1.2. */
  static final byte[] TLS12_HELLO = Hex.parse("""
      16 03 01 00 4e                 // record: handshake, version TLS 1.0, length 78
      01 00 00 4a                    // client_hello, length 74
      03 03                          // client_version TLS 1.2
      000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f // random
      00                             // session_id: empty
      00 02 00 2f                    // cipher_suites: TLS_RSA_WITH_AES_128_CBC_SHA
      01 00                          // compression: null
      00 1f                          // extensions: 31 bytes
      00 0a 00 04 00 02 00 1d        // supported_groups: x25519
      00 0b 00 02 01 00              // ec_point_formats: uncompressed
      00 0d 00 04 00 02 04 01        // signature_algorithms: rsa_pkcs1_sha256
      00 17 00 00                    // extended_master_secret
      ff 01 00 01 00                 // renegotiation_info: empty
      """);

  /** A TLS 1.3 ServerHello choosing TLS_AES_128_GCM_SHA256, [RFC 8446] 4.1.3. */
  static final byte[] TLS13_SERVER_HELLO = Hex.parse("""
      16 03 03 00 32                 // record: handshake, length 50
      02 00 00 2e                    // server_hello, length 46
      03 03                          // legacy_version TLS 1.2
      1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100 // random
      00                             // legacy_session_id_echo: empty
      13 01                          // cipher_suite
      00                             // compression
      00 06 00 2b 00 02 03 04        // extensions: supported_versions = TLS 1.3
      """);

  @Test
  void encodesTls12Hello() {
    ClientHello ch = new ClientHello(ClientHello.TLS12, RANDOM, new int[] {0x002F}, null,
        new int[] {0x001D}, new int[] {0x0401}, null);
    assertThat(ch.encode()).isEqualTo(TLS12_HELLO);
  }

  @Test
  void ssl3HelloHasNoExtensionsAndSsl3RecordVersion() {
    byte[] b = new ClientHello(ClientHello.SSL3, RANDOM, new int[] {0x000A}, "host", ClientHello.DEFAULT_GROUPS,
        ClientHello.DEFAULT_SIGNATURE_ALGORITHMS, null).encode();
    assertThat(Hex.of(b)).startsWith("160300002d" + "01000029" + "0300");
    assertThat(b).hasSize(5 + 4 + 2 + 32 + 1 + 4 + 2);
  }

  @Test
  void tls13HelloSaysSoInSupportedVersionsAndSendsAKeyShare() {
    byte[] share = new byte[32];
    byte[] b = new ClientHello(ClientHello.TLS13, RANDOM, new int[] {0x1301}, "rdp.example.com",
        ClientHello.DEFAULT_GROUPS, ClientHello.DEFAULT_SIGNATURE_ALGORITHMS, share).encode();
    String hex = Hex.of(b);
    assertThat(hex.substring(18, 22)).isEqualTo("0303"); // legacy_version stays TLS 1.2
    assertThat(hex).contains("002b0003020304"); // supported_versions: TLS 1.3 only
    assertThat(hex).contains("00330026" + "0024" + "001d0020"); // key_share x25519
    assertThat(hex).contains(Hex.of("rdp.example.com".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
  }

  @Test
  void readsTls13ServerHello() {
    ServerHelloReader r = new ServerHelloReader();
    assertThat(r.bytesNeeded()).isEqualTo(5);
    r.offer(TLS13_SERVER_HELLO, 0, 5);
    assertThat(r.bytesNeeded()).isEqualTo(50);
    r.offer(TLS13_SERVER_HELLO, 5, 50);
    assertThat(r.bytesNeeded()).isZero();
    assertThat(r.answer()).isEqualTo(new ServerHelloReader.Hello(0x0304, 0x0303, 0x1301, false));
  }

  @Test
  void readsAServerHelloSplitOverTwoRecords() {
    byte[] hs = java.util.Arrays.copyOfRange(TLS13_SERVER_HELLO, 5, TLS13_SERVER_HELLO.length);
    byte[] two = new byte[hs.length + 10];
    two[0] = 0x16; two[1] = 0x03; two[2] = 0x03; two[3] = 0; two[4] = 3;
    System.arraycopy(hs, 0, two, 5, 3);
    two[8] = 0x16; two[9] = 0x03; two[10] = 0x03; two[11] = 0; two[12] = (byte) (hs.length - 3);
    System.arraycopy(hs, 3, two, 13, hs.length - 3);
    ServerHelloReader r = new ServerHelloReader();
    int used = 0;
    while (r.bytesNeeded() > 0) {
      used += r.offer(two, used, Math.min(r.bytesNeeded(), two.length - used));
    }
    assertThat(r.answer()).isEqualTo(new ServerHelloReader.Hello(0x0304, 0x0303, 0x1301, false));
  }

  @Test
  void recognisesHelloRetryRequest() {
    byte[] hrr = TLS13_SERVER_HELLO.clone();
    System.arraycopy(ServerHelloReader.HRR_RANDOM, 0, hrr, 11, 32);
    ServerHelloReader r = new ServerHelloReader();
    r.offer(hrr, 0, hrr.length);
    assertThat(((ServerHelloReader.Hello) r.answer()).helloRetry()).isTrue();
  }

  @Test
  void readsAnAlert() {
    ServerHelloReader r = new ServerHelloReader();
    r.offer(Hex.parse("15 03 03 00 02 02 46"), 0, 7);
    assertThat(r.answer()).isEqualTo(new ServerHelloReader.Alert(2, 70));
    assertThat(TlsNames.alert(70)).isEqualTo("protocol_version");
  }

  @Test
  void oversizedRecordIsRefusedBeforeAllocation() {
    ServerHelloReader r = new ServerHelloReader();
    assertThatThrownBy(() -> r.offer(Hex.parse("16 03 03 ff ff"), 0, 5))
        .isInstanceOf(DecodeException.class)
        .hasMessage("cannot read TLS record header: invalid field record length: 65535 (expected: <= 18432)");
  }

  @Test
  void applicationDataFirstIsRefused() {
    assertThatThrownBy(() -> new ServerHelloReader().offer(Hex.parse("17 03 03 00 10"), 0, 5))
        .hasMessageContaining("unexpected content type in TLS record: 0x17");
  }

  @Test
  void certificateBeforeServerHelloIsRefused() {
    assertThatThrownBy(() -> new ServerHelloReader().offer(Hex.parse("16 03 03 00 04 0b 00 00 00"), 0, 9))
        .hasMessageContaining("unexpected type in server's first handshake message: 0xb");
  }

  @Test
  void sessionIdLongerThan32IsRefused() {
    byte[] b = TLS13_SERVER_HELLO.clone();
    b[43] = 33;
    assertThatThrownBy(() -> new ServerHelloReader().offer(b, 0, b.length))
        .hasMessageContaining("invalid field session_id length: 33 (expected: <= 32)");
  }

  @Test
  void namesSuitesAndVersions() {
    assertThat(TlsNames.suite(0xC02F)).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    assertThat(TlsNames.suite(0xABCD)).isEqualTo("0xABCD");
    assertThat(TlsNames.version(0x0300)).isEqualTo("SSL 3.0");
    assertThat(TlsNames.knownSuites()).doesNotContain(0x00FF, 0x5600);
  }

  @FuzzTest(maxDuration = "30s")
  void readerFailsOnlyWithDecodeException(byte[] input) {
    ServerHelloReader r = new ServerHelloReader();
    int pos = 0;
    try {
      while (pos < input.length && r.bytesNeeded() > 0) {
        int n = Math.min(r.bytesNeeded(), Math.max(1, (input[pos] & 0x0F) + 1));
        pos += r.offer(input, pos, Math.min(n, input.length - pos));
      }
    } catch (DecodeException expected) {
      // the only allowed failure
    }
  }
}
