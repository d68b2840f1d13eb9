package rdpdoctor.serve;

import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import io.javalin.http.UploadedFile;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Diagnosis;
import rdpdoctor.diagnosis.catalog.CodeQuery;
import rdpdoctor.diagnosis.rules.RuleEngine;
import rdpdoctor.diagnosis.rules.RuleSet;
import rdpdoctor.evidence.cases.Case;
import rdpdoctor.evidence.cases.CaseLoader;
import rdpdoctor.evidence.cases.EvidenceFile;
import rdpdoctor.evidence.cases.EvidenceRefused;
import rdpdoctor.fleet.HostResult;
import rdpdoctor.fleet.ScanDiff;
import rdpdoctor.fleet.Store;
import rdpdoctor.fleet.Targets;
import rdpdoctor.probe.ProbeReport;
import rdpdoctor.probe.Target;

/**
 * {@code rdpdoctor serve}: the web UI, {@code /metrics} and {@code /probe} on Javalin (Jetty 12).
 * Every request passes {@link #guard} first: the security headers, the access token, and the CSRF
 * check of a POST. The pages read the {@link Estate} snapshot and the store; nothing here writes
 * HTML by hand (see {@link Pages}).
 */
public final class Server implements AutoCloseable {
  /**
   * How to run.
   *
   * @param listen where to listen; anything but loopback needs {@code token}
   * @param dbUrl the store
   * @param config the config file's contents (schedule, allow-list)
   * @param token the access token, or null
   * @param maxUploadBytes the biggest bundle "analyze" takes
   * @param probeTimeout each requested probe's whole budget
   * @param schedule run the config's scheduled scans (tests that plant a store turn it off)
   */
  public record Options(Listen listen, String dbUrl, ServeConfig config, @Nullable String token,
      long maxUploadBytes, Duration probeTimeout, boolean schedule) {
    public static final long DEFAULT_MAX_UPLOAD = 256L << 20;
  }

