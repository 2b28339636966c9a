package dev.rdpdoctor.serve;

import dev.rdpdoctor.engine.Budget;
import dev.rdpdoctor.engine.DiagnoseRequest;
import dev.rdpdoctor.engine.RunResult;
import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.GatewayEvidence;
import dev.rdpdoctor.evidence.Target;
import dev.rdpdoctor.evidence.TargetParser;
import dev.rdpdoctor.evidence.TcpEvidence;
import dev.rdpdoctor.probe.Credentials;
import dev.rdpdoctor.probe.GatewayProbe;
import dev.rdpdoctor.probe.event.ProbeEvent;
import dev.rdpdoctor.probe.event.RunClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns a web request into one diagnosis: parses the target, picks the module, applies the target
 * policy and the limits, then runs {@code engine.Doctor} like every other command. Adds no probing
 * and no rules of its own.
 */
final class ProbeService {
  /** The shortest run worth starting: below it every probe would time out. */
  static final Duration MIN_RUN = Duration.ofMillis(500);

  private final ServeConfig config;
  private final TargetPolicy policy;
  private final Limits limits;
  private final ServeServer.Runner doctor;
  private final ExporterMetrics metrics;

  ProbeService(
      ServeConfig config,
      TargetPolicy policy,
      Limits limits,
      ServeServer.Runner doctor,
      ExporterMetrics metrics) {
    this.config = config;
    this.policy = policy;
    this.limits = limits;
    this.doctor = doctor;
    this.metrics = metrics;
  }

  /** A request refused before (or instead of) running: an HTTP status and a reason. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    Refused(int status, String reason) {
      super(reason);
      this.status = status;
    }
  }

  /** What was asked, checked: ready to run. */
  record Plan(Target target, Target gateway, ServeConfig.Module module, Duration run) {}

  /** A finished run with its event log and wall time. */
  record Outcome(Plan plan, RunResult result, EventRecorder events, double seconds) {}

  /**
   * @param profileName a client profile name, or null for the module's
   * @param gatewayText HOST[:PORT] of an RD Gateway, or null for the module's (if any)
   * @param scrapeTimeout Prometheus' scrape timeout in seconds, or null
   */
  Plan plan(
      String targetText,
      String moduleName,
      String profileName,
      String gatewayText,
      String scrapeTimeout)
      throws Refused {
    if (targetText == null || targetText.isBlank()) {
      throw new Refused(400, "no target given (target=HOST[:PORT])");
    }
    if (targetText.length() > 300) {
      throw new Refused(400, "the target is longer than 300 characters");
    }
    String name = moduleName == null || moduleName.isBlank() ? "full" : moduleName;
    ServeConfig.Module m = config.modules().get(name);
    if (m == null) {
      throw new Refused(
          400,
          "unknown module '"
              + clip(name)
              + "'; this server has "
              + String.join(", ", config.modules().keySet().stream().sorted().toList()));
    }
    ClientProfile profile = m.profile();
    if (profileName != null && !profileName.isBlank()) {
      profile =
          ClientProfile.byName(profileName)
              .orElseThrow(
                  () ->
                      new Refused(
                          400,
                          "unknown client kind '"
                              + clip(profileName)
                              + "'; choose one of "
                              + String.join(
                                  ", ",
                                  ClientProfile.ALL.stream().map(ClientProfile::name).toList())));
    }
    Target target;
    Target gateway = null;
    try {
      target = TargetParser.parse(targetText, null, profile);
      String gw = gatewayText != null && !gatewayText.isBlank() ? gatewayText : m.gateway();
      if (gw != null) {
        if (gw.length() > 300) {
          throw new Refused(400, "the gateway is longer than 300 characters");
        }
        gateway = TargetParser.parse(gw, null, profile);
        if (gateway.port() == Target.DEFAULT_PORT && !gw.endsWith(":" + Target.DEFAULT_PORT)) {
          gateway =
              new Target(gateway.host(), GatewayProbe.DEFAULT_PORT, gateway.literal(), profile);
        }
      }
    } catch (TargetParser.BadTarget e) {
      throw new Refused(400, e.getMessage());
    }
    // Behind a gateway only the gateway is connected to; the target is a name it is given.
    TargetPolicy.Decision d =
        gateway != null ? policy.check(gateway, "gateway") : policy.check(target, "target");
    if (!d.allowed()) {
      throw new Refused(403, d.reason());
    }
    if (gateway != null && !policy.anyTarget() && !policy.check(target, "target").allowed()) {
      throw new Refused(403, "target " + target.display() + " is not in this server's allowlist");
    }
    return new Plan(target, gateway, m, runTime(m, scrapeTimeout));
  }

