package rdpdoctor.probe;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Phase;
import rdpdoctor.protocol.rdpbcgr.x224.NegotiationRequest;
import rdpdoctor.protocol.rdpbcgr.x224.SecurityProtocols;
import rdpdoctor.protocol.rdpbcgr.x224.X224;

/**
 * Probes an RDP listener the way a client meets it: name resolution, the X.224 negotiation sweep
 * (one connection per request, in parallel), TLS on the same connection as X.224 (versions, suites,
 * certificate), then any extra {@link Stage}s. Every phase is timed and every fact becomes an
 * {@link rdpdoctor.diagnosis.Observation}. Nothing outlives {@link ProbeOptions#timeout()}.
 */
public final class Probe {
  /**
   * The sweep: each security protocol set a real client sends ([MS-RDPBCGR] 2.2.1.1.1), and a
   * legacy request without RDP_NEG_REQ (the RDP 5.0 clients; also what nmap's cipher pass sends).
   */
  public static final List<NegotiationRequest> SWEEP = Arrays.asList(
      NegotiationRequest.of(SecurityProtocols.RDP),
      NegotiationRequest.of(SecurityProtocols.SSL),
      NegotiationRequest.of(SecurityProtocols.SSL | SecurityProtocols.HYBRID),
      NegotiationRequest.of(SecurityProtocols.HYBRID_EX),
      NegotiationRequest.of(SecurityProtocols.SSL | SecurityProtocols.HYBRID | SecurityProtocols.HYBRID_EX),
      NegotiationRequest.of(SecurityProtocols.RDSTLS),
      NegotiationRequest.of(SecurityProtocols.RDSAAD),
      null);

  private final ProbeOptions options;

  public Probe(ProbeOptions options) {
    this.options = options;
  }

  /** Runs the probe; never throws for network trouble: that is in the report. */
  public ProbeReport run(Target target) {
    Recorder recorder = new Recorder(target);
    Deadline deadline = Deadline.in(options.timeout());
    InetAddress address;
    try {
      address = resolve(target, deadline, recorder);
    } catch (ProbeFailure f) {
      recorder.observe(failureObservation(recorder, 0, "dns", f));
      return report(target, null, recorder, List.of(), null, null, f, Map.of(), Map.of());
    }

    ProbeContext ctx = new ProbeContext(target, address, options, deadline, recorder);
    // TLS overlaps the sweep: it starts with SSL|HYBRID, the request real clients and sslscan send,
    // and falls back to whatever the sweep shows leads to TLS if that request does not.
    TlsStage tlsStage = new TlsStage();
    Future<Void> tlsRun = null;
    ExecutorService background = ProbeThreads.perTask();
    Map<String, ProbeFailure> stageFailures = new java.util.concurrent.ConcurrentHashMap<>();
    if (!options.quick()) {
      background.submit(TlsHandshake::warmUp);
      tlsRun = background.submit(() -> {
        runStage(tlsStage, ctx, stageFailures, recorder);
        return null;
      });
    }
    List<NegotiationResult> sweep = sweep(address, target, deadline, recorder);
    NegotiationVerdict verdict = NegotiationVerdict.of(sweep);
    Observations.negotiation(recorder, sweep, verdict);
    ctx.sweepDone(sweep, verdict);

    ProbeFailure failure = null;
    if (sweep.stream().allMatch(r -> r.outcome() == NegotiationResult.Outcome.ERROR)) {
      // Every request failed: that is the answer. Prefer what the server did over "time ran out",
      // which only says a request waited behind others for a connection slot.
      failure = sweep.stream().map(NegotiationResult::error)
          .filter(e -> e != null && e.kind() != FailureKind.DEADLINE)
          .findFirst().orElse(sweep.get(0).error());
    }
    // The other stages (NLA information, Standard RDP Security, a credential check) need only the
    // sweep's answers, so they start now, beside the TLS enumeration and each other, on their own
    // connections: against a distant host each is several round trips, which in turn added up.
    List<ProbeContext> views = new ArrayList<>();
    List<Future<Void>> stageRuns = new ArrayList<>();
    if (!options.quick() && failure == null) {
      for (Stage stage : options.stages()) {
        if (!deadline.expired() && stage.appliesTo(ctx)) {
          ProbeContext view = ctx.withOwnSections();
          views.add(view);
          stageRuns.add(background.submit(() -> {
            runStage(stage, view, stageFailures, recorder);
            return null;
          }));
        }
      }
    }
    TlsReport tls = null;
    boolean done = false;
    try {
      if (tlsRun != null) {
        await(tlsRun, "tls");
        if (tlsStage.needsRetry(ctx)) {
          runStage(tlsStage, ctx, stageFailures, recorder);
        }
        tls = tlsStage.report();
        if (failure != null) {
          stageFailures.remove(tlsStage.name()); // the sweep's failure says it all
        }
      }
      for (Future<Void> run : stageRuns) {
        await(run, "stage");
      }
      done = true;
    } finally {
      if (done) {
        background.shutdown();
      } else {
        // A stage broke with something other than a ProbeFailure (a bug): the caller gets that
        // error now, and no other stage may go on talking to the host behind its back.
        stageRuns.forEach(r -> r.cancel(true));
        background.shutdownNow();
      }
    }
    views.forEach(ctx::addSections); // in the stages' order, whichever finished first
    return report(target, address, recorder, sweep, verdict, tls, failure, stageFailures, ctx.sections());
  }

