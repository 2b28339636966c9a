package dev.rdpdoctor.probe;

import java.time.Duration;

/** A point in time a probe must not outlive; every blocking call derives its timeout here. */
public record Deadline(long nanos) {
  public static Deadline in(Duration d) {
    return new Deadline(System.nanoTime() + d.toNanos());
  }

  public long remainingMillis() {
    return Math.max(0, (nanos - System.nanoTime()) / 1_000_000);
  }

  public boolean expired() {
    return nanos - System.nanoTime() <= 0;
  }

  /** The sooner of this deadline and now + d. */
  public Deadline min(Duration d) {
    long other = System.nanoTime() + d.toNanos();
    return other - nanos < 0 ? new Deadline(other) : this;
  }
}
