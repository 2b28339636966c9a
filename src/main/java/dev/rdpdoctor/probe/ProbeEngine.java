package dev.rdpdoctor.probe;

import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.EvidenceSection;
import dev.rdpdoctor.evidence.LivenessEvidence;
import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.NegotiationEvidence;
import dev.rdpdoctor.evidence.Target;
import dev.rdpdoctor.evidence.TcpEvidence;
import dev.rdpdoctor.evidence.TlsEvidence;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Schedules the probes: DNS, then TCP to every address at once, then (on the first address that
 * accepts) every X.224 negotiation and the TLS handshakes at once. Each probe has its own deadline;
 * the engine only waits for them, so the whole run is bounded by the sum of a few probe timeouts.
 */
public final class ProbeEngine {
  /** One negotiation per security protocol, as the issue asks: each alone, to see each answer. */
  static final int[] PROTOCOLS = {
    SecurityProtocol.PROTOCOL_RDP,
    SecurityProtocol.PROTOCOL_SSL,
    SecurityProtocol.PROTOCOL_HYBRID,
    SecurityProtocol.PROTOCOL_HYBRID_EX,
    SecurityProtocol.PROTOCOL_RDSTLS,
    SecurityProtocol.PROTOCOL_RDSAAD
  };

  /** What to offer for a look at the certificate when the client's own offer was refused. */
  static final int ANY_TLS = SecurityProtocol.MSTSC_OFFER;

  private final ProbeOptions options;
  private final TlsStep tls;
  private final List<SectionStep> steps;
  private final List<SectionStep> alongside;

  public ProbeEngine(ProbeOptions options, TlsStep tls) {
    this(options, tls, List.of());
  }

  /** With further probe families, run in order after the core path on the RDP address. */
  public ProbeEngine(ProbeOptions options, TlsStep tls, List<SectionStep> steps) {
    this(options, tls, steps, List.of());
  }

  /**
   * @param steps run in order, each seeing the sections before it (the session after CredSSP)
   * @param alongside need only the core evidence: run in order on their own thread while the {@code
   *     steps} run, sharing the run's connection slots
   */
  public ProbeEngine(
      ProbeOptions options, TlsStep tls, List<SectionStep> steps, List<SectionStep> alongside) {
    this.options = options;
    this.tls = tls;
    this.steps = List.copyOf(steps);
    this.alongside = List.copyOf(alongside);
  }

  /** A run with its own context: one deadline of a few probe timeouts, the given listener. */
  public Evidence run(Target target, ProbeListener listener, WireTrace trace) {
    return run(
        target,
        new ProbeContext(listener, trace, options.connectTimeout(), options.probeTimeout()));
  }

  /** A run inside the caller's context: its listener, clock, slots and run deadline. */
  public Evidence run(Target target, ProbeContext runCtx) {
    return run(target, runCtx, a -> {});
  }

