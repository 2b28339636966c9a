package dev.rdpdoctor.serve;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * The two fences against overload: a token bucket per client address (a page left reloading, a
 * script in a loop) and one global cap on diagnoses running at once, which never queues: a request
 * over the cap is refused at once, so nothing waits without bound.
 */
final class Limits {
  /** Client addresses remembered; the least recently seen is forgotten beyond this. */
  static final int MAX_CLIENTS = 10_000;

  private final double perNano;
  private final int burst;
  private final Semaphore running;
  private final int cap;
  private final Map<String, double[]> buckets =
      new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, double[]> eldest) {
          return size() > MAX_CLIENTS;
        }
      };

  Limits(int ratePerMinute, int burst, int maxConcurrent) {
    this.perNano = ratePerMinute / 60e9;
    this.burst = burst;
    this.cap = maxConcurrent;
    this.running = new Semaphore(maxConcurrent);
  }

  /** Takes one token for this client at {@code nanos}; false when its bucket is empty. */
  synchronized boolean allow(String client, long nanos) {
    double[] b = buckets.computeIfAbsent(client, k -> new double[] {burst, nanos});
    b[0] = Math.min(burst, b[0] + (nanos - b[1]) * perNano);
    b[1] = nanos;
    if (b[0] < 1) {
      return false;
    }
    b[0] -= 1;
    return true;
  }

  /** A slot for one diagnosis, or false at the cap; release it with {@link #release}. */
  boolean acquire() {
    return running.tryAcquire();
  }

  void release() {
    running.release();
  }

  int cap() {
    return cap;
  }

  int running() {
    return cap - running.availablePermits();
  }
}
