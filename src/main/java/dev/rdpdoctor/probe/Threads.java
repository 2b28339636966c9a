package dev.rdpdoctor.probe;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Probes run on virtual threads: they spend their lives waiting on sockets. */
final class Threads {
  private static final ExecutorService VIRTUAL = Executors.newThreadPerTaskExecutor(
      Thread.ofVirtual().name("probe-", 0).factory());

  private Threads() {}

  static <T> Future<T> submit(Callable<T> task) {
    return VIRTUAL.submit(task);
  }
}
