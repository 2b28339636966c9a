package dev.rdpdoctor.probe;

import dev.rdpdoctor.codes.ProxyError;
import dev.rdpdoctor.evidence.CertificateInfo;
import dev.rdpdoctor.evidence.GatewayEvidence;
import dev.rdpdoctor.evidence.GatewayEvidence.HttpAttempt;
import dev.rdpdoctor.evidence.GatewayEvidence.TunnelResult;
import dev.rdpdoctor.evidence.GatewayEvidence.TunnelStep;
import dev.rdpdoctor.evidence.GatewayEvidence.UdpResult;
import dev.rdpdoctor.evidence.TcpEvidence;
import dev.rdpdoctor.evidence.TlsEvidence;
import dev.rdpdoctor.wire.DtlsClientHello;
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
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Future;

/**
 * Probes an RD Gateway the way the Windows client uses it ([MS-TSGU] 3.3.5.1, 4.2.1): DNS, TCP and
 * TLS to the gateway, the RDG_OUT_DATA / RDG_IN_DATA requests of the HTTP transport and the
 * WebSocket upgrade, a DTLS ClientHello to UDP 3391, and, with credentials, NTLM over HTTP followed
 * by the tunnel packets up to the channel to the target. Never throws for a network outcome; every
 * step is bounded by the probe deadline.
 */
public final class GatewayProbe {
  public static final String PATH = "/remoteDesktopGateway/";
  public static final int DEFAULT_PORT = 443;
  public static final int UDP_PORT = 3391;
  static final String USER_AGENT = "MS-RDGateway/1.0";

  /** Our name towards the gateway: NTLM workstation and TUNNEL_AUTH client name. */
  static final String CLIENT_NAME = "RDPDOCTOR";

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * What to probe.
   *
   * @param targetHost the RDP server behind the gateway (CHANNEL_CREATE resource)
   * @param credentials null: stop at the unauthenticated requests
   * @param expectFingerprint SHA-256 of the certificate the gateway really has, or null
   */
  public record Options(
      String host,
      int port,
      boolean literal,
      String targetHost,
      int targetPort,
      Credentials credentials,
      String expectFingerprint,
      int udpPort,
      Duration dnsTimeout,
      Duration udpTimeout) {}

  private GatewayProbe() {}

  public static GatewayEvidence run(Options o, ProbeContext ctx) {
    List<String> notChecked = new ArrayList<>();
    DnsProbe.Result dns = DnsProbe.resolve(o.host(), o.literal(), o.dnsTimeout(), ctx);
    String fp = normalise(o.expectFingerprint());
    if (dns.addresses().isEmpty()) {
      notChecked.add("gateway TCP, TLS, HTTP and UDP: the gateway name did not resolve");
      return new GatewayEvidence(
          o.host(),
          o.port(),
          dns.evidence(),
          List.of(),
          null,
          List.of(),
          fp,
          null,
          null,
          notChecked);
    }
    List<TcpEvidence> tcp = new ArrayList<>();
    InetAddress open = null;
    for (InetAddress a : dns.addresses()) {
      String subject = "gateway " + a.getHostAddress() + ":" + o.port();
      Span span = ctx.span("tcp", subject);
      TcpConnector.Result r = TcpConnector.connect(a, o.port(), ctx.connectTimeout(), ctx, "tcp");
      span.end(r.evidence().outcome().name().toLowerCase(Locale.ROOT), r.evidence().millis());
      tcp.add(r.evidence());
      if (r.socket() != null) {
        TcpConnector.closeQuietly(r.socket());
        if (open == null) {
          open = a;
        }
      }
    }
    InetAddress address = open != null ? open : dns.addresses().get(0);
    Future<UdpResult> udp = Threads.submit(() -> udp(address, o.udpPort(), o.udpTimeout(), ctx));
    if (open == null) {
      notChecked.add("gateway TLS and HTTP: no address accepted TCP on port " + o.port());
      return new GatewayEvidence(
          o.host(),
          o.port(),
          dns.evidence(),
          tcp,
          null,
          List.of(),
          fp,
          await(udp),
          null,
          notChecked);
    }
    List<HttpAttempt> http = new ArrayList<>();
    String sni = o.literal() ? null : o.host();
    Span span = ctx.span("gateway-tls", o.host());
    TlsEvidence tls;
    try (GatewayConnection c = GatewayConnection.connect(open, o.port(), sni, ctx)) {
      tls = tlsEvidence(open, o, c.handshake);
      span.end(c.handshake.status().name(), c.handshake.millis());
      if (c.open()) {
        http.add(request(c, "RDG_OUT_DATA", o, List.of(), false));
      }
    }
    if (!tls.ok()) {
      notChecked.add("gateway HTTP transport: the TLS handshake with the gateway failed");
    } else {
      http.add(fresh(open, o, ctx, "RDG_IN_DATA", List.of("Content-Length: 0")));
      http.add(fresh(open, o, ctx, "websocket", webSocketHeaders()));
    }
    TunnelResult tunnel = null;
    if (tls.ok() && o.credentials() != null) {
      tunnel = tunnel(open, o, ctx);
    } else if (o.credentials() == null) {
      notChecked.add("gateway logon and policies (CAP/RAP): no credentials given (--user)");
    }
    return new GatewayEvidence(
        o.host(),
        o.port(),
        dns.evidence(),
        tcp,
        tls,
        List.copyOf(http),
        fp,
        await(udp),
        tunnel,
        notChecked);
  }

