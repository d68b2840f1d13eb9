package rdpdoctor.app.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.app.probe.ProbeCommand;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.catalog.CodeQuery;
import rdpdoctor.diagnosis.rules.Condition;
import rdpdoctor.diagnosis.rules.FieldTest;
import rdpdoctor.diagnosis.rules.Rule;
import rdpdoctor.diagnosis.rules.RuleEngine;
import rdpdoctor.diagnosis.rules.RuleSet;
import rdpdoctor.diagnosis.rules.Values;
import rdpdoctor.evidence.even6.EvtxWriter;
import rdpdoctor.evidence.even6.RdpFixtures;
import rdpdoctor.evidence.x509.TestCertificates;
import rdpdoctor.probe.Deadline;
import rdpdoctor.probe.Probe;
import rdpdoctor.probe.ProbeOptions;
import rdpdoctor.probe.Target;
import rdpdoctor.probe.bench.Bench;
import rdpdoctor.probe.bench.ShadowServer;
import rdpdoctor.probe.bench.XrdpServer;
import rdpdoctor.probe.gateway.GatewayCheck;
import rdpdoctor.probe.gateway.bench.BenchGateway;
import rdpdoctor.probe.gateway.tunnel.GatewayTunnel;
import rdpdoctor.probe.gateway.tunnel.GatewayTunnelOptions;
import rdpdoctor.protocol.nlmp.NtlmCredentials;

/**
 * The drift test (issue 12 part 4): every source's real observations, made by the real readers
 * (the corpus's EVTX logs and hives, fixture files written by the project's writers, bench probes
 * of xrdp, freerdp-shadow and a closed port, codes decoded by the catalog), go through every rule;
 * then each field a rule tests, and each field its examples carry, must exist in the real
 * observations of that type (and event id, when the rule names one). A source that renames a
 * field fails here, although every rule's own examples still pass.
 *
 * <p>A type (or event id) that no available source produced is reported as unchecked, not failed:
 * {@code probe.credentials} needs a password, a bench peer or the corpus may be missing.
 */
class RuleDriftTest {
  @TempDir Path dir;


  /** Fields that are the observation itself, not its fields ({@code obs.type}, ...). */
  private static boolean pseudo(String field) {
    return field.startsWith("obs.");
  }

