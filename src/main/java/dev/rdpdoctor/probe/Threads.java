package dev.rdpdoctor.probe;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Probes run on virtual threads: they spend their lives waiting on sockets. */
final class Threads {
  private static final ExecutorService VIRTUAL =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("probe-", 0).factory());

  private Threads() {}

  static <T> Future<T> submit(Callable<T> task) {
    return VIRTUAL.submit(task);
  }

  /**
   * The task's result, or null when it failed or outlived {@code ms} (then it is cancelled). Every
   * probe bounds itself; this outer bound only guards against one that does not.
   */
  static <T> T await(Future<T> f, long ms) {
    if (f == null) {
      return null;
    }
    try {
      return f.get(ms, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      f.cancel(true);
      return null;
    }
  }
}
