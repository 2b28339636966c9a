package dev.rdpdoctor.evidence;

import java.util.List;

/**
 * One X.224 Connection Request with one requestedProtocols value, and what came back.
 *
 * @param label why this attempt was made ("client" for the profile's own offer, else the protocol
 *     probed)
 * @param selectedProtocol RDP_NEG_RSP selectedProtocol, when outcome is RESPONSE
 * @param failureCode RDP_NEG_FAILURE failureCode, when outcome is FAILURE
 * @param peerProtocol what a non-RDP answer looks like (TLS, HTTP, SSH ...)
 * @param firstBytes hex of the first bytes received (capped), for the record
 * @param millis from connect start to the answer (or to the close)
 */
public record NegotiationAttempt(
    String label,
    int requestedProtocols,
    String requested,
    Outcome outcome,
    Integer selectedProtocol,
    String selected,
    Integer flags,
    List<String> flagNames,
    Integer failureCode,
    String failureName,
    String peerProtocol,
    String firstBytes,
    long millis,
    String detail) {

  /**
   * An attempt that ended with {@code outcome} and nothing decoded from the server: no selection,
   * no failure code, no flags.
   */
  public static NegotiationAttempt of(
      String label,
      int requestedProtocols,
      Outcome outcome,
      String firstBytes,
      long millis,
      String detail) {
    return new NegotiationAttempt(
        label,
        requestedProtocols,
        dev.rdpdoctor.codes.SecurityProtocol.names(requestedProtocols),
        outcome,
        null,
        null,
        null,
        List.of(),
        null,
        null,
        null,
        firstBytes,
        millis,
        detail);
  }

  /**
   * The same attempt with what the server's RDP_NEG_RSP or RDP_NEG_FAILURE carried; null where the
   * answer has no such field.
   */
  public NegotiationAttempt withAnswer(
      Integer selectedProtocol,
      Integer flags,
      List<String> flagNames,
      Integer failureCode,
      String failureName) {
    return new NegotiationAttempt(
        label,
        requestedProtocols,
        requested,
        outcome,
        selectedProtocol,
        selectedProtocol == null
            ? null
            : dev.rdpdoctor.codes.SecurityProtocol.names(selectedProtocol),
        flags,
        List.copyOf(flagNames),
        failureCode,
        failureName,
        peerProtocol,
        firstBytes,
        millis,
        detail);
  }

  /** The same attempt with what the non-RDP answer looks like. */
  public NegotiationAttempt withPeer(String peer) {
    return copy(peer, detail);
  }

  /** The same attempt with another detail line. */
  public NegotiationAttempt withDetail(String d) {
    return copy(peerProtocol, d);
  }

  private NegotiationAttempt copy(String peer, String d) {
    return new NegotiationAttempt(
        label,
        requestedProtocols,
        requested,
        outcome,
        selectedProtocol,
        selected,
        flags,
        flagNames,
        failureCode,
        failureName,
        peer,
        firstBytes,
        millis,
        d);
  }

  public enum Outcome {
    /** RDP_NEG_RSP: the server chose a protocol. */
    RESPONSE,
    /** RDP_NEG_FAILURE: the server refused, with a code. */
    FAILURE,
    /** X.224 CC without negotiation data: legacy Standard-RDP-only server. */
    NO_NEGOTIATION_DATA,
    /** The server answered with an MCS Disconnect Provider Ultimatum: a refusal, no reason. */
    DISCONNECTED,
    /** The server closed the socket (FIN) without answering. */
    CLOSED,
    /** The server reset the socket. */
    RESET,
    /** Connected, but no answer before the deadline. */
    TIMEOUT,
    /** Something answered that is not RDP. */
    NOT_RDP,
    /** An RDP-looking answer that does not decode. */
    MALFORMED,
    /** The TCP connect itself failed. */
    CONNECT_FAILED
  }

  public boolean answered() {
    return outcome == Outcome.RESPONSE
        || outcome == Outcome.FAILURE
        || outcome == Outcome.NO_NEGOTIATION_DATA;
  }

  /** The server dropped the connection without an RDP answer. */
  public boolean dropped() {
    return outcome == Outcome.CLOSED || outcome == Outcome.RESET || outcome == Outcome.DISCONNECTED;
  }
}