  /**
   * @param rdpAddressKnown told, once, the address that accepted the TCP connection, as soon as it
   *     is known: checks that need nothing more (RDP over UDP) start there instead of after
   */
  public Evidence run(Target target, ProbeContext runCtx, Consumer<InetAddress> rdpAddressKnown) {
    TimingCollector timings = new TimingCollector(runCtx.now());
    ProbeContext ctx = runCtx.withListener(timings);
    Instant started = Instant.now();
    Stopwatch t0 = ctx.stopwatch();
    List<String> notChecked = new ArrayList<>();

    DnsProbe.Result dns =
        DnsProbe.resolve(target.host(), target.literal(), options.dnsTimeout(), ctx);
    // one builder for every way the run can end; each return stamps the timings and duration
    Evidence.Builder base = Evidence.builder(target, started).dns(dns.evidence());
    if (dns.addresses().isEmpty()) {
      notChecked.add("TCP, RDP negotiation and TLS: the name did not resolve");
      return base.timings(timings.timings()).notChecked(notChecked).millis(t0.millis()).build();
    }

    List<TcpEvidence> tcp = connectAll(dns.addresses(), target.port(), ctx);
    Optional<InetAddress> open =
        dns.addresses().stream()
            .filter(
                a -> tcp.stream().anyMatch(t -> t.open() && t.address().equals(a.getHostAddress())))
            .findFirst();
    if (open.isEmpty()) {
      LivenessEvidence liveness = null;
      boolean silent = tcp.stream().noneMatch(TcpEvidence::answered);
      if (silent) {
        liveness = LivenessProbe.check(dns.addresses().get(0), options.livenessTimeout(), ctx);
      }
      notChecked.add(
          "RDP negotiation and TLS: no address accepted a TCP connection on port " + target.port());
      return base.tcp(tcp)
          .liveness(liveness)
          .timings(timings.timings())
          .notChecked(notChecked)
          .millis(t0.millis())
          .build();
    }

    InetAddress address = open.get();
    rdpAddressKnown.accept(address);
    int offer = target.profile().requestedProtocols();
    // The client's own offer goes first and alone: when the server never answers it, the other
    // dozen connections would only queue behind it, each waiting out its own deadline.
    NegotiationAttempt client =
        negotiate(address, target.port(), NegotiationEvidence.CLIENT_LABEL, offer, ctx);
    if (lostOnTheWay(client) && ctx.runDeadline().remainingMillis() >= RETRY_MIN_LEFT_MS) {
      // The port accepted a connection moments ago, so a connect or request that now goes
      // unanswered may be one lost packet, not a server that stopped answering: ask once more
      // before blaming the server, as a user clicking Connect again would.
      NegotiationAttempt first = client;
      NegotiationAttempt second =
          negotiate(address, target.port(), NegotiationEvidence.CLIENT_LABEL, offer, ctx);
      client =
          second.withDetail(
              "second try; the first ended "
                  + describe(first)
                  + " after "
                  + first.millis()
                  + " ms"
                  + (second.detail() == null ? "" : "; " + second.detail()));
    }
    boolean silent =
        client.outcome() == NegotiationAttempt.Outcome.TIMEOUT
            || client.outcome() == NegotiationAttempt.Outcome.NOT_RDP
            || client.outcome() == NegotiationAttempt.Outcome.CONNECT_FAILED;
    if (silent) {
      notChecked.add(
          "the other security protocols and TLS: the server did not answer the"
              + " client's own request with RDP");
      return base.tcp(tcp)
          .rdpAddress(address.getHostAddress())
          .negotiation(new NegotiationEvidence(address.getHostAddress(), List.of(client)))
          .timings(timings.timings())
          .notChecked(notChecked)
          .millis(t0.millis())
          .build();
    }
    boolean clientTls =
        client.outcome() == NegotiationAttempt.Outcome.RESPONSE
            && SecurityProtocol.usesTls(client.selectedProtocol());
    Future<TlsEvidence> tlsFuture =
        clientTls
            ? Threads.submit(
                () ->
                    tls.run(
                        address,
                        target.port(),
                        target.host(),
                        offer,
                        ctx,
                        options.enumerateTlsVersions()))
            : null;
    NegotiationEvidence negotiation = negotiateOthers(address, target.port(), client, ctx);

    TlsEvidence tlsEvidence = tlsFuture == null ? null : await(tlsFuture);
    if (!clientTls && serverSpeaksTls(negotiation)) {
      // The client's own offer was refused; still look at the certificate the way a client
      // with CredSSP on would, so the report can say what fixing the offer would meet.
      tlsEvidence =
          await(
              Threads.submit(
                  () ->
                      tls.run(
                          address,
                          target.port(),
                          target.host(),
                          ANY_TLS,
                          ctx,
                          options.enumerateTlsVersions())));
    }
    if (tlsEvidence == null || tlsEvidence.status() == TlsEvidence.Status.NOT_NEGOTIATED) {
      if (!serverSpeaksTls(negotiation)) {
        notChecked.add("TLS and certificate: the server did not agree to TLS in any negotiation");
      }
    }
    base.tcp(tcp).rdpAddress(address.getHostAddress()).negotiation(negotiation).tls(tlsEvidence);
    Evidence core =
        base.timings(timings.timings()).notChecked(notChecked).millis(t0.millis()).build();
    if (steps.isEmpty() && alongside.isEmpty()) {
      return core;
    }
    Future<List<EvidenceSection>> side =
        Threads.submit(() -> runSteps(alongside, core, address, ctx));
    // each step sees the sections before it: the session after NLA runs only when the
    // CredSSP logon test accepted the password, so a wrong one is never tried twice
    List<EvidenceSection> sections = new ArrayList<>(runSteps(steps, core, address, ctx));
    // every step is bound by the run's deadline (opt-in enumerations extend it)
    List<EvidenceSection> more = Threads.await(side, ctx.runDeadline().remainingMillis() + 2_000);
    if (more != null) {
      sections.addAll(more);
    }
    // rebuilt so the timings and the duration include the further probes
    return base.timings(timings.timings()).millis(t0.millis()).sections(sections).build();
  }

