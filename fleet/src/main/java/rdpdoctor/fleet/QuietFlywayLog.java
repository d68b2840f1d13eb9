package rdpdoctor.fleet;

import org.flywaydb.core.api.logging.Log;
import org.flywaydb.core.api.logging.LogCreator;

/**
 * Flyway's logger for rdpdoctor: silent. Flyway would otherwise log every step at INFO through
 * java.util.logging onto stderr, around a command's own output; its errors arrive as exceptions,
 * which {@link Store} turns into one message. Named by class in {@code Flyway.configure().loggers},
 * which instantiates it, so it needs a public no-argument constructor.
 */
public final class QuietFlywayLog implements LogCreator, Log {
  public QuietFlywayLog() {}

  @Override public Log createLogger(Class<?> clazz) { return this; }
  @Override public void debug(String message) { }
  @Override public void info(String message) { }
  @Override public void warn(String message) { }
  @Override public void error(String message) { }
  @Override public void error(String message, Exception e) { }
  @Override public void notice(String message) { }
}
