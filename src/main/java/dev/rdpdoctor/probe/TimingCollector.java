package dev.rdpdoctor.probe;

import dev.rdpdoctor.evidence.ProbeTiming;
import dev.rdpdoctor.probe.event.ProbeEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Turns the event stream's finished and failed probes into {@link ProbeTiming} records. */
public final class TimingCollector implements ProbeListener {
  private final long origin;
  private final List<ProbeTiming> done = new ArrayList<>();

  /**
   * @param origin the run's start on its clock; timings start at 0 there
   */
  public TimingCollector(long origin) {
    this.origin = origin;
  }

  @Override
  public synchronized void on(ProbeEvent event) {
    switch (event) {
      case ProbeEvent.ProbeFinished f ->
          add(f.at(), f.millis(), f.probe(), f.subject(), f.outcome());
      case ProbeEvent.ProbeFailed f ->
          add(f.at(), f.millis(), f.probe(), f.subject(), "failed: " + f.reason());
      default -> {}
    }
  }

  private void add(long at, long millis, String probe, String subject, String outcome) {
    long startMillis = Math.max(0, (at - origin) / 1_000_000 - millis);
    done.add(new ProbeTiming(probe, subject, startMillis, millis, outcome));
  }

  public synchronized List<ProbeTiming> timings() {
    List<ProbeTiming> copy = new ArrayList<>(done);
    copy.sort(Comparator.comparingLong(ProbeTiming::startMillis));
    return List.copyOf(copy);
  }
}
