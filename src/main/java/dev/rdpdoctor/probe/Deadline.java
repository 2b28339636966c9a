package dev.rdpdoctor.probe;

import dev.rdpdoctor.probe.event.RunClock;
import java.time.Duration;

/** A point in time a probe must not outlive; every blocking call derives its timeout here. */
public record Deadline(long nanos) {
  private static final RunClock CLOCK = RunClock.SYSTEM;

  public static Deadline in(Duration d) {
    return new Deadline(CLOCK.nanos() + d.toNanos());
  }

  public long remainingMillis() {
    return Math.max(0, (nanos - CLOCK.nanos()) / 1_000_000);
  }

  public Duration remaining() {
    return Duration.ofMillis(remainingMillis());
  }

  public boolean expired() {
    return nanos - CLOCK.nanos() <= 0;
  }

  /** The sooner of this deadline and now + d. */
  public Deadline min(Duration d) {
    long other = CLOCK.nanos() + d.toNanos();
    return other - nanos < 0 ? new Deadline(other) : this;
  }

  /** The sooner of two deadlines. */
  public Deadline min(Deadline other) {
    return other.nanos - nanos < 0 ? other : this;
  }
}
