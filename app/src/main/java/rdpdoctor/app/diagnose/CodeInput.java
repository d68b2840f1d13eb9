package rdpdoctor.app.diagnose;

import java.util.List;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.UserError;
import rdpdoctor.diagnosis.Observation;
import rdpdoctor.diagnosis.catalog.CodeQuery;

/**
 * The codes a user gives with {@code --error} ("0x904 0x7", the dialog text, "4625 0xC000006E",
 * {@code ntstatus:0xC000006E}) as {@code code} observations, decoded by the code catalog exactly
 * as {@code rdpdoctor explain} decodes them.
 */
public final class CodeInput {
  private CodeInput() {}

  public static List<Observation> parse(String text) {
    List<Observation> out = CodeQuery.observations(text);
    if (out.isEmpty()) {
      throw new UserError(ExitCodes.USAGE, "--error '" + text + "' holds no code rdpdoctor knows; give what the dialog shows, such as \"0x904 0x7\", or family:value such as ntstatus:0xC000006E (rdpdoctor explain helps)");
    }
    return out;
  }
}
