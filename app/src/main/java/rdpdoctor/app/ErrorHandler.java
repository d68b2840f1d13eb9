package rdpdoctor.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import rdpdoctor.protocol.DecodeException;

/** Turns exceptions from a subcommand into one readable line and an exit code. */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(
      Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
    int code = exitCode(ex);
    // The whole command path ("rdpdoctor hive check: "), not only its last word.
    String prefix = cmd.getCommandSpec().qualifiedName() + ": ";
    if (code == ExitCodes.INTERNAL) {
      cmd.getErr().println(prefix + "internal error; please report this with the command you ran");
      ex.printStackTrace(cmd.getErr());
    } else {
      cmd.getErr().println(prefix + ex.getMessage());
    }
    return code;
  }

  static int exitCode(Throwable ex) {
    return switch (ex) {
      case UserError u -> u.exitCode();
      case DecodeException d -> ExitCodes.IO;
      case IOException io -> ExitCodes.IO;
      case UncheckedIOException io -> ExitCodes.IO;
      case CommandLine.ParameterException p -> ExitCodes.USAGE;
      default -> ExitCodes.INTERNAL;
    };
  }
}
