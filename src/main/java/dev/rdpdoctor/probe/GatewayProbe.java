package dev.rdpdoctor.probe;

import dev.rdpdoctor.evidence.CertificateInfo;
import dev.rdpdoctor.evidence.GatewayEvidence;
import dev.rdpdoctor.evidence.GatewayEvidence.HttpAttempt;
import dev.rdpdoctor.evidence.GatewayEvidence.TunnelResult;
import dev.rdpdoctor.evidence.GatewayEvidence.UdpResult;
import dev.rdpdoctor.evidence.TcpEvidence;
import dev.rdpdoctor.evidence.TlsEvidence;
import dev.rdpdoctor.wire.DtlsClientHello;
import dev.rdpdoctor.wire.MalformedPduException;
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
      tunnel = GatewayTunnel.run(open, o, ctx);
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

  private static TlsEvidence tlsEvidence(InetAddress a, Options o, TlsProbe.Handshake h) {
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
    return webSocketHeaders(WebSocketFrames.webSocketKey());
  }

  static List<String> webSocketHeaders(String key) {
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
