package rdpdoctor.diagnosis.fix;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import rdpdoctor.diagnosis.Finding;

/**
 * Writes the PowerShell script {@code rdpdoctor fix} prints: every read-only check first; then,
 * only when the script is run with {@code -Apply}, a backup of everything a step changes, the
 * change, and an undo script per step saved beside the backup.
 *
 * <p>Values taken from evidence (a SID, a thumbprint) go into the script only after they match
 * the pattern the snippet declares, and only as single-quoted PowerShell strings; a value that does
 * not match drops its step with a comment saying why (the value itself is not echoed).
 */
public final class FixScript {

  /**
   * One remedy to script.
   *
   * @param finding the id of the finding that asked for it
   * @param fix the snippet id
   * @param parameters values for the snippet's parameters
   */
  public record Request(String finding, String fix, Map<String, String> parameters) {
    public Request {
      parameters = Map.copyOf(parameters);
    }
  }

  /** The script and what went into it. */
  public record Result(String script, List<String> included, List<String> refused) {}

  private static final Pattern HERE_STRING_END = Pattern.compile("(?m)^'@");

  private FixScript() {}

  /**
   * One remediation step that names a fix, and whether the finding it mends is a weakness.
   * Findings give them ({@link #candidates}); so does a saved JSON report, whose findings carry their kind.
   */
  public record Candidate(String finding, boolean weakness, String fix, Map<String, String> parameters) {}

  /**
   * The requests to script, in ranking order without repeats, and how many weakness-only requests
   * were left out ({@code withheld}), so the user can be told about {@code --hardening}.
   */
  public record Selection(List<Request> requests, int withheld) {}

  /** The steps of the findings' remediation that name a fix, in ranking order. */
  public static List<Candidate> candidates(List<Finding> findings) {
    List<Candidate> out = new ArrayList<>();
    for (Finding f : findings) {
      for (Finding.Remedy r : f.remediation()) {
        if (r.fix() != null) {
          out.add(new Candidate(f.id(), f.kind() == Finding.Kind.WEAKNESS, r.fix(), r.parameters()));
        }
      }
    }
    return out;
  }

  /**
   * The requests {@code steps} make. A weakness's steps only with {@code hardening}: a script run
   * to mend a failed connection must not also require NLA or TLS on the side, which refuses
   * clients that connected until then.
   */
  public static Selection select(List<Candidate> steps, boolean hardening) {
    Set<Request> out = new LinkedHashSet<>();
    Set<Request> left = new LinkedHashSet<>();
    for (Candidate s : steps) {
      Request r = new Request(s.finding(), s.fix(), s.parameters());
      (s.weakness() && !hardening ? left : out).add(r);
    }
    left.removeAll(out);
    return new Selection(new ArrayList<>(out), left.size());
  }

  /** {@link #select} over the findings' steps: the requests only. */
  public static List<Request> requests(List<Finding> findings, boolean hardening) {
    return select(candidates(findings), hardening).requests();
  }

  /** Builds the script for {@code requests} from {@code catalog}; {@code at} is written in its header. */
  public static Result build(List<Request> requests, FixCatalog catalog, Instant at) {
    return build(requests, catalog, at, null);
  }

  /**
   * A NetBIOS computer name as {@code $env:COMPUTERNAME} prints it: 1-15 characters, none of the
   * ones Windows forbids in computer names (and no quote, so the guard's literal stays plain).
   */
  private static final Pattern COMPUTER = Pattern.compile("[A-Za-z0-9!@#$%^&()\\-_{}.~]{1,15}");

