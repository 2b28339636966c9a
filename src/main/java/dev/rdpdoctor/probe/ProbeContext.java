package dev.rdpdoctor.probe;

import dev.rdpdoctor.probe.event.ProbeEvent;
import dev.rdpdoctor.probe.event.RunClock;
import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * What every probe gets: the run's event listener and clock, its time budgets, the connection slots
 * it shares with the other probes of the run, and the run's one deadline.
 *
 * @param connectTimeout cap on one TCP connect
 * @param probeTimeout cap on one probe (connect + exchange)
 * @param connectionSlots how many connections to the server may be open at once
 * @param runDeadline no probe of the run outlives it, slot waits included
 */
public record ProbeContext(
    ProbeListener listener,
    RunClock clock,
    Duration connectTimeout,
    Duration probeTimeout,
    Semaphore connectionSlots,
    Deadline runDeadline) {

  /**
   * Servers count half-open connections against small limits (xrdp's listen backlog makes the
   * fourth concurrent connection wait a SYN retransmit, about a second; Windows has
   * MaxOutstandingConnections). Three at once keeps the run fast without tripping them.
   */
  public static final int MAX_CONCURRENT_CONNECTIONS = 3;

  /**
   * A context for probes run on their own (tests, selftest): the run deadline is a generous
   * multiple of the probe timeout, as the old per-probe budgets allowed.
   *
   * @param trace a {@link WireTrace#to} printer, or {@link WireTrace#NONE}
   */
  public ProbeContext(
      ProbeListener listener, WireTrace trace, Duration connectTimeout, Duration probeTimeout) {
    this(
        trace instanceof ProbeListener printer
            ? ProbeListener.compose(listener, printer)
            : listener,
        RunClock.SYSTEM,
        connectTimeout,
        probeTimeout,
        new Semaphore(MAX_CONCURRENT_CONNECTIONS, true),
        Deadline.in(probeTimeout.multipliedBy(STANDALONE_RUN_TIMEOUTS)));
  }

  /** See the four-argument constructor. */
  static final int STANDALONE_RUN_TIMEOUTS = 6;

  public static ProbeContext defaults() {
    return new ProbeContext(
        ProbeListener.NONE, WireTrace.NONE, Duration.ofSeconds(4), Duration.ofSeconds(8));
  }

  /** The same run with another listener composed in (a probe family's own collector). */
  public ProbeContext withListener(ProbeListener extra) {
    return new ProbeContext(
        ProbeListener.compose(listener, extra),
        clock,
        connectTimeout,
        probeTimeout,
        connectionSlots,
        runDeadline);
  }

  /** How long a probe may queue for a slot: never past the run's deadline. */
  public Duration slotWait() {
    return runDeadline.remaining();
  }

  /** One probe's deadline: its own timeout, cut short by the run's deadline. */
  public Deadline deadline() {
    return runDeadline.min(probeTimeout);
  }

  /** Starts a probe's span on the event stream. */
  public Span span(String probe, String subject) {
    return new Span(listener, clock, probe, subject);
  }

  public void emit(ProbeEvent event) {
    listener.on(event);
  }

  /** A stopwatch started now on the run's clock. */
  public Stopwatch stopwatch() {
    return new Stopwatch(clock, clock.nanos());
  }

  public long now() {
    return clock.nanos();
  }

  /** The wire trace as an emitter of {@link ProbeEvent.Pdu} events on this run's stream. */
  public WireTrace trace() {
    return WireTrace.emitter(listener, clock);
  }
}
