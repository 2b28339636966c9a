package dev.rdpdoctor.probe;

import dev.rdpdoctor.evidence.TlsEvidence.Status;
import dev.rdpdoctor.probe.event.RunClock;
import dev.rdpdoctor.wire.MalformedPduException;
import dev.rdpdoctor.wire.http.HttpResponseHead;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;

/**
 * One TLS connection to an RD Gateway with a small HTTP/1.1 client and WebSocket framing on top.
 * Every read is bounded by the probe deadline (through {@link ProbeSocket}) and every size by a
 * named cap, so a hostile or broken gateway ends in evidence, never a hang.
 */
final class GatewayConnection implements AutoCloseable {
  /** Body bytes kept for a hint; the rest is read and dropped up to MAX_BODY. */
  static final int HINT_BYTES = 2048;

  /** More body than this is not read at all: the head already says what the page is. */
  static final int MAX_BODY = 64 * 1024;

  /** Largest WebSocket message accepted; TSGU control packets are tens of bytes. */
  static final int MAX_WS_MESSAGE = 64 * 1024;

  private final ProbeSocket socket;
  private final TlsClientProtocol tls;
  private final InputStream in;
  private final OutputStream out;
  final TlsProbe.Handshake handshake;
  private final RunClock clock;

  private GatewayConnection(
      ProbeSocket socket, TlsClientProtocol tls, TlsProbe.Handshake handshake, RunClock clock) {
    this.clock = clock;
    this.socket = socket;
    this.tls = tls;
    this.handshake = handshake;
    this.in = tls == null ? null : tls.getInputStream();
    this.out = tls == null ? null : tls.getOutputStream();
  }

  /** A stopwatch on the run's clock, for the exchanges on this connection. */
  Stopwatch stopwatch() {
    return new Stopwatch(clock, clock.nanos());
  }

  boolean open() {
    return tls != null;
  }

  /**
   * TCP, then TLS with every version and broad suites, any certificate accepted (we inspect it, the
   * client decides). A failure comes back as a closed connection with the handshake outcome.
   */
  static GatewayConnection connect(
      InetAddress address, int port, String sniHost, ProbeContext ctx) {
    Stopwatch t0 = ctx.stopwatch();
    Deadline deadline = ctx.deadline();
    TcpConnector.Result tcp =
        TcpConnector.connect(address, port, ctx.connectTimeout(), ctx, "gateway");
    if (tcp.socket() == null) {
      return notConnected(
          "TCP: "
              + tcp.evidence().outcome()
              + (tcp.evidence().detail() == null ? "" : " (" + tcp.evidence().detail() + ")"),
          t0,
          ctx);
    }
    ProbeSocket s;
    try {
      s = new ProbeSocket(tcp.socket(), deadline, ctx.trace(), "gateway", () -> {});
    } catch (IOException e) {
      TcpConnector.closeQuietly(tcp.socket());
      return notConnected(TcpConnector.message(e), t0, ctx);
    }
    Client client = new Client(TlsClientHandshake.sniName(sniHost));
    TlsClientProtocol protocol = new TlsClientProtocol(s.in(), s.out());
    try {
      protocol.connect(client);
      return new GatewayConnection(
          s,
          protocol,
          handshake(
              Status.OK,
              TlsNames.version(client.serverVersion),
              client.suite(),
              null,
              null,
              client.chain,
              t0.millis(),
              client.cipherSuite),
          ctx.clock());
    } catch (TlsFatalAlertReceived e) {
      s.close();
      return new GatewayConnection(
          null,
          null,
          handshake(
              Status.ALERT,
              TlsNames.version(client.serverVersion),
              client.suite(),
              TlsNames.alert(e.getAlertDescription()),
              "the gateway refused the handshake",
              client.chain,
              t0.millis(),
              client.cipherSuite),
          ctx.clock());
    } catch (IOException | RuntimeException e) {
      s.close();
      Status st =
          timeout(e) || deadline.expired()
              ? Status.TIMEOUT
              : closed(e) ? Status.CLOSED : Status.ERROR;
      String why =
          e instanceof TlsFatalAlert fa
              ? "aborted here with "
                  + TlsNames.alert(fa.getAlertDescription())
                  + (client.raised == null ? "" : ": " + client.raised)
              : TcpConnector.message(e);
      return new GatewayConnection(
          null,
          null,
          handshake(
              st,
              TlsNames.version(client.serverVersion),
              client.suite(),
              null,
              why,
              client.chain,
              t0.millis(),
              client.cipherSuite),
          ctx.clock());
    }
  }

  /** A connection that never reached TLS, and why. */
  private static GatewayConnection notConnected(String why, Stopwatch t0, ProbeContext ctx) {
    return new GatewayConnection(
        null, null, TlsProbe.Handshake.without(Status.ERROR, why, t0.millis()), ctx.clock());
  }

  /** The gateway's handshake, in the same record as an RDP server's (no byte count kept). */
  private static TlsProbe.Handshake handshake(
      Status status,
      String version,
      String suite,
      String alert,
      String error,
      List<byte[]> chain,
      long millis,
      int suiteId) {
    return new TlsProbe.Handshake(status, version, suite, alert, error, chain, 0, millis, suiteId);
  }

