package dev.rdpdoctor.report;

import dev.rdpdoctor.evidence.ProbeTiming;
import dev.rdpdoctor.evidence.TerminalText;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code --timings}: the run's probes as a waterfall, from the timings the event stream produced,
 * with the critical path marked: the probe that ended last, the probe that ended last before it
 * started, and so on back to the start. Shortening anything off that path would not have made the
 * answer come sooner.
 */
public final class Waterfall {
  static final int WIDTH = 40;

  private Waterfall() {}

  public static String render(List<ProbeTiming> timings, long runMillis) {
    List<ProbeTiming> sorted = new ArrayList<>(timings);
    sorted.sort(Comparator.comparingLong(ProbeTiming::startMillis));
    Set<ProbeTiming> critical = criticalPath(sorted);
    long span =
        Math.max(
            1,
            Math.max(
                runMillis,
                sorted.stream().mapToLong(t -> t.startMillis() + t.millis()).max().orElse(1)));
    StringBuilder sb =
        new StringBuilder(
            String.format(
                Locale.ROOT, "Timings (%d ms in all; * = on the critical path)%n", runMillis));
    for (ProbeTiming t : sorted) {
      int from = (int) (t.startMillis() * WIDTH / span);
      int len = Math.max(1, (int) (t.millis() * WIDTH / span));
      String bar =
          " ".repeat(Math.min(from, WIDTH))
              + "#".repeat(Math.min(len, WIDTH - Math.min(from, WIDTH - 1)));
      sb.append(
          String.format(
              Locale.ROOT,
              "%c %6d ms %6d ms |%-" + WIDTH + "s| %s %s: %s%n",
              critical.contains(t) ? '*' : ' ',
              t.startMillis(),
              t.millis(),
              bar,
              t.probe(),
              TerminalText.safe(t.subject()),
              TerminalText.safe(t.outcome())));
    }
    return sb.toString();
  }

  /** Backwards from the last end: each time, the probe that ended last before it started. */
  static Set<ProbeTiming> criticalPath(List<ProbeTiming> timings) {
    Set<ProbeTiming> path = new HashSet<>();
    ProbeTiming cur =
        timings.stream()
            .max(Comparator.comparingLong(t -> t.startMillis() + t.millis()))
            .orElse(null);
    while (cur != null && path.add(cur)) {
      long start = cur.startMillis();
      cur =
          timings.stream()
              .filter(t -> t.startMillis() + t.millis() <= start)
              .max(Comparator.comparingLong(t -> t.startMillis() + t.millis()))
              .orElse(null);
    }
    return path;
  }
}
