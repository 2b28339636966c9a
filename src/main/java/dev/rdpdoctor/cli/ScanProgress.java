package dev.rdpdoctor.cli;

import dev.rdpdoctor.diagnosis.Verdict;
import dev.rdpdoctor.engine.RunEvent;
import dev.rdpdoctor.probe.ProbeListener;
import dev.rdpdoctor.probe.event.ProbeEvent;
import dev.rdpdoctor.probe.event.RunClock;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The fleet's progress on stderr, fed by each run's {@link RunEvent.RunFinished}: hosts done,
 * hosts/s, ETA and counts per verdict. On a terminal one line redrawn in place (at most five times
 * a second); otherwise (--verbose) a plain line every ten seconds.
 */
final class ScanProgress implements ProbeListener {
  private static final long REDRAW_NANOS = 200_000_000L;
  private static final long LOG_NANOS = 10_000_000_000L;
  private static final int BAR = 24;

  private final PrintStream err;
  private final boolean terminal;
  private final RunClock clock;
  private final long total;
  private final long start;
  private final AtomicLongArray counts = new AtomicLongArray(Verdict.values().length);
  private long lastDraw;

  /**
   * @param total hosts this run will scan (after resume), for the bar and the ETA
   */
  ScanProgress(PrintStream err, boolean terminal, RunClock clock, long total) {
    this.err = err;
    this.terminal = terminal;
    this.clock = clock;
    this.total = total;
    this.start = clock.nanos();
    this.lastDraw = start;
  }

  @Override
  public void on(ProbeEvent event) {
    if (event instanceof RunEvent.RunFinished f) {
      counts.incrementAndGet(f.verdict().ordinal());
      long now = clock.nanos();
      synchronized (this) {
        if (now - lastDraw >= (terminal ? REDRAW_NANOS : LOG_NANOS)) {
          lastDraw = now;
          draw(now, false);
        }
      }
    }
  }

  /** The last line, once every host is in. */
  synchronized void finish() {
    draw(clock.nanos(), true);
  }

  private void draw(long now, boolean last) {
    long done = 0;
    for (int i = 0; i < counts.length(); i++) {
      done += counts.get(i);
    }
    double secs = Math.max(1e-3, (now - start) / 1e9);
    double rate = done / secs;
    StringBuilder b = new StringBuilder();
    if (terminal) {
      int filled = total == 0 ? BAR : (int) Math.min(BAR, done * BAR / total);
      b.append('\r')
          .append('[')
          .append("#".repeat(filled))
          .append(".".repeat(BAR - filled))
          .append("] ");
    } else {
      b.append("rdpdoctor: ");
    }
    b.append(done)
        .append('/')
        .append(total)
        .append(" hosts  ")
        .append(String.format(Locale.ROOT, "%.1f hosts/s", rate));
    if (!last && rate > 0 && total > done) {
      long eta = Math.round((total - done) / rate);
      b.append("  ETA ")
          .append(
              eta >= 3600
                  ? eta / 3600 + "h" + (eta % 3600) / 60 + "m"
                  : eta >= 60 ? eta / 60 + "m" + eta % 60 + "s" : eta + "s");
    } else if (last) {
      b.append(String.format(Locale.ROOT, "  in %.1f s", secs));
    }
    for (Verdict v : Verdict.values()) {
      b.append("  ")
          .append(v.name().toLowerCase(Locale.ROOT))
          .append(' ')
          .append(counts.get(v.ordinal()));
    }
    if (terminal) {
      b.append("\u001b[K");
      err.print(b);
      if (last) {
        err.println();
      }
    } else {
      err.println(b);
    }
    err.flush();
  }
}
