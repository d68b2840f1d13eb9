package rdpdoctor.probe;

import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import rdpdoctor.protocol.rdpbcgr.x224.NegotiationRequest;
import rdpdoctor.protocol.rdpbcgr.x224.SecurityProtocols;
import rdpdoctor.protocol.rdpbcgr.x224.X224;

/**
 * What a {@link Stage} gets: the target and its address, the deadline, the recorder, the sweep's
 * results, and helpers to open a connection, negotiate and start TLS on it.
 */
public final class ProbeContext {
  private final Target target;
  private final InetAddress address;
  private final ProbeOptions options;
  private final Deadline deadline;
  private final Recorder recorder;
  private volatile List<NegotiationResult> negotiation;
  private volatile @Nullable NegotiationVerdict verdict;
  private final Map<String, Object> sections = new LinkedHashMap<>();

  ProbeContext(Target target, InetAddress address, ProbeOptions options, Deadline deadline, Recorder recorder) {
    this.target = target;
    this.address = address;
    this.options = options;
    this.deadline = deadline;
    this.recorder = recorder;
    this.negotiation = List.of();
  }

  /**
   * A context for checks that are not an RDP probe but share its connections, deadlines, TLS and
   * recorder (the RD Gateway's HTTPS port): the name is resolved within the deadline, and no
   * negotiation sweep runs, so {@link #connectAndNegotiate} is not for it.
   */
  public static ProbeContext direct(Target target, ProbeOptions options, Deadline deadline, Recorder recorder)
      throws ProbeFailure {
    return new ProbeContext(target, Probe.resolve(target, deadline, recorder), options, deadline, recorder);
  }

  /**
   * The same target, deadline, recorder and sweep results, with sections of its own: stages run
   * side by side, each on one of these, and {@link #addSections} then takes their sections in the
   * stages' order, so the report does not depend on which stage finished first.
   */
  ProbeContext withOwnSections() {
    ProbeContext view = new ProbeContext(target, address, options, deadline, recorder);
    view.negotiation = negotiation;
    view.verdict = verdict;
    return view;
  }

  /** Adds {@code other}'s sections after this context's own. */
  void addSections(ProbeContext other) {
    Map<String, Object> theirs = other.sections();
    synchronized (sections) {
      sections.putAll(theirs);
    }
  }

  /** Called once the sweep is done; stages run after it see its results. */
  void sweepDone(List<NegotiationResult> results, NegotiationVerdict v) {
    this.negotiation = List.copyOf(results);
    this.verdict = v;
  }

  public Target target() {
    return target;
  }

  public InetAddress address() {
    return address;
  }

  public ProbeOptions options() {
    return options;
  }

  /** The whole probe's deadline. */
  public Deadline deadline() {
    return deadline;
  }

  /** A deadline for one step: the step timeout or what is left of the probe, whichever is less. */
  public Deadline stepDeadline() {
    return deadline.within(options.stepTimeout());
  }

  public Deadline stepDeadline(Duration d) {
    return deadline.within(d);
  }

  public Recorder recorder() {
    return recorder;
  }

  public List<NegotiationResult> negotiation() {
    return negotiation;
  }

  /** The sweep's verdict; null only while the sweep is still running (for the TLS stage, which overlaps it). */
  public @Nullable NegotiationVerdict verdict() {
    return verdict;
  }

  /** The first sweep request whose answer selected one of {@code protocols}, if any. */
  public @Nullable NegotiationResult firstSelecting(long protocols) {
    for (NegotiationResult r : negotiation) {
      if (r.selected() != null && (r.selected() & protocols) != 0) {
        return r;
      }
    }
    return null;
  }

  /** Opens a new connection to the target. */
  public Connection connect(String label) throws ProbeFailure {
    return Connection.open(recorder, address, target.port(), stepDeadline(), label);
  }

  /**
   * Opens a connection and runs the X.224 exchange with {@code requestedProtocols}; fails unless
   * the server selects one of the requested protocols (PROTOCOL_RDP when 0 was requested).
   *
   * @return the open connection, ready for TLS when TLS was selected
   */
  public Connection connectAndNegotiate(long requestedProtocols) throws ProbeFailure {
    NegotiationRequest req = NegotiationRequest.of(requestedProtocols);
    Connection c = connect(X224Step.label(req));
    try {
      X224.Tpdu answer = c.run(new X224Step(req, options.cookie()), stepDeadline());
      NegotiationResult r = NegotiationResult.of(req, answer);
      Long sel = r.selected();
      boolean asked = sel != null && (requestedProtocols == 0 ? sel == 0 : (sel & requestedProtocols) != 0);
      if (r.outcome() != NegotiationResult.Outcome.SELECTED || !asked) {
        throw new ProbeFailure(FailureKind.PROTOCOL_ERROR, rdpdoctor.diagnosis.Phase.X224,
            "the server did not select a protocol for " + SecurityProtocols.shortName(requestedProtocols)
                + ": " + r.summary());
      }
      return c;
    } catch (ProbeFailure | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** Adds a section to the report (a record or map Jackson can write). */
  public void section(String name, Object value) {
    synchronized (sections) {
      sections.put(name, value);
    }
  }

  Map<String, Object> sections() {
    synchronized (sections) {
      return new LinkedHashMap<>(sections);
    }
  }
}