  /**
   * The scrape timeout minus the offset, capped by the module, as blackbox_exporter does. The
   * offset covers what follows the run's deadline (closing, diagnosing, rendering: typically a few
   * milliseconds, at most {@link Budget#MARGIN}).
   */
  Duration runTime(ServeConfig.Module m, String scrapeTimeout) throws Refused {
    if (scrapeTimeout == null || scrapeTimeout.isBlank()) {
      return m.timeout();
    }
    double secs;
    try {
      secs = Double.parseDouble(scrapeTimeout.trim());
    } catch (NumberFormatException e) {
      throw new Refused(400, "X-Prometheus-Scrape-Timeout-Seconds is not a number");
    }
    if (!(secs > 0) || secs > 3600) {
      throw new Refused(400, "X-Prometheus-Scrape-Timeout-Seconds must be above 0");
    }
    Duration d = Duration.ofMillis(Math.round(secs * 1000)).minus(config.scrapeOffset());
    if (d.compareTo(MIN_RUN) < 0) {
      throw new Refused(
          400,
          "the scrape timeout ("
              + scrapeTimeout
              + " s) leaves less than "
              + MIN_RUN.toMillis()
              + " ms for the probe after the "
              + config.scrapeOffset().toMillis()
              + " ms offset");
    }
    return d.compareTo(m.timeout()) < 0 ? d : m.timeout();
  }

  /** Runs one diagnosis under the rate limit and the global cap. */
  Outcome run(Plan plan, String client, Credentials credentials, Consumer<ProbeEvent> live)
      throws Refused {
    if (!limits.allow(client, RunClock.SYSTEM.nanos())) {
      metrics.refused("rate-limited");
      throw new Refused(
          429,
          "too many diagnoses from "
              + client
              + ": at most "
              + config.ratePerMinute()
              + " a minute (burst "
              + config.burst()
              + ")");
    }
    if (!limits.acquire()) {
      metrics.refused("busy");
      throw new Refused(
          503,
          "this server is already running "
              + limits.cap()
              + " diagnoses, its limit; try again in a few seconds");
    }
    metrics.started();
    long origin = RunClock.SYSTEM.nanos();
    EventRecorder events = new EventRecorder(origin, live);
    RunResult result;
    double seconds = 0;
    try {
      DiagnoseRequest req =
          DiagnoseRequest.of(plan.target())
              .withChecks(plan.module().checkSet())
              .withBudget(plan.module().budget(plan.run()))
              .withCredentials(credentials);
      if (plan.gateway() != null) {
        req = req.withGateway(plan.gateway(), null);
      }
      result = doctor.diagnose(req, events);
      seconds = (RunClock.SYSTEM.nanos() - origin) / 1e9;
    } finally {
      limits.release();
      metrics.finished();
    }
    String rebound =
        policy.anyTarget()
            ? null
            : policy.checkUsed(
                addressesUsed(result.evidence()),
                policy.nameAllowed(plan.gateway() != null ? plan.gateway() : plan.target()));
    if (rebound != null) {
      metrics.refused("policy");
      throw new Refused(403, "refused after the run: " + rebound + "; the result is withheld");
    }
    metrics.observe(plan.module().name(), result.diagnosis().verdict(), seconds);
    return new Outcome(plan, result, events, seconds);
  }

  /** Login attempts share the client's rate limit, so a token cannot be guessed quickly. */
  boolean allowLogin(String client) {
    return limits.allow(client, RunClock.SYSTEM.nanos());
  }

  /** Every address the run connected to, from its evidence. */
  static List<String> addressesUsed(Evidence e) {
    List<String> out = new ArrayList<>();
    e.tcp().stream().map(TcpEvidence::address).forEach(out::add);
    e.section(GatewayEvidence.class)
        .ifPresent(g -> g.tcp().stream().map(TcpEvidence::address).forEach(out::add));
    return out;
  }

  ServeConfig config() {
    return config;
  }

  static String clip(String s) {
    String one = s.replaceAll("\\p{Cntrl}", " ");
    return one.length() <= 40 ? one : one.substring(0, 40) + "...";
  }
}
