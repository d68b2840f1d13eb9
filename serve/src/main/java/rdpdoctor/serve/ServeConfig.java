package rdpdoctor.serve;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import rdpdoctor.evidence.EvidenceFiles;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * {@code rdpdoctor serve --config FILE}: what the server scans on its own, what it may reach on a
 * user's or a scraper's behalf, and who may use it.
 *
 * <pre>
 * listen: 127.0.0.1:9389          # --listen wins
 * db: jdbc:sqlite:/var/lib/rdpdoctor/scans.db   # --db wins
 * tokenFile: /etc/rdpdoctor/token # required for a non-loopback listen
 * allow: [10.0.0.0/16, 127.0.0.0/8]   # the only targets "probe now" and /probe may reach
 * probeNowPerMinute: 6
 * scans:
 *   - {tag: office, targets: [10.0.1.0/24], interval: 1h, mode: quick}
 * </pre>
 *
 * @param listen the address and port to listen on, or null for the default
 * @param db the store's JDBC URL, or null for the default
 * @param tokenFile a file whose first line is the access token, or null
 * @param allow CIDRs (or single addresses) that "probe now" and /probe may reach; empty: none
 * @param probeNowPerMinute "probe now" presses per minute, over all users
 * @param scans the scheduled scans
 */
public record ServeConfig(
    @Nullable String listen,
    @Nullable String db,
    @Nullable String tokenFile,
    List<String> allow,
    int probeNowPerMinute,
    List<ScheduledScan> scans) {

  /** The config file is small; a bigger one is not one. */
  static final int MAX_BYTES = 1 << 20;

  public ServeConfig {
    allow = allow == null ? List.of() : List.copyOf(allow);
    scans = scans == null ? List.of() : List.copyOf(scans);
    if (probeNowPerMinute == 0) {
      probeNowPerMinute = 6;
    }
    if (probeNowPerMinute < 1 || probeNowPerMinute > 600) {
      throw new IllegalArgumentException("probeNowPerMinute must be 1..600: " + probeNowPerMinute);
    }
  }

  /** No file: loopback, the default store, no token, nothing allowed, no schedule. */
  public static ServeConfig empty() {
    return new ServeConfig(null, null, null, List.of(), 6, List.of());
  }

  /**
   * One scan the server runs by itself, every {@code interval}.
   *
   * @param tag the estate's name in the store (diff compares a tag's scans)
   * @param targets target specs as {@code scan} takes them
   * @param interval "30m", "1h", "1d"
   * @param mode "quick" (the negotiation sweep) or "full"
   */
  public record ScheduledScan(String tag, List<String> targets, String interval, @Nullable String mode) {
    public ScheduledScan {
      if (tag == null || tag.isBlank()) {
        throw new IllegalArgumentException("scans: every scan needs a tag");
      }
      if (targets == null || targets.isEmpty()) {
        throw new IllegalArgumentException("scans: tag " + tag + " has no targets");
      }
      targets = List.copyOf(targets);
      mode = mode == null ? "quick" : mode;
      if (!mode.equals("quick") && !mode.equals("full")) {
        throw new IllegalArgumentException("scans: tag " + tag + ": mode must be quick or full: " + mode);
      }
      Duration d = duration(interval == null ? "" : interval);
      if (d.compareTo(Duration.ofMinutes(1)) < 0) {
        throw new IllegalArgumentException("scans: tag " + tag + ": interval must be at least 1m: " + interval);
      }
    }

    public Duration every() {
      return duration(interval);
    }
  }

  /** "90s", "30m", "1h", "1d". */
  static Duration duration(String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,6})(s|m|h|d)").matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("a duration is a number and s, m, h or d (30m, 1h): '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  /** Reads the YAML file; an unknown key is an error (a typo must not silently drop the allow-list). */
  public static ServeConfig load(Path file) throws IOException {
    byte[] bytes = EvidenceFiles.read(file, "config file", MAX_BYTES);
    ObjectMapper yaml = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    try {
      ServeConfig c = yaml.readValue(bytes, ServeConfig.class);
      return c == null ? empty() : c;
    } catch (JacksonException e) {
      Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
      throw new IllegalArgumentException("cannot read the config " + file + ": " + firstLine(cause.getMessage()), e);
    }
  }

  private static String firstLine(@Nullable String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