  @Test
  void everyFieldARuleReadsExistsInTheRealObservationsOfItsSource() throws Exception {
    List<Observation> real = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    List<String> missing = new ArrayList<>();

    // Files: the corpus and the fixture files the project writes, through analyze's own loader.
    List<Path> files = new ArrayList<>();
    Path corpus = rdpdoctor.app.CliRun.corpus();
    if (corpus != null && Files.isDirectory(corpus.resolve("evtx")) && Files.isDirectory(corpus.resolve("registry"))) {
      files.add(corpus.resolve("evtx"));
      files.add(corpus.resolve("registry"));
    } else {
      missing.add("../shared/corpus (evtx, registry)");
    }
    files.add(fixtures());
    rdpdoctor.evidence.cases.CaseLoader.Cases loaded = AnalyzeCommand.load(files, rdpdoctor.app.ProgressLine.off());
    int before = real.size();
    int fileCount = 0;
    for (rdpdoctor.evidence.cases.Case c : loaded.cases()) {
      real.addAll(c.observations());
      fileCount += c.files().size();
    }
    sources.add("files: " + (real.size() - before) + " observations from " + fileCount + " files");

    // Codes as the user types them.
    for (String text : List.of("0x904 0x7", "4625 0xC000006E", "0x80090302", "ERRINFO_SERVER_DENIED_CONNECTION", "0x204")) {
      real.addAll(CodeQuery.observations(text));
    }

    // Bench probes, with the stages diagnose runs.
    probe(real, sources, missing, "closed port", () -> new Target("127.0.0.1", Bench.freePort()));
    try (SloppyX224Server sloppy = new SloppyX224Server()) {
      probe(real, sources, missing, "a listener that selects TLS for every request", sloppy::target);
    }
    if (Bench.which("xrdp").isPresent() || Files.isExecutable(Path.of("/usr/sbin/xrdp"))) {
      Path[] pem = TestCertificates.make(TestCertificates.Spec.good("bench-host", Instant.now())).writePem(dir, "xrdp");
      try (XrdpServer x = XrdpServer.start(XrdpServer.Config.defaults().certificate(pem[0], pem[1]))) {
        probe(real, sources, missing, "xrdp", x::target);
      }
    } else {
      missing.add("xrdp (Debian package xrdp)");
    }
    // The gateway tunnel (gateway.tunnel, the host probe through it) against the bench gateway:
    // a case that goes through and each refusal the gateway rules name.
    if (Bench.which("xrdp").isPresent() || Files.isExecutable(Path.of("/usr/sbin/xrdp"))) {
      int gatewayBefore = real.size();
      List<rdpdoctor.probe.gateway.bench.BenchCase> cases = List.of(
          rdpdoctor.probe.gateway.bench.BenchCase.VALID_CERTIFICATE, rdpdoctor.probe.gateway.bench.BenchCase.FORBIDDEN_OUT_DATA,
          rdpdoctor.probe.gateway.bench.BenchCase.WRONG_PASSWORD, rdpdoctor.probe.gateway.bench.BenchCase.USER_NOT_ALLOWED,
          rdpdoctor.probe.gateway.bench.BenchCase.HOST_NOT_ALLOWED, rdpdoctor.probe.gateway.bench.BenchCase.HOST_DOWN,
          rdpdoctor.probe.gateway.bench.BenchCase.CONNECTION_CAP);
      try (XrdpServer x = XrdpServer.start(XrdpServer.Config.defaults())) {
        for (rdpdoctor.probe.gateway.bench.BenchCase c : cases) {
          try (rdpdoctor.probe.gateway.bench.BenchGateway gw =
              new rdpdoctor.probe.gateway.bench.BenchGateway(c.certificate(), c.config())) {
            real.addAll(rdpdoctor.probe.gateway.tunnel.GatewayTunnel.check(
                rdpdoctor.probe.gateway.tunnel.GatewayTunnelOptions.of("127.0.0.1", gw.port(),
                    rdpdoctor.probe.gateway.bench.BenchCase.TARGET, c.hostDown() ? Bench.freePort() : x.port(),
                    rdpdoctor.protocol.nlmp.NtlmCredentials.fromPassword(rdpdoctor.probe.gateway.bench.BenchCase.DOMAIN,
                        rdpdoctor.probe.gateway.bench.BenchCase.USER, c.password().toCharArray())),
                rdpdoctor.probe.Deadline.in(Duration.ofSeconds(30))).observations());
          }
        }
      }
      sources.add("gateway tunnel through the bench gateway (" + cases.size() + " cases): " + (real.size() - gatewayBefore));
    }
    if (Bench.which("freerdp-shadow-cli").isPresent() && Bench.which("Xvfb").isPresent()) {
      try (ShadowServer s = ShadowServer.start("nla", List.of())) {
        probe(real, sources, missing, "freerdp-shadow /sec:nla", s::target);
      }
    } else {
      missing.add("freerdp-shadow-cli and Xvfb (packages freerdp2-shadow-x11, xvfb)");
    }

    // The gateway checks and tunnel against the bench gateway (gw1's, in-process on loopback): a
    // plain one, one whose RDG_OUT_DATA is forbidden, and a tunnel the RAP refuses.
    gateway(real, sources);

    // Every rule runs over all of it (nothing throws), alone and together.
    Instant now = Instant.now();
    for (Rule r : RuleSet.builtIn()) {
      RuleEngine.fire(r, real, now);
    }
    new RuleEngine(RuleSet.builtIn()).diagnose(real, now);

    List<String> drift = new ArrayList<>();
    Set<String> unchecked = new TreeSet<>();
    int checked = 0;
    for (Rule r : RuleSet.builtIn()) {
      List<Leaf> leaves = new ArrayList<>();
      leaves(r.when(), leaves);
      r.boosts().forEach(b -> leaves(b.when(), leaves));
      r.contradictedBy().forEach(c -> leaves(c.when(), leaves));
      for (Leaf leaf : leaves) {
        for (FieldUse use : leaf.fields()) {
          // A field under 'not' (or 'absent') may be missing on purpose in some of the leaf's
          // types ({position: {gt: 0}} for a certificate file): it must exist in one of them.
          if (use.negated()) {
            List<Observation> all = new ArrayList<>();
            leaf.types().forEach(ty -> all.addAll(group(real, ty, use.eventIds())));
            if (!all.isEmpty()) {
              checked++;
              if (all.stream().noneMatch(o -> has(o, use.field()))) {
                drift.add(r.file() + ":" + leaf.line() + ": field '" + use.field() + "' (under not) is in no real "
                    + leaf.types() + " observation");
              }
            }
            continue;
          }
          for (String type : leaf.types()) {
            List<Observation> group = group(real, type, use.eventIds());
            String what = type + (use.eventIds().isEmpty() ? "" : " " + use.eventIds());
            if (group.isEmpty()) {
              unchecked.add(what);
              continue;
            }
            checked++;
            if (group.stream().noneMatch(o -> has(o, use.field()))) {
              drift.add(r.file() + ":" + leaf.line() + ": field '" + use.field() + "' is in no real " + what
                  + " observation (" + group.size() + " seen; fields there: " + fieldNames(group) + ")");
            }
          }
        }
      }
      // The rule's examples must be shaped like the real observations too.
      for (Rule.Example e : r.examples()) {
        for (Observation o : e.observations()) {
          Long id = Values.asLong(o.get("eventId"));
          List<Observation> group = group(real, o.type(), id == null ? Set.of() : Set.of(id));
          if (group.isEmpty()) {
            unchecked.add(o.type() + (id == null ? "" : " [" + id + "]") + " (examples)");
            continue;
          }
          for (String f : o.fields().keySet()) {
            checked++;
            if (group.stream().noneMatch(x -> has(x, f))) {
              drift.add(r.file() + ":" + e.line() + ": example '" + e.name() + "' has field '" + f + "', which no real "
                  + o.type() + (id == null ? "" : " " + id) + " observation has (fields there: " + fieldNames(group) + ")");
            }
          }
        }
      }
    }
    System.out.println("rule drift: " + checked + " field uses checked against " + real.size() + " real observations ("
        + String.join("; ", sources) + ")");
    System.out.println("rule drift: unchecked (no real observation of the type available here): " + unchecked);
    if (!missing.isEmpty()) {
      System.out.println("rule drift: sources missing on this machine: " + missing);
    }
    assertThat(drift).as("rule fields that drifted from their sources").isEmpty();
    Assumptions.assumeTrue(missing.isEmpty(), "drift checked without: " + missing);
  }

