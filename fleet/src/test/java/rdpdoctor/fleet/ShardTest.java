package rdpdoctor.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import rdpdoctor.probe.Target;

class ShardTest {
  private static List<String> keys(Iterable<Target> ts) {
    List<String> out = new ArrayList<>();
    ts.forEach(t -> out.add(Targets.key(t)));
    return out;
  }

  @Test
  void theNPartsAreDisjointAndTogetherTheWholeList() throws Exception {
    // duplicates and exclusions are taken out before the split, so every worker counts alike
    Targets all = Targets.of(List.of("10.0.0.0/27", "10.0.0.5", "host.example:3390", "10.0.1.1-9"), List.of(),
        List.of("10.0.0.8/30"), false);
    List<String> whole = keys(all);
    for (int n = 1; n <= 7; n++) {
      Set<String> union = new HashSet<>();
      int sum = 0;
      for (int k = 0; k < n; k++) {
        List<String> part = keys(new Shard(k, n).of(all));
        assertThat(part.size()).as("shard %d/%d is within one of the others' size", k, n)
            .isBetween(whole.size() / n, whole.size() / n + 1);
        sum += part.size();
        union.addAll(part);
      }
      assertThat(sum).isEqualTo(whole.size());
      assertThat(union).containsExactlyInAnyOrderElementsOf(whole);
    }
    assertThat(keys(new Shard(1, 4).of(all))).startsWith("10.0.0.1|3389", "10.0.0.5|3389", "10.0.0.13|3389");
  }

  @Test
  void badShardsAreNamed() {
    assertThatThrownBy(() -> Shard.parse("4/4")).hasMessage("--shard K/N: K must be 0..3 (from 0, as JOB_COMPLETION_INDEX): 4");
    assertThatThrownBy(() -> Shard.parse("1/0")).hasMessage("--shard K/N: N must be 1..65536: 0");
    assertThatThrownBy(() -> Shard.parse("two")).hasMessage("--shard must be K/N, e.g. 0/4: 'two'");
    assertThat(Shard.parse(" 2 / 5 ")).isEqualTo(new Shard(2, 5));
  }
}
