package dev.rdpdoctor.probe;

import dev.rdpdoctor.codes.ProxyError;
import dev.rdpdoctor.evidence.GatewayEvidence.TunnelResult;
import dev.rdpdoctor.evidence.GatewayEvidence.TunnelStep;
import dev.rdpdoctor.wire.MalformedPduException;
import dev.rdpdoctor.wire.http.HttpResponseHead;
import dev.rdpdoctor.wire.tsgu.ChannelCreate;
import dev.rdpdoctor.wire.tsgu.ChannelResponse;
import dev.rdpdoctor.wire.tsgu.HandshakeRequest;
import dev.rdpdoctor.wire.tsgu.HandshakeResponse;
import dev.rdpdoctor.wire.tsgu.PacketHeader;
import dev.rdpdoctor.wire.tsgu.TunnelAuth;
import dev.rdpdoctor.wire.tsgu.TunnelAuthResponse;
import dev.rdpdoctor.wire.tsgu.TunnelCreate;
import dev.rdpdoctor.wire.tsgu.TunnelResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The [MS-TSGU] tunnel through an RD Gateway over its WebSocket transport, with the user's
 * credentials: HANDSHAKE, TUNNEL_CREATE, TUNNEL_AUTH and CHANNEL_CREATE to the target, each step's
 * answer kept as evidence. {@link GatewayProbe} decides when it runs.
 */
final class GatewayTunnel {
  private GatewayTunnel() {}