  private static void gateway(List<Observation> real, List<String> sources) throws Exception {
    TestCertificates cert = TestCertificates.make(TestCertificates.Spec.good("127.0.0.1", Instant.now()));
    int before = real.size();
    for (BenchGateway.Config c : List.of(BenchGateway.Config.of("alice", "Drift-pw-1", "rds01"),
        BenchGateway.Config.of("alice", "Drift-pw-1", "rds01").with(BenchGateway.Switch.FORBID_OUT_DATA))) {
      try (BenchGateway gw = new BenchGateway(cert, c)) {
        real.addAll(GatewayCheck.check(new Target("127.0.0.1", gw.port()), Duration.ofSeconds(5)).observations());
      }
    }
    try (BenchGateway gw = new BenchGateway(cert, BenchGateway.Config.of("alice", "Drift-pw-1", "other"))) {
      GatewayTunnelOptions o = GatewayTunnelOptions.of("127.0.0.1", gw.port(), "rds01", 3389,
          NtlmCredentials.fromPassword("BENCH", "alice", "Drift-pw-1".toCharArray())).stepTimeout(Duration.ofSeconds(3));
      real.addAll(GatewayTunnel.check(o, Deadline.in(Duration.ofSeconds(5))).observations());
    }
    // nothing listens: the handshake's failureKind and every request's error
    real.addAll(GatewayCheck.check(new Target("127.0.0.1", Bench.freePort()), Duration.ofSeconds(2)).observations());
    // a gateway dialog pasted: its code carries the message it came from
    real.addAll(CodeQuery.observations("Your computer can't connect to the remote computer because the Remote Desktop"
        + " Gateway server address requested and the certificate subject name do not match."));
    sources.add("bench gateway: " + (real.size() - before) + " observations");
  }

