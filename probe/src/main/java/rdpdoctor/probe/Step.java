package rdpdoctor.probe;

import java.time.Instant;
import rdpdoctor.diagnosis.Phase;
import rdpdoctor.protocol.DecodeException;

/**
 * One sans-I/O exchange on a connection (STYLE.md 1): the step says what to send and how many bytes
 * it needs next; the driver ({@link Connection#run}) moves the bytes, enforces the deadline, times
 * the phase and turns socket trouble into {@link ProbeFailure}s. A step never touches a socket or
 * a clock, so it is tested with byte arrays alone.
 *
 * <p>Adding a probe step means writing one of these (e.g. CredSSP with an NTLM NEGOTIATE) and calling
 * {@code connection.run(step, deadline)} from a {@link Stage}.
 *
 * @param <R> what the step learnt
 */
public interface Step<R> {
  /** The phase this step's timing is recorded under. */
  Phase phase();

  /** A short name for the waterfall, e.g. "x224 SSL|HYBRID". */
  String name();

  /** The bytes to send first; may be empty. */
  byte[] start();

  /** How many bytes the step needs before it can go on (at least 1), or 0 once it has finished. */
  int bytesNeeded();

  /**
   * Takes received bytes (never more than {@link #bytesNeeded()}) and returns what to send in reply,
   * possibly nothing.
   *
   * @param receivedAt when the bytes arrived (wall clock, for clock-skew measurements)
   * @throws DecodeException when the bytes are not what the protocol allows
   */
  byte[] receive(byte[] data, Instant receivedAt);

  /** The result, once {@link #bytesNeeded()} is 0. */
  R result();
}
