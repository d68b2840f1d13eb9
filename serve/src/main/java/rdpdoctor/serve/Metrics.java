package rdpdoctor.serve;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import rdpdoctor.fleet.HostResult;

/**
 * The Prometheus side: the exporter's own metrics (requests, probes, scans) and, per endpoint, the
 * posture of its newest result, written in OpenMetrics text by the Prometheus Java client. The
 * same families describe one endpoint in {@code /probe} (without labels: Prometheus adds
 * {@code instance}, as with blackbox_exporter) and every endpoint in {@code /metrics} (labelled
 * {@code target} and {@code tag}).
 */
public final class Metrics {
  /** OpenMetrics 1.0, which Prometheus asks for first. */
  public static final String CONTENT_TYPE = OpenMetricsTextFormatWriter.CONTENT_TYPE;

  private static final byte[] EOF = "# EOF\n".getBytes(StandardCharsets.US_ASCII);
  private static final OpenMetricsTextFormatWriter WRITER = OpenMetricsTextFormatWriter.create();

  private final PrometheusRegistry own = new PrometheusRegistry();
  final Counter requests = Counter.builder().name("rdpdoctor_serve_http_requests")
      .help("HTTP requests answered, by route and status code").labelNames("route", "code").register(own);
  final Counter probes = Counter.builder().name("rdpdoctor_serve_probes")
      .help("Probes run on request (/probe and probe now), by module and outcome").labelNames("module", "outcome").register(own);
  final Histogram probeSeconds = Histogram.builder().name("rdpdoctor_serve_probe_duration_seconds")
      .help("Wall time of the probes run on request").labelNames("module").classicOnly()
      .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30).register(own);
  final Counter scans = Counter.builder().name("rdpdoctor_serve_scans")
      .help("Scheduled scans run, by tag and outcome").labelNames("tag", "outcome").register(own);
  final Counter refused = Counter.builder().name("rdpdoctor_serve_refused")
      .help("Requests refused, by reason (token, csrf, allow-list, rate-limit, too-large)").labelNames("reason").register(own);

  /** The estate's families rendered once per snapshot, without the closing "# EOF". */
  private volatile byte[] estateText = new byte[0];

  /**
   * Renders the estate families once, for every scrape until the next snapshot: 10,000 hosts are
   * some 80,000 samples, and writing them again on each scrape would make a scrape cost a render.
   */
  public void estate(Estate e, ProbeMemory memory) {
    List<Sample> samples = new ArrayList<>(e.hosts().size());
    Map<String, Integer> rules = new TreeMap<>();
    for (Estate.Host h : e.hosts()) {
      String target = h.result().target().toString();
      List<String> fired = memory.rules(h.key());
      samples.add(new Sample(Labels.of("tag", h.tag(), "target", target), h.result(), fired));
      if (fired != null) {
        for (String r : fired) {
          rules.merge(r, 1, Integer::sum);
        }
      }
    }
    List<MetricSnapshot> families = new ArrayList<>(hostFamilies(samples));
    families.add(gauge("rdpdoctor_estate_hosts", "Endpoints in the store (each with its newest result)",
        List.of(point(Labels.EMPTY, e.hosts().size()))));
    families.add(gauge("rdpdoctor_estate_snapshot_timestamp_seconds", "When the store was last read",
        List.of(point(Labels.EMPTY, e.at().getEpochSecond()))));
    List<GaugeDataPointSnapshot> byRule = new ArrayList<>();
    rules.forEach((rule, n) -> byRule.add(point(Labels.of("rule", rule), n)));
    families.add(gauge("rdpdoctor_estate_findings_hosts",
        "Endpoints whose last probe by this server fired the rule", byRule));
    estateText = withoutEof(write(new MetricSnapshots(families)));
  }

  /**
   * {@code /metrics}: the exporter's own metrics, then the estate's, then "# EOF", as one stream
   * over the three arrays: the estate's text (5 MB for 10,000 hosts) is not copied per scrape.
   */
  public java.io.InputStream scrape() {
    byte[] mine = withoutEof(write(own.scrape()));
    return new java.io.SequenceInputStream(java.util.Collections.enumeration(List.of(
        new java.io.ByteArrayInputStream(mine), new java.io.ByteArrayInputStream(estateText),
        new java.io.ByteArrayInputStream(EOF))));
  }

  /** {@code /probe}: one endpoint's families, blackbox_exporter's {@code probe_success} and duration first. */
  public static byte[] probe(HostResult r, @Nullable List<String> rules) {
    List<MetricSnapshot> families = new ArrayList<>();
    families.add(gauge("probe_success", "Whether the RDP listener answered the negotiation",
        List.of(point(Labels.EMPTY, r.reachable() ? 1 : 0))));
    families.add(gauge("probe_duration_seconds", "How long the probe took",
        List.of(point(Labels.EMPTY, r.millis() / 1000.0))));
    families.addAll(hostFamilies(List.of(new Sample(Labels.EMPTY, r, rules))));
    return write(new MetricSnapshots(families));
  }

  /** One endpoint's result under its labels, and the rules that fired on it (null: not known). */
  record Sample(Labels labels, HostResult result, @Nullable List<String> rules) { }

  /**
   * The per-endpoint families. A fact the probe did not learn (TLS in a quick probe, NLA of a host
   * that is down) has no sample rather than a 0, so an alert on "NLA off" never fires for a host
   * that is merely down.
   */
  static List<MetricSnapshot> hostFamilies(List<Sample> samples) {
    Map<String, List<GaugeDataPointSnapshot>> points = new LinkedHashMap<>();
    for (String name : HELP.keySet()) {
      points.put(name, new ArrayList<>());
    }
    for (Sample s : samples) {
      HostResult r = s.result();
      points.get("rdpdoctor_up").add(point(s.labels(), r.reachable() ? 1 : 0));
      if (r.reachable() && r.nla() != null && !r.nla().equals("unknown")) {
        points.get("rdpdoctor_nla_required").add(point(s.labels(), r.nla().equals("required") ? 1 : 0));
      }
      if (r.rdpSecurity() != null) {
        points.get("rdpdoctor_rdp_security_accepted").add(point(s.labels(), r.rdpSecurity() ? 1 : 0));
      }
      Double lowest = lowestTls(r.tlsVersions());
      if (lowest != null) {
        points.get("rdpdoctor_tls_lowest_version").add(point(s.labels(), lowest));
      }
      if (r.certNotAfter() != null) {
        points.get("rdpdoctor_certificate_expiry_timestamp_seconds").add(point(s.labels(), r.certNotAfter().getEpochSecond()));
      }
      points.get("rdpdoctor_probe_seconds").add(point(s.labels(), r.millis() / 1000.0));
      points.get("rdpdoctor_problems").add(point(s.labels(), r.problems().size()));
      if (s.rules() != null) {
        for (String rule : s.rules()) {
          points.get("rdpdoctor_finding").add(point(s.labels().add("rule", rule), 1));
        }
      }
    }
    List<MetricSnapshot> out = new ArrayList<>();
    points.forEach((name, ps) -> out.add(gauge(name, HELP.get(name), ps)));
    return out;
  }

  private static final Map<String, String> HELP = new LinkedHashMap<>();

  static {
    HELP.put("rdpdoctor_up", "The RDP listener answered the X.224 negotiation");
    HELP.put("rdpdoctor_nla_required", "NLA (CredSSP) is required: 1, offered but not required or not offered: 0");
    HELP.put("rdpdoctor_rdp_security_accepted", "Standard RDP Security (no server authentication) is accepted");
    HELP.put("rdpdoctor_tls_lowest_version", "Lowest TLS version accepted: TLS 1.x as 1.x, SSL 3.0 as 0.3 (full probes)");
    HELP.put("rdpdoctor_certificate_expiry_timestamp_seconds", "The listener's certificate's notAfter, Unix seconds");
    HELP.put("rdpdoctor_probe_seconds", "Wall time of the endpoint's probe");
    HELP.put("rdpdoctor_problems", "Problems the probe states for the endpoint");
    HELP.put("rdpdoctor_finding", "A diagnosis rule fired on the endpoint's last probe by this server");
  }

  /** "TLS 1.2" as 1.2, "SSL 3.0" as 0.3: ordered as the protocol versions are, readable in a rule. */
  static @Nullable Double lowestTls(@Nullable List<String> versions) {
    Double low = null;
    if (versions == null) {
      return null;
    }
    for (String v : versions) {
      Double n = null;
      if (v.startsWith("TLS ")) {
        n = Double.valueOf(v.substring(4));
      } else if (v.startsWith("SSL ")) {
        n = Double.valueOf(v.substring(4)) / 10;
      }
      if (n != null && (low == null || n < low)) {
        low = n;
      }
    }
    return low;
  }

  private static GaugeDataPointSnapshot point(Labels labels, double value) {
    return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
  }

  private static GaugeSnapshot gauge(String name, String help, List<GaugeDataPointSnapshot> points) {
    GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
    points.forEach(b::dataPoint);
    return b.build();
  }

  private static byte[] write(MetricSnapshots s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
    try {
      WRITER.write(out, s, EscapingScheme.DEFAULT);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return out.toByteArray();
  }

  private static byte[] withoutEof(byte[] text) {
    int n = text.length;
    if (n >= EOF.length && java.util.Arrays.equals(text, n - EOF.length, n, EOF, 0, EOF.length)) {
      return java.util.Arrays.copyOf(text, n - EOF.length);
    }
    throw new IllegalStateException("OpenMetrics text does not end with # EOF");
  }
}
