package dev.rdpdoctor.probe.event;

/**
 * The one clock of a run: every event carries a reading of it, and every duration in the evidence
 * is a difference of two readings. Tests put a scripted clock here to prove that the evidence's
 * times come from the event stream and nowhere else.
 */
@FunctionalInterface
public interface RunClock {
  /** The JVM's monotonic clock; the only place in the code base that reads it. */
  RunClock SYSTEM = System::nanoTime;

  /** Nanoseconds on a monotonic scale; only differences mean anything. */
  long nanos();

  /** Whole milliseconds from {@code startNanos} to now. */
  default long millisSince(long startNanos) {
    return (nanos() - startNanos) / 1_000_000;
  }
}