  /** Waits for a stage run on another thread; its own failures are already recorded as such. */
  private static void await(Future<Void> run, String what) {
    try {
      run.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(what + " stage failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(what + " stage interrupted", e);
    }
  }

  private static void runStage(
      Stage stage, ProbeContext ctx, Map<String, ProbeFailure> failures, Recorder recorder) {
    try {
      failures.remove(stage.name());
      stage.run(ctx);
    } catch (ProbeFailure f) {
      failures.put(stage.name(), f);
      recorder.observe(failureObservation(recorder, 0, stage.name(), f));
    }
  }

  private static ProbeReport report(
      Target target, @Nullable InetAddress address, Recorder recorder, List<NegotiationResult> sweep,
      @Nullable NegotiationVerdict verdict, @Nullable TlsReport tls, @Nullable ProbeFailure failure,
      Map<String, ProbeFailure> stageFailures, Map<String, Object> sections) {
    return new ProbeReport(
        target, address, recorder.startedAt(), recorder.elapsedMicros(), recorder.connectionCount(),
        recorder.phases(), sweep, verdict, tls, failure, new LinkedHashMap<>(stageFailures),
        sections, recorder.observations());
  }

  /** Name resolution with the deadline enforced (the resolver itself cannot be given one). */
  static InetAddress resolve(Target target, Deadline deadline, Recorder recorder) throws ProbeFailure {
    long start = recorder.now();
    if (isAddressLiteral(target.host())) {
      try {
        InetAddress a = InetAddress.getByName(target.host()); // a literal: parsed, never looked up
        recorder.phase("dns " + target.host(), Phase.NAME_RESOLUTION, 0, start, null);
        return a;
      } catch (UnknownHostException e) {
        ProbeFailure pf = new ProbeFailure(FailureKind.DNS_FAILURE, Phase.NAME_RESOLUTION,
            "not a valid address: " + target.host(), e);
        recorder.phase("dns " + target.host(), Phase.NAME_RESOLUTION, 0, start, pf);
        throw pf;
      }
    }
    ExecutorService one = ProbeThreads.perTask();
    try {
      Future<InetAddress> f = one.submit(() -> InetAddress.getByName(target.host()));
      InetAddress a = f.get(Math.max(1, deadline.remainingMillis()), TimeUnit.MILLISECONDS);
      recorder.phase("dns " + target.host(), Phase.NAME_RESOLUTION, 0, start, null);
      return a;
    } catch (ExecutionException e) {
      ProbeFailure pf = new ProbeFailure(FailureKind.DNS_FAILURE, Phase.NAME_RESOLUTION,
          "cannot resolve " + target.host()
              + (e.getCause() instanceof UnknownHostException ? "" : ": " + e.getCause()), e.getCause());
      recorder.phase("dns " + target.host(), Phase.NAME_RESOLUTION, 0, start, pf);
      throw pf;
    } catch (TimeoutException e) {
      ProbeFailure pf = new ProbeFailure(FailureKind.DNS_FAILURE, Phase.NAME_RESOLUTION,
          "no answer from the resolver for " + target.host() + " before the deadline", e);
      recorder.phase("dns " + target.host(), Phase.NAME_RESOLUTION, 0, start, pf);
      throw pf;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProbeFailure(FailureKind.DEADLINE, Phase.NAME_RESOLUTION, "interrupted", e);
    } finally {
      one.shutdownNow();
    }
  }

  static boolean isAddressLiteral(String host) {
    return host.matches("\\d{1,3}(\\.\\d{1,3}){3}") || host.contains(":");
  }

  /** The sweep, at most {@code parallelism} connections at a time, results in request order. */
  List<NegotiationResult> sweep(InetAddress address, Target target, Deadline deadline, Recorder recorder) {
    Semaphore slots = new Semaphore(options.parallelism());
    try (ExecutorService pool = ProbeThreads.perTask()) {
      List<Future<NegotiationResult>> futures = new ArrayList<>();
      for (NegotiationRequest req : SWEEP) {
        futures.add(pool.submit(() -> {
          slots.acquire();
          try {
            return negotiate(address, target, req, deadline, recorder);
          } finally {
            slots.release();
          }
        }));
      }
      List<NegotiationResult> out = new ArrayList<>();
      for (int i = 0; i < futures.size(); i++) {
        try {
          out.add(futures.get(i).get());
        } catch (ExecutionException | InterruptedException e) {
          // negotiate() turns every failure into a result; this is a bug, so say so plainly
          throw new IllegalStateException("negotiation task failed: " + e, e);
        }
      }
      return out;
    }
  }

  private NegotiationResult negotiate(
      InetAddress address, Target target, @Nullable NegotiationRequest req, Deadline deadline, Recorder recorder) {
    Deadline step = deadline.within(options.stepTimeout());
    try (Connection c = Connection.open(recorder, address, target.port(), step, X224Step.label(req))) {
      X224.Tpdu answer = c.run(new X224Step(req, options.cookie()), step);
      return NegotiationResult.of(req, answer);
    } catch (ProbeFailure f) {
      return NegotiationResult.error(req, f);
    }
  }

  static rdpdoctor.diagnosis.Observation failureObservation(
      Recorder recorder, int connection, String step, ProbeFailure f) {
    return recorder.observation("probe.failure", connection, step)
        .with("kind", f.kind())
        .with("phase", f.phase())
        .with("step", step)
        .with("detail", f.getMessage())
        .with("clientCode", (long) f.kind().clientCode())
        .with("clientCodeHex", f.kind().clientCodeHex())
        .with("clientCodeName", f.kind().clientCodeName())
        .summary(step + ": " + f.describe() + "; a Windows client shows error code " + f.kind().clientCodeHex());
  }
}