  /** Fixture files the project writes itself: client and session logs, a certificate, CBS.log, install checks. */
  private Path fixtures() throws Exception {
    Path f = Files.createDirectories(dir.resolve("fixtures"));
    Instant t = Instant.parse("2026-10-02T08:00:00Z");
    new EvtxWriter()
        .add(RdpFixtures.clientConnecting(t, "rds01.corp.example"))
        .add(RdpFixtures.clientDisconnected(t.plusSeconds(5), 2308))
        .add(RdpFixtures.sessionLogon(t, "CORP\\alice", 2, "10.0.0.9"))
        .add(RdpFixtures.sessionDisconnectReason(t.plusSeconds(9), 2, 5))
        .add(RdpFixtures.logonFailed(t.plusSeconds(20), "alice", "10.0.0.9", 0xC000006DL, 0xC000006AL))
        .write(f.resolve("fixture.evtx"));
    // a gateway's TerminalServices-Gateway/Operational log: the refusals the gateway rules read
    new EvtxWriter()
        .add(RdpFixtures.gateway(200, t, "CORP\\alice", "203.0.113.7", "NTLM", null, "HTTP", null))
        .add(RdpFixtures.gatewayCapDenied(t.plusSeconds(1), "CORP\\bob", "203.0.113.8"))
        .add(RdpFixtures.gatewayMaxConnections(t.plusSeconds(2), "CORP\\carol", "203.0.113.9"))
        .add(RdpFixtures.gatewayRapDenied(t.plusSeconds(3), "CORP\\alice", "203.0.113.7", "host01"))
        .add(RdpFixtures.gatewayConnectFailed(t.plusSeconds(4), "CORP\\alice", "203.0.113.7", "host02"))
        .add(RdpFixtures.gateway(306, t.plusSeconds(5), "CORP\\alice", "203.0.113.7", "NTLM", null, "HTTP", 23022L))
        .write(f.resolve("Microsoft-Windows-TerminalServices-Gateway%4Operational.evtx"));
    TestCertificates.make(TestCertificates.Spec.good("rds01.corp.example", Instant.now())
        .validity(Instant.now().minus(Duration.ofDays(400)), Instant.now().minus(Duration.ofDays(30)))).writePem(f, "rdp");
    Files.writeString(f.resolve("CBS.log"), String.join("\r\n",
        "2026-10-02 08:00:00, Info                  CSI    00000001 [SR] Verifying 100 components",
        "2026-10-02 08:00:01, Info                  CSI    00000002 [SR] Cannot repair member file [l:10]'mstscax.dll' of Microsoft-Windows-TerminalServices-RDP-WinStationExtensions, version 10.0.19041.1, arch amd64",
        "2026-10-02 08:00:02, Info                  CSI    00000003 [SR] Verify complete", ""), StandardCharsets.UTF_8);
    Files.writeString(f.resolve("install-checks.txt"), String.join("\n",
        "rdpdoctor install-checks 1",
        "# check\tstatus\ttarget\tdetail",
        "mstsc-not-readonly\tfail\tC:\\Windows\\System32\\mstsc.exe\tattributes: ReadOnly, Archive",
        "temp-writable\tpass\tC:\\Users\\a\\AppData\\Local\\Temp\ta file could be created", ""), StandardCharsets.UTF_8);
    // A hive too short to show its keys: its kind comes from Windows' file name for it (kindFrom).
    Files.write(f.resolve("SYSTEM"), "regf-but-nothing-else".getBytes(StandardCharsets.US_ASCII));
    return f;
  }

  interface TargetSource {
    Target get() throws Exception;
  }

  private static void probe(List<Observation> real, List<String> sources, List<String> missing, String name, TargetSource t)
      throws Exception {
    List<Observation> got = new Probe(ProbeOptions.defaults().withTimeout(Duration.ofSeconds(20))
        .withStages(ProbeCommand.stages())).run(t.get()).observations();
    real.addAll(got);
    sources.add(name + ": " + got.size());
  }

  /** Real observations of {@code type}, only those with one of {@code ids} as eventId when given. */
  private static List<Observation> group(List<Observation> real, String type, Set<Long> ids) {
    return real.stream().filter(o -> o.type().equals(type))
        .filter(o -> ids.isEmpty() || ids.contains(Values.asLong(o.get("eventId")))).toList();
  }

