package io.secureworkload.operator.aws;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A token bucket shared by all reconciliations, so that many workloads reconciling at once stay
 * under the account-wide IAM request quota instead of being throttled.
 */
public final class RateLimiter {

  /** Waits for a number of nanoseconds; replaced in tests so that no test waits for real. */
  interface Sleeper {
    void sleep(long nanos) throws InterruptedException;
  }

  private final double permitsPerSecond;
  private final double burst;
  private final LongSupplier nanoClock;
  private final Sleeper sleeper;
  private double available;
  private long lastRefillNanos;

  public RateLimiter(double permitsPerSecond) {
    this(permitsPerSecond, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
  }

  RateLimiter(double permitsPerSecond, LongSupplier nanoClock, Sleeper sleeper) {
    this.permitsPerSecond = permitsPerSecond;
    this.burst = Math.max(1, permitsPerSecond);
    this.nanoClock = nanoClock;
    this.sleeper = sleeper;
    this.available = burst;
    this.lastRefillNanos = nanoClock.getAsLong();
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
      try {
        sleeper.sleep(waitNanos);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for the IAM rate limit", e);
      }
    }
  }

  private void refill() {
    long now = nanoClock.getAsLong();
    available = Math.min(burst, available + (now - lastRefillNanos) * permitsPerSecond / 1e9);
    lastRefillNanos = now;
  }
}
