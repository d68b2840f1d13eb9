package rdpdoctor.probe;

import java.util.ArrayList;
import java.util.List;
import rdpdoctor.probe.nla.NlaInfoStage;
import rdpdoctor.probe.rdpsec.RdpSecurityStage;

/**
 * The stages a full probe runs after the negotiation sweep and TLS: one list for `probe`,
 * `diagnose` and `scan --full`, so that every command sees the same verdicts.
 */
public final class FullProbe {
  private FullProbe() {}

  /** NLA information and Standard RDP Security, in report order; a new, modifiable list. */
  public static List<Stage> stages() {
    return new ArrayList<>(List.of(new NlaInfoStage(), new RdpSecurityStage()));
  }
}