  private static List<EvidenceSection> runSteps(
      List<SectionStep> chain, Evidence core, InetAddress address, ProbeContext ctx) {
    List<EvidenceSection> out = new ArrayList<>();
    Evidence sofar = core;
    for (SectionStep step : chain) {
      EvidenceSection s = step.run(sofar, address, ctx);
      if (s != null) {
        out.add(s);
        sofar = sofar.with(s);
      }
    }
    return out;
  }

  private static boolean serverSpeaksTls(NegotiationEvidence n) {
    return n.attempts().stream()
        .anyMatch(
            a ->
                a.outcome() == NegotiationAttempt.Outcome.RESPONSE
                    && SecurityProtocol.usesTls(a.selectedProtocol()));
  }

  /**
   * Connects per address for the TCP check, at most. One lost SYN or SYN+ACK would make a single
   * connect wait out its retransmissions (1 s, 3 s) and, on a lossy link, time out and read as a
   * filtered port; so a further connect starts each {@link #TCP_CHECK_STAGGER_MS} while none has
   * answered. They are staggered, not sent at once: a burst of handshakes fills a small listen
   * queue (xrdp's is 2) and the server then drops the next SYN, which would read as loss.
   */
  static final int TCP_CHECK_CONNECTS = 3;

  /**
   * A connect unanswered this long waits on a slow or lossy link: start another. Far above a LAN's
   * round trip, so a healthy server gets exactly one.
   */
  static final long TCP_CHECK_STAGGER_MS = 300;

  private List<TcpEvidence> connectAll(List<InetAddress> addresses, int port, ProbeContext ctx) {
    List<Future<TcpEvidence>> futures = new ArrayList<>();
    Duration timeout =
        Duration.ofMillis(
            Math.min(ctx.connectTimeout().toMillis(), ctx.runDeadline().remainingMillis()));
    for (InetAddress a : addresses) {
      futures.add(
          Threads.submit(
              () -> {
                String subject = a.getHostAddress() + ":" + port;
                Span span = ctx.span("tcp", subject);
                List<Future<TcpConnector.Result>> tries = new ArrayList<>();
                // every connect ends by the first one's deadline: a later one that has not
                // connected by then only makes a silent host cost more
                long deadline = ctx.now() + timeout.toNanos();
                CountDownLatch answered = new CountDownLatch(1);
                for (int i = 0; i < TCP_CHECK_CONNECTS && answered.getCount() > 0; i++) {
                  Duration left = Duration.ofNanos(deadline - ctx.now());
                  if (left.toMillis() < 1) {
                    break;
                  }
                  tries.add(
                      Threads.submit(
                          () -> {
                            try {
                              return TcpConnector.connect(a, port, left, ctx, "tcp");
                            } finally {
                              answered.countDown();
                            }
                          }));
                  awaitQuietly(answered, TCP_CHECK_STAGGER_MS);
                }
                TcpEvidence best = null;
                for (Future<TcpConnector.Result> f : tries) {
                  TcpConnector.Result r = Threads.await(f, timeout.toMillis() + 2_000);
                  if (r == null) {
                    continue;
                  }
                  if (r.socket() != null) {
                    TcpConnector.closeQuietly(r.socket());
                  }
                  TcpEvidence e = r.evidence();
                  // the fastest open connect stands for the address; else the first answer
                  if (best == null || e.open() && (!best.open() || e.millis() < best.millis())) {
                    best = e;
                  }
                }
                if (best == null) {
                  best =
                      new TcpEvidence(
                          a.getHostAddress(),
                          port,
                          TcpEvidence.Outcome.ERROR,
                          0,
                          "probe did not finish");
                }
                span.end(best.outcome().name().toLowerCase(Locale.ROOT), best.millis());
                return best;
              }));
    }
    List<TcpEvidence> out = new ArrayList<>();
    for (int i = 0; i < futures.size(); i++) {
      TcpEvidence e = await(futures.get(i));
      out.add(
          e != null
              ? e
              : new TcpEvidence(
                  addresses.get(i).getHostAddress(),
                  port,
                  TcpEvidence.Outcome.ERROR,
                  0,
                  "probe did not finish"));
    }
    return out;
  }

