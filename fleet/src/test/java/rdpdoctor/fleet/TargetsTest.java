package rdpdoctor.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.probe.Target;

class TargetsTest {
  @TempDir Path dir;

  private static List<String> expand(List<String> specs, List<String> excludes) throws Exception {
    List<String> out = new ArrayList<>();
    for (Target t : Targets.of(specs, List.of(), excludes, false)) {
      out.add(t.toString());
    }
    return out;
  }

  @Test
  void hostsPortsCidrsAndRanges() throws Exception {
    assertThat(expand(List.of("127.0.0.1", "rdp.example:3390", "127.0.1.0/30", "127.0.2.5-7:4000",
        "127.0.3.1-127.0.3.2", "[::1]:3391", "::1"), List.of()))
        .containsExactly("127.0.0.1:3389", "rdp.example:3390", "127.0.1.0:3389", "127.0.1.1:3389",
            "127.0.1.2:3389", "127.0.1.3:3389", "127.0.2.5:4000", "127.0.2.6:4000", "127.0.2.7:4000",
            "127.0.3.1:3389", "127.0.3.2:3389", "[0:0:0:0:0:0:0:1]:3391", "[0:0:0:0:0:0:0:1]:3389");
  }

  @Test
  void ipv6CidrKeepsTheNetworkBits() throws Exception {
    assertThat(expand(List.of("[fd00::17/126]:3390"), List.of()))
        .containsExactly("[fd00:0:0:0:0:0:0:14]:3390", "[fd00:0:0:0:0:0:0:15]:3390",
            "[fd00:0:0:0:0:0:0:16]:3390", "[fd00:0:0:0:0:0:0:17]:3390");
  }

  @Test
  void duplicatesAreScannedOnceAndExcludesLeftOut() throws Exception {
    assertThat(expand(List.of("127.0.0.0/29", "127.0.0.3", "RDP.example", "rdp.example"),
        List.of("127.0.0.4-6", "127.0.0.0")))
        .containsExactly("127.0.0.1:3389", "127.0.0.2:3389", "127.0.0.3:3389", "127.0.0.7:3389",
            "RDP.example:3389");
  }

  @Test
  void anExcludeWithAnotherPortLeavesTheHost() throws Exception {
    assertThat(expand(List.of("127.0.0.1", "127.0.0.1:3390"), List.of("127.0.0.1:3390")))
        .containsExactly("127.0.0.1:3389");
  }

  @Test
  void aCidrBiggerThanASlash16NeedsConfirmation() throws Exception {
    assertThatThrownBy(() -> Targets.of(List.of("10.0.0.0/8"), List.of(), List.of(), false))
        .hasMessage("'10.0.0.0/8' expands to 16777216 hosts, more than 65536 (a /16); add --yes if that is meant");
    assertThat(Targets.of(List.of("10.0.0.0/8"), List.of(), List.of(), true).upperBound()).isEqualTo(1L << 24);
    assertThatThrownBy(() -> Targets.of(List.of("fd00::/64"), List.of(), List.of(), true))
        .hasMessageContaining("expands to 18446744073709551616 hosts, more than 16777216 (a /8)");
    assertThat(Targets.of(List.of("10.0.0.0/16"), List.of(), List.of(), false).upperBound()).isEqualTo(65536);
  }

  @Test
  void aFileHasCommentsAndNamesTheBadLine() throws Exception {
    Path f = dir.resolve("hosts.txt");
    Files.writeString(f, "# estate\n127.0.0.1   # jump box\n\n127.0.0.2:3390\n");
    List<String> out = new ArrayList<>();
    Targets.of(List.of(), List.of(f), List.of(), false).forEach(t -> out.add(t.toString()));
    assertThat(out).containsExactly("127.0.0.1:3389", "127.0.0.2:3390");

    Files.writeString(f, "127.0.0.1\n127.0.0.300\n");
    assertThatThrownBy(() -> Targets.of(List.of(), List.of(f), List.of(), false))
        .hasMessage(f + ":2: not an IPv4 address: '127.0.0.300' in '127.0.0.300'");
  }

  @Test
  void malformedSpecsNameWhatIsWrong() {
    assertThatThrownBy(() -> Targets.parse("127.0.0.0/33"))
        .hasMessage("prefix length out of range in '127.0.0.0/33': '33' (expected: 0..32)");
    assertThatThrownBy(() -> Targets.parse("127.0.0.9-3"))
        .hasMessage("range ends before it starts in '127.0.0.9-3'");
    assertThatThrownBy(() -> Targets.parse("host:70000"))
        .hasMessage("port out of range in 'host:70000': 70000 (expected: 1..65535)");
    assertThatThrownBy(() -> Targets.parse("[::1"))
        .hasMessage("missing ']' in '[::1'");
    assertThatThrownBy(() -> Targets.parse("a b"))
        .hasMessage("not a host name, address, CIDR or range: 'a b'");
  }

  @Test
  void targetsAreStreamedNotHeld() throws Exception {
    // a /16 walks without a list of 65,536 targets; the count is what the iterator yields
    long n = 0;
    for (Target ignored : Targets.of(List.of("127.1.0.0/16"), List.of(), List.of(), false)) {
      n++;
    }
    assertThat(n).isEqualTo(65536);
  }
}
