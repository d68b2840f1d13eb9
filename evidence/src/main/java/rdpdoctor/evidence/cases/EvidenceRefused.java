package rdpdoctor.evidence.cases;

import java.io.IOException;

/**
 * Evidence that was refused as a whole: a bundle zip with a name leaving its folder, too many
 * entries, sizes beyond the limits or a zip bomb; a zip that cannot be read; a folder tree with
 * more files than a bundle ever holds. Nothing from it is analysed.
 */
public final class EvidenceRefused extends IOException {
  private static final long serialVersionUID = 1L;

  public EvidenceRefused(String message) {
    super(message);
  }
}
