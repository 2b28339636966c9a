package dev.rdpdoctor.probe;

import dev.rdpdoctor.evidence.AlternateAddressCheck;
import dev.rdpdoctor.evidence.ConnectionLimitCheck;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.IpLiteral;
import dev.rdpdoctor.evidence.MtuCheck;
import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.PathEvidence;
import dev.rdpdoctor.evidence.ProbeTiming;
import dev.rdpdoctor.evidence.QualityCheck;
import dev.rdpdoctor.evidence.TcpEvidence;
import dev.rdpdoctor.evidence.TlsEvidence;
import dev.rdpdoctor.evidence.UdpCheck;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * The network-path probes, run after the core ones because what they measure depends on what the
 * core found. RDP-UDP is cheap and always runs; the link-quality series and the MTU search cost
 * seconds, so they run when the core evidence points at the path (a TLS flight that stalls, an RDP
 * request that times out, a slow connect) or when asked ({@code --path}); the connection-limit test
 * only when asked.
 */
public final class PathProbes {
  /** A TCP connect slower than this suggests a lost SYN or a slow link: measure the path. */
  static final long SLOW_CONNECT_MS = 900;

  /**
   * @param full measure quality and MTU even when nothing points at them ({@code --path})
   * @param connectionLimit run the opt-in pending-connections test
   * @param ip the address the user says is the right one, or null
   * @param expectUdp the user says the server offers RDP-UDP
   */
  public record PathOptions(
      boolean full, boolean connectionLimit, InetAddress ip, boolean expectUdp, Duration udpWait) {
    public static PathOptions defaults() {
      return new PathOptions(false, false, null, false, Duration.ofMillis(1500));
    }
  }

  private final PathOptions options;
  private final TlsStep tls;
  private volatile EarlyUdp early;

  /** The UDP check started while the core ran, its events timed from the run's start. */
  private record EarlyUdp(InetAddress address, Future<UdpCheck> check, TimingCollector timings) {}

  public PathProbes(PathOptions options, TlsStep tls) {
    this.options = options;
    this.tls = tls;
  }

  /**
   * Starts the RDP-UDP check as soon as the core run knows which address takes RDP: the check needs
   * nothing else, and its wait (silence from a filtered port lasts the whole of it) then overlaps
   * the negotiations and handshakes instead of following them. Datagrams take none of the
   * connection slots.
   *
   * @param runOrigin the run's start on its clock, where the core's timings start
   * @param connects the run's TCP handshakes so far, which set how long to wait
   */
  public void rdpAddressKnown(
      InetAddress address,
      int port,
      long runOrigin,
      LinkSampler.Samples connects,
      ProbeContext ctx) {
    if (early != null || ctx.runDeadline().remainingMillis() < MIN_LEFT_MS) {
      return;
    }
    TimingCollector timings = new TimingCollector(runOrigin);
    ProbeContext uctx = ctx.withListener(timings);
    Duration wait = UdpProbe.waitFor(connects, options.udpWait());
    early =
        new EarlyUdp(
            address,
            Threads.submit(() -> UdpProbe.run(address, port, wait, options.expectUdp(), uctx)),
            timings);
  }

  public Evidence run(Evidence core, ProbeContext ctx) {
    return run(core, null, ctx);
  }

