package dev.rdpdoctor.probe;

import dev.rdpdoctor.probe.event.ProbeEvent;
import dev.rdpdoctor.probe.event.RunClock;

/**
 * One probe's start and end on the event stream. The millis a probe writes into its evidence are
 * the ones {@link #end} returns: the difference of the two events' clock readings, so the evidence
 * and every view of the stream agree to the millisecond.
 */
public final class Span {
  private final ProbeListener listener;
  private final RunClock clock;
  private final String probe;
  private final String subject;
  private final long start;

  Span(ProbeListener listener, RunClock clock, String probe, String subject) {
    this.listener = listener;
    this.clock = clock;
    this.probe = probe;
    this.subject = subject;
    this.start = clock.nanos();
    listener.on(new ProbeEvent.ProbeStarted(start, probe, subject));
  }

  /** The start reading, for events that carry their own duration. */
  public long startNanos() {
    return start;
  }

  /** A stopwatch started with this span, for the duration the evidence records. */
  public Stopwatch stopwatch() {
    return new Stopwatch(clock, start);
  }

  /** Milliseconds since the start, without ending the span. */
  public long millis() {
    return clock.millisSince(start);
  }

  /** Emits the end with an outcome word and returns the span's length in milliseconds. */
  public long end(String outcome) {
    long now = clock.nanos();
    long ms = (now - start) / 1_000_000;
    listener.on(new ProbeEvent.ProbeFinished(now, probe, subject, outcome, ms));
    return ms;
  }

  /**
   * Emits the end with the duration the probe measured from {@link #startNanos()} on the same clock
   * and wrote into its evidence, so the two cannot disagree.
   */
  public long end(String outcome, long millis) {
    listener.on(new ProbeEvent.ProbeFinished(clock.nanos(), probe, subject, outcome, millis));
    return millis;
  }

  /** Emits a failure (deadline, no slot, an internal error) and returns the length. */
  public long failed(String reason) {
    long now = clock.nanos();
    long ms = (now - start) / 1_000_000;
    listener.on(new ProbeEvent.ProbeFailed(now, probe, subject, reason, ms));
    return ms;
  }
}
