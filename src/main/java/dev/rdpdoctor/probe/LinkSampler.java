package dev.rdpdoctor.probe;

import dev.rdpdoctor.probe.event.ProbeEvent;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Every connection a run opens is a sample of the path: this listener keeps the TCP connect times
 * (one round trip each, or one round trip plus the 1 s initial retransmission timeout when the SYN
 * or SYN+ACK was lost) and the connects that timed out to an address that accepted others. {@link
 * QualityProbe#summarise} turns them into the same estimate the dedicated series gives, so the two
 * can be pooled.
 */
public final class LinkSampler implements ProbeListener {
  /** The run's connections are a few dozen; this bounds a run with opt-in enumerations. */
  static final int MAX_SAMPLES = 256;

  /**
   * A connect that timed out sooner than this was cut short (by the run's deadline) before its
   * first SYN could even be retransmitted (initial RTO 1 s, RFC 6298): it says nothing of loss.
   */
  static final long MIN_LOSS_TIMEOUT_MS = 2_000;

  private final List<Sample> samples = new ArrayList<>();

  private record Sample(InetAddress address, int port, Double millis) {}

  @Override
  public synchronized void on(ProbeEvent event) {
    if (samples.size() >= MAX_SAMPLES) {
      return;
    }
    if (event instanceof ProbeEvent.ConnectEnded c) {
      samples.add(new Sample(c.address(), c.port(), (double) c.millis()));
    } else if (event instanceof ProbeEvent.ConnectFailed c
        && c.outcome().equals("timeout")
        && c.millis() >= MIN_LOSS_TIMEOUT_MS) {
      samples.add(new Sample(c.address(), c.port(), null));
    }
  }

  /**
   * Connect times to one address and port: the completed ones, and the count of timeouts, which
   * only count as loss when that address accepted other connections (else the port is filtered, and
   * that is not the path's quality).
   */
  public synchronized Samples to(InetAddress address, int port) {
    List<Double> times = new ArrayList<>();
    int timeouts = 0;
    for (Sample s : samples) {
      if (s.address().equals(address) && s.port() == port) {
        if (s.millis() == null) {
          timeouts++;
        } else {
          times.add(s.millis());
        }
      }
    }
    return new Samples(List.copyOf(times), times.isEmpty() ? 0 : timeouts);
  }

  /** Connect times in milliseconds and the connects that timed out. */
  public record Samples(List<Double> millis, int timeouts) {
    public int count() {
      return millis.size() + timeouts;
    }
  }
}
