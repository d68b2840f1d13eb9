package rdpdoctor.diagnosis.catalog;

/**
 * A catalog data file is missing or malformed. The message names the file, the entry and the
 * field, so whoever edited it can fix it; the test-suite loads every file, so this never reaches
 * a user of a released build.
 */
public final class CatalogException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CatalogException(String message) {
    super(message);
  }

  public CatalogException(String message, Throwable cause) {
    super(message, cause);
  }
}
