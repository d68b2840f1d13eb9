package rdpdoctor.probe;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
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
public final class TlsEnumeration {
  static final int[] VERSIONS = {
    ClientHello.SSL3, ClientHello.TLS10, ClientHello.TLS11, ClientHello.TLS12, ClientHello.TLS13
  };
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * @param versions version name → accepted, in order SSL 3.0 .. TLS 1.3
   * @param suites accepted version name → suites in the server's preference order
   */
  public record Result(Map<String, Boolean> versions, Map<String, List<String>> suites) {}

  /** Opens the connection a ClientHello goes on: after X.224 for a host, straight TCP for a gateway. */
  @FunctionalInterface
  public interface Opener {
    Connection open() throws ProbeFailure;
  }

  /** Told each version's accepted suites (server order; empty: refused), to record them as it likes. */
  @FunctionalInterface
  public interface Observer {
    void version(String name, List<Integer> accepted);
  }

  private TlsEnumeration() {}

  /** The host's enumeration: every ClientHello after an X.224 request of {@code requestedProtocols}. */
  static @Nullable Result run(ProbeContext ctx, long requestedProtocols) {
    return run(ctx, () -> ctx.connectAndNegotiate(requestedProtocols),
        (name, accepted) -> Observations.tlsVersion(ctx.recorder(), name, accepted));
  }

  /** The enumeration with ClientHellos on connections {@code opener} makes. */
  public static @Nullable Result run(ProbeContext ctx, Opener opener, Observer observer) {
    Semaphore slots = new Semaphore(ctx.options().parallelism());
    Map<String, Boolean> versions = new LinkedHashMap<>();
    Map<String, List<String>> suites = new LinkedHashMap<>();
    try (ExecutorService pool = ProbeThreads.perTask()) {
      List<Future<List<Integer>>> futures = new ArrayList<>();
      for (int v : VERSIONS) {
        futures.add(pool.submit(() -> acceptedSuites(ctx, opener, v, slots)));
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
        observer.version(name, accepted);
      }
      return any ? new Result(versions, suites) : null;
    }
  }

  /** At most this many groups of the rest of the suites run side by side after the first answer. */
  static final int CHUNKS = 4;
  /** A group smaller than this is not worth its own connection chain (each chain ends with a refusal). */
  static final int MIN_CHUNK = 8;

  /**
   * The suites a server accepts for {@code version}: the server's choice from the full offer first,
   * then the others; empty when it refuses the version; null when no answer could be had. After
   * the first answer the remaining suites are split into up to {@link #CHUNKS} groups enumerated at the
   * same time, so the longest chain of connections is about a quarter of the accepted suites.
   */
  static @Nullable List<Integer> acceptedSuites(
      ProbeContext ctx, Opener opener, int version, Semaphore slots) throws InterruptedException {
    int[] offer = Arrays.stream(TlsNames.knownSuites())
        .filter(s -> version == ClientHello.TLS13 ? TlsNames.isTls13Suite(s) : !TlsNames.isTls13Suite(s))
        .toArray();
    Integer first;
    try {
      first = choice(ctx, opener, version, offer, slots);
    } catch (ProbeFailure f) {
      // A reset or close right after the ClientHello is how many servers refuse a version.
      boolean refused = f.kind() == FailureKind.CONNECTION_RESET || f.kind() == FailureKind.CONNECTION_CLOSED;
      return refused ? List.of() : null;
    }
    if (first == null) {
      return List.of();
    }
    int chosen = first;
    int[] rest = Arrays.stream(offer).filter(s -> s != chosen).toArray();
    List<Integer> accepted = new ArrayList<>();
    accepted.add(chosen);
    try (ExecutorService pool = ProbeThreads.perTask()) {
      List<Future<List<Integer>>> parts = new ArrayList<>();
      int chunks = Math.max(1, Math.min(CHUNKS, rest.length / MIN_CHUNK));
      int size = Math.max(1, (rest.length + chunks - 1) / chunks);
      for (int from = 0; from < rest.length; from += size) {
        int[] chunk = Arrays.copyOfRange(rest, from, Math.min(rest.length, from + size));
        parts.add(pool.submit(() -> eliminate(ctx, opener, version, chunk, slots)));
      }
      for (Future<List<Integer>> part : parts) {
        try {
          accepted.addAll(part.get());
        } catch (ExecutionException e) {
          // that group could not be finished (deadline): the suites found so far stand
        }
      }
    }
    return accepted;
  }

  /** Offers {@code offer}, notes the choice, offers the rest, until the server refuses. */
  private static List<Integer> eliminate(
      ProbeContext ctx, Opener opener, int version, int[] offer, Semaphore slots)
      throws InterruptedException {
    List<Integer> accepted = new ArrayList<>();
    int[] left = offer;
    while (left.length > 0 && !ctx.deadline().expired()) {
      Integer c;
      try {
        c = choice(ctx, opener, version, left, slots);
      } catch (ProbeFailure f) {
        break;
      }
      if (c == null) {
        break;
      }
      int chosen = c;
      accepted.add(chosen);
      left = Arrays.stream(left).filter(s -> s != chosen).toArray();
    }
    return accepted;
  }

  /**
   * The suite the server picks from {@code offer} for exactly {@code version}, or null when it
   * refuses (an alert, another version, or a suite that was not offered).
   */
  private static @Nullable Integer choice(
      ProbeContext ctx, Opener opener, int version, int[] offer, Semaphore slots)
      throws ProbeFailure, InterruptedException {
    ServerHelloReader.Answer a;
    slots.acquire();
    try {
      a = hello(ctx, opener, version, offer);
    } finally {
      slots.release();
    }
    if (!(a instanceof ServerHelloReader.Hello h) || h.version() != version) {
      return null;
    }
    int chosen = h.cipherSuite();
    return Arrays.stream(offer).anyMatch(s -> s == chosen) ? chosen : null;
  }

  private static ServerHelloReader.Answer hello(
      ProbeContext ctx, Opener opener, int version, int[] offer) throws ProbeFailure {
    byte[] random = new byte[32];
    byte[] share = new byte[32];
    RANDOM.nextBytes(random);
    RANDOM.nextBytes(share);
    String host = ctx.target().host();
    String sni = host.matches("[0-9.]+") || host.contains(":") ? null : host;
    ClientHello ch = new ClientHello(version, random, offer, sni, ClientHello.DEFAULT_GROUPS,
        ClientHello.DEFAULT_SIGNATURE_ALGORITHMS, version == ClientHello.TLS13 ? share : null);
    try (Connection c = opener.open()) {
      return c.run(new TlsHelloStep(ch), ctx.stepDeadline());
    }
  }
}