  /**
   * NTLM on the WebSocket upgrade request (the same connection carries both legs, as the gateway
   * requires), then the tunnel packets in binary WebSocket messages.
   */
  static TunnelResult run(InetAddress a, GatewayProbe.Options o, ProbeContext ctx) {
    Credentials cr = o.credentials();
    List<TunnelStep> steps = new ArrayList<>();
    Span span = ctx.span("gateway-tunnel", o.host());
    Stopwatch t0 = ctx.stopwatch();
    try (GatewayConnection c =
        GatewayConnection.connect(a, o.port(), o.literal() ? null : o.host(), ctx)) {
      if (!c.open()) {
        return new TunnelResult("NTLM", 0, "TLS: " + c.handshake.status(), steps, false);
      }
      String key = WebSocketFrames.webSocketKey();
      List<String> ws = GatewayProbe.webSocketHeaders(key);
      // the workstation name is the one TUNNEL_AUTH gives as the client name
      NtlmClient ntlm = NtlmClient.forHttp(GatewayProbe.CLIENT_NAME);
      List<String> h1 = new ArrayList<>(ws);
      h1.add("Authorization: NTLM " + ntlm.negotiateToken());
      c.send("ntlm negotiate", GatewayProbe.requestHead("RDG_OUT_DATA", o.host(), o.port(), h1));
      GatewayConnection.Response r1 = c.readResponse(false);
      if (r1.head().status() != 401) {
        return new TunnelResult(
            "NTLM",
            r1.head().status(),
            "the gateway answered "
                + r1.head().status()
                + " to the NTLM negotiate message, not 401 with a challenge",
            steps,
            false);
      }
      String token = r1.head().authToken("NTLM").orElse(null);
      if (token == null) {
        return new TunnelResult(
            "NTLM",
            401,
            "the gateway sent no NTLM challenge (schemes: " + r1.head().authSchemes() + ")",
            steps,
            false);
      }
      String auth = ntlm.authenticateToken(token, cr);
      List<String> h2 = new ArrayList<>(ws);
      h2.add("Authorization: NTLM " + auth);
      c.send("ntlm authenticate", GatewayProbe.requestHead("RDG_OUT_DATA", o.host(), o.port(), h2));
      GatewayConnection.Response r2 = c.readResponse(true);
      int status = r2.head().status();
      if (status != 101) {
        String why =
            status == 401
                ? "the gateway rejected the user name or password (401)"
                : status == 200
                    ? "the gateway accepted the logon but answered 200, not 101: it "
                        + "does not offer the WebSocket transport this probe uses"
                    : "the gateway answered " + status + " " + r2.head().reason() + " to the logon";
        return new TunnelResult("NTLM", status, why, steps, false);
      }
      String accept = r2.head().header("Sec-WebSocket-Accept").orElse(null);
      if (!WebSocketFrames.webSocketAccept(key).equals(accept)) {
        // RFC 6455 4.1: a client whose key's hash does not come back fails the connection
        return new TunnelResult(
            "NTLM",
            status,
            "the gateway switched to WebSocket with "
                + (accept == null
                    ? "no Sec-WebSocket-Accept"
                    : "a Sec-WebSocket-Accept that is not this client's key's hash ("
                        + HttpResponseHead.printable(accept, 40)
                        + ")")
                + ", so a client drops the connection (RFC 6455 4.1)",
            steps,
            false);
      }
      boolean ok =
          step(
                  c,
                  steps,
                  "HANDSHAKE",
                  HandshakeRequest.standard().encode(),
                  PacketHeader.HANDSHAKE_RESPONSE,
                  b -> HandshakeResponse.decode(b).errorCode(),
                  null)
              && step(
                  c,
                  steps,
                  "TUNNEL_CREATE",
                  TunnelCreate.of(
                          TunnelCreate.CAP_IDLE_TIMEOUT | TunnelCreate.CAP_MESSAGING_SERVICE_MSG)
                      .encode(),
                  PacketHeader.TUNNEL_RESPONSE,
                  b -> TunnelResponse.decode(b).statusCode(),
                  null)
              && step(
                  c,
                  steps,
                  "TUNNEL_AUTH (CAP)",
                  new TunnelAuth(GatewayProbe.CLIENT_NAME, null).encode(),
                  PacketHeader.TUNNEL_AUTH_RESPONSE,
                  b -> TunnelAuthResponse.decode(b).errorCode(),
                  null)
              && step(
                  c,
                  steps,
                  "CHANNEL_CREATE (RAP)",
                  ChannelCreate.to(o.targetHost(), o.targetPort()).encode(),
                  PacketHeader.CHANNEL_RESPONSE,
                  b -> ChannelResponse.decode(b).errorCode(),
                  o.targetHost() + ":" + o.targetPort());
      return new TunnelResult("NTLM", status, null, List.copyOf(steps), ok);
    } catch (MalformedPduException e) {
      return new TunnelResult(
          "NTLM", 0, "malformed answer: " + e.getMessage(), List.copyOf(steps), false);
    } catch (IOException | IllegalArgumentException e) {
      return new TunnelResult("NTLM", 0, TcpConnector.message(e), List.copyOf(steps), false);
    } finally {
      span.end(steps.isEmpty() ? "no tunnel" : steps.get(steps.size() - 1).step(), t0.millis());
    }
  }

  private interface Decoder {
    int code(byte[] packet) throws MalformedPduException;
  }

  /** One request/response; false (and the step recorded) when the gateway says no. */
  private static boolean step(
      GatewayConnection c,
      List<TunnelStep> steps,
      String name,
      byte[] request,
      int responseType,
      Decoder decoder,
      String detail)
      throws IOException, MalformedPduException {
    Stopwatch t0 = c.stopwatch();
    c.sendBinary(request);
    byte[] reply = null;
    // The gateway may interleave keepalives or service messages; skip a bounded few.
    for (int i = 0; i < 8; i++) {
      byte[] m = c.readBinary();
      if (PacketHeader.peek(m).type() == responseType) {
        reply = m;
        break;
      }
    }
    if (reply == null) {
      steps.add(
          new TunnelStep(
              name,
              null,
              null,
              false,
              "no " + PacketHeader.name(responseType) + " among the gateway's next 8 messages",
              t0.millis()));
      return false;
    }
    ProxyError e = ProxyError.of(decoder.code(reply));
    boolean ok =
        !e.failed()
            // [MS-TSGU] 3.7.5.2.7: a quarantine denial on tunnel auth still lets the client go on
            || e.code() == 0x800759ED;
    steps.add(
        new TunnelStep(
            name, e.code(), e.name(), ok, e.failed() ? e.description() : detail, t0.millis()));
    return ok;
  }
}
