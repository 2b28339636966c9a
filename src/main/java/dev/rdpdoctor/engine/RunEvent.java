package dev.rdpdoctor.engine;

import dev.rdpdoctor.diagnosis.Finding;
import dev.rdpdoctor.diagnosis.Verdict;
import dev.rdpdoctor.probe.event.ProbeEvent;

/** Events the engine adds to the probes' stream once the evidence is in. */
public final class RunEvent {
  private RunEvent() {}

  /** One finding of the diagnosis, in rank order. */
  public record FindingEmitted(long at, int rank, Finding finding) implements ProbeEvent {}

  /** The run is over: the verdict and the whole run's time. */
  public record RunFinished(long at, Verdict verdict, long millis) implements ProbeEvent {}
}
