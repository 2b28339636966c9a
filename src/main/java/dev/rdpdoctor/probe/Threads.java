package dev.rdpdoctor.probe;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Probes run on virtual threads: they spend their lives waiting on sockets. */
final class Threads {
  private static final ExecutorService VIRTUAL =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("probe-", 0).factory());

  /**
   * The resolver ({@code getaddrinfo}) and the ICMP echo of {@code isReachable} block inside native
   * code, which holds a virtual thread's carrier for the whole wait: a scan of a dozen silent hosts
   * pinned both carriers of a 2-core machine for 2.5 s each, and the next hosts' name lookups could
   * not even start within their 5 s. These calls get threads of their own; the scan's concurrency
   * bounds how many wait at once, and idle ones end after a minute.
   */
  private static final ExecutorService NATIVE =
      Executors.newCachedThreadPool(
          Thread.ofPlatform().daemon().name("probe-native-", 0).factory());

  private Threads() {}

  static <T> Future<T> submit(Callable<T> task) {
    return VIRTUAL.submit(task);
  }

  /** A task that blocks in native code (see {@link #NATIVE}). */
  static <T> Future<T> submitNative(Callable<T> task) {
    return NATIVE.submit(task);
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
      return f.get(ms, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException | TimeoutException e) {
      f.cancel(true);
      return null;
    }
  }
}
