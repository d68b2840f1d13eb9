package rdpdoctor.probe.nla;

import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Windows builds as the NTLM VERSION field reports them (major.minor.build), mapped to product
 * names. A hint only: [MS-NLMP] 2.2.2.10 says the field is for debugging. Source: the build
 * numbers Microsoft publishes per release (../shared/reference/probing-peers.md 2.9).
 */
final class WindowsBuilds {
  private static final TreeMap<Integer, String> WIN10_BUILDS = new TreeMap<>(Map.ofEntries(
      Map.entry(10240, "Windows 10 1507"),
      Map.entry(14393, "Windows 10 1607 / Server 2016"),
      Map.entry(17763, "Windows 10 1809 / Server 2019"),
      Map.entry(19041, "Windows 10 2004"),
      Map.entry(19042, "Windows 10 20H2"),
      Map.entry(19043, "Windows 10 21H1"),
      Map.entry(19044, "Windows 10 21H2"),
      Map.entry(19045, "Windows 10 22H2"),
      Map.entry(20348, "Server 2022"),
      Map.entry(22000, "Windows 11 21H2"),
      Map.entry(22621, "Windows 11 22H2"),
      Map.entry(22631, "Windows 11 23H2"),
      Map.entry(26100, "Windows 11 24H2 / Server 2025")));

  private WindowsBuilds() {}

  /** The product for an exact build, or null when the table does not have it. */
  static @Nullable String product(int major, int minor, int build) {
    if (major == 6 && minor == 1) {
      return "Windows 7 / Server 2008 R2";
    }
    if (major == 6 && minor == 2) {
      return "Windows 8 / Server 2012";
    }
    if (major == 6 && minor == 3) {
      return "Windows 8.1 / Server 2012 R2";
    }
    if (major == 10 && minor == 0) {
      return WIN10_BUILDS.get(build);
    }
    return null;
  }
}
