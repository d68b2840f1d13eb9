package rdpdoctor.app.hive;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.Json;
import rdpdoctor.app.Style;
import rdpdoctor.app.UserError;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.Texts;
import rdpdoctor.evidence.cases.CaseLoader;
import rdpdoctor.evidence.cases.FileKind;
import rdpdoctor.evidence.reg.RegFile;
import rdpdoctor.evidence.registry.HiveKind;
import rdpdoctor.evidence.registry.RdpRegistry;
import rdpdoctor.protocol.DecodeException;

/** {@code rdpdoctor hive rdp FILE...}. */
@Command(
    name = "rdp",
    mixinStandardHelpOptions = true,
    description = {
      "Shows the registry settings that decide an RDP connection, with where each came from:",
      "RDP on/off, listener port, security layer, NLA, encryption level and certificate",
      "(SYSTEM); Group Policy overrides, CredSSP, ProfileList and MSLicensing (SOFTWARE);",
      "SCHANNEL TLS versions, licensing, TermService and firewall rules for 3389 (SYSTEM);",
      "the client's Terminal Server Client history (NTUSER.DAT). Give hives and/or .reg",
      "exports in any mix; each hive's kind is read from its content. Policy values win over",
      "local ones, and the table says so. Dirty hives are read after replaying their logs."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  rdpdoctor hive rdp SYSTEM",
      "  rdpdoctor hive rdp SYSTEM SOFTWARE NTUSER.DAT --json",
      "  rdpdoctor hive rdp terminal-server.reg             a regedit export (UTF-16 or UTF-8)",
      "",
      "Exit codes: 0 done; 3 a file cannot be read; 2 bad command line."
    })
