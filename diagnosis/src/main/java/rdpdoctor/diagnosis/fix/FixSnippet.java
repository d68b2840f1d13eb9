package rdpdoctor.diagnosis.fix;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * One PowerShell remedy, as data ({@code rdpdoctor/fixes/<id>.yaml}): a read-only check, a
 * backup of everything the change touches, the change, and how to undo it.
 *
 * @param id stable id rules refer to in {@code remediation: - fix:}
 * @param title what it does
 * @param runsOn "client", "host" or "either": where the script must run
 * @param admin whether it needs an elevated PowerShell
 * @param parameters name → pattern every value must match before it is put in a script
 * @param check read-only PowerShell that shows the current state
 * @param backup PowerShell that saves what the change touches under {@code $BackupDir}
 * @param change PowerShell that makes the change
 * @param undo PowerShell (run by hand) that puts the backup back
 * @param safety what can go wrong
 */
public record FixSnippet(
    String id,
    String title,
    String runsOn,
    boolean admin,
    Map<String, Pattern> parameters,
    String check,
    String backup,
    String change,
    String undo,
    String safety) {}
