package io.secureworkload.operator.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  @Test
  void burstUpToTheRatePassesWithoutWaiting() {
    var limiter = new RateLimiter(5);

    var elapsed = timed(() -> acquire(limiter, 5));

    assertThat(elapsed).isLessThan(Duration.ofMillis(150));
  }

  @Test
  void callsBeyondTheBurstAreSpacedAtTheRate() {
    var limiter = new RateLimiter(5);

    var elapsed = timed(() -> acquire(limiter, 10));

    assertThat(elapsed).isBetween(Duration.ofMillis(900), Duration.ofMillis(1800));
  }

  @Test
  void rateBelowOnePerSecondStillAllowsTheFirstCallAtOnce() {
    var limiter = new RateLimiter(0.5);

    var elapsed = timed(() -> acquire(limiter, 1));

    assertThat(elapsed).isLessThan(Duration.ofMillis(150));
  }

  @Test
  void permitsComeBackWhileIdle() throws InterruptedException {
    var limiter = new RateLimiter(20);
    acquire(limiter, 20);

    Thread.sleep(300);
    var elapsed = timed(() -> acquire(limiter, 5));

    assertThat(elapsed).isLessThan(Duration.ofMillis(100));
  }

  private static void acquire(RateLimiter limiter, int times) {
    for (int i = 0; i < times; i++) {
      limiter.acquire();
    }
  }

  private static Duration timed(Runnable action) {
    long start = System.nanoTime();
    action.run();
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