  /** The server cannot start as asked; the message says what to change. */
  public static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Refused(String message) {
      super(message);
    }
  }

  static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self';"
      + " frame-ancestors 'none'; base-uri 'none'";

  private static final Set<Long> RULE_EVENT_IDS = RuleSet.eventIds(RuleSet.builtIn());
  private static final String CSRF_ATTRIBUTE = "rdpdoctor.csrf";

  private final Options options;
  private final Clock clock;
  private final Access access;
  private final Store store; // one connection: every use holds its monitor
  private final ProbeMemory memory = new ProbeMemory();
  private final Metrics metrics = new Metrics();
  private final Prober prober;
  private final PressLimit presses;
  private final Path uploads;
  /** Bundles read at once: each can hold a few hundred MB of event logs to parse. */
  private final java.util.concurrent.Semaphore analyses = new java.util.concurrent.Semaphore(2);
  private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().daemon().name("rdpdoctor-serve-refresh").factory());
  private final @Nullable Schedule schedule;
  private final Javalin app;
  private volatile Estate estate;

  private Server(Options options, Clock clock) throws IOException {
    this.options = options;
    this.clock = clock;
    if (!options.listen().loopback() && options.token() == null) {
      throw new Refused("refusing to listen on " + options.listen() + " without an access token: anyone who"
          + " can reach it could probe your allow-list and read your estate; set tokenFile in the config,"
          + " or listen on 127.0.0.1");
    }
    this.access = new Access(options.token());
    this.prober = new Prober(AllowList.of(options.config().allow()), clock, options.probeTimeout());
    this.presses = new PressLimit(options.config().probeNowPerMinute(), System::nanoTime);
    this.uploads = Files.createTempDirectory("rdpdoctor-serve-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    this.store = Store.open(options.dbUrl());
    this.estate = Estate.empty(clock.instant());
    refresh();
    this.schedule = options.schedule() && !options.config().scans().isEmpty()
        ? new Schedule(options.config().scans(), options.dbUrl(), memory, metrics, clock, this::refresh) : null;
    // the store may also be written by `rdpdoctor scan` from the command line
    refresher.scheduleWithFixedDelay(this::refreshQuietly, 15, 15, TimeUnit.SECONDS);
    this.app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      config.jetty.host = options.listen().host();
      config.jetty.port = options.listen().port();
      config.jetty.multipartConfig.cacheDirectory(uploads.toString());
      config.jetty.multipartConfig.maxFileSize(options.maxUploadBytes(), SizeUnit.BYTES);
      config.jetty.multipartConfig.maxInMemoryFileSize(64 << 10, SizeUnit.BYTES);
      config.jetty.multipartConfig.maxTotalRequestSize(options.maxUploadBytes() + (64 << 10), SizeUnit.BYTES);
      config.routes.before(this::guard);
      config.routes.get("/", ctx -> html(ctx, Pages.overview(estate, csrf(ctx), null)));
      config.routes.get("/host", this::host);
      config.routes.post("/probe-now", this::probeNow);
      config.routes.get("/scans", ctx -> html(ctx, Pages.scans(locked(() -> store.scans(null)), csrf(ctx))));
      config.routes.get("/diff", this::diff);
      config.routes.get("/explain", this::explain);
      config.routes.get("/analyze", ctx -> html(ctx, Pages.analyze(null, null, options.maxUploadBytes(), csrf(ctx))));
      config.routes.post("/analyze", this::analyze);
      config.routes.get("/metrics", ctx -> {
        ctx.contentType(Metrics.CONTENT_TYPE);
        ctx.result(metrics.scrape());
      });
      config.routes.get("/probe", this::probe);
      config.routes.get("/static/app.css", ctx -> {
        ctx.contentType("text/css; charset=utf-8");
        ctx.result(resource("rdpdoctor/serve/static/app.css"));
      });
      config.routes.exception(Prober.Refused.class, (e, ctx) -> refuse(ctx, e.status, e.reason, e.getMessage()));
      config.routes.exception(Store.StoreException.class, (e, ctx) -> refuse(ctx, 503, "store", e.getMessage()));
      config.routes.exception(IllegalArgumentException.class, (e, ctx) -> refuse(ctx, 400, "input", e.getMessage()));
      config.routes.exception(Exception.class, (e, ctx) -> {
        // a bug: the page says so without details (they can hold paths), stderr has the trace
        System.err.println("serve: internal error on " + ctx.method() + " " + ctx.path() + ": " + e);
        e.printStackTrace();
        page(ctx, 500, "internal error (please report it); the server's log has the details");
      });
      config.routes.error(404, ctx -> {
        if (ctx.result() == null || ctx.result().isEmpty()) {
          page(ctx, 404, "no such page: " + ctx.path());
        }
      });
    });
  }

  /** Starts the server; {@link #port()} says where (for an ephemeral port). */
  public static Server start(Options options, Clock clock) throws IOException {
    Server s = new Server(options, clock);
    try {
      s.app.start();
    } catch (RuntimeException e) {
      s.close();
      throw new Refused("cannot listen on " + options.listen() + ": " + e.getMessage());
    }
    return s;
  }

  public int port() {
    return app.port();
  }

  /** The address Jetty bound. */
  String boundHost() {
    return ((org.eclipse.jetty.server.ServerConnector) app.jettyServer().server().getConnectors()[0]).getHost();
  }

  /** Every route, for the tests that check a promise on each of them. */
  List<io.javalin.router.ParsedEndpoint> routes() {
    return app.unsafe.internalRouter.allHttpHandlers();
  }

  /** The folder uploads pass through (Jetty's multipart cache and the bundle being analysed). */
  Path uploads() {
    return uploads;
  }

  // ---- every request

  private void guard(Context ctx) {
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "same-origin"); // no-referrer would make Chrome send "Origin: null"
    ctx.header("Cache-Control", "no-store");
    String given = ctx.queryParam("token");
    if (access.tokenRequired() && given != null && ctx.method().name().equals("GET") && access.isToken(given)) {
      // once, from the link the admin opened: from now on the cookie carries it, not the URL
      ctx.cookie(new Cookie(Access.TOKEN_COOKIE, given, "/", -1, false, true, null, SameSite.STRICT));
      ctx.redirect(ctx.path(), HttpStatus.SEE_OTHER);
      ctx.skipRemainingHandlers();
      return;
    }
    if (!access.allowed(ctx.header("Authorization"), ctx.cookie(Access.TOKEN_COOKIE))) {
      metrics.refused.labelValues("token").inc();
      ctx.header("WWW-Authenticate", "Bearer");
      refuse(ctx, 401, null, "this server needs its access token: open /?token=TOKEN once (the first line"
          + " of the config's tokenFile), or send Authorization: Bearer TOKEN");
      ctx.skipRemainingHandlers();
      return;
    }
    String cookie = ctx.cookie(Access.CSRF_COOKIE);
    if (ctx.method().name().equals("POST")) {
      long limit = options.maxUploadBytes() + (64 << 10);
      if (ctx.contentLength() > limit) {
        // before anything is read: Jetty would otherwise take the upload to find it too big
        tooLarge(ctx, ctx.contentLength());
        return;
      }
      String field;
      try {
        field = ctx.formParam(Access.CSRF_FIELD);
      } catch (Exception e) { // Jetty's multipart parser (Kotlin passes its checked exceptions through)
        if (causedBy(e, "max file size exceeded") || causedBy(e, "max request size exceeded")) {
          tooLarge(ctx, -1);
        } else {
          refuse(ctx, 400, null, "the form could not be read: " + e.getMessage());
          ctx.skipRemainingHandlers();
        }
        return;
      }
      // The token decides; a named other origin is refused as well. "null" (a sandboxed frame, or
      // a browser that hides the origin) names none, so only the token can pass it.
      String origin = ctx.header("Origin");
      boolean otherOrigin = origin != null && !origin.equals("null") && !originMatches(origin, ctx.header("Host"));
      if (!Access.csrfMatches(cookie, field) || otherOrigin) {
        metrics.refused.labelValues("csrf").inc();
        dropParts(ctx); // a refused upload is not kept either
        refuse(ctx, 403, null, "this form was not sent from this server's page (CSRF check failed); reload the page and try again");
        ctx.skipRemainingHandlers();
        return;
      }
    }
    if (cookie == null || cookie.length() < 32) {
      cookie = Access.newCsrf();
      ctx.cookie(new Cookie(Access.CSRF_COOKIE, cookie, "/", -1, false, true, null, SameSite.STRICT));
    }
    ctx.attribute(CSRF_ATTRIBUTE, cookie);
  }

  private static boolean causedBy(Throwable e, String words) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains(words)) {
        return true;
      }
    }
    return false;
  }

  private void tooLarge(Context ctx, long length) {
    metrics.refused.labelValues("too-large").inc();
    refuse(ctx, 413, null, "the upload is " + (length < 0 ? "over the limit" : length + " bytes") + " (expected: <= "
        + options.maxUploadBytes() + " bytes of file); analyze a bigger bundle with rdpdoctor analyze");
    ctx.skipRemainingHandlers();
  }

  private static boolean originMatches(String origin, @Nullable String host) {
    return host != null && (origin.equals("http://" + host) || origin.equals("https://" + host));
  }

  private static String csrf(Context ctx) {
    String c = ctx.attribute(CSRF_ATTRIBUTE);
    return c == null ? "" : c;
  }

  private void refuse(Context ctx, int status, @Nullable String reason, String message) {
    if (reason != null && !reason.equals("input") && !reason.equals("target") && !reason.equals("module")) {
      metrics.refused.labelValues(reason).inc();
    }
    if (ctx.path().equals("/probe") || ctx.path().equals("/metrics")) {
      ctx.status(status).contentType("text/plain; charset=utf-8").result(message + "\n");
    } else {
      page(ctx, status, message);
    }
  }

  private static void page(Context ctx, int status, String message) {
    String c = ctx.attribute(CSRF_ATTRIBUTE);
    ctx.status(status);
    html(ctx, Pages.error(status, message, c == null ? "" : c));
  }

  private static void html(Context ctx, String page) {
    ctx.contentType("text/html; charset=utf-8");
    ctx.result(page);
  }

  // ---- pages

  private void host(Context ctx) {
    String text = ctx.queryParam("target");
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("give ?target=HOST:PORT");
    }
    Target t = Targets.one(text);
    List<Store.Entry> history = locked(() -> store.history(t));
    if (history.isEmpty() && memory.get(Targets.key(t)).isEmpty()) {
      page(ctx, 404, t + " is in no scan in the store");
      return;
    }
    html(ctx, Pages.host(t.toString(), history, memory.get(Targets.key(t)).orElse(null), csrf(ctx),
        ctx.queryParam("probed") == null ? null : "probed just now", clock.instant()));
  }

  private void probeNow(Context ctx) {
    Target checked = prober.checked(ctx.formParam("target"));
    Prober.Module module = Prober.module(ctx.formParam("module"));
    if (!presses.tryPress()) {
      throw new Prober.Refused(429, "rate-limit", "probe now is limited to " + options.config().probeNowPerMinute()
          + " probes a minute over all users; try again in a few seconds");
    }
    ProbeReport report = runProbe(checked, module, options.probeTimeout());
    HostResult r = prober.result(report);
    locked(() -> {
      // kept like a scan of one host, so the host's history and the overview show it
      long id = store.startScan("probe-now", module.name().toLowerCase(java.util.Locale.ROOT), checked.toString(), clock.instant()).id();
      store.record(id, r);
      store.finish(id, clock.instant());
      return null;
    });
    refresh();
    ctx.redirect(Pages.link(checked.toString()) + "&probed=1", HttpStatus.SEE_OTHER);
  }

  private ProbeReport runProbe(Target checked, Prober.Module module, Duration budget) {
    String m = module.name().toLowerCase(java.util.Locale.ROOT);
    long start = System.nanoTime();
    ProbeReport report = prober.run(checked, module, budget);
    metrics.probeSeconds.labelValues(m).observe((System.nanoTime() - start) / 1e9);
    metrics.probes.labelValues(m, report.failure() == null ? "up" : "down").inc();
    memory.keep(report, clock.instant());
    return report;
  }

  private void diff(Context ctx) {
    long from = number(ctx.queryParam("from"), "from");
    long to = number(ctx.queryParam("to"), "to");
    Store.ScanInfo a = locked(() -> store.scan(from)).orElseThrow(() -> new IllegalArgumentException("no scan " + from));
    Store.ScanInfo b = locked(() -> store.scan(to)).orElseThrow(() -> new IllegalArgumentException("no scan " + to));
    List<ScanDiff.Change> changes = locked(() -> ScanDiff.of(store.results(from), store.results(to), 30));
    html(ctx, Pages.diff(a, b, changes, csrf(ctx)));
  }

  private static long number(@Nullable String s, String field) {
    try {
      return Long.parseLong(s == null ? "" : s.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(field + " must be a scan id (a number): " + s);
    }
  }

  private void explain(Context ctx) {
    String text = ctx.queryParam("text");
    if (text != null && text.length() > 20_000) {
      throw new IllegalArgumentException("the text is " + text.length() + " characters (expected: <= 20000)");
    }
    html(ctx, Pages.explain(text, text == null || text.isBlank() ? null : CodeQuery.explain(text), csrf(ctx)));
  }

  /**
   * Reads the uploaded bundle as {@code analyze} does (CaseLoader, BundleReader's zip limits, the
   * rules per computer), then deletes it whatever happened.
   */
  private void analyze(Context ctx) throws IOException {
    if (!analyses.tryAcquire()) {
      dropParts(ctx);
      throw new Prober.Refused(503, "busy", "two bundles are being analysed; try again when one is done");
    }
    try {
      analyze(ctx, Files.createTempDirectory(uploads, "bundle-"));
    } finally {
      analyses.release();
      dropParts(ctx);
    }
  }

  private void analyze(Context ctx, Path dir) throws IOException {
    try {
      UploadedFile f = ctx.uploadedFile("bundle");
      if (f == null) {
        throw new IllegalArgumentException("choose a file (a bundle .zip from rdpdoctor collect, an .evtx, a hive)");
      }
      Path file = dir.resolve(safeName(f.filename()));
      try (InputStream in = f.content(); OutputStream out = Files.newOutputStream(file)) {
        in.transferTo(out); // Jetty has already refused a part over maxFileSize
      }
      CaseLoader.Cases loaded;
      try {
        loaded = CaseLoader.load(List.of(file), RULE_EVENT_IDS);
      } catch (EvidenceRefused e) {
        throw new IllegalArgumentException(e.getMessage().replace(dir.toString() + "/", ""));
      }
      RuleEngine engine = new RuleEngine(RuleSet.builtIn());
      List<Pages.CaseView> cases = new ArrayList<>();
      for (Case c : loaded.cases()) {
        Diagnosis d = engine.diagnose(c.observations(), clock.instant());
        cases.add(new Pages.CaseView(c.label(), c.files().stream().map(EvidenceFile::describe).map(s -> s.replace(dir + "/", "")).toList(),
            cases.isEmpty() ? loaded.notes() : List.of(), d.findings().stream().map(x -> Pages.finding(x, dir + "/")).toList()));
      }
      if (cases.isEmpty()) {
        cases.add(new Pages.CaseView("(no computer named)", List.of(f.filename()), loaded.notes(), List.of()));
      }
      html(ctx, Pages.analyze(cases, f.filename(), options.maxUploadBytes(), csrf(ctx)));
    } finally {
      deleteTree(dir);
    }
  }

  /** Deletes Jetty's copies of a multipart request's parts in the cache folder. */
  private static void dropParts(Context ctx) {
    if (ctx.contentType() == null || !ctx.contentType().startsWith("multipart/")) {
      return;
    }
    try {
      for (Part p : ctx.req().getParts()) {
        p.delete();
      }
    } catch (Exception ignored) {
      // the body could not be parsed: Jetty kept no part of it
    }
  }

  static String safeName(@Nullable String name) {
    String base = name == null ? "" : name.replace('\\', '/');
    base = base.substring(base.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
    return base.isEmpty() || base.startsWith(".") ? "upload" + base : base;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the uploaded bundle in " + dir, e);
    }
  }

  /** {@code /probe?target=HOST:PORT&module=quick|full}, blackbox_exporter's multi-target pattern. */
  private void probe(Context ctx) {
    Prober.Module module = Prober.module(ctx.queryParam("module"));
    Target checked = prober.checked(ctx.queryParam("target"));
    ProbeReport report = runProbe(checked, module, prober.budget(ctx.header("X-Prometheus-Scrape-Timeout-Seconds")));
    ctx.contentType(Metrics.CONTENT_TYPE);
    ctx.result(Metrics.probe(prober.result(report), memory.rules(Targets.key(checked))));
  }

  // ---- the estate snapshot

  private void refresh() {
    Estate e = locked(() -> Estate.load(store, clock.instant()));
    metrics.estate(e, memory);
    estate = e;
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      System.err.println("serve: cannot read the store: " + e.getMessage());
    }
  }

  private <T> T locked(java.util.function.Supplier<T> read) {
    synchronized (store) {
      return read.get();
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = Server.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (schedule != null) {
      schedule.close();
    }
    refresher.shutdownNow();
    try {
      app.stop();
    } finally {
      synchronized (store) {
        store.close();
      }
      try {
        deleteTree(uploads);
      } catch (UncheckedIOException ignored) {
        // a temp folder left behind; the OS cleans /tmp
      }
    }
  }
}