  /**
   * @param sampler the core run's connection samples, the passive link estimate; null when the core
   *     run was not sampled
   */
  public Evidence run(Evidence core, LinkSampler sampler, ProbeContext ctx) {
    Stopwatch t0 = ctx.stopwatch();
    TimingCollector timings = new TimingCollector(ctx.now());
    ProbeContext pctx = ctx.withListener(timings);
    List<String> notChecked = new ArrayList<>();
    int port = core.target().port();

    Future<AlternateAddressCheck> alternate = null;
    if (options.ip() != null) {
      String nameSha =
          core.tls() != null && core.tls().ok() && !core.tls().chain().isEmpty()
              ? core.tls().chain().get(0).sha256()
              : null;
      List<String> resolved = core.dns().addresses() == null ? List.of() : core.dns().addresses();
      int offer = core.target().profile().requestedProtocols();
      alternate =
          Threads.submit(
              () ->
                  AlternateAddressProbe.run(
                      options.ip(),
                      port,
                      core.target().host(),
                      offer,
                      resolved,
                      nameSha,
                      tls,
                      pctx));
    }

    InetAddress address = literal(core.rdpAddress());
    UdpCheck udp = null;
    QualityCheck quality = null;
    MtuCheck mtu = null;
    ConnectionLimitCheck limit = null;
    if (address == null) {
      notChecked.add(
          "network path (RDP over UDP, link quality, MTU): no address accepted"
              + " a TCP connection");
    } else if (ctx.runDeadline().remainingMillis() < MIN_LEFT_MS) {
      LinkSampler.Samples samples =
          sampler == null ? new LinkSampler.Samples(List.of(), 0) : sampler.to(address, port);
      QualityCheck passive = QualityProbe.passive(address, port, samples);
      String trigger = address.isLoopbackAddress() ? null : trigger(core, passive);
      if (trigger != null) {
        quality =
            QualityProbe.run(
                address,
                port,
                "the run's own "
                    + samples.count()
                    + " connection(s) and a dedicated series ("
                    + trigger
                    + ")",
                samples,
                extended(pctx, QUALITY_BUDGET));
      } else if (samples.count() > 0) {
        quality = passive;
      }
      if (stalledFlight(core) && !lossy(passive)) {
        mtu = MtuProbe.run(address, extended(pctx, MTU_BUDGET));
      } else if (stalledFlight(core)) {
        notChecked.add(LOSSY_NO_MTU);
      }
      EarlyUdp pre = early;
      if (pre != null && pre.address().equals(address)) {
        udp = await(pre.check(), options.udpWait().toMillis() + 3_000);
      } else {
        notChecked.add("RDP over UDP: the run's deadline had passed");
      }
    } else {
      LinkSampler.Samples samples =
          sampler == null ? new LinkSampler.Samples(List.of(), 0) : sampler.to(address, port);
      EarlyUdp pre = early;
      Duration udpWait = UdpProbe.waitFor(samples, options.udpWait());
      Future<UdpCheck> udpF =
          pre != null && pre.address().equals(address)
              ? pre.check()
              : Threads.submit(
                  () -> UdpProbe.run(address, port, udpWait, options.expectUdp(), pctx));
      QualityCheck passive = QualityProbe.passive(address, port, samples);
      // on loopback there is no path: slow connects are a busy CPU, a stall is the server's
      String trigger = address.isLoopbackAddress() ? null : trigger(core, passive);
      Future<QualityCheck> qualityF = null;
      Future<MtuCheck> mtuF = null;
      if (trigger == null && samples.count() > 0) {
        quality = passive;
      }
      if (trigger != null) {
        String why =
            samples.count() == 0
                ? trigger
                : "the run's own "
                    + samples.count()
                    + " connection(s) and a dedicated series ("
                    + trigger
                    + ")";
        qualityF =
            Threads.submit(
                () ->
                    QualityProbe.run(address, port, why, samples, extended(pctx, QUALITY_BUDGET)));
        if (options.full() || stalledFlight(core) && !lossy(passive)) {
          mtuF = Threads.submit(() -> MtuProbe.run(address, extended(pctx, MTU_BUDGET)));
        } else if (stalledFlight(core)) {
          notChecked.add(LOSSY_NO_MTU);
        } else {
          notChecked.add(
              "path MTU: the TLS flight arrived whole, so no black hole to look for"
                  + " (--path measures it anyway)");
        }
      } else {
        notChecked.add(
            "a dedicated link-quality series and the path MTU: the run's own"
                + " connections showed a fast, clean link (--path measures them)");
      }
      udp = await(udpF, options.udpWait().toMillis() + 3_000);
      if (qualityF != null) {
        quality = await(qualityF, QualityProbe.bounds().maxSeconds() * 1000 + 3_000);
      }
      mtu = await(mtuF, MtuProbe.bounds().maxSeconds() * 1000 + 3_000);
      if (options.connectionLimit()) {
        // after the others, so their connections do not count against the server's limit
        limit = ConnectionLimitProbe.run(address, port, pctx);
      } else {
        notChecked.add(
            "connection limit: opt-in (--connection-limit opens "
                + ConnectionLimitProbe.PENDING
                + " connections at once)");
      }
    }
    AlternateAddressCheck alt =
        alternate == null
            ? null
            : await(alternate, AlternateAddressProbe.bounds(pctx).maxSeconds() * 1000 + 3_000);
    PathEvidence path =
        new PathEvidence(core.rdpAddress(), udp, quality, mtu, limit, alt, MtuProbe.interfaces());
    EarlyUdp pre = early;
    List<ProbeTiming> before =
        pre != null && udp != null && pre.address().equals(address)
            ? pre.timings().timings()
            : List.of();
    return merge(core, path, before, timings.timings(), notChecked, t0.millis());
  }

  /**
   * The MTU search's own time. A TLS flight that stalls after the small packets passed is the
   * black-hole signature; the stall itself uses up the run's deadline, and only the search can tell
   * a black hole from a stalled server, so it gets this budget on top (a stated extension of the
   * run, like the opt-in checks').
   */
  static final Duration MTU_BUDGET = Duration.ofSeconds(16);

