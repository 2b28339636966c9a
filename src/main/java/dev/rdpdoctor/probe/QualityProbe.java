package dev.rdpdoctor.probe;

import dev.rdpdoctor.evidence.PathEvidence;
import dev.rdpdoctor.evidence.QualityCheck;
import dev.rdpdoctor.evidence.TcpEvidence;
import dev.rdpdoctor.probe.event.ProbeEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Future;

/**
 * Link quality from a bounded series of TCP handshakes to the RDP port, a few at a time. Each
 * connection is closed with a reset as soon as it opens, so the server's RDP stack never sees a
 * request and no TIME_WAIT state piles up.
 */
public final class QualityProbe {
  public static final int SAMPLES = 12;

  /**
   * One handshake at a time: a server whose accept loop is busy (xrdp behind stalled TLS
   * handshakes) lets a third concurrent SYN wait a retransmission, which would read as loss.
   */
  static final int PARALLEL = 1;

  /**
   * Long enough for one SYN retransmission (initial RTO 1 s, RFC 6298 2.1; Linux and Windows use
   * it) plus a slow answer, short enough that a second one counts as a failure.
   */
  static final Duration CONNECT_TIMEOUT = Duration.ofMillis(2500);

  /** A handshake this much slower than the fastest one waited for a retransmission. */
  static final double RETRANSMIT_GAP_MS = 800;

  /**
   * The pause between two handshakes. A server accepts each one before its listen queue has room
   * for the next (xrdp's holds 2); handshakes back to back would fill it, and the SYN it then drops
   * would read as loss on the path.
   */
  static final long PACE_MS = 100;

  /** Per handshake: SYN, one SYN retransmission, ACK, RST. */
  static final int PACKETS_PER_SAMPLE = 4;

  private QualityProbe() {}

  public static PathEvidence.Bounds bounds() {
    int rounds = (SAMPLES + PARALLEL - 1) / PARALLEL;
    return new PathEvidence.Bounds(
        SAMPLES * PACKETS_PER_SAMPLE, rounds * (CONNECT_TIMEOUT.toMillis() + PACE_MS) / 1000.0);
  }

  public static QualityCheck run(InetAddress address, int port, String trigger, ProbeContext ctx) {
    return run(address, port, trigger, new LinkSampler.Samples(List.of(), 0), ctx);
  }

  /**
   * The dedicated series, pooled with the samples the run already took: up to {@link #SAMPLES}
   * handshakes, one at a time, none started after the run's deadline.
   */
  public static QualityCheck run(
      InetAddress address,
      int port,
      String trigger,
      LinkSampler.Samples earlier,
      ProbeContext ctx) {
    Stopwatch t0 = ctx.stopwatch();
    String subject = address.getHostAddress() + ":" + port + " x" + SAMPLES;
    Span span = ctx.span("quality", subject);
    List<Double> times = new ArrayList<>(earlier.millis());
    int failed = earlier.timeouts();
    int ownFailed = 0;
    List<Double> own = new ArrayList<>();
    for (int done = 0;
        done < SAMPLES && ctx.runDeadline().remainingMillis() > MIN_LEFT_MS + PACE_MS;
        done++) {
      if (done > 0 && !pause()) {
        break;
      }
      Duration timeout =
          Duration.ofMillis(
              Math.min(CONNECT_TIMEOUT.toMillis(), ctx.runDeadline().remainingMillis()));
      Double ms = await(Threads.submit(() -> handshake(address, port, timeout, ctx)));
      if (ms == null) {
        failed++;
        ownFailed++;
      } else {
        times.add(ms);
        own.add(ms);
      }
    }
    // the run's fastest connect is the baseline for the series' own retransmissions too
    double min = times.stream().filter(t -> t >= 0).min(Double::compare).orElse(0.0);
    List<Double> answered = own.stream().filter(t -> t >= 0).toList();
    int series = answered.size() + ownFailed;
    int unclean = ownFailed + (int) answered.stream().filter(t -> retransmission(t - min)).count();
    QualityCheck q =
        summarise(address.getHostAddress(), port, times, failed, trigger, t0.millis())
            .withSeries(series, unclean);
    span.end(
        "median "
            + q.medianMillis()
            + " ms, "
            + q.retransmitted()
            + " retransmitted, "
            + q.failed()
            + " failed",
        q.millis());
    return q;
  }

  /** The passive estimate alone, from the run's own connections (no packet sent). */
  public static QualityCheck passive(InetAddress address, int port, LinkSampler.Samples s) {
    return summarise(
        address.getHostAddress(),
        port,
        s.millis(),
        s.timeouts(),
        "it is measured on every run: from the run's own " + s.count() + " connection(s)",
        0);
  }

