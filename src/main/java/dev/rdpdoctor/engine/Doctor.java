package dev.rdpdoctor.engine;

import dev.rdpdoctor.diagnosis.Diagnoser;
import dev.rdpdoctor.diagnosis.Diagnosis;
import dev.rdpdoctor.diagnosis.Finding;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.EvidenceSection;
import dev.rdpdoctor.evidence.GatewayEvidence;
import dev.rdpdoctor.evidence.Target;
import dev.rdpdoctor.probe.CredSspProbe;
import dev.rdpdoctor.probe.Deadline;
import dev.rdpdoctor.probe.GatewayProbe;
import dev.rdpdoctor.probe.LinkSampler;
import dev.rdpdoctor.probe.PathProbes;
import dev.rdpdoctor.probe.ProbeContext;
import dev.rdpdoctor.probe.ProbeEngine;
import dev.rdpdoctor.probe.ProbeListener;
import dev.rdpdoctor.probe.RdpSecurityProbe;
import dev.rdpdoctor.probe.SessionProbe;
import dev.rdpdoctor.probe.Stopwatch;
import dev.rdpdoctor.probe.TimingCollector;
import dev.rdpdoctor.probe.TlsCipherProbe;
import dev.rdpdoctor.probe.TlsProbe;
import dev.rdpdoctor.probe.TlsStep;
import dev.rdpdoctor.probe.event.RunClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * The one way to run a diagnosis: a request in, evidence and ranked findings out, every step on the
 * listener's event stream, the whole run under one deadline. {@code diagnose}, {@code scan} and
 * {@code serve} all call {@link #diagnose}; they add scheduling and presentation, never their own
 * probing or rules.
 */
public final class Doctor {
  /** A server's liveness check (other ports, ICMP) when its RDP port is silent. */
  static final Duration LIVENESS = Duration.ofMillis(2500);

  private final Supplier<Diagnoser> diagnoser;
  private final TlsStep tls;
  private final RunClock clock;

  /**
   * @param diagnoser made when the evidence is in: loading the knowledge base overlaps I/O
   */
  public Doctor(Supplier<Diagnoser> diagnoser, TlsStep tls, RunClock clock) {
    this.diagnoser = diagnoser;
    this.tls = tls;
    this.clock = clock;
  }

  public static Doctor standard() {
    return new Doctor(Diagnoser::standard, TlsProbe::run, RunClock.SYSTEM);
  }

  public RunResult diagnose(DiagnoseRequest request, ProbeListener listener) {
    Budget budget = request.budget();
    Deadline deadline = Deadline.in(budget.total(request.checks()));
    ProbeContext ctx =
        new ProbeContext(
            listener,
            clock,
            budget.connect(),
            budget.run(),
            new Semaphore(ProbeContext.MAX_CONCURRENT_CONNECTIONS, true),
            deadline);
    Stopwatch run = ctx.stopwatch();
    Evidence evidence = request.gateway() != null ? viaGateway(request, ctx) : direct(request, ctx);
    for (EvidenceSection s : request.offline()) {
      evidence = evidence.with(s);
    }
    Diagnosis diagnosis = diagnoser.get().diagnose(evidence);
    List<Finding> findings = diagnosis.findings();
    for (int i = 0; i < findings.size(); i++) {
      ctx.emit(new RunEvent.FindingEmitted(ctx.now(), i, findings.get(i)));
    }
    ctx.emit(new RunEvent.RunFinished(ctx.now(), diagnosis.verdict(), run.millis()));
    return new RunResult(evidence, diagnosis);
  }

  private Evidence direct(DiagnoseRequest r, ProbeContext ctx) {
    Checks c = r.checks();
    Budget b = r.budget();
    ProbeEngine.ProbeOptions options =
        new ProbeEngine.ProbeOptions(
            b.dns(), b.connect(), b.run(), LIVENESS, c.eachProtocol(), c.eachTlsVersion());
    LinkSampler sampler = new LinkSampler();
    PathProbes paths =
        new PathProbes(
            new PathProbes.PathOptions(
                c.path(),
                c.connectionLimit(),
                c.givenIp(),
                c.expectUdp(),
                PathProbes.PathOptions.defaults().udpWait()),
            tls);
    long origin = ctx.now();
    // the client's own path (CredSSP, then the session on what CredSSP found) and the
    // Standard RDP Security and cipher enumerations, which need only the core evidence,
    // overlap within the run's three connection slots
    Evidence evidence =
        new ProbeEngine(
                options,
                tls,
                List.of(CredSspProbe.step(r.credentials()), SessionProbe.step(r.credentials())),
                List.of(RdpSecurityProbe.step(), TlsCipherProbe.step(c.tlsCiphers())))
            .run(
                r.target(),
                ctx.withListener(sampler),
                address ->
                    paths.rdpAddressKnown(
                        address,
                        r.target().port(),
                        origin,
                        sampler.to(address, r.target().port()),
                        ctx));
    return paths.run(evidence, sampler, ctx);
  }

  /**
   * Through a gateway the client never opens the direct path, so only the gateway is probed;
   * whether the gateway reaches the host is what its channel create (with credentials) says.
   */
  private static Evidence viaGateway(DiagnoseRequest r, ProbeContext runCtx) {
    TimingCollector timings = new TimingCollector(runCtx.now());
    ProbeContext ctx = runCtx.withListener(timings);
    Instant started = Instant.now();
    Stopwatch t0 = ctx.stopwatch();
    Target t = r.target();
    Target gw = r.gateway();
    GatewayEvidence g =
        GatewayProbe.run(
            new GatewayProbe.Options(
                gw.host(),
                gw.port(),
                gw.literal(),
                t.host(),
                t.port(),
                r.credentials(),
                r.expectFingerprint(),
                GatewayProbe.UDP_PORT,
                r.budget().dns(),
                Duration.ofMillis(Math.min(3000, r.budget().run().toMillis()))),
            ctx);
    List<String> notChecked = new ArrayList<>();
    notChecked.add(
        "direct path to "
            + t.display()
            + ": not probed, the client reaches it "
            + "through the RD Gateway "
            + g.display());
    notChecked.addAll(g.notChecked());
    return Evidence.builder(t, started)
        .timings(timings.timings())
        .notChecked(notChecked)
        .millis(t0.millis())
        .build()
        .with(g);
  }
}
