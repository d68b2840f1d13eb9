package rdpdoctor.app.diagnose;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.UserError;
import rdpdoctor.app.gateway.GatewayRun;
import rdpdoctor.app.account.AccountOptions;
import rdpdoctor.app.account.PasswordSource;
import rdpdoctor.app.report.Report;
import rdpdoctor.diagnosis.Texts;
import rdpdoctor.probe.Probe;
import rdpdoctor.probe.ProbeOptions;
import rdpdoctor.probe.ProbeReport;
import rdpdoctor.probe.Target;
import rdpdoctor.probe.gateway.GatewayCheck;

/** {@code rdpdoctor diagnose HOST}: probe the host, add evidence and codes, rank the causes. */
@Command(
    name = "diagnose",
    mixinStandardHelpOptions = true,
    description = {
      "Probes an RDP host the way a client does, adds the codes you saw and any evidence files,",
      "and names the most likely cause with its proof and a safe fix."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  rdpdoctor diagnose host01.corp.example --error \"0x904 0x7\"",
      "  rdpdoctor diagnose 10.0.0.5:3390 --evidence bundle-host01.zip --html report.html",
      "  rdpdoctor diagnose host01 --json > report.json && rdpdoctor fix --report report.json",
      "  rdpdoctor diagnose rds01 --gateway gw.corp.example --user 'CORP\\alice'   through an RD Gateway",
      "",
      "Exit codes: 0 no cause found, 1 a cause was found, 2 usage, 3 a file could not be read, 4 internal error."
    })
public final class DiagnoseCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "HOST[:PORT]", description = "the RDP host as the client names it")
  String host;

  @Option(names = "--error", paramLabel = "CODES", description = "the codes the client showed, e.g. \"0x904 0x7\"")
  @Nullable String error;

  @Option(names = "--evidence", paramLabel = "PATH", arity = "1..*", description = "evidence files, folders or bundle zips")
  List<Path> evidence = new ArrayList<>();

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10", description = "probe budget in seconds (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @Option(names = "--gateway", paramLabel = "GW[:PORT]",
      description = "reach the host through this RD Gateway (port 443 unless given), as a client set to use it"
          + " does; needs --user, the account the gateway authenticates")
  @Nullable String gateway;

  @Mixin AccountOptions account = new AccountOptions();

  @Mixin ReportOptions report = new ReportOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Target target;
    try {
      target = Target.parse(host);
    } catch (IllegalArgumentException e) {
      throw new UserError(ExitCodes.USAGE, "cannot use '" + host + "' as HOST[:PORT]: " + e.getMessage());
    }
    if (timeoutSeconds < 1 || timeoutSeconds > 300) {
      throw new UserError(ExitCodes.USAGE, "--timeout must be between 1 and 300 seconds, not " + timeoutSeconds);
    }
    if (rdpdoctor.app.Style.detect().colour()) {
      System.err.println("probing " + target.host() + ":" + target.port() + " ...");
    }
    List<String> notes = new ArrayList<>();
    List<rdpdoctor.diagnosis.Observation> probed = List.of();
    ProbeReport p = null;
    if (gateway != null || account.user() != null) {
      // Behind a gateway the host is reached only through the gateway's tunnel, and the gateway
      // authenticates first: its checks and the tunnel's stages are the probe here.
      if (gateway == null || account.user() == null) {
        throw new UserError(ExitCodes.USAGE, gateway == null
            ? "--user is the RD Gateway's account: give it with --gateway GW"
            : "--gateway needs --user DOMAIN\\name: an RD Gateway authenticates before it opens a tunnel to the host");
      }
      Target gw;
      try {
        gw = Target.parse(gateway, GatewayCheck.DEFAULT_PORT);
      } catch (IllegalArgumentException e) {
        throw new UserError(ExitCodes.USAGE, "--gateway: " + e.getMessage() + "; expected GW, GW:PORT or [IPv6]:PORT");
      }
      GatewayRun run = GatewayRun.of(gw, target, account.credentials(PasswordSource.system()),
          Duration.ofSeconds(timeoutSeconds));
      probed = run.observations();
      notes.add(run.describe(gw, target));
      List<Report> rs = AnalyzeCommand.run("diagnose", target.host() + ":" + target.port(), evidence, error, probed, notes, null);
      report.emit(rs, spec.commandLine().getOut(), spec.commandLine().getErr());
      return rs.stream().anyMatch(Report::causeFound) ? ExitCodes.FOUND : ExitCodes.OK;
    }
    try {
      // The same stages as `rdpdoctor probe` (NLA info, Standard RDP Security): every verdict the
      // probe can prove must reach the rules (NTLM clock skew, CredSSP version, the xrdp signature).
      p = new Probe(ProbeOptions.defaults().withTimeout(Duration.ofSeconds(timeoutSeconds))
          .withStages(rdpdoctor.app.probe.ProbeCommand.stages())).run(target);
      probed = p.observations();
      notes.add("probe of " + target.host() + ":" + target.port() + " took "
          + Texts.fixed(p.millis(), 0) + " ms over " + p.connections() + " connection(s)"
          + (p.failure() == null ? "" : "; stopped: " + p.failure().describe()));
    } catch (RuntimeException e) {
      // A probe bug must not cost the user the rest of the diagnosis (codes and evidence).
      notes.add("the probe stopped with an internal error (" + e + "); the findings below use only the codes and evidence files; please report it");
    }
    // The probe's own report goes with the probed host's report, for the HTML page's probe
    // section (verdicts, TLS, timings).
    List<Report> rs = AnalyzeCommand.run("diagnose", target.host() + ":" + target.port(), evidence, error, probed, notes, p);
    report.emit(rs, spec.commandLine().getOut(), spec.commandLine().getErr());
    return rs.stream().anyMatch(Report::causeFound) ? ExitCodes.FOUND : ExitCodes.OK;
  }
}
