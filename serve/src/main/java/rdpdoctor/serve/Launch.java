package rdpdoctor.serve;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import rdpdoctor.fleet.Store;

/**
 * What {@code rdpdoctor serve [--listen] [--db] [--config]} starts: the options win over the
 * config file, the config over the defaults (127.0.0.1:9389, the scan command's default store).
 */
public final class Launch {
  private Launch() {}

  /** The options resolved, before anything is opened, so errors name the option or the file. */
  public static Server.Options options(@Nullable String listen, @Nullable String db, @Nullable Path configFile,
      Map<String, String> env) throws IOException {
    ServeConfig config = configFile == null ? ServeConfig.empty() : ServeConfig.load(configFile);
    Listen where = Listen.parse(listen != null ? listen : config.listen() != null ? config.listen() : Listen.DEFAULT);
    String url = db != null ? db : config.db() != null ? config.db() : Store.defaultUrl(env);
    String token = null;
    if (config.tokenFile() != null) {
      Path f = Path.of(config.tokenFile());
      if (!f.isAbsolute() && configFile != null && configFile.toAbsolutePath().getParent() != null) {
        f = configFile.toAbsolutePath().getParent().resolve(f); // relative to the config, not the cwd
      }
      token = Access.readToken(f);
    }
    AllowList.of(config.allow()); // a bad CIDR fails here, naming it
    return new Server.Options(where, url, config, token, Server.Options.DEFAULT_MAX_UPLOAD, Duration.ofSeconds(10), true);
  }

  public static Server start(Server.Options options) throws IOException {
    return Server.start(options, Clock.systemUTC());
  }
}
