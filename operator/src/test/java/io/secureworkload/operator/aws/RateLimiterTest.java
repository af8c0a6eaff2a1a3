package io.secureworkload.operator.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The token bucket on a clock of the test's own: exact waits, and no test waits for real. */
class RateLimiterTest {

  private long now = 1_000_000_000L;
  private final List<Duration> waits = new ArrayList<>();

  private RateLimiter limiter(double rate) {
    return new RateLimiter(
        rate,
        () -> now,
        nanos -> {
          waits.add(Duration.ofNanos(nanos));
          now += nanos;
        });
  }

  @Test
  void burstUpToTheRatePassesWithoutWaiting() {
    var limiter = limiter(5);

    acquire(limiter, 5);

    assertThat(waits).isEmpty();
  }

  @Test
  void callsBeyondTheBurstAreSpacedAtTheRate() {
    var limiter = limiter(5);

    acquire(limiter, 10);

    assertThat(waits).hasSize(5).allSatisfy(w -> assertThat(w).isEqualTo(Duration.ofMillis(200)));
    assertThat(elapsed()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void rateBelowOnePerSecondStillAllowsTheFirstCallAtOnce() {
    var limiter = limiter(0.5);

    acquire(limiter, 2);

    assertThat(waits).containsExactly(Duration.ofSeconds(2));
  }

  @Test
  void permitsComeBackWhileIdleButNeverBeyondTheBurst() {
    var limiter = limiter(20);
    acquire(limiter, 20);

    now += Duration.ofSeconds(10).toNanos();
    acquire(limiter, 20);
    assertThat(waits).isEmpty();

    acquire(limiter, 1);
    assertThat(waits).containsExactly(Duration.ofMillis(50));
  }

  @Test
  void partlyRefilledBucketWaitsOnlyForTheMissingFraction() {
    var limiter = limiter(10);
    acquire(limiter, 10);

    now += Duration.ofMillis(50).toNanos();
    acquire(limiter, 1);

    assertThat(waits).containsExactly(Duration.ofMillis(50));
  }

  private Duration elapsed() {
    return waits.stream().reduce(Duration.ZERO, Duration::plus);
  }

  private static void acquire(RateLimiter limiter, int times) {
    for (int i = 0; i < times; i++) {
      limiter.acquire();
    }
  }
}
