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
}
