package dev.rdpdoctor.probe;

import java.time.Duration;

/**
 * What every probe gets: where to report, what to trace, and its time budget.
 *
 * @param connectTimeout cap on one TCP connect
 * @param probeTimeout cap on one probe (connect + exchange)
 */
public record ProbeContext(
    ProbeListener listener, WireTrace trace, Duration connectTimeout, Duration probeTimeout) {

  public static ProbeContext defaults() {
    return new ProbeContext(
        ProbeListener.NONE, WireTrace.NONE, Duration.ofSeconds(4), Duration.ofSeconds(8));
  }

  /** A fresh deadline for one probe. */
  public Deadline deadline() {
    return Deadline.in(probeTimeout);
  }
}
