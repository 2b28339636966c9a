package dev.rdpdoctor.diagnosis;

import static dev.rdpdoctor.diagnosis.FindingFactory.ref;

import dev.rdpdoctor.codes.CauseId;
import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.evidence.ConnectionLimitCheck;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.Facts;
import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.NegotiationAttempt.Outcome;
import dev.rdpdoctor.evidence.NegotiationEvidence;
import dev.rdpdoctor.evidence.PathEvidence;
import dev.rdpdoctor.evidence.TlsEvidence;
import java.util.ArrayList;
import java.util.List;

/**
 * Every connection to the server counts, not just the first. When the client's own request was
 * answered but later connections of the run (each protocol alone, the TLS probe's own negotiation)
 * were closed, reset, refused or ignored, the server works once and then stops: the next client to
 * connect meets the failure. The path rules judge only the first request, so without this a server
 * like that would read as healthy.
 */
final class ServerStabilityRules implements RuleSet {
  @Override
  public Result apply(Evidence e, FindingFactory f) {
    NegotiationEvidence n = e.negotiation();
    NegotiationAttempt client = n == null ? null : n.client().orElse(null);
    if (client == null || !client.answered()) {
      return Result.NOTHING; // the negotiation rules explain a first request that failed
    }
    List<EvidenceRef> refs = new ArrayList<>();
    int tried = 0;
    int closed = 0;
    int silent = 0;
    for (NegotiationAttempt a : n.attempts()) {
      if (a == client) {
        continue;
      }
      tried++;
      boolean connectTimedOut =
          a.outcome() == Outcome.CONNECT_FAILED
              && a.detail() != null
              && a.detail().contains("timeout");
      // a Disconnect Provider Ultimatum is an RDP answer (xrdp sends one to a protocol it does
      // not know, such as RDSAAD alone), not a server that stopped working
      boolean closedUnanswered = a.dropped() && a.outcome() != Outcome.DISCONNECTED;
      if (closedUnanswered || a.outcome() == Outcome.CONNECT_FAILED && !connectTimedOut) {
        closed++;
        refs.add(ref("negotiation", Facts.negotiation(a)));
      } else if (a.outcome() == Outcome.TIMEOUT || connectTimedOut) {
        silent++;
        refs.add(ref("negotiation", Facts.negotiation(a)));
      }
    }
    boolean tlsLost = tlsProbeLostItsNegotiation(client, e.tls());
    if (tlsLost) {
      tried++;
      refs.add(ref("tls", Facts.tls(e.tls())));
    }
    int failed = closed + silent + (tlsLost ? 1 : 0);
    if (failed == 0) {
      return new Result(
          List.of(),
          List.of("every later connection of the run was answered (" + tried + ")"),
          true);
    }
    ConnectionLimitCheck limit =
        e.section(PathEvidence.class).map(PathEvidence::connectionLimit).orElse(null);
    if (limit != null && PathRules.limited(limit)) {
      // the run's own connections overlap: a limit on pending connections explains the drops,
      // and the path rules name it
      return new Result(
          List.of(),
          List.of(
              failed
                  + " of "
                  + tried
                  + " later connections"
                  + " failed, as the pending-connection limit explains"),
          true);
    }
    boolean most = failed * 2 >= tried;
    CauseId cause =
        silent > closed ? CauseId.SERVER_UNRESPONSIVE : CauseId.SERVER_CLOSED_CONNECTION;
    String how =
        silent > closed
            ? "went unanswered"
            : closed > 0 && silent > 0
                ? "were closed, reset or went unanswered"
                : "were closed, reset or refused";
    Finding x =
        f.finding(
            cause,
            most || tlsLost ? Severity.FAIL : Severity.WARN,
            most ? Confidence.HIGH : Confidence.MEDIUM,
            "The server answered the first Remote"
                + " Desktop request, but "
                + failed
                + " of the "
                + tried
                + " connections after it "
                + how
                + (tlsLost ? ", the TLS check's among them" : "")
                + ": it works once and"
                + " then stops (or admits only some connections), so the next client to connect"
                + " fails (mstsc 0x904 or a timeout). Remote Desktop Services on the host is"
                + " failing, or a device in the path cuts repeated connections.",
            refs);
    return new Result(List.of(x), List.of(), true);
  }

  /**
   * The TLS probe sends the client's own offer again: when the first answer chose a TLS-based
   * protocol and this one did not get to a handshake, the server answered differently the second
   * time.
   */
  static boolean tlsProbeLostItsNegotiation(NegotiationAttempt client, TlsEvidence t) {
    return t != null
        && t.status() == TlsEvidence.Status.NOT_NEGOTIATED
        && client.outcome() == Outcome.RESPONSE
        && client.selectedProtocol() != null
        && SecurityProtocol.usesTls(client.selectedProtocol())
        && t.requestedProtocols() == client.requestedProtocols();
  }
}