  private static boolean timeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InterruptedIOException) {
        return true;
      }
    }
    return false;
  }

  private static boolean closed(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof EOFException || t instanceof SocketException) {
        return true;
      }
    }
    return false;
  }

  /** An HTTP response: the head and at most HINT_BYTES of the body. */
  record Response(HttpResponseHead head, byte[] body) {
    String bodyHint(int max) {
      String text = new String(body, StandardCharsets.ISO_8859_1);
      // an HTML page: its <title> or first heading is the hint a person would read
      String t = between(text, "<title>", "</title>");
      if (t == null) {
        t = between(text, "<h1>", "</h1>");
      }
      String s = (t != null ? t : text.replaceAll("<[^>]*>", " ")).replaceAll("\\s+", " ").strip();
      return HttpResponseHead.printable(s, max);
    }

    private static String between(String s, String a, String b) {
      int i = s.toLowerCase(Locale.ROOT).indexOf(a);
      int j = i < 0 ? -1 : s.toLowerCase(Locale.ROOT).indexOf(b, i + a.length());
      return i < 0 || j < 0 ? null : s.substring(i + a.length(), j);
    }
  }

  void send(String what, String requestHead) throws IOException {
    out.write(requestHead.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /**
   * Reads a response head, then the body per Content-Length or chunked encoding (for 101 and for a
   * 200 on RDG_OUT_DATA, which streams, no body is read).
   */
  Response readResponse(boolean streamBody) throws IOException, MalformedPduException {
    byte[] buf = new byte[HttpResponseHead.MAX_HEAD_BYTES];
    int len = 0;
    int end;
    while ((end = HttpResponseHead.endOfHead(buf, len)) < 0) {
      if (len == buf.length) {
        throw new MalformedPduException(
            "no end of the response head within " + buf.length + " bytes", len);
      }
      int r = in.read(buf, len, 1); // byte by byte: what follows the head is not ours to eat
      if (r < 0) {
        if (len == 0) {
          throw new EOFException("the gateway closed the connection without an HTTP response");
        }
        throw new EOFException("the gateway closed the connection inside the response head");
      }
      len += r;
    }
    HttpResponseHead head = HttpResponseHead.parse(buf, end);
    if (head.status() == 101 || streamBody || head.status() == 204 || head.status() == 304) {
      return new Response(head, new byte[0]);
    }
    return new Response(head, readBody(head));
  }

  private byte[] readBody(HttpResponseHead head) throws IOException {
    ByteArrayOutputStream keep = new ByteArrayOutputStream();
    long total = 0;
    if (head.chunked()) {
      for (int chunks = 0; chunks < 1024 && total <= MAX_BODY; chunks++) {
        String line = readLine(64);
        int semi = line.indexOf(';');
        long size;
        try {
          size = Long.parseLong((semi < 0 ? line : line.substring(0, semi)).strip(), 16);
        } catch (NumberFormatException e) {
          break; // a broken chunk size ends the body; the head already has the facts
        }
        if (size == 0 || size > MAX_BODY) {
          readLine(1024);
          break;
        }
        total += copy(size, keep);
        readLine(4);
      }
    } else {
      long n = head.contentLength();
      if (n < 0) {
        // no length: HTTP/1.0-style, body ends at close; read what fits, no more
        n = MAX_BODY;
      }
      total += copy(Math.min(n, MAX_BODY), keep);
    }
    return keep.toByteArray();
  }

  private long copy(long n, ByteArrayOutputStream keep) throws IOException {
    byte[] b = new byte[4096];
    long got = 0;
    while (got < n) {
      int r;
      try {
        r = in.read(b, 0, (int) Math.min(b.length, n - got));
      } catch (IOException e) {
        if (got > 0 || keep.size() > 0) {
          break; // the page so far is enough for a hint
        }
        throw e;
      }
      if (r < 0) {
        break;
      }
      int room = HINT_BYTES - keep.size();
      if (room > 0) {
        keep.write(b, 0, Math.min(room, r));
      }
      got += r;
    }
    return got;
  }

  private String readLine(int max) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < max + 2; i++) {
      int c = in.read();
      if (c < 0 || c == '\n') {
        break;
      }
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  // ------------------------------------------------------------------ WebSocket (RFC 6455)

  /** Sends one binary message as a single masked frame. */
  void sendBinary(byte[] payload) throws IOException {
    out.write(WebSocketFrames.binary(payload));
    out.flush();
  }

  /** The next complete data message; control frames skipped, a close frame ends it. */
  byte[] readBinary() throws IOException, MalformedPduException {
    return WebSocketFrames.readMessage(in, MAX_WS_MESSAGE);
  }

  @Override
  public void close() {
    if (tls != null) {
      try {
        tls.close();
      } catch (IOException ignored) {
        // the evidence is already taken; a failed goodbye changes nothing
      }
    }
    if (socket != null) {
      socket.close();
    }
  }

  /** Offers everything BouncyCastle has by default, accepts any certificate, records it. */
  private static final class Client extends RecordingTlsClient {
    Client(String sni) {
      super(new InspectingCrypto(), sni);
    }

    String suite() {
      return cipherSuite < 0 ? null : TlsNames.cipherSuite(cipherSuite);
    }
  }
}
