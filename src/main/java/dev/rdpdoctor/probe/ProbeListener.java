package dev.rdpdoctor.probe;

import dev.rdpdoctor.probe.event.ProbeEvent;
import java.util.List;

/**
 * Receives the run's {@link ProbeEvent}s: the single source for timings, live progress, the wire
 * trace and metrics; nothing else measures time. Implementations must be thread-safe, since probes
 * run concurrently, and quick, since probes call them inline.
 */
@FunctionalInterface
public interface ProbeListener {
  ProbeListener NONE = e -> {};

  void on(ProbeEvent event);

  /** Whether this listener wants {@link ProbeEvent.Pdu} events (their bytes are copied). */
  default boolean wantsPdus() {
    return false;
  }

  static ProbeListener compose(ProbeListener... listeners) {
    List<ProbeListener> all = List.of(listeners);
    boolean pdus = all.stream().anyMatch(ProbeListener::wantsPdus);
    return new ProbeListener() {
      @Override
      public void on(ProbeEvent event) {
        for (ProbeListener l : all) {
          l.on(event);
        }
      }

      @Override
      public boolean wantsPdus() {
        return pdus;
      }
    };
  }
}
