package dev.rdpdoctor.fleet;

import dev.rdpdoctor.probe.event.RunClock;
import java.util.concurrent.locks.LockSupport;

/**
 * A token bucket for starting hosts: at most {@code perSecond} a second on average, with a burst of
 * one second's worth. A rate of 0 means no limit.
 */
final class RateLimiter {
  private final RunClock clock;
  private final double intervalNanos;
  private final double burst;
  private double tokens;
  private long last;

  RateLimiter(double perSecond, RunClock clock) {
    this.clock = clock;
    this.intervalNanos = perSecond > 0 ? 1e9 / perSecond : 0;
    this.burst = Math.max(1, perSecond);
    this.tokens = burst;
    this.last = clock.nanos();
  }

  /** Waits for a token; returns false when interrupted. */
  boolean acquire() {
    if (intervalNanos == 0) {
      return true;
    }
    while (true) {
      long wait;
      synchronized (this) {
        long now = clock.nanos();
        tokens = Math.min(burst, tokens + (now - last) / intervalNanos);
        last = now;
        if (tokens >= 1) {
          tokens -= 1;
          return true;
        }
        wait = (long) ((1 - tokens) * intervalNanos);
      }
      LockSupport.parkNanos(Math.max(wait, 100_000));
      if (Thread.currentThread().isInterrupted()) {
        return false;
      }
    }
  }
}
