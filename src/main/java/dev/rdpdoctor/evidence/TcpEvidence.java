package dev.rdpdoctor.evidence;

/**
 * One TCP connect attempt.
 *
 * @param detail the OS's words for a failure (e.g. "No route to host")
 */
public record TcpEvidence(String address, int port, Outcome outcome, long millis, String detail) {

  public enum Outcome {
    OPEN,
    /** RST, or an ICMP port-unreachable which the socket layer reports the same way. */
    REFUSED,
    /** No answer at all within the deadline: a silent drop. */
    TIMEOUT,
    /** ICMP host unreachable (or the local stack knows no route). */
    HOST_UNREACHABLE,
    NETWORK_UNREACHABLE,
    ERROR
  }

  public boolean open() {
    return outcome == Outcome.OPEN;
  }

  /** Something on the path answered, so the host (or a firewall for it) exists. */
  public boolean answered() {
    return outcome == Outcome.OPEN || outcome == Outcome.REFUSED;
  }
}