  static String normalise(String fp) {
    if (fp == null || fp.isBlank()) {
      return null;
    }
    return fp.replaceAll("[^0-9A-Fa-f]", "").toUpperCase(Locale.ROOT);
  }

  private static TlsEvidence tlsEvidence(InetAddress a, Options o, GatewayConnection.Handshake h) {
    List<CertificateInfo> chain = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < h.chain().size(); i++) {
      CertificateInspector.Inspection ins =
          CertificateInspector.inspect(h.chain().get(i), i == 0 ? o.host() : null);
      if (ins.info() != null) {
        chain.add(ins.info());
      }
      if (ins.error() != null) {
        errors.add("certificate " + i + ": " + ins.error());
      }
    }
    String error = h.error();
    if (!errors.isEmpty()) {
      error = (error == null ? "" : error + "; ") + String.join("; ", errors);
    }
    return new TlsEvidence(
        a.getHostAddress() + ":" + o.port(),
        0,
        h.status(),
        h.version(),
        h.cipherSuite(),
        h.alert(),
        error,
        List.copyOf(chain),
        List.of(),
        0,
        h.millis());
  }

  private static List<String> webSocketHeaders() {
    return webSocketHeaders(GatewayConnection.webSocketKey());
  }

  private static List<String> webSocketHeaders(String key) {
    return List.of(
        "Connection: Upgrade",
        "Upgrade: websocket",
        "Sec-WebSocket-Version: 13",
        "Sec-WebSocket-Key: " + key);
  }

  private static HttpAttempt fresh(
      InetAddress a, Options o, ProbeContext ctx, String label, List<String> extra) {
    try (GatewayConnection c =
        GatewayConnection.connect(a, o.port(), o.literal() ? null : o.host(), ctx)) {
      if (!c.open()) {
        return HttpAttempt.failed(
            label,
            null,
            "TLS: "
                + c.handshake.status()
                + (c.handshake.error() == null ? "" : " " + c.handshake.error()),
            c.handshake.millis());
      }
      return request(c, label, o, extra, false);
    }
  }

  /** The request head as the Windows client sends it ([MS-TSGU] 2.2.3, 4.2.1). */
  static String requestHead(String method, String host, int port, List<String> extra) {
    StringBuilder sb = new StringBuilder();
    sb.append(method).append(' ').append(PATH).append(" HTTP/1.1\r\n");
    sb.append("Host: ").append(port == DEFAULT_PORT ? host : host + ":" + port).append("\r\n");
    sb.append("Accept: */*\r\n");
    sb.append("Cache-Control: no-cache\r\nPragma: no-cache\r\n");
    if (extra.stream().noneMatch(h -> h.startsWith("Connection:"))) {
      sb.append("Connection: Keep-Alive\r\n");
    }
    sb.append("User-Agent: ").append(USER_AGENT).append("\r\n");
    sb.append("RDG-Connection-Id: {").append(UUID.randomUUID()).append("}\r\n");
    sb.append("RDG-Correlation-Id: {").append(UUID.randomUUID()).append("}\r\n");
    for (String h : extra) {
      sb.append(h).append("\r\n");
    }
    return sb.append("\r\n").toString();
  }

  private static HttpAttempt request(
      GatewayConnection c, String label, Options o, List<String> extra, boolean keepStreaming) {
    String method = label.equals("RDG_IN_DATA") ? "RDG_IN_DATA" : "RDG_OUT_DATA";
    String head = requestHead(method, o.host(), o.port(), extra);
    Stopwatch t0 = c.stopwatch();
    try {
      c.send(label, head);
      GatewayConnection.Response r = c.readResponse(keepStreaming);
      return new HttpAttempt(
          label,
          method + " " + PATH,
          r.head().status(),
          r.head().reason(),
          r.head().authSchemes(),
          r.head().header("Server").orElse(null),
          r.head().header("Location").orElse(null),
          r.body().length == 0 ? null : r.bodyHint(200),
          null,
          t0.millis());
    } catch (MalformedPduException e) {
      return HttpAttempt.failed(
          label, method + " " + PATH, "not an HTTP response: " + e.getMessage(), t0.millis());
    } catch (IOException e) {
      return HttpAttempt.failed(
          label,
          method + " " + PATH,
          (e instanceof SocketTimeoutException ? "no response before the deadline: " : "")
              + TcpConnector.message(e),
          t0.millis());
    }
  }

  // ------------------------------------------------------------------ credentialed tunnel

  /**
   * NTLM on the WebSocket upgrade request (the same connection carries both legs, as the gateway
   * requires), then the tunnel packets in binary WebSocket messages.
   */
  private static TunnelResult tunnel(InetAddress a, Options o, ProbeContext ctx) {
    Credentials cr = o.credentials();
    List<TunnelStep> steps = new ArrayList<>();
    Span span = ctx.span("gateway-tunnel", o.host());
    Stopwatch t0 = ctx.stopwatch();
    try (GatewayConnection c =
        GatewayConnection.connect(a, o.port(), o.literal() ? null : o.host(), ctx)) {
      if (!c.open()) {
        return new TunnelResult("NTLM", 0, "TLS: " + c.handshake.status(), steps, false);
      }
      String key = GatewayConnection.webSocketKey();
      List<String> ws = webSocketHeaders(key);
      // the workstation name is the one TUNNEL_AUTH gives as the client name
      NtlmClient ntlm = NtlmClient.forHttp(CLIENT_NAME);
      List<String> h1 = new ArrayList<>(ws);
      h1.add("Authorization: NTLM " + ntlm.negotiateToken());
      c.send("ntlm negotiate", requestHead("RDG_OUT_DATA", o.host(), o.port(), h1));
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
      c.send("ntlm authenticate", requestHead("RDG_OUT_DATA", o.host(), o.port(), h2));
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
      if (!GatewayConnection.webSocketAccept(key).equals(accept)) {
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
                  new TunnelAuth(CLIENT_NAME, null).encode(),
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

  // ------------------------------------------------------------------ UDP 3391

  static UdpResult udp(InetAddress a, int port, Duration timeout, ProbeContext ctx) {
    String subject = a.getHostAddress() + ":" + port + "/udp";
    Span span = ctx.span("gateway-udp", subject);
    Stopwatch t0 = ctx.stopwatch();
    UdpResult r = udpOnce(a, port, timeout, t0);
    span.end(r.outcome().name().toLowerCase(Locale.ROOT), t0.millis());
    return r;
  }

  private static UdpResult udpOnce(InetAddress a, int port, Duration timeout, Stopwatch t0) {
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    byte[] hello = DtlsClientHello.build(random);
    try (DatagramSocket s = new DatagramSocket()) {
      // connected, so an ICMP port unreachable surfaces as PortUnreachableException
      s.connect(new InetSocketAddress(a, port));
      byte[] buf = new byte[2048];
      Deadline end = Deadline.in(timeout);
      // two sends, as DTLS itself retransmits: one lost datagram is not "blocked"
      for (int attempt = 0; attempt < 2; attempt++) {
        s.send(new DatagramPacket(hello, hello.length));
        long left = end.remainingMillis() / (2 - attempt);
        s.setSoTimeout((int) Math.max(1, left));
        try {
          DatagramPacket p = new DatagramPacket(buf, buf.length);
          s.receive(p);
          return new UdpResult(
              port,
              UdpResult.Outcome.ANSWERED,
              DtlsClientHello.describeReply(buf, p.getLength()),
              t0.millis());
        } catch (SocketTimeoutException e) {
          // try once more, then call it silent
        }
      }
      return new UdpResult(
          port,
          UdpResult.Outcome.SILENT,
          "no reply to 2 DTLS ClientHellos in " + timeout.toMillis() + " ms",
          t0.millis());
    } catch (PortUnreachableException e) {
      return new UdpResult(
          port,
          UdpResult.Outcome.REFUSED,
          "ICMP port unreachable: nothing listens on UDP " + port,
          t0.millis());
    } catch (IOException e) {
      return new UdpResult(port, UdpResult.Outcome.ERROR, TcpConnector.message(e), t0.millis());
    }
  }

  private static <T> T await(Future<T> f) {
    return Threads.await(f, 30_000);
  }
}
