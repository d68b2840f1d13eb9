package rdpdoctor.probe.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import rdpdoctor.probe.Target;

/**
 * {@code xfreerdp /auth-only /cert:ignore} against a bench server, headless under an Xvfb display,
 * to compare rdpdoctor's verdicts with what the reference client does.
 *
 * <p>xfreerdp 2 takes the password only as {@code /p:} on its command line and refuses /auth-only
 * without one, so the bench passes throwaway test data there, never a real credential.
 */
public final class FreeRdpClient {
  /**
   * What xfreerdp did.
   *
   * @param exitCode the process exit code
   * @param output its log (debug level)
   */
  public record Result(int exitCode, String output) {
    /** FreeRDP gave up in security negotiation: the server did not select what /sec: allowed. */
    public boolean negotiationFailed() {
      return output.contains("ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED")
          || output.contains("Protocol Security Negotiation Failure");
    }

    /** FreeRDP reached the given state of its nego state machine and went past X.224. */
    public boolean negotiated() {
      return !negotiationFailed() && output.contains("CONNECTION_STATE_NEGO");
    }

    /** The TLS connect failed (FreeRDP's own words). */
    public boolean tlsFailed() {
      return output.contains("ERRCONNECT_TLS_CONNECT_FAILED");
    }
  }

  private FreeRdpClient() {}

  /**
   * Runs {@code xfreerdp /v:target /auth-only /cert:ignore /sec:SEC /u:USER /p:PASSWORD}.
   *
   * @param security "nla", "tls", "rdp", or "" for FreeRDP's own negotiation
   */
  public static Result authOnly(Target target, String display, String security, String user, String password)
      throws IOException, InterruptedException {
    String xfreerdp = Bench.require("xfreerdp", "freerdp2-x11").toString();
    List<String> cmd = new ArrayList<>(List.of(xfreerdp, "/v:" + target, "/auth-only", "/cert:ignore",
        "/u:" + user, "/p:" + password, "/log-level:DEBUG", "/timeout:10000"));
    if (!security.isEmpty()) {
      cmd.add("/sec:" + security);
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("DISPLAY", display);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      Bench.stop(p);
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