  /**
   * Builds the script for the findings about one computer: it starts by comparing
   * {@code $env:COMPUTERNAME} with {@code computer} and stops (exit 3, nothing checked or changed)
   * on any other machine, so a script made from host A's evidence cannot change host B. A null
   * computer (the evidence named none) writes no guard and says so in the header.
   */
  public static Result build(List<Request> requests, FixCatalog catalog, Instant at, @Nullable String computer) {
    if (computer != null && !COMPUTER.matcher(computer).matches()) {
      throw new IllegalArgumentException("computer name '" + comment(computer) + "' is not a NetBIOS name (1-15 characters)");
    }
    List<String> included = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    List<Step> steps = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (Request r : requests) {
      FixSnippet s = catalog.get(r.fix());
      if (s == null) {
        refused.add(r.fix() + " (no such fix)");
        continue;
      }
      Map<String, String> values = new LinkedHashMap<>();
      String problem = null;
      for (Map.Entry<String, Pattern> p : s.parameters().entrySet()) {
        String v = r.parameters().get(p.getKey());
        if (v == null || !p.getValue().matcher(v).matches()) {
          problem = "parameter " + p.getKey() + (v == null ? " missing" : " does not have the expected form");
          break;
        }
        values.put(p.getKey(), v);
      }
      if (problem != null) {
        refused.add(s.id() + " for " + r.finding() + ": " + problem);
        continue;
      }
      if (!seen.add(s.id() + values)) {
        continue;
      }
      steps.add(new Step(steps.size() + 1, r.finding(), s, values));
      included.add(s.id());
    }
    return new Result(render(steps, refused, at, computer), included, refused);
  }

  private record Step(int n, String finding, FixSnippet snippet, Map<String, String> values) {}

  /** A PowerShell single-quoted string literal: nothing inside is expanded. */
  static String quote(String s) {
    return "'" + s.replace("'", "''").replace("\u2018", "\u2018\u2018").replace("\u2019", "\u2019\u2019") + "'";
  }

  /** Text for a comment: one line, and nothing that could end a block comment. */
  static String comment(String s) {
    return s.replaceAll("[\\r\\n]+", " ").replace("#>", "# >");
  }

