package rdpdoctor.evidence.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.Provenance;
import rdpdoctor.protocol.DecodeException;

/**
 * Reads {@code install-checks.txt}, the install-context checks {@code rdpdoctor collect} (or its
 * PowerShell script) writes. The format is line-based so that a five-line PowerShell function can
 * write it and a person can read it:
 *
 * <pre>
 * rdpdoctor install-checks 1
 * # check&lt;TAB&gt;status&lt;TAB&gt;target&lt;TAB&gt;detail
 * mstsc-not-readonly	pass	C:\Windows\System32\mstsc.exe	attributes: Archive
 * tsclient-key-writable	fail	HKCU\Software\Microsoft\Terminal Server Client	access denied
 * </pre>
 *
 * The first line is the header with the format version; {@code #} lines are comments; every
 * other line has exactly four tab-separated fields; status is {@code pass}, {@code fail} or
 * {@code error} (the check itself could not run). Each line becomes an {@code install.check}.
 */
public final class InstallChecks {
  public static final String HEADER = "rdpdoctor install-checks 1";
  public static final Set<String> STATUSES = Set.of("pass", "fail", "error");

  /** More lines than this is not something collect wrote. */
  static final int MAX_LINES = 10_000;

  private InstallChecks() {}

  /** Whether the file starts with the header line. */
  public static boolean looksLike(byte[] head) {
    String s = new String(head, 0, Math.min(head.length, 256), StandardCharsets.UTF_8).replace("\uFEFF", "");
    if (head.length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xFE) {
      s = new String(head, 2, Math.min(head.length, 512) - 2, StandardCharsets.UTF_16LE);
    }
    return s.startsWith("rdpdoctor install-checks ");
  }

  /**
   * Parses the file.
   *
   * @throws DecodeException naming the line when the header or a line is not in the format
   */
  public static List<Observation> read(byte[] data, String location) {
    List<String> lines = TextLines.split(data, "install-checks");
    DecodeException.checkBound("install-checks line count", lines.size(), MAX_LINES);
    if (lines.isEmpty() || !lines.get(0).replace("\uFEFF", "").strip().equals(HEADER)) {
      String first = lines.isEmpty() ? "" : lines.get(0);
      throw new DecodeException.InvalidField("install-checks header",
          "'" + first.substring(0, Math.min(first.length(), 60)) + "' (expected: '" + HEADER + "')");
    }
    List<Observation> out = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t", -1);
      if (f.length != 4) {
        throw new DecodeException.InvalidField("install-checks line " + (i + 1),
            f.length + " tab-separated fields (expected: 4: check, status, target, detail)");
      }
      String check = f[0].strip();
      String status = f[1].strip().toLowerCase(java.util.Locale.ROOT);
      if (check.isEmpty() || !check.matches("[a-z0-9-]{1,64}")) {
        throw new DecodeException.InvalidField("install-checks line " + (i + 1), "check name '" + abbreviate(check) + "' (expected: lowercase letters, digits, dashes)");
      }
      if (!STATUSES.contains(status)) {
        throw new DecodeException.InvalidField("install-checks line " + (i + 1), "status '" + abbreviate(status) + "' (expected: pass, fail or error)");
      }
      Provenance p = new Provenance(Provenance.Source.TEXT, location, "line " + (i + 1));
      out.add(Observation.of("install.check", p)
          .with("check", check).with("status", status).with("target", f[2].strip()).with("detail", f[3].strip())
          .summary("install check " + check + ": " + status + " for " + f[2].strip()
              + (f[3].isBlank() ? "" : " (" + f[3].strip() + ")")));
    }
    return out;
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
