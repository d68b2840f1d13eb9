package rdpdoctor.app.explain;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.Json;
import rdpdoctor.app.Style;
import rdpdoctor.app.UserError;
import rdpdoctor.diagnosis.catalog.CodeQuery;
import rdpdoctor.diagnosis.catalog.Explanation;

/** {@code rdpdoctor explain INPUT...}: decodes the codes a user already has. */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description = {
      "Decodes RDP error codes: what each code means, which phase of the connection it belongs to,",
      "the likely causes ranked, the exact checks that confirm each one, and the fixes.",
      "INPUT is whatever you have: a code, several codes, the dialog text, an event id with its",
      "field, a FreeRDP log line or a symbolic name. Use - to read the input from standard input.",
      "Paste whole texts: time stamps, process ids, addresses, ports and versions are recognised and",
      "left out (the output says what was), and dialogs without a code (the CredSSP 'encryption",
      "oracle remediation' message, licensing messages, ...) are recognised by their text."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  rdpdoctor explain \"Error code: 0x904, Extended error code: 0x7\"",
      "  rdpdoctor explain 0x904 0x7             disconnect reason + extended reason",
      "  rdpdoctor explain 2308                  RDPClient event 1026 writes reasons in decimal",
      "  rdpdoctor explain -- -2146893022        a negative HRESULT from .NET/PowerShell",
      "  rdpdoctor explain 0x80090327            an SSPI/CredSSP HRESULT",
      "  rdpdoctor explain 4625 0xC000006E       Security 4625 Status/SubStatus",
      "  rdpdoctor explain event 1026 reason 2308",
      "  rdpdoctor explain ERRINFO_SERVER_DENIED_CONNECTION",
      "  rdpdoctor explain - < dialog.txt        the whole dialog, Event Viewer text or PowerShell error",
      "  xfreerdp ... 2>&1 | grep -E 'ERRCONNECT|ERRINFO' | rdpdoctor explain -",
      "  rdpdoctor explain --json 0x904 0x7      stable JSON (docs/schema/explain.schema.json)",
      "  rdpdoctor explain --markdown 0x904 0x7  for a ticket",
      "",
      "Exit codes: 0 decoded; 2 nothing recognised or bad options."
    })
public final class ExplainCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "INPUT", description = "codes, dialog text, event ids, log lines; - reads standard input")
  List<String> input;

  @Option(names = "--json", description = "print JSON (schema: docs/schema/explain.schema.json)")
  boolean json;

  @Option(names = "--markdown", description = "print Markdown for a ticket")
  boolean markdown;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (json && markdown) {
      throw new UserError(ExitCodes.USAGE, "choose one of --json and --markdown");
    }
    String text = input.size() == 1 && input.get(0).equals("-") ? stdin() : String.join(" ", input);
    Explanation x = CodeQuery.explain(text);
    PrintWriter out = spec.commandLine().getOut();
    if (!x.understood()) {
      String shown = text.length() > 80 ? text.substring(0, 77) + "..." : text;
      throw new UserError(
          ExitCodes.USAGE,
          "no RDP code recognised in \"" + shown.strip() + "\""
              + (x.unrecognised().isEmpty() ? "" : " (not in the catalog: " + String.join(", ", x.unrecognised()) + ")")
              + "; give a code such as 0x904, a name such as ERRINFO_SERVER_DENIED_CONNECTION, or the dialog text"
              + " (rdpdoctor explain --help shows examples)");
    }
    if (json) {
      out.println(Json.MAPPER.writeValueAsString(ExplainJson.of(x)));
    } else if (markdown) {
      out.print(ExplainText.markdown(x));
    } else {
      out.print(ExplainText.terminal(x, Style.detect()));
    }
    out.flush();
    return ExitCodes.OK;
  }

  private static String stdin() {
    try {
      // Bounded: a pasted log is small; a runaway pipe must not exhaust memory.
      byte[] data = System.in.readNBytes(1 << 20);
      return new String(data, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read standard input: " + e.getMessage(), e);
    }
  }
}
