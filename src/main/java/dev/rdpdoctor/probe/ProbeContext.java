package dev.rdpdoctor.probe;

import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * What every probe gets: where to report, what to trace, its time budget, and the connection
 * slots it shares with the other probes of the run.
 *
 * @param connectTimeout cap on one TCP connect
 * @param probeTimeout cap on one probe (waiting for a slot + connect + exchange)
 * @param connectionSlots how many connections to the server may be open at once
 */
public record ProbeContext(ProbeListener listener, WireTrace trace, Duration connectTimeout,
    Duration probeTimeout, Semaphore connectionSlots) {

  /**
   * Servers count half-open connections against small limits (xrdp's listen backlog makes the
   * fourth concurrent connection wait a SYN retransmit, about a second; Windows has
   * MaxOutstandingConnections). Three at once keeps the run fast without tripping them.
   */
  public static final int MAX_CONCURRENT_CONNECTIONS = 3;

  public ProbeContext(ProbeListener listener, WireTrace trace, Duration connectTimeout,
      Duration probeTimeout) {
    this(listener, trace, connectTimeout, probeTimeout,
        new Semaphore(MAX_CONCURRENT_CONNECTIONS, true));
  }

  public static ProbeContext defaults() {
    return new ProbeContext(
        ProbeListener.NONE, WireTrace.NONE, Duration.ofSeconds(4), Duration.ofSeconds(8));
  }

  /**
   * How long a probe may queue for a slot. A holder keeps its slot for at most one probe timeout
   * (plus the close), so a probe behind k stalled waves needs a little over k timeouts: a run
   * queues the main TLS handshake and 7 negotiations (three waves for three slots), then the TLS
   * version handshakes behind what is left of them. Waiting only one timeout made the second
   * wave give up just as the first let go, reporting "TIMEOUT" for probes that never connected.
   */
  public Duration slotWait() {
    return probeTimeout.multipliedBy(SLOT_WAIT_TIMEOUTS);
  }

  /** See {@link #slotWait()}. */
  static final int SLOT_WAIT_TIMEOUTS = 3;

  /** A fresh deadline for one probe. */
  public Deadline deadline() {
    return Deadline.in(probeTimeout);
  }
}
