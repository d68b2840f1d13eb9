package rdpdoctor.app.hive;

import java.util.List;
import picocli.CommandLine.Command;

/** {@code rdpdoctor hive}: registry hives, their transaction logs and .reg exports. */
@Command(
    name = "hive",
    mixinStandardHelpOptions = true,
    description = {
      "Reads registry hives (SYSTEM, SOFTWARE, NTUSER.DAT ...) with their transaction logs,",
      "and .reg exports: integrity verdict, .reg dump, and the settings that decide RDP."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  rdpdoctor hive check C:/evidence/NTUSER.DAT        will Windows load it, or give a temp profile?",
      "  rdpdoctor hive dump SYSTEM 'ControlSet001\\Control\\Terminal Server'",
      "  rdpdoctor hive rdp SYSTEM SOFTWARE NTUSER.DAT      RDP settings with where each came from"
    })
public final class HiveCommand {
  /** Its subcommands, in --help order; Main adds them (only the one a run needs). */
  public static final List<Class<?>> SUBCOMMANDS =
      List.of(HiveCheckCommand.class, HiveDumpCommand.class, HiveRdpCommand.class);
}