  /** Returns when the latch is open or {@code millis} have passed. */
  private static void awaitQuietly(CountDownLatch latch, long millis) {
    try {
      latch.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One negotiation per security protocol alone, all at once, after the client's own. */
  private NegotiationEvidence negotiateOthers(
      InetAddress address, int port, NegotiationAttempt client, ProbeContext ctx) {
    List<Future<NegotiationAttempt>> futures = new ArrayList<>();
    if (options.enumerateProtocols()) {
      for (int p : PROTOCOLS) {
        futures.add(
            Threads.submit(() -> negotiate(address, port, SecurityProtocol.names(p), p, ctx)));
      }
    }
    List<NegotiationAttempt> attempts = new ArrayList<>();
    attempts.add(client);
    for (Future<NegotiationAttempt> f : futures) {
      NegotiationAttempt a = await(f);
      if (a != null) {
        attempts.add(a);
      }
    }
    return new NegotiationEvidence(address.getHostAddress(), List.copyOf(attempts));
  }

  private static NegotiationAttempt negotiate(
      InetAddress address, int port, String label, int requested, ProbeContext ctx) {
    String subject = label + " " + SecurityProtocol.names(requested);
    Span span = ctx.span("negotiation", subject);
    NegotiationAttempt a =
        RdpConnector.negotiate(address, port, label, requested, ctx, false).attempt();
    span.end(describe(a), a.millis());
    return a;
  }

  /** A retry of the client's negotiation needs at least this much of the run left. */
  static final long RETRY_MIN_LEFT_MS = 1500;

  /** Unanswered in a way one lost packet explains: a connect or an answer that timed out. */
  static boolean lostOnTheWay(NegotiationAttempt a) {
    return a.outcome() == NegotiationAttempt.Outcome.TIMEOUT
        || a.outcome() == NegotiationAttempt.Outcome.CONNECT_FAILED
            && a.detail() != null
            && a.detail().contains("timeout");
  }

  static String describe(NegotiationAttempt a) {
    return switch (a.outcome()) {
      case RESPONSE -> "selected " + a.selected();
      case FAILURE -> "refused " + a.failureName();
      default -> a.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    };
  }

  /** Every probe bounds itself; this outer bound only guards against a probe that does not. */
  private <T> T await(Future<T> f) {
    return Threads.await(f, options.probeTimeout().toMillis() * 3 + 2_000);
  }

  /**
   * Time budgets and switches.
   *
   * @param enumerateProtocols one negotiation per security protocol, besides the client's own
   * @param enumerateTlsVersions one handshake per TLS version, besides the client's own
   */
  public record ProbeOptions(
      Duration dnsTimeout,
      Duration connectTimeout,
      Duration probeTimeout,
      Duration livenessTimeout,
      boolean enumerateProtocols,
      boolean enumerateTlsVersions) {
    public static ProbeOptions defaults() {
      return new ProbeOptions(
          Duration.ofSeconds(5),
          Duration.ofSeconds(4),
          Duration.ofSeconds(8),
          Duration.ofMillis(2500),
          true,
          true);
    }
  }
}
