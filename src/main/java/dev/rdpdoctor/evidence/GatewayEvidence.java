package dev.rdpdoctor.evidence;

import dev.rdpdoctor.codes.OpenCode;
import java.util.List;

/**
 * What the RD Gateway probes found: the path to the gateway, its TLS and certificate, how it
 * answers the RDG HTTP transport requests, UDP 3391, and (with credentials) the MS-TSGU handshake.
 * Fields are null when that step did not run; {@link #notChecked} says why.
 *
 * @param host the gateway name as given to --gateway
 * @param tcp one entry per resolved address
 * @param tls handshake on the first address that accepted TCP; requestedProtocols is 0
 * @param http one entry per HTTP request sent (RDG_OUT_DATA, RDG_IN_DATA, WebSocket)
 * @param expectedFingerprint SHA-256 the user expects (--expect-fingerprint), normalised
 * @param udp the DTLS ClientHello to UDP 3391
 * @param tunnel the credentialed MS-TSGU exchange
 */
public record GatewayEvidence(
    String host,
    int port,
    DnsEvidence dns,
    List<TcpEvidence> tcp,
    TlsEvidence tls,
    List<HttpAttempt> http,
    String expectedFingerprint,
    UdpResult udp,
    TunnelResult tunnel,
    List<String> notChecked)
    implements EvidenceSection {

  public static final String KEY = "gateway";

  @Override
  public String key() {
    return KEY;
  }

  public String display() {
    return port == 443 ? host : host + ":" + port;
  }

  /**
   * One HTTP request and what came back.
   *
   * @param label "RDG_OUT_DATA", "RDG_IN_DATA", "websocket", "ntlm" ...
   * @param status the HTTP status, 0 when no response head arrived
   * @param authSchemes the schemes of WWW-Authenticate, in order
   * @param bodyHint the start of the body (printable, capped), for 4xx/5xx pages
   * @param error what went wrong when there is no status (closed, reset, timeout, not HTTP)
   */
  public record HttpAttempt(
      String label,
      String request,
      int status,
      String reason,
      List<String> authSchemes,
      String server,
      String location,
      String bodyHint,
      String error,
      long millis) {
    /** A request that got no HTTP answer: {@code error} says what happened instead. */
    public static HttpAttempt failed(String label, String request, String error, long millis) {
      return new HttpAttempt(label, request, 0, null, List.of(), null, null, null, error, millis);
    }

    public boolean answered() {
      return status > 0;
    }
  }

  /** The DTLS ClientHello to the gateway's UDP port. */
  public record UdpResult(int port, Outcome outcome, String detail, long millis) {
    public enum Outcome {
      /** A datagram came back (HelloVerifyRequest, ServerHello or an alert). */
      ANSWERED,
      /** ICMP port unreachable: the gateway host is there, nothing listens on UDP. */
      REFUSED,
      /** Nothing at all before the deadline: dropped on the path or by the gateway. */
      SILENT,
      ERROR
    }
  }

  /**
   * The MS-TSGU exchange after HTTP authentication.
   *
   * @param authScheme the HTTP scheme used ("NTLM")
   * @param authStatus HTTP status after the final Authorization header (101/200 = accepted)
   * @param steps each packet exchange in order
   * @param completed the channel to the target was created
   */
  public record TunnelResult(
      String authScheme,
      int authStatus,
      String authError,
      List<TunnelStep> steps,
      boolean completed) {}

  /**
   * One request/response of the tunnel.
   *
   * @param step HANDSHAKE, TUNNEL_CREATE, TUNNEL_AUTH (CAP), CHANNEL_CREATE (RAP)
   * @param hresult the response's error/status code as a 32-bit pattern; null when no response came
   * @param hresultName E_PROXY_* name
   */
  public record TunnelStep(
      String step, Integer hresult, String hresultName, boolean ok, String detail, long millis) {
    /** The code as Windows prints it ("0x800759DA"), or null. */
    public String hresultHex() {
      return hresult == null ? null : OpenCode.hex(hresult);
    }
  }
}
