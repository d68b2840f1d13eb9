package rdpdoctor.probe;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;
import rdpdoctor.protocol.tls.ClientHello;
import rdpdoctor.protocol.tls.ServerHelloReader;
import rdpdoctor.protocol.tls.TlsNames;

/**
 * Which TLS versions and suites the listener accepts after X.224, found with hand-made ClientHellos
 * (one version per offer) on fresh connections: SSL 3.0 and suites BouncyCastle cannot complete
 * are covered too. Per version, the accepted suites come out in the server's order of preference:
 * offer all, note the choice, offer the rest, until the server refuses. Versions run concurrently,
 * at most {@link ProbeOptions#parallelism()} connections at a time.
 */
final class TlsEnumeration {
  static final int[] VERSIONS = {
    ClientHello.SSL3, ClientHello.TLS10, ClientHello.TLS11, ClientHello.TLS12, ClientHello.TLS13
  };
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * @param versions version name → accepted, in order SSL 3.0 .. TLS 1.3
   * @param suites accepted version name → suites in the server's preference order
   */
  record Result(Map<String, Boolean> versions, Map<String, List<String>> suites) {}

  private TlsEnumeration() {}

  static @Nullable Result run(ProbeContext ctx, long requestedProtocols) {
    Semaphore slots = new Semaphore(ctx.options().parallelism());
    Map<String, Boolean> versions = new LinkedHashMap<>();
    Map<String, List<String>> suites = new LinkedHashMap<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<List<Integer>>> futures = new ArrayList<>();
      for (int v : VERSIONS) {
        futures.add(pool.submit(() -> acceptedSuites(ctx, requestedProtocols, v, slots)));
      }
      boolean any = false;
      for (int i = 0; i < VERSIONS.length; i++) {
        List<Integer> accepted;
        try {
          accepted = futures.get(i).get();
        } catch (ExecutionException | InterruptedException e) {
          accepted = null;
        }
        String name = TlsNames.version(VERSIONS[i]);
        if (accepted == null) {
          continue; // no answer at all for this version (deadline, network): unknown, not "refused"
        }
        any = true;
        versions.put(name, !accepted.isEmpty());
        if (!accepted.isEmpty()) {
          suites.put(name, accepted.stream().map(TlsNames::suite).toList());
        }
        Observations.tlsVersion(ctx.recorder(), name, accepted);
      }
      return any ? new Result(versions, suites) : null;
    }
  }

  /**
   * The suites a server accepts for {@code version}, in its preference order; empty when it refuses
   * the version; null when no answer could be had.
   */
  static @Nullable List<Integer> acceptedSuites(
      ProbeContext ctx, long requestedProtocols, int version, Semaphore slots) throws InterruptedException {
    int[] offer = Arrays.stream(TlsNames.knownSuites())
        .filter(s -> version == ClientHello.TLS13 ? TlsNames.isTls13Suite(s) : !TlsNames.isTls13Suite(s))
        .toArray();
    List<Integer> accepted = new ArrayList<>();
    while (offer.length > 0 && !ctx.deadline().expired()) {
      ServerHelloReader.Answer a;
      slots.acquire();
      try {
        a = hello(ctx, requestedProtocols, version, offer);
      } catch (ProbeFailure f) {
        // A reset or close right after the ClientHello is how many servers refuse a version.
        if (f.kind() == FailureKind.CONNECTION_RESET || f.kind() == FailureKind.CONNECTION_CLOSED) {
          return accepted;
        }
        return accepted.isEmpty() ? null : accepted;
      } finally {
        slots.release();
      }
      if (!(a instanceof ServerHelloReader.Hello h) || h.version() != version) {
        return accepted; // alert, or the server picked another version: this offer is refused
      }
      int chosen = h.cipherSuite();
      if (accepted.contains(chosen) || Arrays.stream(offer).noneMatch(s -> s == chosen)) {
        return accepted; // a server choosing a suite it was not offered: stop rather than loop
      }
      accepted.add(chosen);
      offer = Arrays.stream(offer).filter(s -> s != chosen).toArray();
    }
    return accepted;
  }

  private static ServerHelloReader.Answer hello(
      ProbeContext ctx, long requestedProtocols, int version, int[] offer) throws ProbeFailure {
    byte[] random = new byte[32];
    byte[] share = new byte[32];
    RANDOM.nextBytes(random);
    RANDOM.nextBytes(share);
    String host = ctx.target().host();
    String sni = host.matches("[0-9.]+") || host.contains(":") ? null : host;
    ClientHello ch = new ClientHello(version, random, offer, sni, ClientHello.DEFAULT_GROUPS,
        ClientHello.DEFAULT_SIGNATURE_ALGORITHMS, version == ClientHello.TLS13 ? share : null);
    try (Connection c = ctx.connectAndNegotiate(requestedProtocols)) {
      return c.run(new TlsHelloStep(ch), ctx.stepDeadline());
    }
  }
}