public final class HiveRdpCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "hives or .reg files")
  List<Path> files = new ArrayList<>();

  @Option(names = "--json", description = "print {files, summary, observations} as JSON")
  boolean json;

  @Override
  public Integer call() throws IOException {
    List<RdpRegistry.HiveSource> sources = new ArrayList<>();
    List<Observation> integrity = new ArrayList<>();
    List<Map<String, Object>> fileInfo = new ArrayList<>();
    for (Path f : files) {
      byte[] bytes = HiveInput.read(f);
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("file", f.toString());
      if (FileKind.isRegistryHive(bytes)) {
        HiveInput in = HiveInput.load(f, bytes, List.of(), true);
        integrity.add(in.check().observation(f.toString(), !in.logPaths().isEmpty()));
        HiveKind kind = in.check().kind();
        sources.add(CaseLoader.hiveSource(in.hive(), kind, f.toString(), f.getFileName().toString()));
        info.put("source", "REGISTRY_HIVE");
        info.put("kind", kind.name());
        info.put("verdict", in.check().verdict().name());
      } else {
        RegFile reg;
        try {
          reg = RegFile.parse(bytes);
        } catch (DecodeException e) {
          throw new UserError(ExitCodes.IO, f + " is neither a registry hive (no \"regf\" signature)"
              + " nor a .reg export: " + e.getMessage());
        }
        List<RdpRegistry.HiveSource> found = RdpRegistry.sources(reg.root(), f.toString());
        sources.addAll(found);
        info.put("source", "REG_FILE");
        info.put("kind", String.join(",", found.stream().map(s -> s.kind().name()).toList()));
      }
      fileInfo.add(info);
    }
    List<Observation> obs = new ArrayList<>(integrity);
    obs.addAll(RdpRegistry.extract(sources));
    Map<String, Object> summary = summary(obs);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("files", fileInfo);
      m.put("summary", summary);
      m.put("observations", obs);
      out.println(Json.MAPPER.writeValueAsString(m));
    } else {
      print(obs, summary, out, Style.detect());
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** The effective value of a setting: a policy value if there is one, else the local one. */
  static @Nullable Observation effective(List<Observation> obs, String name) {
    Observation local = null;
    for (Observation o : obs) {
      if (o.type().equals("registry.setting") && name.equals(o.get("setting"))) {
        if (Boolean.TRUE.equals(o.get("policyOverride"))) {
          return o;
        }
        if (local == null) {
          local = o;
        }
      }
    }
    return local;
  }

  /** The headline: RDP on/off, NLA, security layer, port, each from its effective value. */
  static Map<String, Object> summary(List<Observation> obs) {
    Map<String, Object> m = new LinkedHashMap<>();
    Observation deny = effective(obs, "ts.fDenyTSConnections");
    if (deny != null && deny.number("value") != null) {
      m.put("rdpEnabled", deny.number("value") == 0);
    }
    Observation nla = effective(obs, "rdp-tcp.UserAuthentication");
    if (nla != null && nla.number("value") != null) {
      m.put("nlaRequired", nla.number("value") != 0);
      m.put("userAuthentication", nla.number("value"));
    }
    Observation layer = effective(obs, "rdp-tcp.SecurityLayer");
    if (layer != null && layer.number("value") != null) {
      m.put("securityLayer", layer.number("value"));
    }
    Observation port = effective(obs, "rdp-tcp.PortNumber");
    if (port != null && port.number("value") != null) {
      m.put("port", port.number("value"));
    }
    return m;
  }

  static String headline(Map<String, Object> s) {
    List<String> parts = new ArrayList<>();
    if (s.containsKey("rdpEnabled")) {
      parts.add(Boolean.TRUE.equals(s.get("rdpEnabled")) ? "RDP enabled" : "RDP disabled");
    }
    if (s.containsKey("nlaRequired")) {
      String detail = (s.containsKey("securityLayer") ? "SecurityLayer=" + s.get("securityLayer") + ", " : "")
          + "UserAuthentication=" + s.get("userAuthentication");
      parts.add((Boolean.TRUE.equals(s.get("nlaRequired")) ? "NLA on" : "NLA off") + " (" + detail + ")");
    } else if (s.containsKey("securityLayer")) {
      parts.add("SecurityLayer=" + s.get("securityLayer"));
    }
    if (s.containsKey("port")) {
      parts.add("port " + s.get("port"));
    }
    return parts.isEmpty() ? "no Terminal Server settings in these files" : String.join(", ", parts);
  }

  static void print(List<Observation> obs, Map<String, Object> summary, PrintWriter out, Style st) {
    out.println(st.bold(headline(summary)));
    out.println();
    for (Observation o : obs) {
      if (o.type().equals("registry.hive")) {
        out.println(o.summary());
      }
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"SETTING", "VALUE", "MEANING", "FROM"});
    for (Observation o : obs) {
      if (!o.type().equals("registry.setting") || "firewall.rule".equals(o.get("setting"))) {
        continue;
      }
      String value = String.valueOf(o.get("value"));
      if (value.length() > 42) {
        value = value.substring(0, 40) + "..";
      }
      String meaning = o.string("meaning") == null ? "" : o.string("meaning");
      if (Boolean.TRUE.equals(o.get("policyOverride"))) {
        meaning = (meaning.isEmpty() ? "" : meaning + "; ") + "Group Policy, wins";
      } else if (Boolean.TRUE.equals(o.get("overriddenByPolicy"))) {
        meaning = (meaning.isEmpty() ? "" : meaning + "; ") + "overridden by policy";
      }
      rows.add(new String[] {o.string("setting"), value, meaning, o.provenance().toString()});
    }
    if (rows.size() > 1) {
      out.println();
      table(rows, out);
    }
    boolean header = false;
    for (Observation o : obs) {
      if ("firewall.rule".equals(o.get("setting")) || o.type().equals("registry.profile")
          || o.type().equals("registry.error")) {
        if (!header) {
          out.println();
          header = true;
        }
        out.println("- " + o.summary());
        out.println("    " + st.dim(o.provenance().toString()));
      }
    }
  }

  private static void table(List<String[]> rows, PrintWriter out) {
    int[] w = new int[3];
    for (String[] r : rows) {
      for (int i = 0; i < 3; i++) {
        w[i] = Math.max(w[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      // Texts, not printf: the JVM's first format costs 10-15 ms (see Texts).
      out.println(Texts.padRight(r[0], w[0]) + "  " + Texts.padRight(r[1], w[1]) + "  "
          + Texts.padRight(r[2], w[2]) + "  " + r[3]);
    }
  }
}
