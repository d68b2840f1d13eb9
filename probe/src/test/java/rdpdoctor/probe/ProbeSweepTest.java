package rdpdoctor.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import rdpdoctor.protocol.rdpbcgr.x224.NegotiationData;
import rdpdoctor.protocol.rdpbcgr.x224.SecurityProtocols;

class ProbeSweepTest {
  static final ProbeOptions QUICK = ProbeOptions.defaults().withQuick(true).withTimeout(Duration.ofSeconds(5));

  /** Windows with NLA required: anything without HYBRID gets HYBRID_REQUIRED_BY_SERVER. */
  static NegotiationData windowsNlaRequired(Long req) {
    if (req == null) {
      return null; // closes on a legacy request
    }
    if ((req & (SecurityProtocols.HYBRID | SecurityProtocols.HYBRID_EX)) == 0) {
      return new NegotiationData.Failure(0, NegotiationData.Failure.HYBRID_REQUIRED_BY_SERVER);
    }
    long sel = (req & SecurityProtocols.HYBRID_EX) != 0 ? SecurityProtocols.HYBRID_EX : SecurityProtocols.HYBRID;
    return new NegotiationData.Response(0x1f, sel);
  }

  @Test
  void nlaRequiredWhenEverythingWithoutHybridIsRefused() throws IOException {
    try (FakeServer s = new FakeServer(FakeServer.x224(ProbeSweepTest::windowsNlaRequired))) {
      ProbeReport r = new Probe(QUICK).run(s.target());
      assertThat(r.verdict().nla()).isEqualTo(NegotiationVerdict.Nla.REQUIRED);
      assertThat(r.verdict().tlsRequired()).isTrue();
      assertThat(r.verdict().rdpSecurityAccepted()).isFalse();
      assertThat(r.negotiation()).hasSize(8);
      assertThat(r.negotiation().get(0).failureName()).isEqualTo("HYBRID_REQUIRED_BY_SERVER");
      assertThat(r.negotiation().get(2).selectedName()).isEqualTo("PROTOCOL_HYBRID");
      assertThat(r.negotiation().get(2).flagNames()).contains("RESTRICTED_ADMIN_MODE_SUPPORTED");
      assertThat(r.failure()).isNull();
      assertThat(r.observations()).anyMatch(o -> o.type().equals("probe.nla") && "required".equals(o.get("nla")));
      assertThat(r.phases()).anyMatch(p -> p.name().equals("x224 SSL|HYBRID") && p.ok());
    }
  }

  /**
   * xrdp with security_layer=negotiate: a HYBRID request gets TLS (SSL), never CredSSP. nmap calls
   * that "CredSSP (NLA): SUCCESS" because a confirm came back; what was selected says otherwise.
   */
  @Test
  void nlaUnavailableWhenHybridRequestGetsTls() throws IOException {
    FakeServer.Policy xrdp = req -> req != null && (req & SecurityProtocols.SSL) != 0
        ? new NegotiationData.Response(0, SecurityProtocols.SSL)
        : new NegotiationData.Response(0, SecurityProtocols.RDP);
    try (FakeServer s = new FakeServer(FakeServer.x224(xrdp))) {
      ProbeReport r = new Probe(QUICK).run(s.target());
      assertThat(r.verdict().nla()).isEqualTo(NegotiationVerdict.Nla.UNAVAILABLE);
      assertThat(r.verdict().rdpSecurityAccepted()).isTrue();
      assertThat(r.verdict().tlsRequired()).isFalse();
      assertThat(r.verdict().tlsOffered()).isTrue();
    }
  }

  @Test
  void selectingAProtocolThatWasNotRequestedIsFlagged() throws IOException {
    FakeServer.Policy sloppy = req -> new NegotiationData.Response(0, SecurityProtocols.SSL);
    try (FakeServer s = new FakeServer(FakeServer.x224(sloppy))) {
      ProbeReport r = new Probe(QUICK).run(s.target());
      assertThat(r.verdict().notOffered()).contains("HYBRID_EX", "RDSTLS", "RDSAAD");
      assertThat(r.verdict().nla()).isEqualTo(NegotiationVerdict.Nla.UNAVAILABLE);
    }
  }

  @Test
  void refusedPortIsNamedWithTheClientCode() throws IOException {
    int port;
    try (ServerSocket ss = new ServerSocket(0)) {
      port = ss.getLocalPort();
    }
    ProbeReport r = new Probe(QUICK).run(new Target("127.0.0.1", port));
    assertThat(r.failure()).isNotNull();
    assertThat(r.failure().kind()).isEqualTo(FailureKind.CONNECTION_REFUSED);
    assertThat(r.failure().kind().clientCodeHex()).isEqualTo("0x204");
    assertThat(r.observations()).anyMatch(o -> o.type().equals("probe.failure")
        && "0x204".equals(o.get("clientCodeHex")));
  }

  @Test
  void targetParsing() {
    assertThat(Target.parse("host")).isEqualTo(new Target("host", 3389));
    assertThat(Target.parse("host:3390")).isEqualTo(new Target("host", 3390));
    assertThat(Target.parse("[::1]:3390")).isEqualTo(new Target("::1", 3390));
    assertThat(Target.parse("::1")).isEqualTo(new Target("::1", 3389));
    assertThat(Target.parse("[fe80::1]").toString()).isEqualTo("[fe80::1]:3389");
  }

  /**
   * Stages run side by side: the first waits for the second to have started, which only a
   * concurrent run allows (sequentially it would wait out its 5 s and fail the test). Sections
   * still come in the stages' order, not the order they finished in.
   */
  @Test
  void stagesRunSideBySideAndReportInTheirOrder() throws IOException {
    java.util.concurrent.CountDownLatch secondStarted = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean overlapped = new java.util.concurrent.atomic.AtomicBoolean();
    Stage first = new Stage() {
      @Override public String name() { return "first"; }
      @Override public boolean appliesTo(ProbeContext c) { return true; }
      @Override public void run(ProbeContext c) {
        try {
          overlapped.set(secondStarted.await(5, java.util.concurrent.TimeUnit.SECONDS));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        c.section("first", "done last");
      }
    };
    Stage second = new Stage() {
      @Override public String name() { return "second"; }
      @Override public boolean appliesTo(ProbeContext c) { return true; }
      @Override public void run(ProbeContext c) {
        secondStarted.countDown();
        c.section("second", "done first");
      }
    };
    FakeServer.Policy rdpOnly = req -> new NegotiationData.Response(0, SecurityProtocols.RDP);
    try (FakeServer s = new FakeServer(FakeServer.x224(rdpOnly))) {
      ProbeOptions options = ProbeOptions.defaults().withTimeout(Duration.ofSeconds(20))
          .withStages(List.of(first, second));
      ProbeReport r = new Probe(options).run(s.target());
      assertThat(overlapped).as("the second stage started while the first was running").isTrue();
      assertThat(r.sections().keySet()).containsExactly("first", "second");
    }
  }
}