  /**
   * The dedicated link-quality series' own minimum time, when the run's connections look slow or
   * lossy: on such a link the core checks use up the deadline, and without the series' samples a
   * timeout could not be told from a stalled server.
   */
  static final Duration QUALITY_BUDGET = Duration.ofSeconds(4);

  /** The run's context with at least {@code budget} from now. */
  private static ProbeContext extended(ProbeContext ctx, Duration budget) {
    Deadline own = Deadline.in(budget);
    Deadline later = own.nanos() - ctx.runDeadline().nanos() > 0 ? own : ctx.runDeadline();
    return new ProbeContext(
        ctx.listener(),
        ctx.clock(),
        ctx.connectTimeout(),
        ctx.probeTimeout(),
        ctx.connectionSlots(),
        later);
  }

  static final String LOSSY_NO_MTU =
      "path MTU: the run's own connects already lost packets, which stall a TLS flight too, and"
          + " a ping search on a lossy link reads lost pings as too large (--path measures it"
          + " anyway)";

  /** Whether the run's own connects needed a retransmission or timed out. */
  static boolean lossy(QualityCheck passive) {
    return passive.retransmitted() + passive.failed() > 0;
  }

  /** The path probes are not started with less of the run left than this. */
  static final long MIN_LEFT_MS = 300;

  /**
   * Why the dedicated quality series runs, or null when nothing asks for it: the run's own
   * connections (the passive estimate) look slow, lossy or erratic, or a core check stalled.
   */
  String trigger(Evidence core, QualityCheck passive) {
    if (options.full()) {
      return "asked (--path)";
    }
    if (passive.medianMillis() != null && passive.medianMillis() >= QualityCheck.HIGH_LATENCY_MS) {
      return "the run's connects took a median " + Math.round(passive.medianMillis()) + " ms";
    }
    if (passive.retransmitted() > 0 || passive.failed() > 0) {
      return "the run's connects show "
          + (passive.retransmitted() + passive.failed())
          + " SYN retransmission(s) or timeout(s)";
    }
    if (passive.p95Millis() != null
        && passive.medianMillis() != null
        && passive.p95Millis() - passive.medianMillis() >= QualityCheck.ERRATIC_SPREAD_MS) {
      return "the run's connect times disagree widely (median "
          + Math.round(passive.medianMillis())
          + " ms, p95 "
          + Math.round(passive.p95Millis())
          + " ms)";
    }
    if (stalledFlight(core)) {
      return "the TLS server flight stalled after the small packets passed";
    }
    if (core.negotiation() != null
        && core.negotiation().attempts().stream()
            .anyMatch(a -> a.outcome() == NegotiationAttempt.Outcome.TIMEOUT)) {
      return "an RDP request timed out";
    }
    if (core.tcp().stream()
        .anyMatch(t -> t.outcome() == TcpEvidence.Outcome.OPEN && t.millis() >= SLOW_CONNECT_MS)) {
      return "a TCP connect took over " + SLOW_CONNECT_MS + " ms";
    }
    return null;
  }

  /**
   * The MTU black-hole signature: TCP and the X.224 exchange (small packets) worked, the TLS
   * handshake timed out with little or nothing of the server's flight received.
   */
  public static boolean stalledFlight(Evidence core) {
    TlsEvidence t = core.tls();
    boolean negotiated =
        core.negotiation() != null
            && core.negotiation()
                .client()
                .map(a -> a.outcome() == NegotiationAttempt.Outcome.RESPONSE)
                .orElse(false);
    return negotiated && t != null && t.status() == TlsEvidence.Status.TIMEOUT;
  }

  /**
   * @param during timings of path checks that ran alongside the core, already on the run's clock
   * @param mine timings of those that ran after it, on the path phase's clock
   */
  static Evidence merge(
      Evidence core,
      PathEvidence path,
      List<ProbeTiming> during,
      List<ProbeTiming> mine,
      List<String> notChecked,
      long millis) {
    List<ProbeTiming> timings = new ArrayList<>(core.timings());
    timings.addAll(during);
    // path probes start when the core ones have finished: shift onto the run's clock
    mine.forEach(
        t ->
            timings.add(
                new ProbeTiming(
                    t.probe(),
                    t.subject(),
                    t.startMillis() + core.millis(),
                    t.millis(),
                    t.outcome())));
    List<String> nc = new ArrayList<>(core.notChecked());
    nc.addAll(notChecked);
    return core.toBuilder()
        .timings(timings)
        .notChecked(nc)
        .millis(core.millis() + millis)
        .build()
        .with(path);
  }

  private static InetAddress literal(String ip) {
    return IpLiteral.parse(ip).orElse(null);
  }

  private static <T> T await(Future<T> f, double ms) {
    return Threads.await(f, (long) ms);
  }
}