  /** Sleeps {@link #PACE_MS}; false when interrupted. */
  private static boolean pause() {
    try {
      Thread.sleep(PACE_MS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A handshake is not started with less time than this before the run's deadline. */
  static final long MIN_LEFT_MS = 300;

  /** Milliseconds to an open connection, or null when it did not open in time. */
  static Double handshake(InetAddress address, int port, Duration timeout, ProbeContext ctx) {
    long t0 = ctx.now();
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), (int) Math.max(1, timeout.toMillis()));
      long now = ctx.now();
      double ms = (now - t0) / 1e6;
      ctx.emit(new ProbeEvent.ConnectEnded(now, "quality", address, port, Math.round(ms)));
      s.setSoLinger(true, 0);
      return ms;
    } catch (IOException e) {
      // refused or unreachable is not a loss sample; a timeout is, unless the run's deadline
      // cut it short of a retransmission
      boolean cut = timeout.compareTo(CONNECT_TIMEOUT) < 0;
      return TcpConnector.classify(e) == TcpEvidence.Outcome.TIMEOUT && !cut ? null : -1.0;
    }
  }

  /** Pure statistics over the samples; negative times (refused) are left out entirely. */
  static QualityCheck summarise(
      String address, int port, List<Double> all, int failed, String trigger, long millis) {
    List<Double> times = all.stream().filter(t -> t >= 0).sorted().toList();
    int samples = times.size() + failed;
    if (times.isEmpty()) {
      return new QualityCheck(
          address,
          port,
          samples,
          List.of(),
          0,
          failed,
          null,
          null,
          null,
          null,
          samples == 0 ? 0 : 1.0,
          trigger,
          millis,
          bounds(),
          null,
          null);
    }
    double min = times.get(0);
    List<Double> clean = times.stream().filter(t -> t - min < RETRANSMIT_GAP_MS).toList();
    // a lost SYN or SYN+ACK shows as the retransmission timer (1 s, then 3 s) on top of the
    // round trip; a connect slow by any other amount waited on a busy machine, not the path,
    // and counts as neither clean nor lost
    int retransmitted = (int) times.stream().filter(t -> retransmission(t - min)).count();
    samples = clean.size() + retransmitted + failed;
    double median = percentile(clean, 50);
    double p95 = percentile(clean, 95);
    List<Double> ordered = all.stream().filter(t -> t >= 0 && t - min < RETRANSMIT_GAP_MS).toList();
    double jitter = 0;
    for (int i = 1; i < ordered.size(); i++) {
      jitter += Math.abs(ordered.get(i) - ordered.get(i - 1));
    }
    jitter = ordered.size() > 1 ? jitter / (ordered.size() - 1) : 0;
    // A clean handshake needs both the SYN and the SYN+ACK through: (1 - p)^2.
    double cleanShare = clean.size() / (double) samples;
    double loss = 1 - Math.sqrt(cleanShare);
    return new QualityCheck(
        address,
        port,
        samples,
        clean.stream().map(QualityProbe::round).toList(),
        retransmitted,
        failed,
        round(min),
        round(median),
        round(p95),
        round(jitter),
        Math.round(loss * 1000) / 1000.0,
        trigger,
        millis,
        bounds(),
        null,
        null);
  }

  /**
   * Whether a connect's extra time matches the retransmission timers: the client resends its SYN
   * after 1 s and 3 s (RFC 6298 2.1, doubling), the server its SYN+ACK 1 s and 3 s after the SYN it
   * answers, and at once on a repeated SYN; so a handshake that lost packets completes a whole
   * number of seconds late (1, 2, 3 s), plus a little. Any other delay waited on a busy machine.
   */
  static boolean retransmission(double extraMillis) {
    long seconds = Math.round(extraMillis / 1000);
    double off = extraMillis - seconds * 1000;
    return seconds >= 1 && off >= -TIMER_EARLY_MS && off <= TIMER_LATE_MS;
  }

  /** How far a retransmitted handshake may land before or after its whole second. */
  static final double TIMER_EARLY_MS = 100;

  static final double TIMER_LATE_MS = 400;

  /** Nearest-rank percentile of sorted values. */
  static double percentile(List<Double> sorted, int pct) {
    List<Double> s = new ArrayList<>(sorted);
    Collections.sort(s);
    int rank = (int) Math.ceil(pct / 100.0 * s.size());
    return s.get(Math.max(0, Math.min(s.size() - 1, rank - 1)));
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  private static Double await(Future<Double> f) {
    return Threads.await(f, CONNECT_TIMEOUT.toMillis() + 2_000);
  }
}
