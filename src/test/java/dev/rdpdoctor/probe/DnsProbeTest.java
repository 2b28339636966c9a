package dev.rdpdoctor.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.evidence.DnsEvidence;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class DnsProbeTest {
  /**
   * A scan's silent hosts once held every carrier of the virtual-thread scheduler (the ICMP echo
   * blocks in native code) and the next hosts' lookups timed out without ever starting, read as
   * "dns-unresolvable". Here every carrier is held by a virtual thread that does not yield; the
   * lookup must still answer.
   */
  @Test
  void resolvesWhileEveryCarrierIsBusy() throws InterruptedException {
    int carriers =
        Integer.getInteger(
            "jdk.virtualThreadScheduler.parallelism", Runtime.getRuntime().availableProcessors());
    AtomicBoolean release = new AtomicBoolean();
    CountDownLatch holding = new CountDownLatch(carriers);
    List<Thread> hogs = new ArrayList<>();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (int i = 0; i < carriers; i++) {
      hogs.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    holding.countDown();
                    // spins without a blocking call, so the scheduler cannot take the carrier back
                    while (!release.get() && System.nanoTime() < end) {
                      Thread.onSpinWait();
                    }
                  }));
    }
    try {
      assertThat(holding.await(5, TimeUnit.SECONDS)).as("every carrier held").isTrue();
      DnsProbe.Result r =
          DnsProbe.resolve("localhost", false, Duration.ofSeconds(3), ProbeContext.defaults());
      assertThat(r.evidence().status()).isEqualTo(DnsEvidence.Status.RESOLVED);
      assertThat(r.addresses()).isNotEmpty().allMatch(a -> a.isLoopbackAddress());
    } finally {
      release.set(true);
      for (Thread t : hogs) {
        t.join();
      }
    }
  }
}