  private static String render(List<Step> steps, List<String> refused, Instant at, @Nullable String computer) {
    StringBuilder b = new StringBuilder();
    boolean admin = steps.stream().anyMatch(s -> s.snippet().admin());
    b.append("<#\n");
    b.append("  rdpdoctor fix script, generated ").append(at).append('\n');
    b.append(computer == null
        ? "  For: the evidence named no computer, so this script does not check where it runs.\n"
        : "  For computer " + computer + " only: on any other computer it stops before doing anything.\n");
    b.append("  Dry run by default: it only runs read-only checks and prints what it would change.\n");
    b.append("  Run with -Apply to back up every key and file it changes, make the changes, and save\n");
    b.append("  an undo script per step beside the backups (under %ProgramData%\\rdpdoctor).\n");
    b.append("  Usage: powershell -NoProfile -ExecutionPolicy Bypass -File fix.ps1 [-Apply]\n");
    if (admin) {
      b.append("  Some steps change machine settings: run -Apply from an elevated PowerShell.\n");
    }
    b.append("\n  Steps:\n");
    for (Step s : steps) {
      b.append("    ").append(s.n()).append(". ").append(comment(s.snippet().title()))
          .append(" [").append(s.snippet().runsOn()).append("] (finding: ").append(comment(s.finding())).append(")\n");
      b.append("       Safety: ").append(comment(s.snippet().safety())).append('\n');
    }
    for (String r : refused) {
      b.append("  Not included: ").append(comment(r)).append('\n');
    }
    if (steps.isEmpty()) {
      b.append("    (none: no finding asked for a scripted fix)\n");
    }
    b.append("#>\n");
    b.append("[CmdletBinding()]\nparam([switch]$Apply)\n");
    b.append("Set-StrictMode -Version 2\n$ErrorActionPreference = 'Stop'\n");
    if (computer != null) {
      // First, before any check runs: a script for one computer's evidence must not touch another.
      b.append("if ($env:COMPUTERNAME -ne ").append(quote(computer)).append(") {\n");
      b.append("  [Console]::Error.WriteLine(").append(quote("This script was made from the evidence of computer " + computer
          + "; this is ")).append(" + $env:COMPUTERNAME + ").append(quote(". Nothing was checked or changed. Run the script made for this computer.")).append(")\n");
      b.append("  exit 3\n}\n");
    }
    b.append("$BackupDir = Join-Path $env:ProgramData ('rdpdoctor\\backup-' + (Get-Date -Format 'yyyyMMdd-HHmmss'))\n");
    b.append(ADMIN_TEST).append('\n');

    b.append("# ---- 1. Read-only checks (always run; they change nothing)\n");
    for (Step s : steps) {
      b.append("Write-Host ").append(quote("== Step " + s.n() + ": " + s.snippet().title() + " - current state")).append('\n');
      b.append("& {\n").append(params(s)).append(indent(s.snippet().check())).append("}\n");
    }
    b.append("\nif (-not $Apply) {\n");
    b.append("  Write-Host 'Dry run: nothing was changed. Read the checks above, then run this script again with -Apply.'\n");
    b.append("  return\n}\n");
    if (admin) {
      b.append("if (-not (Test-RdpdoctorAdmin)) {\n");
      b.append("  Write-Error 'These changes need an elevated PowerShell (Run as administrator); nothing was changed.'\n");
      b.append("  exit 1\n}\n");
    }
    b.append("New-Item -ItemType Directory -Force -Path $BackupDir | Out-Null\n");
    b.append("Write-Host \"Backups go to $BackupDir\"\n\n");
    b.append("# ---- 2. Backup, change, and an undo script, step by step\n");
    for (Step s : steps) {
      b.append("Write-Host ").append(quote("== Step " + s.n() + ": " + s.snippet().title())).append('\n');
      b.append("& {\n").append(params(s));
      b.append("  # backup\n").append(indent(s.snippet().backup()));
      b.append("  # change\n").append(indent(s.snippet().change()));
      b.append("}\n");
      String undo = s.snippet().undo();
      if (HERE_STRING_END.matcher(undo).find()) {
        throw new IllegalStateException("fix " + s.snippet().id() + ": undo text must not start a line with '@");
      }
      b.append("$undoText = @'\n").append(undoPrologue(s)).append(params(s).replace("  $", "$")).append(undo).append("\n'@\n");
      b.append("Set-Content -Encoding UTF8 -Path (Join-Path $BackupDir ").append(quote("undo-step" + s.n() + "-" + s.snippet().id() + ".ps1"))
          .append(") -Value (\"`$BackupDir = '\" + $BackupDir.Replace(\"'\", \"''\") + \"'\" + [Environment]::NewLine + $undoText)\n");
    }
    b.append("\nWrite-Host \"Done. To undo a step, run its undo-step*.ps1 script in $BackupDir.\"\n");
    return b.toString();
  }

  /** How the scripts test for elevation: the fix script before its changes, an undo script before its own. */
  private static final String ADMIN_TEST = """
      function Test-RdpdoctorAdmin {
        $id = [Security.Principal.WindowsIdentity]::GetCurrent()
        (New-Object Security.Principal.WindowsPrincipal $id).IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
      }
      """;

  /**
   * The start of an undo script, which is run by hand later and on its own: the fix script's strict
   * mode and error preference (an unset $Sid must not make "$root\$Sid" the whole ProfileList, and a
   * failed step must stop the rest), and for a snippet that needs elevation, the same check.
   */
  private static String undoPrologue(Step s) {
    StringBuilder b = new StringBuilder("Set-StrictMode -Version 2\n$ErrorActionPreference = 'Stop'\n");
    if (s.snippet().admin()) {
      b.append(ADMIN_TEST);
      b.append("if (-not (Test-RdpdoctorAdmin)) {\n");
      b.append("  Write-Error 'This undo script changes machine settings: run it from an elevated PowerShell (Run as administrator); nothing was changed.'\n");
      b.append("  exit 1\n}\n");
    }
    return b.toString();
  }

  private static String params(Step s) {
    StringBuilder b = new StringBuilder();
    s.values().forEach((k, v) -> b.append("  $").append(k).append(" = ").append(quote(v)).append('\n'));
    return b.toString();
  }

  private static String indent(String code) {
    StringBuilder b = new StringBuilder();
    for (String line : code.split("\n", -1)) {
      b.append(line.isEmpty() ? "" : "  " + line).append('\n');
    }
    return b.toString();
  }
}
