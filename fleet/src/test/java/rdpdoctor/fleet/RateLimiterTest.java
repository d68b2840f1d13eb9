package rdpdoctor.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pacing, on a fake clock: which waits the limiter asks for, without waiting. */
class RateLimiterTest {
  private long now = 1_000_000_000L;
  private final List<Long> sleeps = new ArrayList<>();

  private RateLimiter limiter(int perSecond) {
    return new RateLimiter(perSecond, () -> now, n -> {
      sleeps.add(n);
      now += n;
    });
  }

  @Test
  void connectionsArePacedEvenly() throws Exception {
    RateLimiter r = limiter(1000); // 1 ms per connection
    r.acquire(8);
    r.acquire(8);
    r.acquire(8);
    assertThat(sleeps).containsExactly(8_000_000L, 8_000_000L);
  }

  @Test
  void idleTimeIsNotSavedForABurst() throws Exception {
    RateLimiter r = limiter(1000);
    r.acquire(8);
    now += 5_000_000_000L; // five idle seconds
    r.acquire(8);
    r.acquire(8);
    assertThat(sleeps).containsExactly(8_000_000L);
  }

  @Test
  void extraConnectionsAreChargedToTheNextHost() throws Exception {
    RateLimiter r = limiter(100); // 10 ms per connection
    r.acquire(8);
    r.charge(37); // a full probe opened 45
    r.acquire(8);
    assertThat(sleeps).containsExactly(450_000_000L);
  }
}
