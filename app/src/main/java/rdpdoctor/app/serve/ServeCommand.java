package rdpdoctor.app.serve;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.UserError;

/**
 * {@code rdpdoctor serve}: the dashboard and Prometheus exporter. Options are Strings and the
 * server's classes are named only inside {@link #call}, so building this command for --help or
 * completion loads no Jetty class (DEVELOPERS.md on start-up).
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serves a web dashboard of the scan store (estate overview, host history, scans and their diff,",
      "explain a code, analyze a bundle, probe now), Prometheus metrics at /metrics and a",
      "blackbox_exporter-style /probe?target=HOST:PORT&module=quick|full. Listens on 127.0.0.1 unless",
      "told otherwise; any other address needs an access token (tokenFile in the config)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  rdpdoctor serve                                   http://127.0.0.1:9389/",
      "  rdpdoctor serve --config /etc/rdpdoctor/serve.yaml",
      "  rdpdoctor serve --listen 0.0.0.0:9389 --config serve.yaml   (the config must name a tokenFile)",
      "  rdpdoctor serve --db jdbc:postgresql://db.corp/rdp?user=rdpdoctor",
      "",
      "Exit codes: 0 stopped, 2 bad options or config, 3 the store or the address cannot be used."
    })
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--listen", paramLabel = "ADDRESS:PORT", description = "where to listen (default: 127.0.0.1:9389)")
  @Nullable String listen;

  @Option(names = "--db", paramLabel = "URL", description = "the scan store, as for scan (default: the config's db, else scan's default)")
  @Nullable String db;

  @Option(names = "--config", paramLabel = "FILE", description = "YAML: scans (tag, targets, interval, mode), allow (CIDRs), tokenFile, probeNowPerMinute")
  @Nullable String config;

  @Override
  public Integer call() throws InterruptedException {
    rdpdoctor.serve.Server.Options options;
    try {
      options = rdpdoctor.serve.Launch.options(listen, db, config == null ? null : Path.of(config), System.getenv());
    } catch (IllegalArgumentException e) {
      throw new UserError(ExitCodes.USAGE, e.getMessage());
    } catch (IOException e) {
      throw new UserError(ExitCodes.IO, "cannot read " + config + ": " + e.getMessage());
    }
    rdpdoctor.serve.Server server;
    try {
      server = rdpdoctor.serve.Launch.start(options);
    } catch (rdpdoctor.serve.Server.Refused | rdpdoctor.fleet.Store.StoreException e) {
      throw new UserError(ExitCodes.IO, e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new UserError(ExitCodes.USAGE, e.getMessage());
    } catch (IOException e) {
      throw new UserError(ExitCodes.IO, "cannot start: " + e.getMessage());
    }
    PrintWriter err = spec.commandLine().getErr();
    String host = options.listen().host().contains(":") ? "[" + options.listen().host() + "]" : options.listen().host();
    err.println("serve: http://" + host + ":" + server.port() + "/ (store " + options.dbUrl() + ", "
        + options.config().scans().size() + " scheduled scans); Ctrl-C stops");
    err.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "rdpdoctor-serve-stop"));
    stopped.await();
    return ExitCodes.OK;
  }
}
