package dev.rdpdoctor.diagnosis;

import static dev.rdpdoctor.diagnosis.FindingFactory.ref;

import dev.rdpdoctor.codes.CauseId;
import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.NegotiationAttempt.Outcome;
import dev.rdpdoctor.evidence.TlsEvidence;
import dev.rdpdoctor.kb.KnowledgeBase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Pure rules from evidence to ranked findings. No I/O: everything here can be tested from canned
 * evidence. The path rule sets run in path order (name and port, negotiation, TLS, certificate) and
 * stop where the path stops; every other rule set runs after them. This class holds the policies
 * between rule sets, in one place: a failure later in the connection sequence counts as a warning
 * behind an earlier failure, the ranking keeps path order among findings of equal severity and
 * confidence (an earlier failure on the path is the one the user hits first), and {@code healthy}
 * or {@code inconclusive} is said only when no rule set found a problem.
 */
public final class Diagnoser {
  /** The direct path to the server, in the order a client walks it. */
  private static final List<RuleSet> PATH =
      List.of(
          new ReachabilityRules(), new NegotiationRules(), new TlsRules(), new CertificateRules());

  /** Everything else; each judges its own evidence section. */
  private static final List<RuleSet> FAMILIES =
      List.of(
          new ServerStabilityRules(),
          new NlaRules(),
          new RdpFileRules(),
          new PathRules(),
          new GatewayRules(),
          new EventLogRules(),
          new RdpSecurityRules(),
          new TlsCipherRules(),
          new SessionRules());

  private final KnowledgeBase kb;
  private final Clock clock;

  public Diagnoser(KnowledgeBase kb, Clock clock) {
    this.kb = kb;
    this.clock = clock;
  }

  public static Diagnoser standard() {
    return new Diagnoser(KnowledgeBase.get(), Clock.systemUTC());
  }

  public Diagnosis diagnose(Evidence e) {
    // fixes name the target, so each diagnosis gets its own factory
    FindingFactory f = new FindingFactory(kb, e.target(), clock);
    List<RuleSet.Result> earlier = new ArrayList<>();
    List<RuleSet.Result> later = new ArrayList<>();
    boolean complete = true;
    // No direct-path evidence (dns null): the client reaches the host only through an RD
    // Gateway, so the path rules have nothing to judge and the gateway rules decide.
    if (e.dns() != null) {
      for (RuleSet rules : PATH) {
        RuleSet.Result r = rules.apply(e, f);
        earlier.add(r);
        if (!r.complete()) {
          complete = false;
          break;
        }
      }
    }
    for (RuleSet rules : FAMILIES) {
      RuleSet.Result r = rules.apply(e, f);
      (rules.laterInTheSequence() ? later : earlier).add(r);
      complete &= r.complete();
    }
    List<Finding> found = new ArrayList<>();
    List<String> checked = new ArrayList<>();
    earlier.forEach(
        r -> {
          found.addAll(r.findings());
          checked.addAll(r.checked());
        });
    boolean earlierFailure = found.stream().anyMatch(x -> x.severity() == Severity.FAIL);
    later.forEach(
        r -> {
          r.findings()
              .forEach(
                  x ->
                      found.add(
                          earlierFailure && x.severity() == Severity.FAIL
                              ? x.withSeverity(Severity.WARN)
                              : x));
          checked.addAll(r.checked());
        });
    List<Finding> ranked = rank(linkExplainsTimeouts(found, e));
    boolean problem =
        ranked.stream()
            .anyMatch(x -> x.severity() == Severity.FAIL || x.severity() == Severity.WARN);
    if (!problem) {
      ranked.add(
          0,
          complete
              ? healthy(e, checked, f)
              : f.finding(
                  CauseId.INCONCLUSIVE,
                  Severity.WARN,
                  Confidence.LOW,
                  "Nothing conclusive: some checks could not be"
                      + " completed ("
                      + String.join("; ", e.notChecked())
                      + ").",
                  List.of()));
    }
    return new Diagnosis(
        verdict(ranked), List.copyOf(ranked), List.copyOf(checked), e.notChecked());
  }

