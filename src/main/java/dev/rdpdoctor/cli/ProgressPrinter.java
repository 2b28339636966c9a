package dev.rdpdoctor.cli;

import static dev.rdpdoctor.evidence.TerminalText.safe;

import dev.rdpdoctor.probe.ProbeListener;
import dev.rdpdoctor.probe.event.ProbeEvent;
import java.io.PrintStream;

/** Live progress on stderr: one line per finished or failed probe, fed by the event stream. */
final class ProgressPrinter implements ProbeListener {
  private final PrintStream err;
  private final long origin;

  /**
   * @param origin the run's start on its clock
   */
  ProgressPrinter(PrintStream err, long origin) {
    this.err = err;
    this.origin = origin;
  }

  @Override
  public void on(ProbeEvent event) {
    String line =
        switch (event) {
          case ProbeEvent.ProbeFinished f ->
              String.format(
                  "%6d ms  %-11s %s: %s (%d ms)",
                  (f.at() - origin) / 1_000_000,
                  f.probe(),
                  safe(f.subject()),
                  safe(f.outcome()),
                  f.millis());
          case ProbeEvent.ProbeFailed f ->
              String.format(
                  "%6d ms  %-11s %s: FAILED %s (%d ms)",
                  (f.at() - origin) / 1_000_000,
                  f.probe(),
                  safe(f.subject()),
                  safe(f.reason()),
                  f.millis());
          default -> null;
        };
    if (line != null) {
      synchronized (err) {
        err.println(line);
        err.flush();
      }
    }
  }
}
