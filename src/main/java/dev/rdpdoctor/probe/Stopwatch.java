package dev.rdpdoctor.probe;

import dev.rdpdoctor.probe.event.RunClock;

/** A start reading of the run's clock, for durations measured inside one probe. */
public record Stopwatch(RunClock clock, long start) {
  public long millis() {
    return clock.millisSince(start);
  }
}
