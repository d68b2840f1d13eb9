package rdpdoctor.probe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FailureKindTest {

  /** Every client code but the client-side protocol error is a discReason the catalog documents. */
  @Test
  void clientCodesComeFromTheCatalog() {
    for (FailureKind k : FailureKind.values()) {
      if (k == FailureKind.PROTOCOL_ERROR) {
        assertThat(k.catalogEntry()).isEmpty();
        assertThat(k.clientCodeName()).isEqualTo("protocol error detected at the client");
        continue;
      }
      assertThat(k.catalogEntry()).as(k.name()).isPresent();
    }
    assertThat(FailureKind.DNS_FAILURE.clientCodeName()).isEqualTo("disconnectReasonDNSLookupFailed");
    assertThat(FailureKind.CONNECTION_REFUSED.clientCodeHex()).isEqualTo("0x204");
    assertThat(FailureKind.CONNECT_TIMEOUT.clientCodeName()).isEqualTo("disconnectReasonConnectionTimedOut");
  }

  /** Connection.classifyConnect: what a failed connect() means, from the exception the JDK throws. */
  @Test
  void aResetDuringConnectIsAResetNotAnUnreachableHost() throws Exception {
    java.net.InetAddress a = java.net.InetAddress.getByName("127.1.0.230");
    Deadline d = Deadline.in(java.time.Duration.ofSeconds(1));
    assertThat(Connection.classifyConnect(new java.net.SocketException("Connection reset by peer"), a, 3389, d).kind())
        .isEqualTo(FailureKind.CONNECTION_RESET);
    assertThat(Connection.classifyConnect(new java.net.ConnectException("Connection refused"), a, 3389, d).kind())
        .isEqualTo(FailureKind.CONNECTION_REFUSED);
    assertThat(Connection.classifyConnect(new java.net.NoRouteToHostException("No route to host"), a, 3389, d).kind())
        .isEqualTo(FailureKind.UNREACHABLE);
  }
}
