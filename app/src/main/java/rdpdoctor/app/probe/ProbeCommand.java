package rdpdoctor.app.probe;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import rdpdoctor.app.account.PasswordSource;
import rdpdoctor.app.Durations;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.Json;
import rdpdoctor.app.Style;
import rdpdoctor.app.UserError;
import rdpdoctor.probe.Probe;
import rdpdoctor.probe.ProbeOptions;
import rdpdoctor.probe.ProbeReport;
import rdpdoctor.probe.Stage;
import rdpdoctor.probe.Target;
import rdpdoctor.probe.nla.CredentialCheckStage;

/** {@code rdpdoctor probe HOST[:PORT]}: what the RDP listener does, the way a client meets it. */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    description = {
      "Probes an RDP host the way a client connects: X.224 negotiation for every security"
          + " protocol (what the server SELECTS, not just whether it answers), TLS versions and"
          + " suites after X.224, the certificate, and each failure with the error code a Windows"
          + " client shows."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  rdpdoctor probe rdp.example.com            full probe of port 3389",
      "  rdpdoctor probe 10.0.0.5:3390 --quick      negotiation sweep only (milliseconds)",
      "  rdpdoctor probe host --json | jq .nla      'required', 'optional' or 'unavailable'",
      "  rdpdoctor probe host --timeout 30s         slow links: allow 30 seconds in all",
      "  rdpdoctor probe host --user 'CORP\\alice'   check a password (asked, never echoed, never sent)",
      "  RDP_PW=... rdpdoctor probe host --user alice@corp.example --password-env RDP_PW",
      "  rdpdoctor probe host --user 'CORP\\alice' --password-fd 3 3<pw.txt",
      "  rdpdoctor probe rds01 --gateway gw.corp.example --user 'CORP\\alice'   through an RD Gateway",
      "",
      "Exit codes: 0 no problem found, 1 a problem was found (NLA not required, RDP security",
      "accepted, old TLS, certificate problem, the host cannot be reached, or with --user: the",
      "password was not proven right), 2 bad arguments,",
      "4 internal error."
    })
public final class ProbeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "HOST[:PORT]", description = "host name or address, port 3389 unless given")
  String target;

  @Option(names = "--quick", description = "only the X.224 negotiation sweep: no TLS")
  boolean quick;

  @Option(names = "--json", description = "print one JSON document (fields in README)")
  boolean json;

  @Option(names = "--timeout", paramLabel = "D", defaultValue = "10s",
      description = "budget for the whole probe: 10s, 500ms, 1m (default: ${DEFAULT-VALUE})")
  String timeout;

  @Mixin CredentialOptions credentials = new CredentialOptions();

  @Option(names = "--gateway", paramLabel = "GW[:PORT]",
      description = "reach the host through this RD Gateway (port 443 unless given): --user is then the"
          + " gateway's account, as mstsc uses one account for both by default, and the host's sweep and"
          + " TLS come through the gateway's tunnel (the same report as 'gateway GW --target HOST')")
  @Nullable String gateway;

  @Option(names = "--parallel", paramLabel = "N", defaultValue = "8",
      description = "connections open at once (default: ${DEFAULT-VALUE})")
  int parallel;

  /** Extra stages run in a full probe: CredSSP/NTLM without credentials, Standard RDP Security. */
  public static List<Stage> stages() {
    return rdpdoctor.probe.FullProbe.stages();
  }

  @Override
  public Integer call() {
    Target t;
    try {
      t = Target.parse(target);
    } catch (IllegalArgumentException e) {
      throw new UserError(ExitCodes.USAGE, e.getMessage() + "; expected HOST, HOST:PORT or [IPv6]:PORT");
    }
    Duration d = Durations.parse(timeout);
    if (parallel < 1 || parallel > 64) {
      throw new UserError(ExitCodes.USAGE, "--parallel must be 1..64: " + parallel);
    }
    if (gateway != null) {
      // An RD Gateway authenticates before it opens a tunnel: without an account there is no way
      // through it to the host, only the gateway's own checks (rdpdoctor gateway GW).
      if (credentials.account.user() == null) {
        throw new UserError(ExitCodes.USAGE, "--gateway needs --user DOMAIN\\name, the account the gateway"
            + " authenticates; for the gateway alone, without an account: rdpdoctor gateway " + gateway);
      }
      Target gw;
      try {
        gw = Target.parse(gateway, rdpdoctor.probe.gateway.GatewayCheck.DEFAULT_PORT);
      } catch (IllegalArgumentException e) {
        throw new UserError(ExitCodes.USAGE, "--gateway: " + e.getMessage() + "; expected GW, GW:PORT or [IPv6]:PORT");
      }
      return rdpdoctor.app.gateway.GatewayCommand.report(spec, gw, t, credentials.account.credentials(PasswordSource.system()), d, json);
    }
    if (quick && credentials.account.user() != null) {
      throw new UserError(ExitCodes.USAGE, "--user needs TLS and CredSSP, which --quick skips; drop --quick");
    }
    // The password is read (and hashed) before any traffic, so a prompt does not race the probe.
    CredentialCheckStage check = credentials.stage(PasswordSource.system());
    List<Stage> stages = quick ? List.of() : stages();
    if (check != null) {
      stages.add(0, check); // first: started first, and its section leads the report
    }
    ProbeOptions options = new ProbeOptions(quick, d, d.compareTo(Duration.ofSeconds(5)) < 0 ? d : Duration.ofSeconds(5),
        parallel, null, stages);
    if (!json && Style.detect().colour()) {
      spec.commandLine().getErr().println("probing " + t + " ...");
    }
    ProbeReport report = new Probe(options).run(t);
    PrintWriter out = spec.commandLine().getOut();
    List<String> problems = report.problems();
    if (json) {
      out.println(Json.MAPPER.writeValueAsString(ProbeJson.of(report, problems)));
      out.flush();
    } else {
      ProbeText.print(report, Style.detect(), out);
    }
    boolean passwordUnproven = check != null && (check.report() == null || !check.report().authenticated());
    return problems.isEmpty() && !passwordUnproven ? ExitCodes.OK : ExitCodes.FOUND;
  }
}
