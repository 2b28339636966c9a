package dev.rdpdoctor.evidence;

import java.util.List;

/**
 * The connection sequence past security ([MS-RDPBCGR] 1.3.1.1 phases 3-9), over TLS or under
 * Standard RDP Security: how far the server let the client go and, when it stopped, what it said.
 *
 * @param security how the sequence was protected ("TLS (TLSv1.3 ...)" or "Standard RDP Security,
 *     128-bit RC4, level High (both directions)"); null when it never got that far
 * @param reached the last step that completed (for example "Client Info" or "Demand Active")
 * @param steps each step with its time, in order
 * @param errorInfo the Set Error Info PDU's errorInfo, null when the server sent none
 * @param mstscCodes the pair mstsc would show for this end ("0x904 / extended 0x7")
 * @param licensing what the licensing PDU said ("STATUS_VALID_CLIENT", "LICENSE_REQUEST" ...)
 * @param capabilityTypes the Demand Active's capability set names, in order
 * @param logonError the Save Session Info logon error notification, named
 * @param redirect where a Connection Broker sent the session (Server Redirection PDU), or null
 */
public record SessionEvidence(
    String address,
    Status status,
    String security,
    String reached,
    List<Step> steps,
    Integer errorInfo,
    String errorInfoName,
    String errorInfoDescription,
    String mstscCodes,
    String licensing,
    Integer shareId,
    Integer capabilityCount,
    List<String> capabilityTypes,
    String logonError,
    Redirect redirect,
    String detail,
    long millis)
    implements EvidenceSection {
  public static final String KEY = "session";

  @Override
  public String key() {
    return KEY;
  }

  /** One line for reports and evidence references: how it ended and what the server said. */
  public String summary() {
    StringBuilder b =
        new StringBuilder(status.name().toLowerCase(java.util.Locale.ROOT))
            .append(" after ")
            .append(reached);
    if (errorInfo != null) {
      b.append(", errorInfo ")
          .append(dev.rdpdoctor.codes.OpenCode.hex(errorInfo))
          .append(' ')
          .append(errorInfoName)
          .append(" (mstsc ")
          .append(mstscCodes)
          .append(')');
    }
    if (licensing != null) {
      b.append(", licensing ").append(licensing);
    }
    if (capabilityCount != null) {
      b.append(", ").append(capabilityCount).append(" capability sets");
    }
    if (logonError != null) {
      b.append(", logon error ").append(logonError);
    }
    if (redirect != null) {
      b.append(", redirected to ").append(redirect.target());
    }
    return b.append(" in ").append(millis).append(" ms").toString();
  }

  /** The steps with their times: "X.224 11 ms, TLS 44 ms, ...". */
  public String timeline() {
    return String.join(", ", steps.stream().map(s -> s.name() + " " + s.millis() + " ms").toList());
  }

  public enum Status {
    /** The server sent its Demand Active PDU: it accepts the session. */
    DEMAND_ACTIVE,
    /** The server sent a Set Error Info PDU with a non-zero errorInfo. */
    ERROR_INFO,
    /** The server sent an MCS Disconnect Provider Ultimatum without an error PDU. */
    DISCONNECTED,
    /** The server closed or reset the connection without an error PDU. */
    CLOSED,
    /** No answer before the deadline. */
    TIMEOUT,
    /** A PDU did not parse, or the server sent more than the probe's caps. */
    MALFORMED,
    /** The server started a licensing exchange; the probe does not license. */
    LICENSING,
    /** The X.224 negotiation or the TLS handshake did not get to MCS. */
    NOT_STARTED,
    /** A Connection Broker redirected the session to another server. */
    REDIRECTED
  }

  /**
   * A Server Redirection PDU ([MS-RDPBCGR] 2.2.13.1) as a user can act on it. The logon cookie it
   * may carry is never kept: only whether there was one.
   *
   * @param target where mstsc goes next: the FQDN, else the net address
   * @param loadBalanceInfo the routing token, as text when it is text
   * @param account the user and domain the broker names, if it does
   * @param passwordCookie whether the packet carried a logon cookie for the target
   * @param flags the RedirFlags, named
   */
  public record Redirect(
      String target,
      String targetFqdn,
      String targetNetAddress,
      List<String> targetNetAddresses,
      String targetNetBiosName,
      String loadBalanceInfo,
      String account,
      boolean passwordCookie,
      String flags) {}

  /** One step of the sequence: what was sent or received, and when it completed. */
  public record Step(String name, long millis, String detail) {}
}
