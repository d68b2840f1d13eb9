package rdpdoctor.probe.gateway.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import rdpdoctor.probe.bench.Bench;

/**
 * {@code xfreerdp /g:127.0.0.1:PORT /gu:USER /gd:DOMAIN /v:127.0.0.1:XRDP /auth-only /from-stdin}
 * under an Xvfb display: FreeRDP 2.11 (freerdp2-x11) through a gateway. Certificates are checked,
 * against a trust store holding the bench's certificates ({@code SSL_CERT_FILE}), so an expired or
 * misnamed gateway certificate is refused as a real client refuses it.
 *
 * <p>The gateway password goes to xfreerdp's stdin ({@code /from-stdin} makes it prompt for the
 * missing /gp), never onto its command line. The host password is a dummy: xrdp is reached without
 * NLA, and xfreerdp 2 wants some /p: for /auth-only.
 */
public final class GatewayClient {
  /**
   * What xfreerdp did.
   *
   * @param exitCode the process exit code
   * @param output its log (debug level for the gateway, info otherwise), the password masked
   * @param passwordInOutput whether the gateway password appeared in it (it must not)
   */
  public record Result(int exitCode, String output, boolean passwordInOutput) {
    /**
     * The first error FreeRDP recorded, as its log says it: "rdg_tls_connect: ERRCONNECT_TLS_CONNECT_FAILED
     * [0x00020008]", or the gateway's HRESULT ("rdg_process_channel_response: E_PROXY_RAP_ACCESSDENIED
     * [0x800759DA]"); null when it recorded none.
     */
    public @Nullable String lastError() {
      Matcher m = Pattern.compile("(\\w+):freerdp_set_last_error_ex ([A-Z][A-Z0-9_]+) \\[(0x[0-9A-Fa-f]+)\\]").matcher(output);
      return m.find() ? m.group(1) + ": " + m.group(2) + " [" + m.group(3) + "]" : null;
    }

  }

  private GatewayClient() {}

  public static Result run(String display, int gatewayPort, String user, String domain, String password,
      int hostPort, java.nio.file.Path trustedPem) throws IOException, InterruptedException {
    String xfreerdp = Bench.require("xfreerdp", "freerdp2-x11").toString();
    List<String> cmd = new ArrayList<>(List.of(xfreerdp,
        "/g:127.0.0.1:" + gatewayPort, "/gu:" + user, "/gd:" + domain,
        "/v:127.0.0.1:" + hostPort, "/auth-only", "/u:bench", "/p:not-a-secret",
        "/from-stdin", "/timeout:10000", "/log-level:INFO", "/log-filters:com.freerdp.core.gateway.rdg:DEBUG"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("DISPLAY", display);
    pb.environment().put("SSL_CERT_FILE", trustedPem.toString()); // OpenSSL's default store
    pb.environment().put("HOME", trustedPem.getParent().toString()); // FreeRDP's known_hosts stays in the test folder
    Process p = pb.start();
    try (OutputStream stdin = p.getOutputStream()) {
      stdin.write((password + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // xfreerdp may exit before it reads the prompt (403, Basic only): nothing to write to then
    }
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      Bench.stop(p);
    }
    String text = new String(out, StandardCharsets.UTF_8);
    // a leak fails the test through passwordInOutput; the text in assertion messages stays clean
    boolean leaked = !password.isEmpty() && text.contains(password);
    return new Result(p.exitValue(), leaked ? text.replace(password, "<password>") : text, leaked);
  }
}
