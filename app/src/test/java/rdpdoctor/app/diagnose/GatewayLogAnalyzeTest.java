package rdpdoctor.app.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import rdpdoctor.app.CliRun;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.Json;
import rdpdoctor.evidence.even6.EvtxWriter;
import rdpdoctor.evidence.even6.RdpFixtures;
import tools.jackson.databind.JsonNode;

/**
 * {@code analyze} of a gateway's TerminalServices-Gateway/Operational log names the cause the
 * gateway logged, by the same rule {@code gateway --user} reaches through the tunnel's hresult: the
 * log is written by the project's EVTX writer with the provider, event ids and EventInfo fields of
 * the real log (a CAP pass and a normal connection around the failure, as a gateway writes them).
 */
class GatewayLogAnalyzeTest {
  static final Instant T = Instant.parse("2026-11-02T08:00:00Z");
  static final String ALICE = "CORP\\alice";
  static final String CLIENT = "203.0.113.7";

  @TempDir Path tmp;

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("rap", RdpFixtures.gatewayRapDenied(T.plusSeconds(1), ALICE, CLIENT, "host01"), "gateway-rap-denied", "ErrorCode 23002"),
        Arguments.of("cap", RdpFixtures.gatewayCapDenied(T.plusSeconds(1), ALICE, CLIENT), "gateway-cap-denied", "ErrorCode 23003"),
        Arguments.of("down", RdpFixtures.gatewayConnectFailed(T.plusSeconds(1), ALICE, CLIENT, "host02"), "gateway-host-unreachable", "ErrorCode 23005"),
        Arguments.of("cap-reached", RdpFixtures.gatewayMaxConnections(T.plusSeconds(1), ALICE, CLIENT), "gateway-connection-cap", "ErrorCode 23014"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void analyzeOfTheGatewayLogNamesTheCause(String name, EvtxWriter.Event failure, String rule, String logged) throws Exception {
    Path log = tmp.resolve("Microsoft-Windows-TerminalServices-Gateway%4Operational.evtx");
    new EvtxWriter()
        .add(RdpFixtures.gateway(200, T, ALICE, CLIENT, "NTLM", null, "HTTP", null).computer("GW01"))
        .add(failure.computer("GW01"))
        .write(log);
    CliRun r = CliRun.run("analyze", log.toString(), "--json");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.FOUND);
    JsonNode report = Json.MAPPER.readTree(r.out()); // one computer: the report itself
    assertThat(ReportJson.ids(report)).as(name).first().isEqualTo(rule);
    // the proof is the failure's own record, with the decimal error the gateway wrote
    assertThat(ReportJson.finding(report, rule).toString()).contains(logged);
    assertThat(ReportJson.ids(report)).doesNotContain("gateway-failure");
  }
}
