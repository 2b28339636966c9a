package dev.rdpdoctor.evidence;

import java.util.Locale;

/**
 * One-line, plain-words renderings of evidence records. Findings quote these, and the text report's
 * facts table prints them, so both say the same thing the same way.
 */
public final class Facts {
  private Facts() {}

  public static String dns(DnsEvidence d) {
    return switch (d.status()) {
      case SKIPPED_LITERAL -> d.host() + " is an IP address; no name lookup needed";
      case RESOLVED ->
          d.host()
              + " resolves to "
              + String.join(", ", d.addresses())
              + " ("
              + d.millis()
              + " ms)";
      case NOT_FOUND -> d.host() + " does not resolve: " + d.error() + " (" + d.millis() + " ms)";
      case TIMEOUT -> d.host() + ": the resolver gave no answer (" + d.error() + ")";
    };
  }

  public static String tcp(TcpEvidence t) {
    String where = hostPort(t.address(), t.port());
    return switch (t.outcome()) {
      case OPEN -> where + " accepts connections (connect " + t.millis() + " ms)";
      case REFUSED ->
          where
              + " refused the connection: TCP reset or ICMP port unreachable ("
              + t.millis()
              + " ms)";
      case TIMEOUT -> where + " gave no answer within " + t.millis() + " ms (silently dropped)";
      case HOST_UNREACHABLE -> where + ": host unreachable (" + t.detail() + ")";
      case NETWORK_UNREACHABLE -> where + ": network unreachable (" + t.detail() + ")";
      case ERROR -> where + ": " + t.detail();
    };
  }

  public static String negotiation(NegotiationAttempt a) {
    String who =
        a.label().equals(NegotiationEvidence.CLIENT_LABEL)
            ? "client offer " + a.requested()
            : "offer " + a.requested() + " alone";
    String what =
        switch (a.outcome()) {
          case RESPONSE ->
              "server selected "
                  + a.selected()
                  + (a.flagNames().isEmpty()
                      ? ""
                      : " (flags " + String.join(", ", a.flagNames()) + ")");
          case FAILURE ->
              "server refused: RDP_NEG_FAILURE " + a.failureName() + " (" + a.failureCode() + ")";
          case NO_NEGOTIATION_DATA -> "server confirmed without negotiation data (legacy RDP only)";
          case DISCONNECTED -> "server sent a disconnect instead of an answer";
          case CLOSED -> "server closed the connection without answering";
          case RESET -> "server reset the connection";
          case TIMEOUT -> "no answer";
          case NOT_RDP -> "answer is not RDP: looks like " + a.peerProtocol();
          case MALFORMED -> "malformed answer";
          case CONNECT_FAILED -> "could not connect";
        };
    String detail =
        a.detail() == null || a.outcome() == NegotiationAttempt.Outcome.FAILURE
            ? ""
            : ": " + a.detail();
    return who + " -> " + what + detail + " (" + a.millis() + " ms)";
  }

  public static String tls(TlsEvidence t) {
    String status =
        switch (t.status()) {
          case OK -> "handshake completed: " + t.version() + ", " + t.cipherSuite();
          case ALERT -> "server sent TLS alert " + t.alert();
          case CLOSED -> "server closed the connection during the handshake";
          case TIMEOUT ->
              "handshake did not finish in time ("
                  + t.bytesReceived()
                  + " bytes of the server's reply arrived)";
          case NOT_NEGOTIATED -> "not started: " + t.error();
          case ERROR -> "handshake failed: " + t.error();
        };
    return "TLS after X.224 ("
        + dev.rdpdoctor.codes.SecurityProtocol.names(t.requestedProtocols())
        + "): "
        + status
        + " ("
        + t.millis()
        + " ms)";
  }

  public static String tlsVersion(TlsVersionResult v) {
    return v.version()
        + ": "
        + (v.accepted()
            ? "accepted (" + v.cipherSuite() + ")"
            : "refused" + (v.detail() == null ? "" : " (" + v.detail() + ")"));
  }

  public static String certificate(CertificateInfo c) {
    return "subject "
        + c.subject()
        + "; issuer "
        + c.issuer()
        + "; valid "
        + c.notBefore()
        + " to "
        + c.notAfter()
        + "; "
        + c.keyAlgorithm()
        + " "
        + c.keyBits()
        + " bits; "
        + c.signatureAlgorithm()
        + (c.subjectAltNames().isEmpty()
            ? ""
            : "; names " + String.join(", ", c.subjectAltNames()));
  }

  public static String hostPort(String address, int port) {
    return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
  }

  static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
