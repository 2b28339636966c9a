package dev.rdpdoctor.diagnosis;

import dev.rdpdoctor.codes.CauseId;
import dev.rdpdoctor.codes.ErrorInfo;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.SessionEvidence;
import java.util.ArrayList;
import java.util.List;

/**
 * The connection sequence past security: the server's Set Error Info PDU mapped to catalogue causes
 * with the mstsc code pair the user saw, a silent close in the middle of the sequence, and
 * "accepted up to Demand Active / licensing" as a check. An earlier-path failure (port, TLS, NLA,
 * ...) already explains a failed connection, so these rules are {@link #laterInTheSequence()}: the
 * diagnosis caps them at WARN behind such a failure.
 */
final class SessionRules implements RuleSet {
  @Override
  public boolean laterInTheSequence() {
    return true;
  }

  @Override
  public Result apply(Evidence e, FindingFactory f) {
    List<Finding> out = new ArrayList<>();
    List<String> checked = new ArrayList<>();
    boolean complete = run(e, f, out, checked);
    return new Result(out, checked, complete);
  }

  private static boolean run(
      Evidence e, FindingFactory f, List<Finding> out, List<String> checked) {
    SessionEvidence s = e.section(SessionEvidence.class).orElse(null);
    if (s == null) {
      return true;
    }
    EvidenceRef ref = FindingFactory.ref(SessionEvidence.KEY, summary(s));
    switch (s.status()) {
      case DEMAND_ACTIVE ->
          checked.add(
              "connection sequence"
                  + over(s)
                  + ": the server sent its"
                  + " Demand Active PDU ("
                  + s.capabilityCount()
                  + " capability sets): it accepts the"
                  + " session");
      case LICENSING ->
          checked.add(
              "connection sequence"
                  + over(s)
                  + ": the server accepted"
                  + " MCS, the channel joins and the Client Info, and started licensing ("
                  + s.licensing()
                  + ")");
      case ERROR_INFO -> {
        ErrorInfo ei = ErrorInfo.valueOf(s.errorInfo());
        String said =
            "After the "
                + s.reached()
                + " step the server sent Set Error Info "
                + ei.hex()
                + " "
                + ei.name()
                + ": "
                + ei.description()
                + ". mstsc shows this as"
                + " error code "
                + s.mstscCodes().replace(" / extended ", ", extended error code ")
                + ".";
        CauseId cause =
            ei.causes().isEmpty()
                ? CauseId.SERVER_CLOSED_CONNECTION
                : CauseId.of(ei.causes().get(0));
        out.add(
            f.finding(
                cause,
                Severity.FAIL,
                ei.causes().isEmpty() ? Confidence.MEDIUM : Confidence.HIGH,
                said,
                List.of(ref)));
      }
      case CLOSED, DISCONNECTED -> {
        if (s.licensing() != null && s.licensing().startsWith("ERROR_ALERT")) {
          // [MS-RDPBCGR] 2.2.1.12.1.3: a licensing error that is not STATUS_VALID_CLIENT, then the
          // end: the licence is what stopped the session, whatever the close says
          out.add(
              f.finding(
                  CauseId.LICENSING_FAILED,
                  Severity.FAIL,
                  Confidence.HIGH,
                  "The server ended the connection during licensing, after a licensing error ("
                      + s.licensing()
                      + "): the Remote Desktop licensing step failed, so every client stops"
                      + " here. ERR_NO_LICENSE and ERR_NO_LICENSE_SERVER mean no licence could"
                      + " be issued (mstsc: 'no Remote Desktop License Servers available').",
                  List.of(ref)));
          break;
        }
        out.add(
            f.finding(
                CauseId.SERVER_CLOSED_CONNECTION,
                Severity.FAIL,
                Confidence.MEDIUM,
                "The server ended the connection after the "
                    + s.reached()
                    + " step without saying why (no Set Error Info PDU): "
                    + s.detail()
                    + ".",
                List.of(ref)));
      }
      // a real client stops where this probe stopped: silence or a PDU it cannot read (an
      // MCS Connect Response that does not parse, a server key it cannot use) fails it too
      case TIMEOUT ->
          out.add(
              f.finding(
                  CauseId.SERVER_UNRESPONSIVE,
                  Severity.FAIL,
                  Confidence.MEDIUM,
                  "The server stops answering after the "
                      + s.reached()
                      + " step ("
                      + s.detail()
                      + "): a client waits there and gives up (mstsc 0x108 / 0x704).",
                  List.of(ref)));
      case MALFORMED ->
          out.add(
              f.finding(
                  CauseId.SERVER_PROTOCOL_ERROR,
                  Severity.FAIL,
                  Confidence.MEDIUM,
                  "After the "
                      + s.reached()
                      + " step the server sends what no"
                      + " client can use: "
                      + s.detail()
                      + ". A real client drops the connection"
                      + " here (mstsc 0x904 or 'An internal error has occurred').",
                  List.of(ref)));
      case NOT_STARTED -> checked.add("connection sequence not started: " + s.detail());
      case REDIRECTED -> {
        // not a fault: the broker did its job; but every later step happens on the target,
        // which this run did not probe, so the user is told where to look next
        SessionEvidence.Redirect r = s.redirect();
        String also =
            r.targetNetAddress() != null && !r.targetNetAddress().equals(r.target())
                ? " (address " + r.targetNetAddress() + ")"
                : "";
        out.add(
            f.finding(
                CauseId.SESSION_REDIRECTED,
                Severity.INFO,
                Confidence.HIGH,
                "After the "
                    + stepBefore(s)
                    + " step a Connection Broker redirected the session to "
                    + r.target()
                    + also
                    + ". mstsc reconnects there on its own; a failure after"
                    + " this point is that server's, or the path to it from this client: run"
                    + " rdpdoctor diagnose "
                    + r.target()
                    + " from here.",
                List.of(ref)));
        checked.add(
            "connection sequence"
                + over(s)
                + ": redirected by a Connection Broker to "
                + r.target()
                + also);
      }
      default -> {}
    }
    return true;
  }

  /** " under Standard RDP Security, ..." / " over TLS (...)": how the sequence ran. */
  static String over(SessionEvidence s) {
    if (s.security() == null) {
      return "";
    }
    return (s.security().startsWith("TLS") ? " over " : " under ") + s.security();
  }

  /** The step before the redirection itself: where the broker answered. */
  private static String stepBefore(SessionEvidence s) {
    List<SessionEvidence.Step> steps = s.steps();
    return steps.size() >= 2 ? steps.get(steps.size() - 2).name() : s.reached();
  }

  static String summary(SessionEvidence s) {
    return s.summary();
  }
}
