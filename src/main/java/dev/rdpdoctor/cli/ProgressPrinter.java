package dev.rdpdoctor.cli;

import dev.rdpdoctor.probe.ProbeListener;
import java.io.PrintStream;

/** Live progress on stderr: one line per finished probe, fed only by the probe listener. */
final class ProgressPrinter implements ProbeListener {
  private final PrintStream err;
  private final long origin = System.nanoTime();

  ProgressPrinter(PrintStream err) {
    this.err = err;
  }

  @Override
  public void probeEnd(String probe, String subject, String outcome, long millis) {
    long at = (System.nanoTime() - origin) / 1_000_000;
    String line = String.format("%6d ms  %-11s %s: %s (%d ms)", at, probe, subject, outcome,
        millis);
    synchronized (err) {
      err.println(line);
      err.flush();
    }
  }
}
