package rdpdoctor.app;

/** The exit codes every subcommand uses; {@code rdpdoctor --help} prints the same list. */
public final class ExitCodes {
  /** Done; for diagnose and analyze, no cause was found. */
  public static final int OK = 0;

  /** A cause or a problem was found (diagnose, analyze, probe, hive check); evtx: records were lost. */
  public static final int FOUND = 1;

  /** The command line or the input could not be understood. */
  public static final int USAGE = 2;

  /** A file or the network could not be read. */
  public static final int IO = 3;

  /** A bug in rdpdoctor. */
  public static final int INTERNAL = 4;

  private ExitCodes() {}
}
