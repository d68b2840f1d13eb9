package rdpdoctor.app.scan;

import picocli.CommandLine.Option;
import rdpdoctor.app.ExitCodes;
import rdpdoctor.app.UserError;
import rdpdoctor.fleet.Store;

/** {@code --db URL}, shared by scan, history and diff. */
final class StoreOption {
  @Option(names = "--db", paramLabel = "URL",
      description = "jdbc:sqlite:FILE or jdbc:postgresql://HOST[:PORT]/DB?user=NAME (password from"
          + " PGPASSWORD or ~/.pgpass, never here); default: jdbc:sqlite:$XDG_DATA_HOME/rdpdoctor/scans.db")
  String url;

  /** Opens the store, or stops the command with the store's reason (exit code 3). */
  Store open() {
    String u = url != null ? url : Store.defaultUrl(System.getenv());
    try {
      return Store.open(u);
    } catch (Store.StoreException e) {
      throw new UserError(ExitCodes.IO, e.getMessage());
    }
  }
}
