package rdpdoctor.app.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rdpdoctor.app.CliRun;
import rdpdoctor.fleet.Responders;
import rdpdoctor.fleet.X224Responder;

/** scan, history and diff end to end through Main, against loopback responders and closed ports. */
class ScanCommandTest {
  @TempDir Path dir;
  private final Responders responders = new Responders();

  @AfterEach
  void close() throws Exception {
    responders.close();
  }

  private X224Responder responder(String address, X224Responder.Policy p) throws Exception {
    return responders.start(address, p);
  }

  private String db() {
    return "jdbc:sqlite:" + dir.resolve("scans.db");
  }

  @Test
  void scanThenChangeOneHostThenDiffNamesExactlyThatChange() throws Exception {
    X224Responder a = responder("127.0.0.2", X224Responder.Policy.NLA_REQUIRED);
    X224Responder b = responder("127.0.0.3", X224Responder.Policy.NLA_REQUIRED);
    Path list = dir.resolve("estate.txt");
    Files.writeString(list, "# the bench\n" + a.spec() + "\n" + b.spec() + "  # the one that changes\n");

    CliRun first = CliRun.run("scan", "-iL", list.toString(), "--db", db(), "--tag", "bench");
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out()).startsWith("scan 1 (tag bench, quick): 2 hosts, 2 up, 0 down\nno problems found");

    b.policy(X224Responder.Policy.RDP_ONLY); // "a GPO turned NLA off"
    CliRun second = CliRun.run("scan", "-iL", list.toString(), "--db", db(), "--tag", "bench");
    assertThat(second.exit()).isEqualTo(1);
    assertThat(second.out()).contains("     1  Standard RDP Security is accepted");

    CliRun diff = CliRun.run("diff", "--db", db(), "--tag", "bench");
    assertThat(diff.exit()).isEqualTo(1);
    assertThat(diff.out()).isEqualTo("scan 1 (" + startedAt(1) + ") -> scan 2 (" + startedAt(2) + "): 2 changes\n"
        + "  " + b.spec() + "  nla-off  required -> unavailable  (worse)\n"
        + "  " + b.spec() + "  rdp-security-allowed  refused -> accepted  (worse)\n");

    CliRun history = CliRun.run("history", b.spec(), "--db", db(), "--json");
    assertThat(history.exit()).isZero();
    assertThat(history.out().lines().toList()).hasSize(2)
        .allMatch(l -> l.startsWith("{\"scan\":") && l.contains("\"host\":\"127.0.0.3\""));
    assertThat(history.out().lines().toList().get(1)).contains("\"nla\":\"unavailable\"", "\"rdpSecurity\":true");
  }

  private String startedAt(long id) throws Exception {
    try (rdpdoctor.fleet.Store s = rdpdoctor.fleet.Store.open(db())) {
      return s.scan(id).orElseThrow().startedAt().toString();
    }
  }

  @Test
  void jsonLinesAndCsvHaveOneRowPerHost() throws Exception {
    X224Responder a = responder("127.0.0.4", X224Responder.Policy.NLA_REQUIRED);
    int closed = Responders.closedPort();
    CliRun json = CliRun.run("scan", a.spec(), "127.0.0.1:" + closed, "--db", db(), "--json");
    assertThat(json.exit()).isEqualTo(1); // the closed port is down
    List<String> lines = json.out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).contains("\"port\":" + closed, "\"reachable\":false", "CONNECTION_REFUSED");
    assertThat(lines.get(1)).contains("\"nla\":\"required\"", "\"problems\":[]");

    CliRun csv = CliRun.run("scan", a.spec(), "--db", db(), "--csv");
    assertThat(csv.out().lines().toList()).containsExactly(
        "scan,host,port,finishedAt,reachable,failure,nla,rdpSecurity,tlsVersions,certSha1,certNotAfter,"
            + "credsspVersion,osBuild,problems,millis",
        csv.out().lines().toList().get(1));
    assertThat(csv.out().lines().toList().get(1)).startsWith("2,127.0.0.4," + a.port() + ",")
        .contains(",true,,required,false,,,,,,,");
  }

  @Test
  void badInputIsNamed() throws Exception {
    Path list = dir.resolve("bad.txt");
    Files.writeString(list, "127.0.0.1\n127.0.0.1/40\n");
    CliRun r = CliRun.run("scan", "-iL", list.toString(), "--db", db());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains(list + ":2: prefix length out of range in '127.0.0.1/40'");

    CliRun big = CliRun.run("scan", "10.0.0.0/8", "--db", db());
    assertThat(big.exit()).isEqualTo(2);
    assertThat(big.err()).contains("add --yes if that is meant");

    Path bigFile = dir.resolve("big.txt");
    Files.writeString(bigFile, "# a typo: /15 for /25\n\n10.1.0.0/15\n");
    CliRun inFile = CliRun.run("scan", "-iL", bigFile.toString(), "--db", db());
    assertThat(inFile.exit()).isEqualTo(2);
    assertThat(inFile.err()).contains(bigFile + ":3: '10.1.0.0/15' expands to 131072 hosts, more than 65536 (a /16);"
        + " add --yes if that is meant");

    Path plain = dir.resolve("plain");
    Files.writeString(plain, "a file, not a folder");
    Path sarif = dir.resolve("never.sarif");
    CliRun unwritable = CliRun.run("scan", "127.0.0.1:1", "--db", "jdbc:sqlite:" + plain.resolve("scans.db"),
        "--sarif", sarif.toString());
    assertThat(unwritable.exit()).isEqualTo(3);
    assertThat(unwritable.err()).contains("cannot create the folder of the scan store " + plain);
    assertThat(sarif).as("no empty report is left when the scan never ran").doesNotExist();

    CliRun resume = CliRun.run("scan", "127.0.0.1", "--db", db(), "--resume");
    assertThat(resume.exit()).isEqualTo(2);
    assertThat(resume.err()).contains("--resume: tag 'default' has no stopped scan to continue");

    // A sharded scan with a shard still to run is continued by that shard, not by --resume.
    CliRun shard = CliRun.run("scan", "127.0.0.1:1", "127.0.0.2:1", "--shard", "0/2", "--run", "r1", "--db", db());
    assertThat(shard.exit()).as(shard.err()).isIn(0, 1);
    CliRun resumeShards = CliRun.run("scan", "127.0.0.1:1", "127.0.0.2:1", "--db", db(), "--resume");
    assertThat(resumeShards.exit()).isEqualTo(2);
    assertThat(resumeShards.err()).contains("is run 'r1' in 2 shards, not finished: run the unfinished --shard K/N commands");

    CliRun diff = CliRun.run("diff", "--db", db());
    assertThat(diff.exit()).isEqualTo(2);
    assertThat(diff.err()).contains("diff: tag 'default' has 0 finished scans");
  }
}
