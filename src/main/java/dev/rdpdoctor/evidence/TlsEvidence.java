package dev.rdpdoctor.evidence;

import java.util.List;

/**
 * TLS as RDP does it: X.224 negotiation first, then the handshake on the same socket.
 *
 * @param requestedProtocols what the X.224 request offered before the handshake
 * @param status outcome of the main handshake (all versions the client offers)
 * @param alert the TLS alert received, if any ("handshake_failure(40)")
 * @param chain leaf first
 * @param versions one entry per TLS version tried on its own
 * @param bytesReceived how much of the server's flight arrived (helps spot stalls)
 */
public record TlsEvidence(
    String address,
    int requestedProtocols,
    Status status,
    String version,
    String cipherSuite,
    String alert,
    String error,
    List<CertificateInfo> chain,
    List<TlsVersionResult> versions,
    long bytesReceived,
    long millis) {

  public enum Status {
    OK,
    /** The server sent a TLS alert. */
    ALERT,
    /** The server closed or reset the socket during the handshake. */
    CLOSED,
    /** The handshake did not finish before the deadline. */
    TIMEOUT,
    /** The negotiation before TLS did not select a TLS-based protocol. */
    NOT_NEGOTIATED,
    /** Anything else, described in error. */
    ERROR
  }

  public boolean ok() {
    return status == Status.OK;
  }
}
