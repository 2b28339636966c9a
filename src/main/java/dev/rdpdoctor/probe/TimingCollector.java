package dev.rdpdoctor.probe;

import dev.rdpdoctor.evidence.ProbeTiming;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Turns listener callbacks into {@link ProbeTiming} records for the evidence. */
final class TimingCollector implements ProbeListener {
  private final long origin = System.nanoTime();
  private final Map<String, Long> starts = new ConcurrentHashMap<>();
  private final List<ProbeTiming> done = new ArrayList<>();

  @Override
  public void probeStart(String probe, String subject) {
    starts.put(probe + "\0" + subject, System.nanoTime());
  }

  @Override
  public synchronized void probeEnd(String probe, String subject, String outcome, long millis) {
    Long start = starts.remove(probe + "\0" + subject);
    long startMillis = start == null ? 0 : (start - origin) / 1_000_000;
    done.add(new ProbeTiming(probe, subject, startMillis, millis, outcome));
  }

  synchronized List<ProbeTiming> timings() {
    List<ProbeTiming> copy = new ArrayList<>(done);
    copy.sort(Comparator.comparingLong(ProbeTiming::startMillis));
    return List.copyOf(copy);
  }
}
