package rdpdoctor.app.gateway;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import rdpdoctor.app.Durations;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.Json;
import rdpdoctor.app.UserError;
import rdpdoctor.app.account.AccountOptions;
import rdpdoctor.app.account.PasswordSource;
import rdpdoctor.diagnosis.Diagnosis;
import rdpdoctor.diagnosis.Finding;
import rdpdoctor.diagnosis.rules.RuleEngine;
import rdpdoctor.diagnosis.rules.RuleSet;
import rdpdoctor.probe.Target;
import rdpdoctor.probe.gateway.GatewayCheck;
import rdpdoctor.probe.gateway.GatewayReport;
import rdpdoctor.probe.gateway.tunnel.GatewayTunnelReport;
import rdpdoctor.protocol.nlmp.NtlmCredentials;

/**
 * {@code rdpdoctor gateway GW[:PORT]}: an RD Gateway as mstsc and FreeRDP meet it. Without
 * {@code --user}, what it shows before any credential ({@link GatewayCheck}); with it, also gw1's
 * MS-TSGU tunnel through it to {@code --target} ({@link GatewayTunnel}). Both sets of observations
 * go through the same rules as {@code analyze} of the gateway's log, so both name a cause alike.
 */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    description = {
      "Checks an RD Gateway ([MS-TSGU]) the way mstsc and FreeRDP reach a host through it: its TLS"
          + " and certificate, what its HTTP transport (RDG_OUT_DATA, WebSocket) and the RPC-over-HTTP"
          + " endpoint answer, the NTLM information of its 401, UDP 3391; with --user, the tunnel,"
          + " its CAP and RAP and the host behind it. Every cause is named with its E_PROXY_* code,"
          + " the gateway event that logs it and the code the client shows."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  rdpdoctor gateway gw.corp.example                   unauthenticated checks on port 443",
      "  rdpdoctor gateway gw.corp.example:8443 --json       one JSON document (fields in README)",
      "  rdpdoctor gateway gw.corp.example --target rds01 --user 'CORP\\alice'",
      "                                                      the tunnel to rds01 (password asked, never echoed)",
      "  RDP_PW=... rdpdoctor gateway gw --target rds01:3389 --user alice@corp.example --password-env RDP_PW",
      "",
      "Exit codes: 0 no problem found, 1 a problem was found (or the gateway cannot be reached,",
      "or with --user: the tunnel did not reach the host), 2 bad arguments, 4 internal error."
    })
public final class GatewayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "GW[:PORT]", description = "the gateway's name or address, port 443 unless given")
  String gateway;

  @Option(names = "--target", paramLabel = "HOST[:PORT]",
      description = "the host to reach through the gateway (with --user), port 3389 unless given")
  @Nullable String target;

  @Mixin AccountOptions account = new AccountOptions();

  @Option(names = "--json", description = "print one JSON document (fields in README)")
  boolean json;

  @Option(names = "--timeout", paramLabel = "D", defaultValue = "10s",
      description = "budget for the checks (and, with --user, as much again for the tunnel) (default: ${DEFAULT-VALUE})")
  String timeout;

  @Override
  public Integer call() {
    Target gw = parse(gateway, GatewayCheck.DEFAULT_PORT, "GW");
    Target host = target == null ? null : parse(target, Target.DEFAULT_PORT, "--target");
    Duration d = Durations.parse(timeout);
    if (account.user() != null && host == null) {
      throw new UserError(ExitCodes.USAGE, "--user needs --target HOST: the gateway's RAP decides per host");
    }
    // The password is read (and hashed) before any traffic, so a prompt does not race the checks.
    NtlmCredentials creds = account.credentials(PasswordSource.system());
    return report(spec, gw, host, creds, d, json);
  }

  /**
   * Runs the gateway checks (and with {@code creds}, the tunnel to {@code host}), prints the
   * verdicts as text or JSON, and returns the exit code; {@code probe HOST --gateway GW} prints the same.
   */
  public static int report(CommandSpec spec, Target gw, @Nullable Target host, @Nullable NtlmCredentials creds,
      Duration d, boolean json) {
    GatewayRun run = GatewayRun.of(gw, host, creds, d);
    GatewayReport report = run.report();
    GatewayTunnelReport tunnel = run.tunnel();
    Diagnosis diagnosis = new RuleEngine(RuleSet.builtIn()).diagnose(run.observations(), Instant.now());
    List<GatewayVerdict> verdicts = new ArrayList<>();
    for (Finding f : diagnosis.findings()) {
      if (!f.contradicted()) {
        verdicts.add(GatewayVerdict.of(f));
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.MAPPER.writeValueAsString(json(report, host, tunnel, verdicts)));
    } else {
      GatewayText.print(report, host, tunnel, verdicts, out);
    }
    out.flush();
    return verdicts.isEmpty() && report.failure() == null && !run.tunnelFailed() ? ExitCodes.OK : ExitCodes.FOUND;
  }

  private static Target parse(String text, int defaultPort, String what) {
    try {
      return Target.parse(text, defaultPort);
    } catch (IllegalArgumentException e) {
      throw new UserError(ExitCodes.USAGE, what + ": " + e.getMessage() + "; expected HOST, HOST:PORT or [IPv6]:PORT");
    }
  }

  static Map<String, Object> json(GatewayReport r, @Nullable Target host, @Nullable GatewayTunnelReport tunnel,
      List<GatewayVerdict> verdicts) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schemaVersion", 1);
    m.put("gateway", r.gateway().toString());
    m.put("host", r.gateway().host());
    m.put("port", r.gateway().port());
    m.put("target", host == null ? null : host.toString());
    m.put("ms", Math.round(r.elapsedMicros() / 100.0) / 10.0);
    m.put("failure", r.failure());
    m.put("failureKind", r.failureKind() == null ? null : r.failureKind().name());
    m.put("problems", verdicts.stream().map(GatewayVerdict::id).toList());
    m.put("verdicts", verdicts.stream().map(GatewayVerdict::json).toList());
    m.put("tls", r.of("gateway.tls").stream().map(GatewayVerdict::fields).toList());
    m.put("http", r.of("gateway.http").stream().map(GatewayVerdict::fields).toList());
    m.put("ntlm", r.of("gateway.ntlm").stream().findFirst().map(GatewayVerdict::fields).orElse(null));
    m.put("udp", r.of("gateway.udp").stream().findFirst().map(GatewayVerdict::fields).orElse(null));
    m.put("tunnel", tunnel == null ? null : tunnel.observations().stream()
        .filter(o -> o.type().equals("gateway.tunnel")).map(GatewayVerdict::fields).toList());
    m.put("hostThroughTunnel", tunnel == null ? null : tunnel.observations().stream()
        .filter(o -> !o.type().equals("gateway.tunnel")).map(o -> {
          Map<String, Object> f = GatewayVerdict.fields(o);
          f.put("type", o.type());
          return f;
        }).toList());
    return m;
  }
}
