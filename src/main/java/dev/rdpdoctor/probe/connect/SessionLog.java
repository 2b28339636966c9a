package dev.rdpdoctor.probe.connect;

import dev.rdpdoctor.codes.DisconnectReason;
import dev.rdpdoctor.codes.ErrorInfo;
import dev.rdpdoctor.codes.OpenCode;
import dev.rdpdoctor.evidence.SessionEvidence;
import dev.rdpdoctor.evidence.SessionEvidence.Status;
import dev.rdpdoctor.evidence.SessionEvidence.Step;
import dev.rdpdoctor.wire.session.DemandActivePdu;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * What one run of the connection sequence has seen so far, across its phases (X.224, TLS, CredSSP,
 * MCS ...): the steps with their times, what the client waits for, and what the server said. It
 * builds the {@link SessionEvidence} whichever phase ends the run.
 */
public final class SessionLog {
  private final String where;
  private final LongSupplier millis;
  private final List<Step> steps = new ArrayList<>();
  private String reached = "nothing";
  private String waitingFor = "X.224";
  private String protection;
  private Integer errorInfo;
  private String licensing;
  private String logonError;
  private SessionEvidence.Redirect redirect;
  private DemandActivePdu demand;

  /**
   * @param millis milliseconds since the run began, on the run's clock
   */
  public SessionLog(String where, LongSupplier millis) {
    this.where = where;
    this.millis = millis;
  }

  /** The mstsc "error code / extended error code" pair for a server-side errorInfo. */
  public static String mstscCodes(int errorInfo) {
    return DisconnectReason.AT_CLIENT_WINSOCK_FDCLOSE.hex()
        + " / extended "
        + OpenCode.hex(errorInfo);
  }

  /** A step done, with its time. */
  public void done(String step, String detail) {
    reached = step;
    steps.add(new Step(step, millis.getAsLong(), detail));
  }

  public void waitFor(String what) {
    waitingFor = what;
  }

  public String waitingFor() {
    return waitingFor;
  }

  public void protection(String p) {
    protection = p;
  }

  public String protection() {
    return protection;
  }

  void errorInfo(int ei) {
    errorInfo = ei;
  }

  boolean hasErrorInfo() {
    return errorInfo != null;
  }

  void licensing(String l) {
    licensing = l;
  }

  void logonError(String l) {
    logonError = l;
  }

  void redirect(SessionEvidence.Redirect r) {
    redirect = r;
  }

  void demand(DemandActivePdu d) {
    demand = d;
  }

  /** The run ends here: a server-side errorInfo seen before a close or timeout wins. */
  public SessionEvidence end(Status status, String detail) {
    ErrorInfo ei = errorInfo == null ? null : ErrorInfo.valueOf(errorInfo);
    return new SessionEvidence(
        where,
        status,
        protection,
        reached,
        List.copyOf(steps),
        errorInfo,
        ei == null ? null : ei.name(),
        ei == null ? null : ei.description(),
        ei == null ? null : mstscCodes(errorInfo),
        licensing,
        demand == null ? null : demand.shareId(),
        demand == null ? null : demand.capabilityTypes().size(),
        demand == null
            ? List.of()
            : demand.capabilityTypes().stream().map(DemandActivePdu::capabilityName).toList(),
        logonError,
        redirect,
        detail,
        millis.getAsLong());
  }

  /**
   * The end when no frame came: a close, reset or timeout after a Set Error Info is the server's
   * error ending the session, as mstsc reports it.
   */
  public SessionEvidence ended(Ending how, String detail) {
    String waiting = " while the client waited for the " + waitingFor;
    Status lost = errorInfo != null ? Status.ERROR_INFO : Status.CLOSED;
    return switch (how) {
      case CLOSED -> end(lost, "the server closed the connection" + waiting);
      case RESET -> end(lost, "the connection was reset (" + detail + ")" + waiting);
      case FAILED -> end(lost, "the connection failed (" + detail + ")" + waiting);
      case TIMEOUT ->
          end(
              errorInfo != null ? Status.ERROR_INFO : Status.TIMEOUT,
              "no answer before the deadline while waiting for the " + waitingFor);
      case MALFORMED ->
          end(Status.MALFORMED, "the server's " + waitingFor + " did not parse: " + detail);
    };
  }
}