  private static Finding healthy(Evidence e, List<String> checked, FindingFactory f) {
    List<EvidenceRef> refs = checked.stream().map(c -> ref("checked", c)).toList();
    if (e.negotiation() == null) {
      return f.finding(
          CauseId.HEALTHY,
          Severity.OK,
          Confidence.HIGH,
          "Nothing wrong found on"
              + " the way to "
              + e.target().display()
              + ": "
              + String.join("; ", checked)
              + ".",
          refs);
    }
    StringBuilder sb =
        new StringBuilder("Nothing wrong found: ")
            .append(e.target().display())
            .append(" accepts the connection");
    e.negotiation()
        .client()
        .filter(a -> a.outcome() == Outcome.RESPONSE)
        .ifPresent(
            a ->
                sb.append(", negotiates ").append(SecurityProtocol.friendly(a.selectedProtocol())));
    TlsEvidence t = e.tls();
    if (t != null && t.ok()) {
      sb.append(", completes a ").append(t.version()).append(" handshake");
      if (!t.chain().isEmpty() && t.chain().get(0).notAfter() != null) {
        sb.append(", and its certificate is valid until ")
            .append(CertificateChecks.day(t.chain().get(0).notAfter()));
      }
    }
    sb.append('.');
    return f.finding(CauseId.HEALTHY, Severity.OK, Confidence.HIGH, sb.toString(), refs);
  }

  private static Verdict verdict(List<Finding> ranked) {
    Finding top = ranked.get(0);
    if (CauseId.INCONCLUSIVE.is(top.cause())) {
      return Verdict.UNKNOWN;
    }
    return switch (top.severity()) {
      case FAIL -> Verdict.FAIL;
      case WARN -> Verdict.WARN;
      case INFO, OK -> Verdict.OK;
    };
  }

  /**
   * On a link the run measured as slow or lossy, a timeout is the link's as much as the server's:
   * findings that rest on one are kept, capped at WARN, made low-confidence and say so, so the
   * measured link ranks first. On a lossy link the same holds for a server that closed a
   * connection: its own timers expire while our lost packets are retransmitted (xrdp closes a
   * connection whose next PDU does not come). Resets and refusals are not explained by the link,
   * and a close is not explained by mere latency; those stay as they are.
   */
  static List<Finding> linkExplainsTimeouts(List<Finding> found, Evidence e) {
    boolean degraded =
        found.stream()
            .anyMatch(x -> CauseId.PACKET_LOSS.is(x.cause()) || CauseId.HIGH_LATENCY.is(x.cause()));
    if (!degraded) {
      return found;
    }
    boolean lossy = found.stream().anyMatch(x -> CauseId.PACKET_LOSS.is(x.cause()));
    boolean tlsTimedOut = e.tls() != null && e.tls().status() == TlsEvidence.Status.TIMEOUT;
    List<Finding> out = new ArrayList<>();
    for (Finding x : found) {
      boolean timeout =
          CauseId.SERVER_UNRESPONSIVE.is(x.cause())
              || (CauseId.TLS_HANDSHAKE_FAILED.is(x.cause()) && tlsTimedOut)
              || (lossy && CauseId.SERVER_CLOSED_CONNECTION.is(x.cause()));
      out.add(
          timeout
              ? x.doubted(
                  Severity.WARN,
                  "The link to the server was measured slow or"
                      + " lossy (see that finding): it explains a timeout as well as a stalled server"
                      + " does, so fix the link first and run again.")
              : x);
    }
    return out;
  }

  private static List<Finding> rank(List<Finding> in) {
    List<Finding> sorted = new ArrayList<>(in);
    // stable sort: equal severity and confidence keep path order
    sorted.sort(Comparator.comparing(Finding::severity).thenComparing(Finding::confidence));
    return sorted;
  }
}