  private static boolean has(Observation o, String field) {
    if (pseudo(field) || o.get(field) != null) {
      return true;
    }
    return o.fields().keySet().stream().anyMatch(k -> k.equalsIgnoreCase(field));
  }

  private static String fieldNames(List<Observation> group) {
    Set<String> names = new TreeSet<>();
    group.forEach(o -> names.addAll(o.fields().keySet()));
    return names.size() > 40 ? new ArrayList<>(names).subList(0, 40) + "..." : names.toString();
  }

  record Leaf(Set<String> types, List<FieldUse> fields, int line) {}

  /** A field a leaf tests, with the event ids the same test level pins it to (none: any). */
  record FieldUse(String field, Set<Long> eventIds, boolean negated) {}

  private static void leaves(Condition c, List<Leaf> out) {
    switch (c) {
      case Condition.All a -> a.children().forEach(x -> leaves(x, out));
      case Condition.Any a -> a.children().forEach(x -> leaves(x, out));
      case Condition.Not n -> leaves(n.child(), out);
      case Condition.Match m -> out.add(new Leaf(m.types(), uses(m.where(), null), m.line()));
      case Condition.Count k -> {
        List<FieldUse> u = new ArrayList<>(uses(k.where(), null));
        if (k.groupBy() != null) {
          u.add(new FieldUse(k.groupBy(), pins(k.where()), false));
        }
        out.add(new Leaf(k.types(), u, k.line()));
      }
    }
  }

  private static List<FieldUse> uses(FieldTest t, Set<Long> inherited) {
    List<FieldUse> out = new ArrayList<>();
    Set<Long> pins = pins(t);
    Set<Long> here = pins.isEmpty() && inherited != null ? inherited : pins;
    walk(t, here, out);
    return out;
  }

  private static void walk(FieldTest t, Set<Long> pins, List<FieldUse> out) {
    switch (t) {
      case FieldTest.AllOf a -> {
        Set<Long> local = pins(a);
        for (FieldTest x : a.tests()) {
          walk(x, local.isEmpty() ? pins : local, out);
        }
      }
      case FieldTest.AnyOf a -> {
        for (FieldTest x : a.tests()) {
          Set<Long> local = pins(x);
          walk(x, local.isEmpty() ? pins : local, out);
        }
      }
      case FieldTest.NotOf n -> {
        List<FieldUse> inner = new ArrayList<>();
        walk(n.test(), pins, inner);
        inner.forEach(u -> out.add(new FieldUse(u.field(), u.eventIds(), true)));
      }
      case FieldTest.Compare cmp -> out.add(new FieldUse(cmp.field(), pins, false));
      case FieldTest.In in -> out.add(new FieldUse(in.field(), pins, false));
      case FieldTest.Matches m -> out.add(new FieldUse(m.field(), pins, false));
      case FieldTest.Present p -> out.add(new FieldUse(p.field(), pins, !p.present()));
      case FieldTest.Always a -> {}
    }
  }

  /** Event ids a test pins at its own level ({@code eventId: 4625}, {@code eventId: [4624, 4625]}). */
  private static Set<Long> pins(FieldTest t) {
    Set<Long> out = new LinkedHashSet<>();
    List<FieldTest> level = t instanceof FieldTest.AllOf a ? a.tests() : List.of(t);
    for (FieldTest x : level) {
      if (x instanceof FieldTest.Compare cmp && cmp.field().toLowerCase(Locale.ROOT).equals("eventid")
          && cmp.op() == FieldTest.Op.EQ && cmp.operand() instanceof FieldTest.Operand.Literal l && Values.asLong(l.value()) != null) {
        out.add(Values.asLong(l.value()));
      } else if (x instanceof FieldTest.In in && in.field().equalsIgnoreCase("eventId") && !in.negated()) {
        for (FieldTest.Operand o : in.operands()) {
          if (o instanceof FieldTest.Operand.Literal l && Values.asLong(l.value()) != null) {
            out.add(Values.asLong(l.value()));
          }
        }
      }
    }
    return out;
  }
}
