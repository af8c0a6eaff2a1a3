package io.secureworkload.operator.aws;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A token bucket shared by all reconciliations, so that many workloads reconciling at once stay
 * under the account-wide IAM request quota instead of being throttled.
 */
public final class RateLimiter {

  private final double permitsPerSecond;
  private final double burst;
  private double available;
  private long lastRefillNanos;

  public RateLimiter(double permitsPerSecond) {
    this.permitsPerSecond = permitsPerSecond;
    this.burst = Math.max(1, permitsPerSecond);
    this.available = burst;
    this.lastRefillNanos = System.nanoTime();
  }

  /** Blocks until a permit is free. */
  public void acquire() {
    long waitNanos;
    synchronized (this) {
      refill();
      available -= 1;
      waitNanos =
          available >= 0 ? 0 : (long) (-available / permitsPerSecond * TimeUnit.SECONDS.toNanos(1));
    }
    if (waitNanos > 0) {
      sleep(Duration.ofNanos(waitNanos));
    }
  }

  private void refill() {
    long now = System.nanoTime();
    available = Math.min(burst, available + (now - lastRefillNanos) * permitsPerSecond / 1e9);
    lastRefillNanos = now;
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the IAM rate limit", e);
    }
  }
}
