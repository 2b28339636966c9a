package dev.rdpdoctor.fleet;

import dev.rdpdoctor.engine.RunResult;
import dev.rdpdoctor.evidence.Target;
import dev.rdpdoctor.probe.ProbeListener;
import dev.rdpdoctor.probe.event.RunClock;
import java.util.Iterator;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Runs one diagnosis per target on virtual threads: at most {@code concurrency} hosts at once (each
 * run keeps its own limit of connections per host), new hosts started no faster than {@code rate} a
 * second, targets pulled from the iterator only as slots free up and each result handed on as soon
 * as it is in. It schedules; the probing and the rules are the run API's.
 */
public final class FleetScanner {
  /** The most hosts at once; beyond this a machine runs out of sockets, not hosts. */
  public static final int MAX_CONCURRENCY = 4096;

  /** One host's run (the engine's {@code diagnose} in production, a fake in tests). */
  @FunctionalInterface
  public interface Runner {
    RunResult run(Target target, ProbeListener listener);
  }

  /** Receives each finished host; called from many threads, one at a time. */
  @FunctionalInterface
  public interface Sink {
    void accept(Target target, RunResult result);
  }

  /** What happened to the targets. */
  public record Stats(
      long scanned, long skipped, long problems, long failed, boolean interrupted) {}

  private final int concurrency;
  private final RateLimiter rate;
  private volatile boolean stopping;

  public FleetScanner(int concurrency, double perSecond, RunClock clock) {
    if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      throw new IllegalArgumentException("concurrency must be 1-" + MAX_CONCURRENCY);
    }
    this.concurrency = concurrency;
    this.rate = new RateLimiter(perSecond, clock);
  }

  /** Starts no further host; runs under way finish or are abandoned by the caller. */
  public void stop() {
    stopping = true;
  }

  /**
   * Walks the targets to the end (or until {@link #stop}) and waits for every run it started.
   *
   * @param skip targets already done (a resumed scan)
   * @param problems each unusable target's message, as the walk meets it
   * @param listener every run's events (the progress bar reads RunFinished)
   * @param failures a run that threw (a bug, never a network outcome): its host and message
   */
  public Stats scan(
      Iterator<TargetSource.Entry> targets,
      Predicate<Target> skip,
      Consumer<String> problems,
      Runner runner,
      ProbeListener listener,
      Sink sink,
      Consumer<String> failures) {
    Semaphore slots = new Semaphore(concurrency);
    long scanned = 0;
    long skipped = 0;
    long bad = 0;
    long[] failed = {0};
    boolean interrupted = false;
    try {
      while (!stopping && targets.hasNext()) {
        TargetSource.Entry e = targets.next();
        if (e instanceof TargetSource.Problem p) {
          bad++;
          problems.accept(p.message());
          continue;
        }
        Target t = ((TargetSource.Host) e).target();
        if (skip.test(t)) {
          skipped++;
          continue;
        }
        slots.acquire();
        if (stopping || !rate.acquire()) {
          slots.release();
          break;
        }
        scanned++;
        Thread.ofVirtual()
            .name("scan-" + t.display())
            .start(
                () -> {
                  try {
                    RunResult r = runner.run(t, listener);
                    if (!stopping) {
                      sink.accept(t, r);
                    }
                  } catch (RuntimeException ex) {
                    synchronized (failed) {
                      failed[0]++;
                    }
                    failures.accept(t.display() + ": " + ex);
                  } finally {
                    slots.release();
                  }
                });
      }
      slots.acquire(concurrency);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      interrupted = true;
    }
    synchronized (failed) {
      return new Stats(scanned, skipped, bad, failed[0], interrupted || stopping);
    }
  }
}
